// Runs workflows through n8n-core's real execution engine (WorkflowExecute + n8n-workflow's Workflow), with the
// real credential `authenticate`, the real binary-data service and real HTTP. What is ours here is only what the
// n8n application would otherwise provide: the node registry, the credential store and the logger sink.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import { BinaryDataConfig, BinaryDataService, ExecuteContext, ExecutionLifecycleHooks, LoadOptionsContext, RoutingNode, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { OnOfficeApi } from '../../credentials/OnOfficeApi.credentials';
import { OnOfficeFileUpload } from '../../nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.ts'; // .ts: the codex OnOfficeFileUpload.node.json would win otherwise
import { BinaryFilesNode, ItemsNode, StartNode } from './nodes';

export const NODE_TYPE = 'n8n-nodes-onoffice-file-upload.onOfficeFileUpload';

const nodeTypes: Record<string, INodeType> = {
	[NODE_TYPE]: new OnOfficeFileUpload(),
	'test.start': new StartNode(),
	'test.items': new ItemsNode(),
	'test.binaryFiles': new BinaryFilesNode(),
};

/** Adds a node type for this process (benchmarks bring their own). */
export function registerNodeType(type: string, nodeType: INodeType): void {
	nodeTypes[type] = nodeType;
}

class NodeTypes implements INodeTypes {
	getByName(type: string): INodeType {
		const nodeType = nodeTypes[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}
	getByNameAndVersion(type: string): INodeType {
		return this.getByName(type);
	}
	getKnownTypes(): IDataObject {
		return {};
	}
}

const credentialTypes: Record<string, ICredentialType> = { onOfficeApi: new OnOfficeApi() };

/** Hands out credentials by type and authenticates with the credential type's own `authenticate`. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}
	getParentTypes(): string[] {
		return [];
	}
	isCredentialUsableByNode(): boolean {
		return true;
	}
	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const authenticate = credentialTypes[typeName]?.authenticate;
		if (typeof authenticate !== 'function') throw new Error(`No authenticate function for ${typeName}`);
		return authenticate(credentials, requestOptions);
	}
	async preAuthentication(): Promise<undefined> {
		return undefined;
	}
	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}
	async getCredentials(): Promise<never> {
		throw new Error('not used by the engine tests');
	}
	async getDecrypted(_a: unknown, _n: unknown, type: string): Promise<ICredentialDataDecryptedObject> {
		const data = this.store[type];
		if (!data) throw new Error(`No credentials of type ${type}`);
		return { ...data };
	}
	async updateCredentials(): Promise<void> {}
	async updateCredentialsOauthTokenData(): Promise<void> {}
	getCredentialsProperties(type: string) {
		return credentialTypes[type].properties;
	}
}

export interface LogLine {
	level: string;
	message: string;
	metadata?: unknown;
}

/** Everything the engine and the node log during the tests, for the secret-hygiene checks. */
export const logLines: LogLine[] = [];

const logListeners = new Set<(line: LogLine) => void>();

/** Calls `listener` with every line as it is logged (synchronously, inside the node's call); returns the unsubscribe. */
export function onLogLine(listener: (line: LogLine) => void): () => void {
	logListeners.add(listener);
	return () => logListeners.delete(listener);
}

function log(line: LogLine): void {
	logLines.push(line);
	for (const listener of logListeners) listener(line);
}

class CapturingLogger {
	scoped() {
		return this;
	}
	error(message: string, metadata?: unknown) {
		log({ level: 'error', message, metadata });
	}
	warn(message: string, metadata?: unknown) {
		log({ level: 'warn', message, metadata });
	}
	info(message: string, metadata?: unknown) {
		log({ level: 'info', message, metadata });
	}
	debug(message: string, metadata?: unknown) {
		log({ level: 'debug', message, metadata });
	}
}

export type BinaryMode = 'default' | 'filesystem';

/** Where filesystem-mode binaries of this process are stored (a temporary folder), for cleaning up. */
export function binaryStoragePath(): string | undefined {
	return storagePath;
}

// Under Jest every test file loads this module afresh: remove that file's binaries when it is done. Scripts
// (demo, bench) remove binaryStoragePath() themselves.
if (typeof afterAll === 'function') {
	afterAll(() => {
		if (storagePath) rmSync(storagePath, { recursive: true, force: true });
	});
}

let currentMode: BinaryMode | undefined;
let storagePath: string | undefined;

/** Sets up the binary-data service the way n8n does at start, in inline (`default`) or `filesystem` mode. */
export async function useBinaryMode(mode: BinaryMode): Promise<void> {
	if (currentMode === mode) return;
	storagePath ??= mkdtempSync(join(tmpdir(), 'onoffice-n8n-binary-'));
	Container.set(Logger, new CapturingLogger() as unknown as Logger);
	const config = Object.assign(Object.create(BinaryDataConfig.prototype) as BinaryDataConfig, {
		mode,
		availableModes: ['default', 'filesystem'],
		localStoragePath: storagePath,
		signingSecret: 'engine-tests',
		dbMaxFileSize: 512,
	});
	const errorReporter = { error: () => undefined, warn: () => undefined, info: () => undefined };
	const service = new BinaryDataService(config, errorReporter as never, new CapturingLogger() as unknown as Logger);
	await service.init();
	Container.set(BinaryDataService, service);
	currentMode = mode;
}

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
	const execution = new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: start });
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

