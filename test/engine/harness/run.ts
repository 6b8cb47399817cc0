// A workflow run through n8n-core's real WorkflowExecute: what n8n hands the engine for one execution, the run, and
// small builders for its nodes and connections.
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type INode,
	type INodeExecutionData,
	type IRun,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { useBinaryMode, type BinaryMode } from './binaryMode';
import { CredentialsHelper } from './credentials';
import { NodeTypes } from './registry';

export interface WorkflowSpec {
	nodes: INode[];
	connections: IConnections;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	binaryMode?: BinaryMode;
	/** Called once the run has started, with what stops it the way n8n's Stop button does. */
	onStart?: (run: StartedRun) => void;
}

export interface StartedRun {
	/**
	 * Cancels the execution: WorkflowExecute's run is a PCancelable whose cancel handler aborts the signal that
	 * getExecutionCancelSignal() hands the nodes. The run still ends (and runWorkflow resolves) once the node returns.
	 */
	cancel(): void;
}

export interface WorkflowResult {
	run: IRun;
	/** The items a node output on its first run (main output 0). */
	output(nodeName: string): INodeExecutionData[];
	/** The error the run stopped with, if any. */
	error: IRun['data']['resultData']['error'];
}

let executionCounter = 0;

/** What n8n hands the engine for one execution: credentials, hooks, URLs; no database, no task runners. */
export function makeAdditionalData(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	nodes: INode[] = [],
	connections: IConnections = {},
): IWorkflowExecuteAdditionalData {
	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'engine-test',
		name: 'engine test',
		nodes: nodes,
		connections: connections,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const additionalData = {
		credentialsHelper: new CredentialsHelper(credentials),
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		logAiEvent: () => undefined,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('task runners are not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
	return additionalData;
}

export async function runWorkflow(spec: WorkflowSpec): Promise<WorkflowResult> {
	await useBinaryMode(spec.binaryMode ?? 'default');
	const workflow = new Workflow({
		id: 'engine-test',
		name: 'engine test',
		nodes: spec.nodes,
		connections: spec.connections,
		active: false,
		nodeTypes: new NodeTypes(),
		settings: { executionOrder: 'v1' },
	});
	const additionalData = makeAdditionalData(spec.credentials, spec.nodes, spec.connections);
	const start = spec.nodes.find((n) => n.type === 'test.start') ?? spec.nodes[0];
	const execution = new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode: start,
	});
	spec.onStart?.({ cancel: () => execution.cancel() });
	const run = await execution;
	const runData = run.data.resultData.runData;
	return {
		run,
		error: run.data.resultData.error,
		output: (nodeName: string) => runData[nodeName]?.[0]?.data?.main?.[0] ?? [],
	};
}

let nodeCounter = 0;

export function node(
	type: string,
	parameters: INode['parameters'],
	extra: Partial<INode> = {},
): INode {
	nodeCounter += 1;
	return {
		id: `node-${nodeCounter}`,
		name: extra.name ?? `${type}-${nodeCounter}`,
		type,
		typeVersion: 1,
		position: [nodeCounter * 200, 0],
		parameters,
		...extra,
	};
}

/** start -> source -> ... : connects the given nodes in a line. */
export function chain(...nodes: INode[]): IConnections {
	const connections: IConnections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return connections;
}
