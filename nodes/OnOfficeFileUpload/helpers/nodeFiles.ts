// Files another node of the execution holds, as a source: the attachments of the chat message or e-mail an AI agent
// works on, which n8n does not hand across the tool boundary (a tool's input item carries the agent's JSON only).
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { openBinaryData, type FileOpener } from './binary';

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
export function sourceItemFor(items: INodeExecutionData[], input: IDataObject, paired: () => INodeExecutionData | undefined): INodeExecutionData | { problem: string } {
	if (items.length === 0) return { problem: 'it has no output in this execution (it did not run, or output nothing)' };
	if (items.length === 1) return items[0];
	const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
	const matching = items.filter((item) => {
		const entries = Object.entries(item.json ?? {});
		return entries.length > 0 && entries.every(([key, value]) => key in input && same(input[key], value));
	});
	if (matching.length === 1) return matching[0];
	let pairedItem: INodeExecutionData | undefined;
	try {
		pairedItem = paired();
	} catch {
		pairedItem = undefined;
	}
	if (pairedItem) return pairedItem;
	return { problem: `it output ${items.length} items, and this item cannot be told apart from the others` };
}

/**
 * The files of the node named `nodeName` that belong to this item, all of them or those named in `fileNames` (case
 * does not matter). A name that is not there is an error that lists the names there are, so a person or a model can
 * correct it.
 */
export function nodeFiles(ctx: IExecuteFunctions, itemIndex: number, nodeName: string, fileNames: string): FileOpener[] {
	const node = ctx.getNode();
	const fail = (message: string, description: string): never => {
		throw new NodeOperationError(node, `Item ${itemIndex}: ${message}`, { itemIndex, description });
	};
	const name = nodeName.trim();
	if (name === '') fail('the field "Node" is empty', 'Enter the name of the node that holds the files, as the canvas shows it, e.g. "When chat message received".');
	const proxy = ctx.getWorkflowDataProxy(itemIndex);
	let source: { all(): INodeExecutionData[]; item?: INodeExecutionData };
	try {
		source = proxy.$(name);
	} catch {
		return fail(`there is no node "${name}" in this workflow (field "Node")`, 'Enter the node\'s name exactly as the canvas shows it.');
	}
	let items: INodeExecutionData[] = [];
	try {
		items = source.all();
	} catch {
		items = [];
	}
	const input = (ctx.getInputData()[itemIndex]?.json ?? {}) as IDataObject;
	const found = sourceItemFor(items, input, () => source.item);
	if ('problem' in found) return fail(`the files of node "${name}" cannot be read: ${found.problem} (field "Node")`, 'Name the node that received the files in this execution, e.g. the Chat Trigger or the Email Trigger that started the workflow.');
	const binary = (found.binary ?? {}) as Record<string, IBinaryData>;
	const available = Object.entries(binary).map(([property, data]) => ({ property, data, fileName: data.fileName ?? property }));
	const list = (entries: typeof available) => entries.map((e) => e.fileName).join(', ');
	if (available.length === 0) fail(`node "${name}" holds no files for this item (field "Node")`, 'Check that the message or mail came with attachments, and that the node downloads them (e.g. the Email Trigger\'s "Download Attachments").');
	const wanted = fileNameList(fileNames);
	const chosen = wanted.length === 0 ? available : wanted.map((fileName) => available.find((e) => e.fileName.toLowerCase() === fileName.toLowerCase()) ?? fileName);
	const missing = chosen.filter((c): c is string => typeof c === 'string');
	if (missing.length) {
		fail(`node "${name}" holds no file named ${missing.map((m) => `"${m}"`).join(', ')} (field "File Names"); it holds ${list(available)}`, 'Use one of the names it holds, or leave File Names empty to upload all of them.');
	}
	return (chosen as typeof available).map(({ property, data }) => {
		const describe = `file "${data.fileName ?? property}" of node "${name}"`;
		return { describe, open: () => openBinaryData(ctx, data, property, { sourceNode: name, binaryPropertyName: property }, describe) };
	});
}
