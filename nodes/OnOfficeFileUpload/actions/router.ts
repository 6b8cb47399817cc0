import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, type NodeApiError } from 'n8n-workflow';

import { asNodeError } from '../transport';
import { RecordFileIndex } from '../transport/recordFiles';
import * as addLink from './addLink.operation';
import type { ItemOutcome, RunState } from './shared';
import * as stageFile from './stageFile.operation';
import * as uploadFile from './uploadFile.operation';

/**
 * Runs up to `limit` items at once; results keep input order. `stopAfter` ends the run early (no new items start)
 * when an item failed and the workflow does not continue on failure.
 */
async function mapConcurrently<T>(
	indexes: number[],
	limit: number,
	run: (index: number) => Promise<T>,
	stopAfter: (result: T) => boolean,
): Promise<T[]> {
	const results: T[] = [];
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (next < indexes.length && !stopped) {
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
	const run: RunState = { files: new RecordFileIndex(this) };
	let outcomes: ItemOutcome[];
	if (operation === 'addLink') {
		outcomes = await addLink.execute.call(this, indexes, run);
	} else if (operation === 'uploadFile' || operation === 'stageFile') {
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const concurrency = Math.max(1, Math.floor(Number(options.concurrency ?? 1)));
		const continueOnFail = this.continueOnFail();
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
			(outcome) => 'error' in outcome && !continueOnFail,
		);
	} else {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}

	const output: INodeExecutionData[] = [];
	for (const outcome of outcomes) {
		const pairedItem = { item: outcome.itemIndex };
		if ('json' in outcome) {
			for (const json of outcome.json) output.push({ json, pairedItem });
			continue;
		}
		const error = itemError(this, outcome.error, outcome.itemIndex);
		if (!this.continueOnFail()) throw error;
		const json: IDataObject = { error: error.message };
		if (error.description) json.description = error.description;
		const code = (error as { onOffice?: { code?: number } }).onOffice?.code;
		if (code !== undefined) json.onOfficeCode = code;
		if (outcome.partial?.length) json.uploaded = outcome.partial;
		output.push({ json, pairedItem });
	}
	return [output];
}
