import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { linksTo, normaliseUrl, ON_DUPLICATE, type OnDuplicate } from '../helpers/duplicates';
import { LINK_TYPES } from '../helpers/fileTypes';
import { afterLinkingError, deleteFiles } from '../resources/fileRelations';
import { addLinks, type LinkRequest } from '../resources/linkBatches';
import { onOfficeApiError } from '../transport/errors';
import type { SendOptions } from '../transport/http';
import { stopDetails, withOutcome } from '../transport/stop';
import type { RecordFile } from '../types';
import {
	onDuplicateParameter,
	optionsCollection,
	recordLocator,
	requestOptions,
	V1,
	V2,
} from './common.description';
import type { ItemOutcome, Run } from './operation';
import { fileTypeForLink, LINK_ADVICE, linkUrl, sendOptions } from './parameters';
import { recordFilesFor } from './placeFile';
import { targetRecord } from './targetRecord';
import { checkHost, checkLinkType, checkPublishing, limitsParameter, type Filed } from './limits';

export const DEFAULT_BATCH_SIZE = 50;

const properties: INodeProperties[] = [
	{
		// The parameter keeps its name (saved workflows); links exist for estates only, so it says Estate.
		displayName: 'Estate ID',
		name: 'relatedRecordId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '2651 or {{ $json.estate }}',
		hint: "The estate's record number (Datensatznummer) in onOffice; links exist for estates only",
		description: 'Record number of the estate the link belongs to, e.g. 2651',
		displayOptions: { show: V1 },
	},
	recordLocator('estate', { show: V2 }),
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://tour.example.com/estate-2651',
		description: 'The address of the web page, video or virtual tour (http or https)',
	},
	onDuplicateParameter('link', { show: V1 }),
	// Version 2 skips by default: the nightly import run again adds nothing.
	onDuplicateParameter('link', { show: V2 }, ON_DUPLICATE.skip),
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
		description: "Title shown on the estate's Files tab",
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
	limitsParameter,
	optionsCollection([
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 500 },
			default: DEFAULT_BATCH_SIZE,
			description:
				'How many links go to onOffice in one request (one action each, answered one by one)',
		},
		...requestOptions,
	]),
];

export const description = updateDisplayOptions({ show: { operation: ['addLink'] } }, properties);

interface Prepared {
	itemIndex: number;
	link: LinkRequest;
	output: IDataObject;
	onDuplicate: OnDuplicate;
	set: { title: boolean; position: boolean };
	/** Replace: the links to the same URL that go once the new one is there. */
	replaces?: RecordFile[];
}

/**
 * Add Link: the links of the items, sent in batches of several actions per request, in item order. With On Duplicate
 * Skip or Replace each estate's files are read once, and links this execution adds count as well. An item starts
 * when its link is prepared; once the run allows no new work, no item is prepared and no new batch is filled, and
 * the links prepared before go out with their batch, as an upload under way finishes.
 */
export async function execute(
	this: IExecuteFunctions,
	items: number[],
	run: Run,
): Promise<ItemOutcome[]> {
	const outcomes: ItemOutcome[] = [];
	const settle = (outcome: ItemOutcome) => {
		outcomes.push(outcome);
		run.settled(outcome);
	};
	const options = this.getNodeParameter('options', items[0] ?? 0, {}) as IDataObject;
	const send = sendOptions(options, LINK_ADVICE);
	const batchSize = Math.max(1, Math.floor(Number(options.batchSize ?? DEFAULT_BATCH_SIZE)));
	// Links of this execution, per estate and normalised URL: a second item with the same link is a duplicate too.
	const planned = new Map<string, Prepared>();
	let batch: Prepared[] = [];
	const sendBatch = async () => {
		if (batch.length) await sendLinks(this, batch, run, send, settle);
		batch = [];
	};
	for (const itemIndex of items) {
		if (!run.mayStart()) break;
		let p: Prepared;
		try {
			p = await prepare(this, itemIndex, run, send);
		} catch (error) {
			settle({ itemIndex, error: error as Error });
			continue;
		}
		const decided = await againstTheEstate(this, p, run, send, planned);
		if (decided) {
			settle(decided);
			continue;
		}
		batch.push(p);
		if (batch.length === batchSize) await sendBatch();
	}
	await sendBatch();
	return outcomes;
}

/** Every item asks for one link: a tool call's Limits count them before anything is sent. */
export function filed(this: IExecuteFunctions, items: number[]): Filed {
	return { count: items.length, what: 'links' };
}

