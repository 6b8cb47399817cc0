// The node as a tool in queue mode, for `npm run test:queue`: a tool call through n8n's AI Agent (behind a production
// webhook, the model the fake on loopback) and one through the MCP Server Trigger (the MCP example, the official SDK as
// the client), each run on a worker: the link lands, and the execution's node events are in a worker's event log,
// none in the main's.
import type { OnOfficeSandbox } from '../../test/sandbox/server';
import type { FakeModel, Script } from '../services/fakeModel';
import { executionsRunIn } from '../services/eventLog';
import { executionList, type ExecutionSummary } from '../services/executions';
import { connectMcp } from '../services/mcpClient';
import type { N8nRest } from '../services/n8nRest';
import { example, withCredentials, type Workflow } from '../services/workflows';
import { ranBy, type Worker } from './workers';
import { pollUntil } from '../lib/time';

/** What the MCP client sends as `Authorization: Bearer …`, and what the trigger's credential holds. */
export const MCP_TOKEN = 'queue-mcp-token-0123456789abcdefghijklmnop';
const MCP_EXAMPLE = 'mcp-server-to-onoffice.json';
const AGENT_PATH = 'queue-agent';
const AGENT_TOUR = 'https://my.matterport.com/show/?m=PC651';
const MCP_TOUR = 'https://my.matterport.com/show/?m=PC101';

/** The credentials these workflows name, as `n8n import:credentials` takes them (ids are the workflows'). */
export function toolCredentials(model: FakeModel): Array<Record<string, unknown>> {
	return [
		{ id: 'mcpBearerToken', name: 'MCP token', type: 'httpBearerAuth', data: { token: MCP_TOKEN } },
		{
			id: 'fakeModel',
			name: 'Fake model',
			type: 'openAiApi',
			data: { apiKey: 'sk-fake-model-key', url: model.baseUrl() },
		},
	];
}

/** The conversation the agent's fake model plays. */
export const AGENT_SCRIPT: Script = {
	message: `Put the 360° tour ${AGENT_TOUR} on PC651`,
	tool: 'Add_link_to_estate',
	args: { propertyNumber: 'PC651', url: AGENT_TOUR, linkType: 'Ogulo-Link', title: '360° tour' },
	reply: 'Done:',
};

/** The MCP example as shipped (its credentials the test's), and an AI Agent behind a webhook with its link tool. */
export function toolWorkflows(onOffice: { id: string; name: string }): Workflow[] {
	const credentials = {
		onOfficeApi: onOffice,
		httpBearerAuth: { id: 'mcpBearerToken', name: 'MCP token' },
	};
	const mcp = { ...withCredentials(example(MCP_EXAMPLE), credentials), id: 'queueMcp' };
	const linkTool = mcp.nodes.find((n) => n.name === 'Add link to estate')!;
	const agent: Workflow = {
		id: 'queueAgent',
		name: 'onOffice queue test: an AI Agent with the link tool',
		nodes: [
			{
				id: 'w',
				name: 'Message arrives',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '2c7f9e41-6a3d-4b8e-9f05-d1a2b3c4e5f6',
				parameters: { httpMethod: 'POST', path: AGENT_PATH, responseMode: 'lastNode', options: {} },
			},
			{
				id: 'a',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [240, 0],
				parameters: {
					promptType: 'define',
					text: '={{ $json.body.message }}',
					options: {
						systemMessage: 'You file links on estates in onOffice.',
						enableStreaming: false,
					},
				},
			},
			{
				id: 'm',
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.3,
				position: [120, 240],
				credentials: { openAiApi: { id: 'fakeModel', name: 'Fake model' } },
				parameters: {
					model: { __rl: true, mode: 'id', value: 'fake-model' },
					responsesApiEnabled: false,
					options: {},
				},
			},
			{ ...linkTool, position: [360, 240] },
		],
		connections: {
			'Message arrives': { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			'OpenAI Chat Model': {
				ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
			},
			[linkTool.name]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
	return [mcp, agent];
}

export interface ToolRig {
	sandbox: OnOfficeSandbox;
	rest: N8nRest;
	mainUrl: string;
	mainFolder: string;
	workers: Worker[];
	check(condition: boolean, message: string): void;
}

/** The newest execution of a workflow, as the Executions list shows it. */
async function newestOf(rest: N8nRest, workflowId: string): Promise<ExecutionSummary | undefined> {
	return (await executionList(rest)).find((e) => e.workflowId === workflowId);
}

/** Polls until the execution's node events are in some worker's event log (the log writer runs beside the worker). */
async function ranOnWorker(rig: ToolRig, id: string): Promise<string | undefined> {
	let name: string | undefined;
	await pollUntil(
		() => (name = rig.workers.find((w) => ranBy(w).has(id))?.name) !== undefined,
		10_000,
		250,
	);
	return name;
}

export async function toolCallsOnWorkers(rig: ToolRig): Promise<void> {
	const { sandbox, rest, check } = rig;
	const links = (url: string) => sandbox.files().filter((f) => f.url === url);

	// An AI Agent behind a production webhook: the whole execution, model call and tool call, runs on a worker.
	const answer = await fetch(`${rig.mainUrl}/webhook/${AGENT_PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ message: AGENT_SCRIPT.message }),
		signal: AbortSignal.timeout(120_000),
	});
	const answerText = await answer.text();
	const agentRun = await newestOf(rest, 'queueAgent');
	const agentWorker = agentRun && (await ranOnWorker(rig, agentRun.id));
	check(
		answer.status === 200 &&
			links(AGENT_TOUR).length === 1 &&
			links(AGENT_TOUR)[0].relatedRecordId === 2651 &&
			agentRun?.status === 'success' &&
			!!agentWorker &&
			!executionsRunIn(rig.mainFolder).has(agentRun.id),
		`an AI Agent's tool call through a production webhook ran on ${agentWorker ?? 'no worker'} (execution ${agentRun?.id}, ${agentRun?.status}; none of it in the main's event log): the tour is on estate 2651 once; the agent answered HTTP ${answer.status} ${answerText.slice(0, 120)}`,
	);

	// An MCP client: the trigger answers on the main, the tool runs on a worker and its answer comes back to the client.
	const client = await connectMcp(`${rig.mainUrl}/mcp/onoffice`, MCP_TOKEN, 'streamable');
	let result: { text: string; isError: boolean };
	try {
		result = await client.call('Add_link_to_estate', {
			propertyNumber: 'PC101',
			url: MCP_TOUR,
			linkType: 'Ogulo-Link',
			title: '360° tour',
		});
	} finally {
		await client.close();
	}
	const mcpRun = await newestOf(rest, 'queueMcp');
	const mcpWorker = mcpRun && (await ranOnWorker(rig, mcpRun.id));
	const [filed] = JSON.parse(result.text || '[]') as Array<{ fileId?: string }>;
	check(
		!result.isError &&
			links(MCP_TOUR).length === 1 &&
			links(MCP_TOUR)[0].relatedRecordId === 30 &&
			filed?.fileId === String(links(MCP_TOUR)[0].fileId) &&
			!!mcpWorker &&
			!executionsRunIn(rig.mainFolder).has(mcpRun!.id),
		`an MCP client's tool call ran on ${mcpWorker ?? 'no worker'} (execution ${mcpRun?.id}, ${mcpRun?.status}; none of it in the main's event log): the tour is on estate 30 once, and the client got its file ID ${filed?.fileId}`,
	);
}
