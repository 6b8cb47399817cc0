// The node's fields as the editor names them, for messages: the one place outside the descriptions that spells a
// name a person sees (test/unit/description.test.ts holds the two together). Only the actions word messages with them;
// the rooms below report what is wrong with a value, not where it was typed.

/** Fields and options by what they hold; the parameter each stands for is in PARAMETER_OF where the names differ. */
export const FIELD = {
	relatedRecordId: 'Related Record ID',
	estate: 'Estate',
	address: 'Address',
	fileType: 'File Type',
	linkType: 'Link Type',
	url: 'URL',
	fileSource: 'File Source',
	sourceNode: 'Node',
	fileNames: 'File Names',
	fileUrl: 'File URL',
	maxFileSize: 'Max File Size (MiB)',
	binaryPropertyName: 'Input Binary Field',
	uploadAllBinaryProperties: 'Upload All Binary Properties',
	onDuplicate: 'On Duplicate',
	blockSize: 'Block Size (KiB)',
	batchSize: 'Batch Size',
	concurrency: 'Concurrency',
	fileFilter: 'File Filter',
	fileName: 'File Name',
	timeout: 'Timeout (Seconds)',
	limits: 'Limits',
	allowedHosts: 'Allowed Hosts',
} as const;

export type FieldKey = keyof typeof FIELD;

/** The parameter a field key stands for, where it is not the key itself (Add Link keeps `fileType` for its link type). */
export const PARAMETER_OF: Partial<Record<FieldKey, string>> = { linkType: 'fileType' };

/** `field "Estate"` */
export const field = (key: FieldKey): string => `field "${FIELD[key]}"`;

/** `option "Block Size (KiB)"` */
export const option = (key: FieldKey): string => `option "${FIELD[key]}"`;
