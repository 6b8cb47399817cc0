// Per execution: picks the operation and calls it the one way every operation is called, then decides alone what a
// failed item means: no new work once an item failed and the workflow does not continue on failures (or the
// execution was stopped); with Continue On Fail one output item per input item; the error output; the answer a
// model gets in a tool run. Every output is paired with its input item, and every error is named by its item here.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { RecordFileIndex } from '../resources/recordFiles';
import { RecordLookups } from '../resources/recordLookups';
import { executionSignal, isStopping, stopDetails, stoppedError } from '../transport/stop';
import * as addLink from './addLink.operation';
import { forTheItem, forTheModel, type ItemError } from './itemErrors';
import { checkToolCallSize, NO_LIMITS, readLimits } from './limits';
import type { ItemOutcome, Operation, Run } from './operation';
import * as stageFile from './stageFile.operation';
import { isToolRun, toolOutput } from './toolResult';
import * as uploadFile from './uploadFile.operation';

export const OPERATIONS: Record<string, Operation> = { addLink, stageFile, uploadFile };

type Failed = Extract<ItemOutcome, { error: Error }>;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData().map((_, i) => i);
	const name = this.getNodeParameter('operation', 0) as string;
	const operation = OPERATIONS[name];
	if (!operation)
		throw new NodeOperationError(this.getNode(), `The operation "${name}" is not supported`);
	// All items share the execution's one signal: a stop ends every item in flight and starts no new one.
	const signal = executionSignal(this);
	// An AI agent's tool call: every item yields an answer the model can read, failures included.
	const asTool = isToolRun(this.getNode());
	const continueOnFail = asTool || this.continueOnFail();
	let halted = false;
	const run: Run = {
		// Both live for this run of the node only: the next one reads the records afresh.
		files: new RecordFileIndex(this),
		records: new RecordLookups(this),
		limits: NO_LIMITS,
		asTool,
		mayStart: () => !halted && !isStopping(signal),
		settled: (outcome) => {
			if ('error' in outcome && (!continueOnFail || stopDetails(outcome.error) !== undefined))
				halted = true;
		},
	};
	// The Limits hold for the whole run, and a tool call that asks for too much files nothing: both fail every item
	// before any is started.
	let refusal: Error | undefined;
	try {
		run.limits = readLimits(this);
		if (asTool) checkToolCallSize(this, run.limits, operation.filed.call(this, items, run));
	} catch (error) {
		refusal = error as Error;
	}
	const outcomes: ItemOutcome[] = refusal
		? items.map((itemIndex) => ({ itemIndex, error: refusal! }))
		: await operation.execute.call(this, items, run);
	outcomes.sort((a, b) => a.itemIndex - b.itemIndex);

	// A stop is not a failure of the items it caught: the execution is over, Continue On Fail or not.
	const stops = outcomes.filter(
		(o): o is Failed => 'error' in o && stopDetails(o.error) !== undefined,
	);
	if (stops.length || (isStopping(signal) && outcomes.length < items.length))
		throw stoppedRun(this, items, outcomes, stops);

	const output: INodeExecutionData[] = [];
	for (const outcome of outcomes) {
		const pairedItem = { item: outcome.itemIndex };
		if ('json' in outcome) {
			for (const json of outcome.json)
				output.push({ json: asTool ? toolOutput(json) : json, pairedItem });
			continue;
		}
		const worded = forTheItem(this.getNode(), outcome.error, outcome.itemIndex);
		const { error } = worded;
		if (asTool) {
			for (const json of outcome.partial ?? []) output.push({ json: toolOutput(json), pairedItem });
			output.push({ json: { error: forTheModel(worded) }, pairedItem });
			continue;
		}
		if (!this.continueOnFail()) throw error;
		if (this.getNode().onError === 'continueErrorOutput') {
			// n8n moves an item to the error output only when its JSON holds nothing but `error` and `message` (and adds
			// the input item's fields there): the files that did arrive go on the regular output as their own items.
			for (const json of outcome.partial ?? []) output.push({ json, pairedItem });
			output.push({
				json: {
					error: error.message,
					...(error.description ? { message: error.description } : {}),
				},
				pairedItem,
			});
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

/** What an output of the node put into onOffice, for the list of what a stop left in place. */
function placedText(json: IDataObject, itemIndex: number): string | undefined {
	if (
		json.skipped ||
		json.leftOut ||
		(json.fileId === undefined && json.cacheFileUuid === undefined)
	)
		return undefined;
	if (json.operation === 'stageFile')
		return `${json.fileName} (item ${itemIndex}) in the file cache as ${json.cacheFileUuid}`;
	if (json.operation === 'addLink')
		return `${json.url} (item ${itemIndex}) on estate ${json.relatedRecordId} as file ${json.fileId}`;
	return `${json.fileName} (item ${itemIndex}) on ${json.module} ${json.relatedRecordId} as file ${json.fileId}`;
}

function listed(texts: string[], limit = 10, separator = '; '): string {
	return texts.length > limit
		? `${texts.slice(0, limit).join(separator)}${separator}and ${texts.length - limit} more`
		: texts.join(separator);
}

/**
 * One error for a stopped execution: the first item it caught and what that meant for its file, then what else it
 * caught, what had been done before it (that stays in onOffice) and which items never started.
 */
function stoppedRun(
	ctx: IExecuteFunctions,
	items: number[],
	outcomes: ItemOutcome[],
	stops: Failed[],
): NodeOperationError {
	const node = ctx.getNode();
	const seen = new Set(outcomes.map((o) => o.itemIndex));
	const notStarted = items.filter((i) => !seen.has(i));
	// A stop that caught no item at work (it came between items): the first item it kept from starting is named.
	const [first, ...others] = stops.length
		? stops
		: [
				{
					itemIndex: notStarted[0],
					error: stoppedError(node, {
						doing: `item ${notStarted[0]} waited to start`,
						inFlight: false,
						outcome: 'nothing was sent for it',
					}),
				},
			];
	const plain = (o: { itemIndex: number; error: Error }): ItemError =>
		forTheItem(node, o.error, o.itemIndex);
	const placed: string[] = [];
	for (const outcome of outcomes) {
		const done = 'json' in outcome ? outcome.json : (outcome.partial ?? []);
		for (const json of done) {
			const text = placedText(json, outcome.itemIndex);
			if (text) placed.push(text);
		}
	}
	const parts = ['The workflow was stopped, so the node sent nothing more to onOffice.'];
	if (others.length)
		parts.push(
			`Stopped as well: ${listed(others.map((o) => `item ${o.itemIndex}, ${plain(o).plain}`))}.`,
		);
	parts.push(
		placed.length
			? `Done before the stop, and still in onOffice: ${listed(placed)}.`
			: 'Nothing had been linked before the stop.',
	);
	if (notStarted.length)
		parts.push(
			`Not started: item${notStarted.length > 1 ? 's' : ''} ${listed(notStarted.map(String), 20, ', ')}.`,
		);
	parts.push(
		'Run the workflow again for what was not done; for estates and addresses, On Duplicate: Skip leaves the files that arrived alone.',
	);
	const error = new NodeOperationError(node, plain(first).error.message, {
		itemIndex: first.itemIndex,
		description: parts.join(' '),
	});
	(error as NodeOperationError & { stopped?: unknown }).stopped = stopDetails(first.error);
	return error;
}