export function node(type: string, parameters: INode['parameters'], extra: Partial<INode> = {}): INode {
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

/**
 * Runs a credential's declarative `test` the way n8n's credentials tester does: the request goes through
 * n8n-core's RoutingNode (so the credential's authenticate signs it), then the test's rules are checked in order.
 */
export async function testCredential(data: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	await useBinaryMode('default');
	const credentialType = credentialTypes.onOfficeApi;
	const testRequest = credentialType.test!;
	const node: INode = {
		id: 'temp', name: 'Temp-Node', type: 'test.credentialProbe', typeVersion: 1, position: [0, 0], parameters: {},
		credentials: { onOfficeApi: { id: '1', name: 'tested' } },
	};
	const probe: INodeType = {
		description: {
			displayName: 'Probe', name: 'test.credentialProbe', group: ['transform'], version: 1, description: '', defaults: {},
			inputs: ['main'], outputs: ['main'], credentials: [{ name: 'onOfficeApi', required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: testRequest.request }, default: '' }],
		} as INodeType['description'],
	};
	nodeTypes['test.credentialProbe'] = probe;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new NodeTypes() });
	const context = new ExecuteContext(
		workflow, node, makeAdditionalData({ onOfficeApi: data }), 'internal', { resultData: { runData: {} } } as never, 0, [],
		{ main: [[{ json: {} }]] }, { node, data: {}, source: null }, [],
	);
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await new RoutingNode(context, probe, { id: '1', name: 'tested', type: 'onOfficeApi', data }).runNode();
	} catch (error) {
		return { status: 'Error', message: String((error as Error).message) };
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const value = rule.properties.key.split(/[.[\]]/).filter(Boolean).reduce<any>((v, k) => v?.[k], response![0][0].json);
		if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * What the editor hands one of the node's methods (a list of options, a list search): n8n-core's LoadOptionsContext
 * for a node of `typeVersion` with `parameters`, at the parameter `path`; `credentials` undefined: none chosen.
 */
async function editorContext(typeVersion: number, parameters: INode['parameters'], credentials: ICredentialDataDecryptedObject | undefined, path: string): Promise<LoadOptionsContext> {
	await useBinaryMode('default');
	const node: INode = {
		id: 'editor', name: 'onOffice', type: NODE_TYPE, typeVersion, position: [0, 0], parameters,
		...(credentials ? { credentials: { onOfficeApi: { id: '1', name: 'sandbox' } } } : {}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new NodeTypes() });
	return new LoadOptionsContext(workflow, node, makeAdditionalData(credentials ? { onOfficeApi: credentials } : {}, [node]), path);
}

type EditorMethods = {
	loadOptions: Record<string, (this: LoadOptionsContext) => Promise<unknown>>;
	listSearch: Record<string, (this: LoadOptionsContext, filter?: string, token?: string) => Promise<INodeListSearchResult>>;
};
const methods = () => (nodeTypes[NODE_TYPE] as INodeType & { methods: EditorMethods }).methods;

/** A loadOptions method run the way the editor runs it; `credentials` undefined: the node has none chosen. */
export async function loadOptions(method: string, credentials: ICredentialDataDecryptedObject | undefined, parameters: INode['parameters'] = {}) {
	const context = await editorContext(1, parameters, credentials, 'additionalFields.documentAttribute');
	return methods().loadOptions[method].call(context);
}

/** A resource locator's list search run the way the editor runs it (as the user types and scrolls). */
export async function listSearch(method: string, credentials: ICredentialDataDecryptedObject | undefined, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const context = await editorContext(2, { operation: 'uploadFile', module: 'estate' }, credentials, 'estate');
	return methods().listSearch[method].call(context, filter, paginationToken);
}
