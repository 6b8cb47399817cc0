import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ON_DUPLICATE, type OnDuplicate } from '../helpers/duplicates';
import {
	AUTO_BY_NAME_FILE_TYPE,
	AUTO_FILE_TYPE,
	DOCUMENT_TYPES,
	isPictureType,
	PICTURE_TYPES,
	resolveFileType,
} from '../helpers/fileTypes';
import { canReadFiles } from '../resources/recordFiles';
import {
	binarySelection,
	fileOptions as fileOptionsParameter,
	fileSource,
	onDuplicateParameter,
	recordLocator,
	V1,
	V2,
} from './common.description';
import { eachFile, pendingFiles } from './files';
import { checkPublishing, limitsParameter } from './limits';
import { eachItem, type ItemOutcome, type Run } from './operation';
import { concurrency, fileOptions, fileTypeForUpload } from './parameters';
import { placeFile } from './placeFile';
import { targetRecord } from './targetRecord';

const estateOnly = { show: { module: ['estate'] } };

/** The estate file type (`Art`); the default differs by node version. */
function fileTypeParameter(defaultValue: string, displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'File Type',
		name: 'fileType',
		type: 'options',
		default: defaultValue,
		options: [
			{
				name: 'Automatic by Type: Photo or Document',
				value: AUTO_FILE_TYPE,
				description:
					'Decided per file from its MIME type: Foto for images, Dokument for everything else',
			},
			{
				name: 'Automatic by Name: Floor Plan, Exposé, … or by Type',
				value: AUTO_BY_NAME_FILE_TYPE,
				description:
					'Decided per file: a name that says floor plan/Grundriss, site plan/Lageplan, exposé or energy certificate/Energieausweis gives that type (German or English); otherwise Foto for images and Dokument for other files',
			},
			...DOCUMENT_TYPES,
			...PICTURE_TYPES,
		],
		description:
			'OnOffice\'s "Art" of the file. Pictures appear in the estate\'s pictures; Dokument is internal, the other document types are published with the estate.',
		displayOptions,
	};
}

const properties: INodeProperties[] = [
	{
		displayName: 'Module',
		name: 'module',
		type: 'options',
		noDataExpression: true,
		default: 'estate',
		options: [
			{ name: 'Address', value: 'address', description: 'A file of an address (contact)' },
			{
				name: 'Agents Log',
				value: 'agentsLog',
				description: 'A file of an agents-log entry (Aktivität)',
			},
			{
				name: 'Estate',
				value: 'estate',
				description: 'A file of an estate (property), shown on its Files tab',
			},
			{ name: 'Task', value: 'task', description: 'A file of a task' },
		],
		description: 'Which kind of onOffice record the file belongs to',
	},
	{
		// A string, so it can start empty with a placeholder (a number field starts at 0, which is never a record);
		// saved numbers (409) and expressions are read the same way.
		displayName: 'Related Record ID',
		name: 'relatedRecordId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '409 or {{ $json.estateId }}',
		hint: 'The record number (Datensatznummer) in onOffice, not the customer number',
		description:
			'Record number of the estate, address, agents-log entry or task the file belongs to, e.g. 409',
		displayOptions: { show: V1 },
	},
	recordLocator('estate', { show: { ...V2, module: ['estate'] } }),
	recordLocator('address', { show: { ...V2, module: ['address'] } }),
	{
		displayName: 'Related Record ID',
		name: 'relatedRecordId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '5 or {{ $json.taskId }}',
		hint: 'The record number (Datensatznummer): onOffice documents no way to look agents-log entries and tasks up by anything else',
		description: 'Record number of the agents-log entry or task the file belongs to',
		displayOptions: { show: { ...V2, module: ['agentsLog', 'task'] } },
	},
	...fileSource,
	...binarySelection,
	// Estates and addresses only: onOffice offers no way to read the files of agents-log entries and tasks back.
	// Version 2 skips by default, so that running an import again adds nothing unless asked to.
	onDuplicateParameter('file', { show: { ...V1, module: ['estate', 'address'] } }),
	onDuplicateParameter(
		'file',
		{ show: { ...V2, module: ['estate', 'address'] } },
		ON_DUPLICATE.skip,
	),
	// Version 2 reads the name first (Grundriss, Exposé, …) by default.
	fileTypeParameter(AUTO_FILE_TYPE, { show: { ...V1, module: ['estate'] } }),
	fileTypeParameter(AUTO_BY_NAME_FILE_TYPE, { show: { ...V2, module: ['estate'] } }),
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		placeholder: 'Empty: the file name without its extension',
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
				displayName: 'Replace Existing Title Picture',
				name: 'replaceTitlePicture',
				type: 'boolean',
				default: false,
				description:
					'Whether a file of type Titelbild becomes the title picture even when the estate has one; the old title picture becomes a Foto. Without it onOffice refuses a second title picture (error 239).',
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
	limitsParameter,
	fileOptionsParameter,
];

