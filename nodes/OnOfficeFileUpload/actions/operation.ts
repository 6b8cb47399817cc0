// The one contract between the router and the operations: every operation gets the items to work on and the run
// they share, and answers with one outcome per item it started. What a failed item means for the rest (start nothing
// new, Continue On Fail, the error output, a tool's answer) is the router's to decide, through `run`.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RecordFileIndex } from '../resources/recordFiles';
import type { RecordLookups } from '../resources/recordLookups';
import type { Filed, Limits } from './limits';

/** What one input item came to: its output JSON, or its error (with what it had done before it). */
export type ItemOutcome =
	| { itemIndex: number; json: IDataObject[] }
	| { itemIndex: number; error: Error; partial?: IDataObject[] };

/** What the items of one execution of the node share, and how an operation learns whether it may start more work. */
export interface Run {
	/** The records' files this execution read, kept up to date with what it adds and removes. */
	files: RecordFileIndex;
	/** The property numbers and e-mail addresses this execution looked up. */
	records: RecordLookups;
	/** What the workflow's builder allows (version 2's Limits), whatever a tool call asks. */
	limits: Limits;
	/** Whether an AI agent or an MCP client called the node as a tool. */
	asTool: boolean;
	/** False once the execution was stopped, or an item failed and the workflow does not continue on failures. */
	mayStart(): boolean;
	/** An item's outcome, as soon as it is known (a failure may end the starting of new work). */
	settled(outcome: ItemOutcome): void;
}

export interface Operation {
	/** The operation's parameters, shown for it alone. */
	description: INodeProperties[];
	/** Works on `items` (input item indexes, in order) and answers for every item it started, in any order. */
	execute(this: IExecuteFunctions, items: number[], run: Run): Promise<ItemOutcome[]>;
	/** How many files or links the items ask to file, counted before anything is sent (for the Limits of a tool call). */
	filed(this: IExecuteFunctions, items: number[], run: Run): Filed;
}

/**
 * The per-item loop of the file operations: up to `limit` items at a time, each started only while the run allows,
 * each outcome settled as soon as it is known. A thrown error is the item's outcome.
 */
export async function eachItem(
	items: number[],
	run: Run,
	limit: number,
	work: (itemIndex: number) => Promise<ItemOutcome>,
): Promise<ItemOutcome[]> {
	const outcomes: ItemOutcome[] = [];
	let next = 0;
	const worker = async () => {
		while (next < items.length && run.mayStart()) {
			const itemIndex = items[next++];
			let outcome: ItemOutcome;
			try {
				outcome = await work(itemIndex);
			} catch (error) {
				outcome = { itemIndex, error: error as Error };
			}
			outcomes.push(outcome);
			run.settled(outcome);
		}
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
	return outcomes;
}
