// The parameters several operations share: the record field of version 2, File Source, the binary fields, On
// Duplicate, the Options collections, and the defaults the run-time code reads with them.
import type { IDisplayOptions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { DEFAULT_BLOCK_SIZE_KIB, MAX_BLOCK_SIZE_KIB, MIN_BLOCK_SIZE_KIB } from '../helpers/blocks';
import { PROPERTY_NUMBER_MAX, RECORD_MODE } from '../helpers/recordLocator';

/** Shown at node version 1 only: what saved v1 workflows hold, unchanged. */
export const V1 = { '@version': [1] };
/** Shown from node version 2 on. */
export const V2 = { '@version': [{ _cnd: { gte: 2 } }] };

/** How each kind of record is named besides its number: estates by property number, contacts by e-mail. */
const NAMED_BY = {
	estate: {
		label: 'By Property Number',
		mode: RECORD_MODE.propertyNumber,
		placeholder: 'PC910',
		hint: `The property number (ImmoNr, up to ${PROPERTY_NUMBER_MAX} characters), exactly as in onOffice`,
	},
	address: {
		label: 'By E-Mail',
		mode: RECORD_MODE.email,
		placeholder: 'name@example.com',
		hint: 'Any of the contact\'s e-mail addresses; case does not matter, and "Name <address>" works too',
	},
};

/** A record field of version 2: the record from a searchable list, by its number, or as people name it. */
export function recordLocator(
	kind: 'estate' | 'address',
	displayOptions: IDisplayOptions,
): INodeProperties {
	const estate = kind === 'estate';
	const named = NAMED_BY[kind];
	return {
		displayName: estate ? 'Estate' : 'Address',
		name: kind,
		type: 'resourceLocator',
		default: { mode: RECORD_MODE.list, value: '' },
		required: true,
		description: estate
			? 'Which estate: chosen from the list, or named by its record number or its property number (ImmoNr)'
			: 'Which contact: chosen from the list, or named by its record number or one of its e-mail addresses',
		modes: [
			{
				displayName: 'From List',
				name: RECORD_MODE.list,
				type: 'list',
				placeholder: estate ? 'Select an estate…' : 'Select a contact…',
				typeOptions: {
					searchListMethod: estate ? 'listEstates' : 'listAddresses',
					searchable: true,
					slowLoadNotice: {
						message: 'onOffice takes a while to answer; By ID needs no list',
						timeout: 10_000,
					},
				},
			},
			{
				displayName: 'By ID',
				name: RECORD_MODE.id,
				type: 'string',
				placeholder: estate ? '409' : '7',
				hint: 'The record number (Datensatznummer) in onOffice, not the customer number',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*[0-9]+\\s*$',
							errorMessage: 'A record number is a whole number, e.g. 409',
						},
					},
				],
			},
			{
				displayName: named.label,
				name: named.mode,
				type: 'string',
				placeholder: named.placeholder,
				hint: named.hint,
			},
		],
		displayOptions,
	};
}

/** Where the files of an item come from (File Source, version 2; version 1 reads the binary fields). */
export const FILE_SOURCE = { binaryField: 'binaryField', node: 'node', url: 'url' } as const;

/** The default of Max File Size (MiB) for a file at a URL. */
export const DEFAULT_MAX_FILE_SIZE_MIB = 1024;

/** Shown unless another File Source is chosen (version 1 has none: always shown there). */
const fromBinaryField = { hide: { fileSource: [FILE_SOURCE.node, FILE_SOURCE.url] } };

/**
 * Where the files come from (version 2, Upload File and Stage File): the item's binary fields, the files another node
 * holds (the chat message or e-mail an AI agent works on: n8n hands a tool no binary data), or a URL.
 */
export const fileSource: INodeProperties[] = [
	{
		displayName: 'File Source',
		name: 'fileSource',
		type: 'options',
		noDataExpression: true,
		// A literal: n8n's lint (and its verification scanner) reads an options parameter's default only as one.
		default: 'binaryField',
		options: [
			{
				name: 'Binary Field of the Input Item',
				value: FILE_SOURCE.binaryField,
				description:
					'Files earlier nodes put on the item: e-mail attachments, a form upload, a download',
			},
			{
				name: 'Files of Another Node',
				value: FILE_SOURCE.node,
				description:
					'Files a node earlier in the run holds, e.g. the chat message or e-mail an AI agent works on (a tool gets no binary data)',
			},
			{
				name: 'File at a URL',
				value: FILE_SOURCE.url,
				description:
					"Downloaded in blocks through n8n's request settings, SSRF protection included",
			},
		],
		description: 'Where the files to upload come from',
		displayOptions: { show: V2 },
	},
	{
		displayName: 'Node',
		name: 'sourceNode',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'When chat message received',
		description:
			'The name of the node that holds the files, as the canvas shows it, e.g. the Chat Trigger or the Email Trigger that started the run',
		displayOptions: { show: { ...V2, fileSource: [FILE_SOURCE.node] } },
	},
	{
		displayName: 'File Names',
		name: 'fileNames',
		type: 'string',
		default: '',
		placeholder: 'expose.pdf, Grundriss EG.png',
		description:
			'Which of its files to upload, by file name (case does not matter), separated by commas. Empty: all of them.',
		displayOptions: { show: { ...V2, fileSource: [FILE_SOURCE.node] } },
	},
	{
		displayName: 'File URL',
		name: 'fileUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/expose.pdf',
		description:
			'The address of the file itself (http or https). Its name comes from the server (Content-Disposition) or the URL; the File Name option sets another.',
		displayOptions: { show: { ...V2, fileSource: [FILE_SOURCE.url] } },
	},
	{
		displayName: 'Max File Size (MiB)',
		name: 'maxFileSize',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: DEFAULT_MAX_FILE_SIZE_MIB,
		description: 'A larger file at the URL is refused before anything is uploaded',
		displayOptions: { show: { ...V2, fileSource: [FILE_SOURCE.url] } },
	},
];

