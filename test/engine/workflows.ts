// Small builders for the workflows the engine tests run: start -> (files | items) -> onOffice File Upload.
import type { INode, INodeParameters } from 'n8n-workflow';

import type { OnOfficeSandbox } from '../sandbox/server';
import { OnOfficeFileUpload } from '../../nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.ts'; // .ts: as in harness/registry.ts
import {
	chain,
	node,
	NODE_TYPE,
	registerNodeType,
	runWorkflow,
	type BinaryMode,
	type StartedRun,
	type WorkflowResult,
} from './harness';
import type { FileSpec } from './nodes';

export interface RunOptions {
	binaryMode?: BinaryMode;
	continueOnFail?: boolean;
	credentials?: Record<string, unknown>;
	/** Receives the started run, to stop it (see StartedRun). */
	onStart?: (run: StartedRun) => void;
	/** The node's typeVersion (1, as saved workflows of version 1 hold it, unless said). */
	typeVersion?: number;
	/** Run as an AI agent's tool: n8n gives the node a type of its own, its name with "Tool" added. */
	tool?: boolean;
}

export const TOOL_TYPE = `${NODE_TYPE}Tool`;
registerNodeType(TOOL_TYPE, new OnOfficeFileUpload());

function uploadNode(parameters: INodeParameters, options: RunOptions): INode {
	return node(options.tool ? TOOL_TYPE : NODE_TYPE, parameters, {
		name: 'onOffice',
		typeVersion: options.typeVersion ?? 1,
		credentials: { onOfficeApi: { id: '1', name: 'onOffice sandbox' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});
}

export interface FileItem {
	json?: Record<string, unknown>;
	files: FileSpec[];
}

/** start -> source -> onOffice File Upload, with the sandbox's credential (optionally changed). */
async function runFrom(
	source: INode,
	sandbox: OnOfficeSandbox,
	parameters: INodeParameters,
	options: RunOptions,
): Promise<WorkflowResult> {
	const start = node('test.start', {}, { name: 'Start' });
	const upload = uploadNode(parameters, options);
	return runWorkflow({
		nodes: [start, source, upload],
		connections: chain(start, source, upload),
		credentials: { onOfficeApi: { ...sandbox.credentials, ...(options.credentials ?? {}) } },
		binaryMode: options.binaryMode,
		onStart: options.onStart,
	});
}

/** Items carrying files (made by the engine's binary helpers) into the node. */
export async function runWithFiles(
	sandbox: OnOfficeSandbox,
	parameters: INodeParameters,
	items: FileItem[],
	options: RunOptions = {},
): Promise<WorkflowResult> {
	return runFrom(
		node('test.binaryFiles', { items: JSON.stringify(items) }, { name: 'Files' }),
		sandbox,
		parameters,
		options,
	);
}

/** Plain JSON items into the node (Add Link, or upload errors without binaries). */
export async function runWithItems(
	sandbox: OnOfficeSandbox,
	parameters: INodeParameters,
	items: Array<Record<string, unknown>>,
	options: RunOptions = {},
): Promise<WorkflowResult> {
	return runFrom(
		node('test.items', { items: JSON.stringify(items) }, { name: 'Items' }),
		sandbox,
		parameters,
		options,
	);
}

export const fast = { retries: 2, retryDelay: 10, timeout: 10 };
