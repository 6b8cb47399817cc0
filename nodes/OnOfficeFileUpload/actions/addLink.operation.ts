import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LINK_TYPES } from '../helpers/fileTypes';
import { fileTypeForLink, linkUrl, recordId } from '../helpers/validation';
import { onOfficeApiError } from '../transport';
import { addLinks, type LinkRequest } from '../transport/uploadfile';
import { optionsCollection, requestOptions } from './common.description';
import { readSendOptions, type ItemOutcome } from './shared';

export const DEFAULT_BATCH_SIZE = 50;

const properties: INodeProperties[] = [
	{
		displayName: 'Related Record ID',
		name: 'relatedRecordId',
		type: 'number',
		default: 0,
		required: true,
		description: 'Record number (Datensatznummer) of the estate the link belongs to, e.g. 2651',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://tour.example.com/estate-2651',
		description: 'The address of the web page, video or virtual tour (http or https)',
	},
	{
		displayName: 'Link Type',
		name: 'fileType',
		type: 'options',
		default: 'Link',
		options: LINK_TYPES,
		description: 'OnOffice\'s "Art" of the link',
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		description: 'Title shown on the estate\'s Files tab',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		options: [
			{
				displayName: 'Free Text',
				name: 'freetext',
				type: 'string',
				default: '',
				description: 'Free text of the link',
			},
			{
				displayName: 'Position',
				name: 'position',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Position on the Files tab; 0 is the first. Without it the link goes last.',
			},
			{
				displayName: 'Set Default Publication Rights',
				name: 'setDefaultPublicationRights',
				type: 'boolean',
				default: false,
				description:
					'Whether onOffice applies "Activate newly added files" (Extras > Settings > Basic settings > General) to this link',
			},
		],
	},
	optionsCollection([
		{
			displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 500 },
				default: DEFAULT_BATCH_SIZE,
			description: 'How many links go to onOffice in one request (one action each, answered one by one)',
		},
		...requestOptions,
	]),
];

export const description = updateDisplayOptions({ show: { operation: ['addLink'] } }, properties);

interface Prepared {
	itemIndex: number;
	link: LinkRequest;
	output: IDataObject;
}

/** Add Link: the links of all items, sent in batches of several actions per request. */
export async function execute(this: IExecuteFunctions, itemIndexes: number[]): Promise<ItemOutcome[]> {
	const outcomes = new Map<number, ItemOutcome>();
	const prepared: Prepared[] = [];
	for (const itemIndex of itemIndexes) {
		try {
			prepared.push(prepare(this, itemIndex));
		} catch (error) {
			outcomes.set(itemIndex, { itemIndex, error });
		}
	}
	const first = itemIndexes[0] ?? 0;
	const options = this.getNodeParameter('options', first, {}) as IDataObject;
	const batchSize = Math.max(1, Math.floor(Number(options.batchSize ?? DEFAULT_BATCH_SIZE)));
	for (let start = 0; start < prepared.length; start += batchSize) {
		const batch = prepared.slice(start, start + batchSize);
		const send = readSendOptions(batch[0].itemIndex, options);
		try {
			const results = await addLinks(this, batch.map((p) => p.link), { ...send, itemIndex: undefined });
			batch.forEach((p, i) => {
				const result = results[i];
				if (result.ok) {
					const elements = (result.records[0]?.elements ?? {}) as IDataObject;
					outcomes.set(p.itemIndex, {
						itemIndex: p.itemIndex,
						json: [{ ...p.output, fileId: elements.fileId, ...(elements.recovered ? { recoveredAfterLostAnswer: true } : {}) }],
					});
				} else {
					outcomes.set(p.itemIndex, { itemIndex: p.itemIndex, error: onOfficeApiError(this.getNode(), { ...result.error, doing: `adding the link ${p.link.url}` }, p.itemIndex) });
				}
			});
		} catch (error) {
			// The whole request failed: every item of the batch carries that error.
			for (const p of batch) outcomes.set(p.itemIndex, { itemIndex: p.itemIndex, error });
		}
	}
	return itemIndexes.map((i) => outcomes.get(i)!);
}

function prepare(ctx: IExecuteFunctions, itemIndex: number): Prepared {
	const relatedRecordId = recordId(ctx, itemIndex, ctx.getNodeParameter('relatedRecordId', itemIndex, ''), 'estate');
	const url = linkUrl(ctx, itemIndex, ctx.getNodeParameter('url', itemIndex, ''));
	const art = fileTypeForLink(ctx, itemIndex, ctx.getNodeParameter('fileType', itemIndex, ''));
	const title = (ctx.getNodeParameter('title', itemIndex, '') as string).trim();
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const parameters: IDataObject = { module: 'estate', relatedRecordId, url, Art: art };
	if (title) parameters.title = title;
	if (extra.freetext) parameters.freetext = extra.freetext;
	if (extra.position !== undefined && extra.position !== '') parameters.position = extra.position;
	if (extra.setDefaultPublicationRights !== undefined) parameters.setDefaultPublicationRights = extra.setDefaultPublicationRights;
	return {
		itemIndex,
		link: { relatedRecordId, url, parameters },
		output: { operation: 'addLink', module: 'estate', relatedRecordId, url, fileType: art, ...(title ? { title } : {}) },
	};
}
