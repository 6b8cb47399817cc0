import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, type NodeApiError } from 'n8n-workflow';

import { asNodeError, executionSignal, isStopping, stopDetails, stoppedError } from '../transport';
import { RecordFileIndex } from '../transport/recordFiles';
import { RecordFinder } from '../transport/records';
import * as addLink from './addLink.operation';
import type { ItemOutcome, RunState } from './shared';
import { errorForTheModel, forTheModel, isToolRun } from './toolResult';
import * as stageFile from './stageFile.operation';
import * as uploadFile from './uploadFile.operation';

/**
 * Runs up to `limit` items at once; results keep input order. `stopAfter` ends the run early (no new items start)
 * when an item failed and the workflow does not continue on failure; so does `halted`, checked before every item.
 */
async function mapConcurrently<T>(
	indexes: number[],
	limit: number,
	run: (index: number) => Promise<T>,
	stopAfter: (result: T) => boolean,
	halted: () => boolean = () => false,
): Promise<T[]> {
	const results: T[] = [];
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (next < indexes.length && !stopped && !halted()) {
			const slot = next++;
			results[slot] = await run(indexes[slot]);
			if (stopAfter(results[slot])) stopped = true;
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, indexes.length) }, worker));
	return results.filter((r) => r !== undefined);
}

/** The item's error as n8n shows it, always carrying the item index. */
function itemError(ctx: IExecuteFunctions, error: Error, itemIndex: number): NodeApiError | NodeOperationError {
	const nodeError = asNodeError(ctx.getNode(), error, itemIndex);
	nodeError.context = { ...(nodeError.context ?? {}), itemIndex };
	if (!nodeError.message.startsWith(`Item ${itemIndex}`)) nodeError.message = `Item ${itemIndex}: ${nodeError.message}`;
	return nodeError;
}

/**
 * Picks the operation, runs it for every item, pairs every output with its input item and applies Continue On
 * Fail: a failed item yields exactly one output item carrying the error (and what it had uploaded before).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const indexes = items.map((_, i) => i);
	const operation = this.getNodeParameter('operation', 0) as string;
	// Lives for this execution only: the next one reads the records afresh.
	const run: RunState = { files: new RecordFileIndex(this), records: new RecordFinder(this) };
	// All items share the execution's one signal: a stop ends every item in flight and starts no new one.
	const signal = executionSignal(this);
	// An AI agent's tool call: every item yields an answer the model can read, failures included.
	const asTool = isToolRun(this.getNode());
	let outcomes: ItemOutcome[];
	if (operation === 'addLink') {
		outcomes = await addLink.execute.call(this, indexes, run);
	} else if (operation === 'uploadFile' || operation === 'stageFile') {
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const concurrency = Math.max(1, Math.floor(Number(options.concurrency ?? 1)));
		const continueOnFail = asTool || this.continueOnFail();
		outcomes = await mapConcurrently(
			indexes,
			concurrency,
			async (itemIndex): Promise<ItemOutcome> => {
				try {
					return operation === 'uploadFile' ? await uploadFile.execute.call(this, itemIndex, run) : await stageFile.execute.call(this, itemIndex);
				} catch (error) {
					return { itemIndex, error };
				}
			},
			(outcome) => 'error' in outcome && (!continueOnFail || stopDetails(outcome.error) !== undefined),
			() => isStopping(signal),
		);
	} else {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	// A stop is not a failure of the items it caught: the execution is over, Continue On Fail or not.
	const stops = outcomes.filter((o): o is Failed => 'error' in o && stopDetails(o.error) !== undefined);
	if (stops.length || (isStopping(signal) && outcomes.length < indexes.length)) throw stoppedRun(this, indexes, outcomes, stops);

	const output: INodeExecutionData[] = [];
	for (const outcome of outcomes) {
		const pairedItem = { item: outcome.itemIndex };
		if ('json' in outcome) {
			for (const json of outcome.json) output.push({ json: asTool ? forTheModel(json) : json, pairedItem });
			continue;
		}
		const error = itemError(this, outcome.error, outcome.itemIndex);
		if (asTool) {
			for (const json of outcome.partial ?? []) output.push({ json: forTheModel(json), pairedItem });
			output.push({ json: errorForTheModel(error.message, error.description), pairedItem });
			continue;
		}
		if (!this.continueOnFail()) throw error;
		if (this.getNode().onError === 'continueErrorOutput') {
			// n8n moves an item to the error output only when its JSON holds nothing but `error` and `message` (and adds
			// the input item's fields there): the files that did arrive go on the regular output as their own items.
			for (const json of outcome.partial ?? []) output.push({ json, pairedItem });
			output.push({ json: { error: error.message, ...(error.description ? { message: error.description } : {}) }, pairedItem });
			continue;
		}
		const json: IDataObject = { error: error.message };
		if (error.description) json.description = error.description;
		const code = (error as { onOffice?: { code?: number } }).onOffice?.code;
		if (code !== undefined) json.onOfficeCode = code;
		if (outcome.partial?.length) json.uploaded = outcome.partial;
		output.push({ json, pairedItem });
	}
	return [output];
}

type Failed = Extract<ItemOutcome, { error: Error }>;

/** What an output of the node put into onOffice, for the list of what a stop left in place. */
function placedText(json: IDataObject, itemIndex: number): string | undefined {
	if (json.skipped || json.leftOut || (json.fileId === undefined && json.cacheFileUuid === undefined)) return undefined;
	if (json.operation === 'stageFile') return `${json.fileName} (item ${itemIndex}) in the file cache as ${json.cacheFileUuid}`;
	if (json.operation === 'addLink') return `${json.url} (item ${itemIndex}) on estate ${json.relatedRecordId} as file ${json.fileId}`;
	return `${json.fileName} (item ${itemIndex}) on ${json.module} ${json.relatedRecordId} as file ${json.fileId}`;
}