/** One request with the batch's links; then, for Replace, the old links removed once the new ones are there. */
async function sendLinks(
	ctx: IExecuteFunctions,
	batch: Prepared[],
	run: Run,
	send: Partial<SendOptions>,
	settle: (outcome: ItemOutcome) => void,
): Promise<void> {
	let results: Awaited<ReturnType<typeof addLinks>>;
	try {
		results = await addLinks(
			ctx,
			batch.map((p) => p.link),
			send,
		);
	} catch (error) {
		// The whole request failed: every item of the batch carries that error.
		for (const p of batch)
			settle({ itemIndex: p.itemIndex, error: notAdded(ctx, error as Error, p) });
		return;
	}
	const added: Array<{ p: Prepared; fileId: string; elements: IDataObject }> = [];
	batch.forEach((p, i) => {
		const result = results[i];
		if (result.ok) {
			const elements = (result.records[0]?.elements ?? {}) as IDataObject;
			added.push({ p, fileId: String(elements.fileId), elements });
			run.files.added('estate', p.link.relatedRecordId, {
				fileId: Number(elements.fileId),
				originalname: '',
				fileSize: 0,
				modified: Math.floor(Date.now() / 1000),
				url: p.link.url,
				type: String(p.link.parameters.Art),
			});
		} else {
			settle({
				itemIndex: p.itemIndex,
				error: onOfficeApiError(ctx.getNode(), {
					...result.error,
					doing: `adding the link ${p.link.url}`,
				}),
			});
		}
	});
	for (const { p, fileId, elements } of added) {
		const json: IDataObject = {
			...p.output,
			fileId,
			...(elements.recovered ? { recoveredAfterLostAnswer: true } : {}),
		};
		const replaced = p.replaces ?? [];
		if (replaced.length) {
			const ids = replaced.map((f) => f.fileId);
			try {
				// Only once the new link is there: a failure never leaves the estate without the link.
				await deleteFiles(
					ctx,
					'estate',
					p.link.relatedRecordId,
					ids,
					send,
					`removing the old link (file ${ids.join(', ')}) after adding ${p.link.url} as file ${fileId}`,
				);
				run.files.removed('estate', p.link.relatedRecordId, ids);
			} catch (error) {
				settle({
					itemIndex: p.itemIndex,
					error: afterLinkingError(
						ctx.getNode(),
						error,
						`the new link is on estate ${p.link.relatedRecordId} as file ${fileId}, but the old one (file ${ids.join(', ')}) could not be removed; remove it in onOffice`,
					),
					partial: [json],
				});
				continue;
			}
			json.replacedFileId = String(ids[0]);
			if (ids.length > 1) json.replacedFileIds = ids.map(String);
		}
		settle({ itemIndex: p.itemIndex, json: [json] });
	}
}

/** A stop, said for one link: not added, unless the request that carried it may have gone through. */
function notAdded(ctx: IExecuteFunctions, error: Error, p: Prepared): Error {
	const stop = stopDetails(error);
	if (!stop) return error;
	return withOutcome(ctx.getNode(), error, stop.outcome ?? `the link ${p.link.url} was not added`);
}

/**
 * Skip and Replace against what the estate holds (read once) and what earlier items of this execution add: returns
 * the item's outcome when its link is not to be sent (skipped, or the estate cannot be read), else nothing.
 */
async function againstTheEstate(
	ctx: IExecuteFunctions,
	p: Prepared,
	run: Run,
	send: Partial<SendOptions>,
	planned: Map<string, Prepared>,
): Promise<ItemOutcome | undefined> {
	if (p.onDuplicate === ON_DUPLICATE.uploadAnyway) return undefined;
	const estate = p.link.relatedRecordId;
	const key = `${estate} ${normaliseUrl(p.link.url)}`;
	let existing: RecordFile[];
	try {
		existing = linksTo(await recordFilesFor(ctx, run.files, 'estate', estate, send), p.link.url);
	} catch (error) {
		return { itemIndex: p.itemIndex, error: notAdded(ctx, error as Error, p) };
	}
	const earlier = planned.get(key);
	if (p.onDuplicate === ON_DUPLICATE.skip && (existing.length || earlier)) {
		const reason = existing.length
			? `estate ${estate} already has a link to ${existing[0].url} as file ${existing[0].fileId} (On Duplicate: Skip)`
			: `item ${earlier!.itemIndex} of this run adds the same link to estate ${estate} (On Duplicate: Skip)`;
		return {
			itemIndex: p.itemIndex,
			json: [
				{
					...p.output,
					skipped: true,
					...(existing.length ? { fileId: String(existing[0].fileId) } : {}),
					reason,
				},
			],
		};
	}
	if (p.onDuplicate === ON_DUPLICATE.replace && existing.length) {
		const old = existing[0];
		if (!p.set.title && old.title) p.link.parameters.title = old.title;
		if (!p.set.position && old.position !== undefined) p.link.parameters.position = old.position;
		p.replaces = existing;
		if (p.link.parameters.title) p.output.title = p.link.parameters.title;
	}
	p.link.knownBefore = run.files.knownIds('estate', estate);
	planned.set(key, p);
	return undefined;
}

async function prepare(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: Run,
	send: Partial<SendOptions>,
): Promise<Prepared> {
	const node = ctx.getNode();
	// The link and what the Limits allow are checked before the estate is looked up: a refusal sends nothing.
	const url = linkUrl(node, ctx.getNodeParameter('url', itemIndex, ''));
	checkHost(ctx, run.limits, url, 'the link');
	const art = fileTypeForLink(node, ctx.getNodeParameter('fileType', itemIndex, ''));
	const title = (ctx.getNodeParameter('title', itemIndex, '') as string).trim();
	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	if (run.asTool) {
		checkLinkType(ctx, run.limits, art);
		checkPublishing(ctx, run.limits, extra.setDefaultPublicationRights === true);
	}
	const { relatedRecordId, foundBy } = await targetRecord(
		ctx,
		run,
		itemIndex,
		'estate',
		'estate',
		send,
	);
	const onDuplicate = ctx.getNodeParameter(
		'onDuplicate',
		itemIndex,
		ON_DUPLICATE.uploadAnyway,
	) as OnDuplicate;
	const parameters: IDataObject = { module: 'estate', relatedRecordId, url, Art: art };
	if (title) parameters.title = title;
	if (extra.freetext) parameters.freetext = extra.freetext;
	if (extra.position !== undefined && extra.position !== '') parameters.position = extra.position;
	if (extra.setDefaultPublicationRights !== undefined)
		parameters.setDefaultPublicationRights = extra.setDefaultPublicationRights;
	return {
		itemIndex,
		link: { relatedRecordId, url, parameters },
		output: {
			operation: 'addLink',
			module: 'estate',
			relatedRecordId,
			url,
			fileType: art,
			...(title ? { title } : {}),
			...(foundBy ? { foundBy } : {}),
		},
		onDuplicate,
		set: { title: title !== '', position: parameters.position !== undefined },
	};
}
