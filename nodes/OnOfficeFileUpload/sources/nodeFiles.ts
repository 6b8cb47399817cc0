// Files another node of the execution holds, as a source: the attachments of the chat message or e-mail an AI agent
// works on, which n8n does not hand across the tool boundary (a tool's input item carries the agent's JSON only).
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { PendingFile } from '../types';
import { openBinaryData } from './binaryField';

/** Names in a list: `expose.pdf, Grundriss EG.png`, trimmed; empty entries dropped. */
export function fileNameList(value: string): string[] {
	return value
		.split(/[,;\n]/)
		.map((name) => name.trim())
		.filter((name) => name !== '');
}

/**
 * Which of the source node's items belongs to this item. Its only item; else, for a tool run (whose input item is
 * the agent's input item with the tool's arguments on top), the one item whose JSON values all appear unchanged in
 * the input item; else the item n8n pairs with this one. Several candidates are never guessed between.
 */
export function sourceItemFor(
	items: INodeExecutionData[],
	input: IDataObject,
	paired: () => INodeExecutionData | undefined,
): INodeExecutionData | { problem: string } {
	if (items.length === 0)
		return { problem: 'it has no output in this execution (it did not run, or output nothing)' };
	if (items.length === 1) return items[0];
	const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
	const matching = items.filter((item) => {
		const entries = Object.entries(item.json ?? {});
		return (
			entries.length > 0 && entries.every(([key, value]) => key in input && same(input[key], value))
		);
	});
	if (matching.length === 1) return matching[0];
	let pairedItem: INodeExecutionData | undefined;
	try {
		pairedItem = paired();
	} catch {
		pairedItem = undefined;
	}
	if (pairedItem) return pairedItem;
	return {
		problem: `it output ${items.length} items, and this item cannot be told apart from the others`,
	};
}

/** Why another node's files cannot be had: no such node, its output cannot be matched to this item, no files, not the names asked for. */
export type NodeFilesProblem =
	| { problem: 'noSuchNode' }
	| { problem: 'unreadable'; why: string }
	| { problem: 'noFiles' }
	| { problem: 'notThere'; missing: string[]; available: string[] };

/**
 * The files of the node named `nodeName` that belong to this item, all of them or those named in `fileNames` (case
 * does not matter); or why there are none to have, with the names there are, so a person or a model can correct it.
 */
export function nodeFiles(
	ctx: IExecuteFunctions,
	itemIndex: number,
	nodeName: string,
	fileNames: string[],
): PendingFile[] | NodeFilesProblem {
	const proxy = ctx.getWorkflowDataProxy(itemIndex);
	let source: { all(): INodeExecutionData[]; item?: INodeExecutionData };
	try {
		source = proxy.$(nodeName);
	} catch {
		return { problem: 'noSuchNode' };
	}
	let items: INodeExecutionData[] = [];
	try {
		items = source.all();
	} catch {
		items = [];
	}
	const input = (ctx.getInputData()[itemIndex]?.json ?? {}) as IDataObject;
	const found = sourceItemFor(items, input, () => source.item);
	if ('problem' in found) return { problem: 'unreadable', why: String(found.problem) };
	const binary = (found.binary ?? {}) as Record<string, IBinaryData>;
	const available = Object.entries(binary).map(([property, data]) => ({
		property,
		data,
		fileName: data.fileName ?? property,
	}));
	if (available.length === 0) return { problem: 'noFiles' };
	const chosen =
		fileNames.length === 0
			? available
			: fileNames.map(
					(fileName) =>
						available.find((e) => e.fileName.toLowerCase() === fileName.toLowerCase()) ?? fileName,
				);
	const missing = chosen.filter((c): c is string => typeof c === 'string');
	if (missing.length)
		return { problem: 'notThere', missing, available: available.map((e) => e.fileName) };
	return (chosen as typeof available).map(({ property, data }) => {
		const describe = `file "${data.fileName ?? property}" of node "${nodeName}"`;
		return {
			describe,
			open: () =>
				openBinaryData(
					ctx,
					data,
					property,
					{ sourceNode: nodeName, binaryPropertyName: property },
					describe,
				),
		};
	});
}