function listed(texts: string[], limit = 10, separator = '; '): string {
	return texts.length > limit ? `${texts.slice(0, limit).join(separator)}${separator}and ${texts.length - limit} more` : texts.join(separator);
}

/**
 * One error for a stopped execution: the first item it caught and what that meant for its file, then what else it
 * caught, what had been done before it (that stays in onOffice) and which items never started.
 */
function stoppedRun(ctx: IExecuteFunctions, indexes: number[], outcomes: ItemOutcome[], stops: Failed[]): NodeOperationError {
	const seen = new Set(outcomes.map((o) => o.itemIndex));
	const notStarted = indexes.filter((i) => !seen.has(i));
	// A stop that caught no item at work (it came between items): the first item it kept from starting is named.
	const [first, ...others] = stops.length
		? [...stops].sort((a, b) => a.itemIndex - b.itemIndex)
		: [{ itemIndex: notStarted[0], error: stoppedError(ctx.getNode(), { doing: `item ${notStarted[0]} waited to start`, inFlight: false, outcome: 'nothing was sent for it' }) }];
	const placed: string[] = [];
	for (const outcome of [...outcomes].sort((a, b) => a.itemIndex - b.itemIndex)) {
		const done = 'json' in outcome ? outcome.json : (outcome.partial ?? []);
		for (const json of done) {
			const text = placedText(json, outcome.itemIndex);
			if (text) placed.push(text);
		}
	}
	const parts = ['The workflow was stopped, so the node sent nothing more to onOffice.'];
	if (others.length) parts.push(`Stopped as well: ${listed(others.map((o) => `item ${o.itemIndex}, ${o.error.message.replace(/^Item \d+: /, '')}`))}.`);
	parts.push(placed.length ? `Done before the stop, and still in onOffice: ${listed(placed)}.` : 'Nothing had been linked before the stop.');
	if (notStarted.length) parts.push(`Not started: item${notStarted.length > 1 ? 's' : ''} ${listed(notStarted.map(String), 20, ', ')}.`);
	parts.push('Run the workflow again for what was not done; for estates and addresses, On Duplicate: Skip leaves the files that arrived alone.');
	const error = new NodeOperationError(ctx.getNode(), `Item ${first.itemIndex}: ${first.error.message.replace(/^Item \d+: /, '')}`, {
		itemIndex: first.itemIndex,
		description: parts.join(' '),
	});
	(error as NodeOperationError & { stopped?: unknown }).stopped = stopDetails(first.error);
	return error;
}