/** Which binary properties of an item to upload (Upload File and Stage File). */
export const binarySelection: INodeProperties[] = [
	{
		displayName: 'Upload All Binary Properties',
		name: 'uploadAllBinaryProperties',
		type: 'boolean',
		default: false,
		description:
			'Whether to upload every binary property of the item, e.g. all attachments (attachment_0, attachment_1, …) of an e-mail',
		displayOptions: fromBinaryField,
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'data',
		hint: "The binary property holding the file, as the previous node's Binary tab names it (data, attachment_0, …). Several, separated by commas: each is uploaded.",
		displayOptions: { show: { uploadAllBinaryProperties: [false] }, ...fromBinaryField },
	},
];

/** What to do when the record already holds this file (Upload File). */
const ON_DUPLICATE_FILE: INodePropertyOptions[] = [
	{
		name: 'Upload Anyway',
		value: 'uploadAnyway',
		description: 'Always upload, even if the record has the same file',
	},
	{
		name: 'Replace',
		value: 'replace',
		description:
			'Upload the new file, then remove the old one with the same name (any size); the new one takes over its title, position and document attribute unless set here',
	},
	{
		name: 'Skip',
		value: 'skip',
		description:
			'Upload nothing if the record has a file with the same name and size; the output says so',
	},
];

/** What to do when the estate already holds a link to this URL (Add Link). */
const ON_DUPLICATE_LINK: INodePropertyOptions[] = [
	{
		name: 'Add Anyway',
		value: 'uploadAnyway',
		description: 'Always add, even if the estate has a link to the same URL',
	},
	{
		name: 'Replace',
		value: 'replace',
		description:
			'Add the new link, then remove the old one to the same URL; the new one takes over its title and position unless set here',
	},
	{
		name: 'Skip',
		value: 'skip',
		description:
			'Add nothing if the estate has a link to the same URL (scheme and host in any case, trailing slash or not); the output says so',
	},
];

export function onDuplicateParameter(
	what: 'file' | 'link',
	displayOptions: IDisplayOptions,
	defaultValue = 'uploadAnyway',
): INodeProperties {
	return {
		displayName: 'On Duplicate',
		name: 'onDuplicate',
		type: 'options',
		noDataExpression: true,
		options: what === 'file' ? ON_DUPLICATE_FILE : ON_DUPLICATE_LINK,
		default: defaultValue,
		description:
			what === 'file'
				? 'What to do if the record already has this file (same original file name and size). Makes running an import again safe.'
				: 'What to do if the estate already has a link to this URL. Makes running an import again safe.',
		displayOptions,
	};
}

export const requestOptions: INodeProperties[] = [
	{
		displayName: 'Retries',
		name: 'retries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 3,
		description:
			'How often a request that failed on the network, with HTTP 5xx or 429 is tried again, each time signed anew. Final steps that may already have been carried out are checked, never repeated blindly.',
	},
	{
		displayName: 'Retry Delay (Ms)',
		name: 'retryDelay',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 1000,
		description: 'Wait before the first retry, in milliseconds; it doubles for each further retry',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 300,
		description: 'How long to wait for onOffice to answer one request',
	},
];

/** The "Options" collection of an operation: how the node works, not what onOffice stores. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
	};
}

/** Options of the two file operations. */
export const fileOptions: INodeProperties = optionsCollection([
	{
		displayName: 'Block Size (KiB)',
		name: 'blockSize',
		type: 'number',
		typeOptions: { minValue: MIN_BLOCK_SIZE_KIB, maxValue: MAX_BLOCK_SIZE_KIB },
		default: DEFAULT_BLOCK_SIZE_KIB,
		description:
			'Files are sent in blocks of this size (base64 makes each request about a third larger). Lower it if the server refuses large requests (HTTP 413); the node also halves it by itself on 413.',
	},
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 16 },
		default: 1,
		description:
			'How many items upload at the same time. With more than 1, files of different items may reach the record in a different order than the items.',
	},
	{
		displayName: 'File Filter',
		name: 'fileFilter',
		type: 'fixedCollection',
		placeholder: 'Add filter',
		default: {},
		description:
			'Files of the item that are not uploaded, e.g. the Outlook, calendar and signature files of an e-mail. Every file left out still yields an output item that says which rule left it out.',
		options: [
			{
				displayName: 'Rules',
				name: 'rules',
				values: [
					{
						displayName: 'Only File Types',
						name: 'onlyTypes',
						type: 'string',
						default: '',
						placeholder: 'image/*, application/pdf, .pdf',
						description:
							'MIME types (image/* for every image) and extensions, separated by commas. Empty: every type.',
					},
					{
						displayName: 'Minimum Size (KiB)',
						name: 'minSizeKiB',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 1 },
						default: 0,
						description:
							'Smaller files are left out: tracking pixels and small signature logos. 0: no minimum.',
					},
					{
						displayName: 'Names to Leave Out',
						name: 'excludeNames',
						type: 'string',
						default: '',
						placeholder: 'winmail.dat, *.ics, *.vcf, image0*.png',
						description:
							'File names, with * for any characters and ? for one, separated by commas, case does not matter; e.g. winmail.dat (Outlook), *.ics (invitations), *.vcf (business cards), image0*.png (inline signature images)',
					},
				],
			},
		],
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		description:
			"Name to store the file under in onOffice, instead of the binary data's own file name (umlauts are kept)",
	},
	...requestOptions,
]);
