import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { AUTO_FILE_TYPE, DOCUMENT_TYPES, isPictureType, PICTURE_TYPES, resolveFileType } from '../helpers/fileTypes';
import { fileTypeForUpload, recordId } from '../helpers/validation';
import { transferFile } from '../transport/uploadfile';
import { binarySelection, fileOptions } from './common.description';
import { eachBinaryFile, readFileOptions, type ItemOutcome } from './shared';

const estateOnly = { show: { module: ['estate'] } };

const properties: INodeProperties[] = [
	{
		displayName: 'Module',
		name: 'module',
		type: 'options',
		noDataExpression: true,
		default: 'estate',
		options: [
			{ name: 'Address', value: 'address', description: 'A file of an address (contact)' },
			{ name: 'Agents Log', value: 'agentsLog', description: 'A file of an agents-log entry (Aktivität)' },
			{ name: 'Estate', value: 'estate', description: 'A file of an estate (property), shown on its Files tab' },
			{ name: 'Task', value: 'task', description: 'A file of a task' },
		],
		description: 'Which kind of onOffice record the file belongs to',
	},
	{
		displayName: 'Related Record ID',
		name: 'relatedRecordId',
		type: 'number',
		default: 0,
		required: true,
		description:
			'Record number (Datensatznummer) of the estate, address, agents-log entry or task, e.g. 409. Not the customer number.',
	},
	...binarySelection,
	{
		displayName: 'File Type',
		name: 'fileType',
		type: 'options',
		default: AUTO_FILE_TYPE,
		options: [
			{
				name: 'Automatic: Foto for Images, Dokument for Other Files',
				value: AUTO_FILE_TYPE,
				description: 'Decided per file from its MIME type',
			},
			...DOCUMENT_TYPES,
			...PICTURE_TYPES,
		],
		description: 'OnOffice\'s "Art" of the file. Pictures appear in the estate\'s pictures; Dokument is internal, the other document types are published with the estate.',
		displayOptions: estateOnly,
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		description: 'Title shown on the Files tab. Empty: the file name without its extension.',
		displayOptions: estateOnly,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: estateOnly,
		options: [
			{
				displayName: 'Apply Watermark',
				name: 'applyWaterMark',
				type: 'boolean',
				default: false,
				description: 'Whether to add the watermark configured in onOffice (pictures only)',
			},
			{
				displayName: 'Document Attribute Name or ID',
				name: 'documentAttribute',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getDocumentAttributes' },
				default: '',
				description:
					'Document attribute (Dokumentenmerkmal), e.g. Reservierungsliste. Each attribute can be used once per estate. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Free Text',
				name: 'freetext',
				type: 'string',
				default: '',
				description: 'Free text of the file',
			},
			{
				displayName: 'Position',
				name: 'position',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Position on the Files tab; 0 is the first. Without it the file goes last.',
			},
			{
				displayName: 'Set Default Publication Rights',
				name: 'setDefaultPublicationRights',
				type: 'boolean',
				default: false,
				description:
					'Whether onOffice applies "Activate newly added files" (Extras > Settings > Basic settings > General) to this file',
			},
		],
	},
	fileOptions,
];

export const description = updateDisplayOptions({ show: { operation: ['uploadFile'] } }, properties);

/** Upload File: every selected binary of the item is staged in blocks, then linked to the record. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	const module = this.getNodeParameter('module', itemIndex) as string;
	const relatedRecordId = recordId(this, itemIndex, this.getNodeParameter('relatedRecordId', itemIndex, ''), recordNoun(module));
	const options = readFileOptions(this, itemIndex);
	const isEstate = module === 'estate';
	const chosenType = isEstate ? fileTypeForUpload(this, itemIndex, this.getNodeParameter('fileType', itemIndex, '')) : undefined;
	const title = isEstate ? (this.getNodeParameter('title', itemIndex, '') as string).trim() : '';
	const extra = isEstate ? (this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject) : {};
	return eachBinaryFile(this, itemIndex, options, async (file) => {
		const name = file.fileName;
		const art = chosenType ? resolveFileType(chosenType, file.mimeType) : undefined;
		const parameters: IDataObject = { module, relatedRecordId, file: name };
		if (isEstate && art) {
			parameters.Art = art;
			parameters.title = title || name.replace(/\.[^.]+$/, '');
			if (extra.freetext) parameters.freetext = extra.freetext;
			if (extra.documentAttribute) parameters.documentAttribute = extra.documentAttribute;
			if (extra.position !== undefined && extra.position !== '') parameters.position = extra.position;
			if (extra.setDefaultPublicationRights !== undefined) parameters.setDefaultPublicationRights = extra.setDefaultPublicationRights;
			if (extra.applyWaterMark && isPictureType(art)) parameters.applyWaterMark = true;
		}
		const { staged, linked } = await transferFile(this, file, { module, relatedRecordId, parameters }, options.upload);
		return {
			operation: 'uploadFile',
			module,
			relatedRecordId,
			binaryPropertyName: file.propertyName,
			fileName: name,
			...(art ? { fileType: art, title: parameters.title } : {}),
			fileId: linked.elements.fileId,
			tmpUploadId: staged.tmpUploadId,
			filesize: Number(linked.elements.filesize ?? staged.filesize),
			blocks: staged.blocks,
			...(staged.restarts ? { restarts: staged.restarts } : {}),
			...(linked.recovered ? { recoveredAfterLostAnswer: true } : {}),
		};
	});
}

function recordNoun(module: string): string {
	return { estate: 'estate', address: 'address', agentsLog: 'agents-log entry', task: 'task' }[module] ?? 'record';
}