export const description = updateDisplayOptions(
	{ show: { operation: ['uploadFile'] } },
	properties,
);

/** Upload File: every file of each item is staged in blocks, then linked to the record (as On Duplicate says). */
export async function execute(
	this: IExecuteFunctions,
	items: number[],
	run: Run,
): Promise<ItemOutcome[]> {
	return eachItem(items, run, concurrency(this), (itemIndex) => uploadItem(this, itemIndex, run));
}

export { filed } from './files';

async function uploadItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: Run,
): Promise<ItemOutcome> {
	const node = ctx.getNode();
	const module = ctx.getNodeParameter('module', itemIndex) as string;
	const noun = recordNoun(module);
	const options = fileOptions(ctx, itemIndex);
	const isEstate = module === 'estate';
	const extra = isEstate
		? (ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject)
		: {};
	// The files are named (a URL's host checked) and what a tool call may do is checked before the record is looked
	// up: a refusal sends nothing.
	const files = pendingFiles(ctx, itemIndex, options, run.limits);
	if (run.asTool) checkPublishing(ctx, run.limits, extra.setDefaultPublicationRights === true);
	const { relatedRecordId, foundBy } = await targetRecord(
		ctx,
		run,
		itemIndex,
		module,
		noun,
		options.upload.send,
	);
	const onDuplicate = (
		canReadFiles(module)
			? ctx.getNodeParameter('onDuplicate', itemIndex, ON_DUPLICATE.uploadAnyway)
			: ON_DUPLICATE.uploadAnyway
	) as OnDuplicate;
	const chosenType = isEstate
		? fileTypeForUpload(node, ctx.getNodeParameter('fileType', itemIndex, ''))
		: undefined;
	const title = isEstate ? (ctx.getNodeParameter('title', itemIndex, '') as string).trim() : '';
	const positionSet = extra.position !== undefined && extra.position !== '';
	return eachFile(ctx, itemIndex, files, options, async (file) => {
		const name = file.fileName;
		const type = chosenType ? resolveFileType(chosenType, file.mimeType, name) : undefined;
		const art = type?.art;
		const parameters: IDataObject = { module, relatedRecordId, file: name };
		if (isEstate && art) {
			parameters.Art = art;
			parameters.title = title || name.replace(/\.[^.]+$/, '');
			if (extra.freetext) parameters.freetext = extra.freetext;
			if (extra.documentAttribute) parameters.documentAttribute = extra.documentAttribute;
			if (positionSet) parameters.position = extra.position;
			if (extra.setDefaultPublicationRights !== undefined)
				parameters.setDefaultPublicationRights = extra.setDefaultPublicationRights;
			if (extra.applyWaterMark && isPictureType(art)) parameters.applyWaterMark = true;
		}
		const placed = await placeFile(
			ctx,
			run.files,
			file,
			{
				module,
				relatedRecordId,
				parameters,
				onDuplicate,
				replaceTitlePicture: extra.replaceTitlePicture === true,
				set: { title: title !== '', position: positionSet },
			},
			options.upload,
		);
		const base = {
			operation: 'uploadFile',
			module,
			relatedRecordId,
			...file.origin,
			fileName: name,
			...(type ? { fileType: art, fileTypeChosenBy: type.chosenBy } : {}),
			...(foundBy ? { foundBy } : {}),
		};
		if (placed.skipped) {
			return {
				...base,
				skipped: true,
				fileId: placed.fileId,
				reason: `${noun} ${relatedRecordId} already has "${name}" with the same size (${file.size} bytes) as file ${placed.fileId} (On Duplicate: Skip)`,
			};
		}
		const { staged, linked } = placed.transferred!;
		return {
			...base,
			...(isEstate ? { title: placed.parameters.title } : {}),
			fileId: placed.fileId,
			tmpUploadId: staged.tmpUploadId,
			filesize: Number(linked.elements.filesize ?? staged.filesize),
			blocks: staged.blocks,
			...(placed.replaced.length ? { replacedFileId: String(placed.replaced[0].fileId) } : {}),
			...(placed.replaced.length > 1
				? { replacedFileIds: placed.replaced.map((f) => String(f.fileId)) }
				: {}),
			...(placed.madeTitlePicture ? { madeTitlePicture: true } : {}),
			...(staged.restarts ? { restarts: staged.restarts } : {}),
			...(linked.recovered ? { recoveredAfterLostAnswer: true } : {}),
		};
	});
}

function recordNoun(module: string): string {
	return (
		{ estate: 'estate', address: 'address', agentsLog: 'agents-log entry', task: 'task' }[module] ??
		'record'
	);
}
