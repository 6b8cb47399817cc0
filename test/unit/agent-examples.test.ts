// The two AI agent examples as users import them: each tool's saved parameters known and valid for the node, the
// files read from the trigger by its name, the estate by the property number the model names, the agent told the
// attachments' names and each tool's name, and nothing n8n needs for a tool result missing. `npm run test:agent`
// runs the chat example in real n8n with a scripted model; this catches a broken example in seconds.
import { readFileSync } from 'fs';
import { join } from 'path';

import type { IConnections, INode } from 'n8n-workflow';

// With its extension: beside it lies OnOfficeFileUpload.node.json, the codex.
import { OnOfficeFileUpload } from '../../nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.ts';
import { checkSavedParameters } from '../engine/node-parameters';

const NODE_TYPE = 'n8n-nodes-onoffice-file-upload.onOfficeFileUpload';
/** The node as an AI agent's tool: n8n adds the Tool Description (`descriptionType`, `toolDescription`). */
const TOOL_TYPE = `${NODE_TYPE}Tool`;
const description = new OnOfficeFileUpload().description;

interface Workflow {
	nodes: INode[];
	connections: IConnections;
	settings?: Record<string, unknown>;
}

const load = (file: string): Workflow =>
	JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', file), 'utf8')) as Workflow;
const nodeNamed = (workflow: Workflow, name: string): INode => {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`no node "${name}"`);
	return node;
};
/** n8n's tool name: the node's name with every run of other characters than letters, digits, _ and - as _. */
const toolName = (name: string) => name.replace(/[^a-zA-Z0-9_-]+/g, '_');

/** A tool node as the plain node: its parameters without the Tool Description n8n adds. */
function asPlainNode(node: INode): INode {
	const parameters = { ...node.parameters };
	delete parameters.descriptionType;
	delete parameters.toolDescription;
	return { ...node, type: NODE_TYPE, parameters };
}

describe.each([
	['agent-chat-to-onoffice.json', 'When chat message received'],
	['agent-email-to-estate.json', 'Email Trigger (IMAP)'],
])('%s', (file, trigger) => {
	const workflow = load(file);
	const tools = workflow.nodes.filter((n) => n.type === TOOL_TYPE);
	const agent = nodeNamed(workflow, 'AI Agent');
	const agentText = JSON.stringify(agent.parameters);

	test("every tool's saved parameters are known and valid for the node (version 2)", () => {
		expect(tools.length).toBeGreaterThan(0);
		for (const tool of tools) {
			expect(tool.typeVersion).toBe(2);
			expect(checkSavedParameters(asPlainNode(tool), description).problems).toEqual([]);
		}
	});

	test('each tool is connected to the agent, described by hand, and named in its instructions by its tool name', () => {
		for (const tool of tools) {
			expect((workflow.connections[tool.name].ai_tool ?? []).flat().map((c) => c!.node)).toEqual([
				'AI Agent',
			]);
			expect(tool.parameters).toMatchObject({
				descriptionType: 'manual',
				toolDescription: expect.stringMatching(/onOffice/),
			});
			expect(agentText).toContain(toolName(tool.name));
		}
	});

	test('the estate is the property number the model names; the files come from the trigger, by the names the model gives', () => {
		nodeNamed(workflow, trigger);
		for (const tool of tools) {
			expect(tool.parameters.estate).toEqual({
				__rl: true,
				mode: 'propertyNumber',
				value: expect.stringContaining("$fromAI('propertyNumber', "),
			});
			if (tool.parameters.operation !== 'uploadFile') continue;
			expect(tool.parameters).toMatchObject({
				fileSource: 'node',
				sourceNode: trigger,
				fileNames: expect.stringContaining("$fromAI('fileNames', "),
				onDuplicate: 'skip',
			});
		}
	});

	test("the agent is told the attachments' names and is not sent the files; the workflow runs in n8n's v1 order", () => {
		expect(agentText).toMatch(file.startsWith('agent-chat') ? /\$json\.files/ : /\$binary/);
		expect(agent.parameters.options).toMatchObject({ passthroughBinaryImages: false });
		// In the older order the model gets an empty tool result.
		expect(workflow.settings).toEqual({ executionOrder: 'v1' });
	});

	test("the model is OpenAI's Chat Completions API (what OpenAI-compatible servers speak), with a placeholder credential", () => {
		expect(nodeNamed(workflow, 'OpenAI Chat Model')).toMatchObject({
			type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
			parameters: { responsesApiEnabled: false },
			credentials: { openAiApi: { id: 'openAiAccount', name: 'OpenAI account' } },
		});
	});
});

test('the chat example asks for a login: whoever can use a public chat can file on every estate', () => {
	expect(
		nodeNamed(load('agent-chat-to-onoffice.json'), 'When chat message received').parameters,
	).toMatchObject({ public: true, authentication: 'basicAuth' });
});
