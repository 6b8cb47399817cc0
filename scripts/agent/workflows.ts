// The workflows `npm run test:agent` publishes: examples/agent-chat-to-onoffice.json as shipped, its credentials
// replaced by the test's (the onOffice sandbox, the fake model, a chat login); examples/agent-email-to-estate.json
// with its Email Trigger (IMAP) stood in for by a webhook; and one workflow of the test's own with the third file
// source an agent can use: a file at a URL, through a chat answered when the agent is done.
import { example, type Workflow, type WorkflowNode } from '../services/workflows';

export const TOOL_TYPE = 'n8n-nodes-onoffice-file-upload.onOfficeFileUploadTool';
const CHAT_TRIGGER = '@n8n/n8n-nodes-langchain.chatTrigger';

export const CHAT_EXAMPLE = 'agent-chat-to-onoffice.json';
export const EMAIL_EXAMPLE = 'agent-email-to-estate.json';

export function chatExample(): Workflow {
	return example(CHAT_EXAMPLE);
}

export const MAIL_PATH = 'agent-test-mails';

/** What the stand-in hands over: one item per mail of the request's JSON, its attachments as attachment_0, …. */
const MAILS_OF_ONE_FETCH = `// Stands in for "Email Trigger (IMAP)" with Download Attachments on: the mails of one fetch, one item each, with
// their attachments as binary properties attachment_0, attachment_1, ... (the test posts them to the webhook).
return $input.first().json.body.mails.map((mail) => ({
  json: { from: mail.from, subject: mail.subject, textPlain: mail.textPlain },
  binary: Object.fromEntries(mail.attachments.map((a, i) => [\`attachment_\${i}\`, { data: a.data, fileName: a.fileName, mimeType: a.mimeType, fileExtension: a.fileName.split('.').pop() }])),
}));`;

/**
 * The e-mail example with its Email Trigger (IMAP) stood in for by a webhook (answered with every agent answer once
 * the agent is done) and a Code node of the trigger's name that hands over the mails the trigger would; everything
 * after the trigger is the example as shipped, and the tool reads the files of the node it names.
 */
export function emailExampleByWebhook(): Workflow {
	const workflow = example(EMAIL_EXAMPLE);
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.emailReadImap');
	if (!trigger) throw new Error(`${EMAIL_EXAMPLE} has no Email Trigger (IMAP)`);
	const webhook: WorkflowNode = {
		id: 'mails',
		name: 'Mails arrive',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [trigger.position[0] - 240, trigger.position[1]],
		webhookId: '5e2a9c14-7b3f-4d0e-8a6c-1f9b2d4e7a53',
		parameters: {
			httpMethod: 'POST',
			path: MAIL_PATH,
			responseMode: 'lastNode',
			responseData: 'allEntries',
			options: {},
		},
	};
	const standIn: WorkflowNode = {
		id: trigger.id,
		name: trigger.name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: trigger.position,
		parameters: { jsCode: MAILS_OF_ONE_FETCH },
	};
	return {
		...workflow,
		nodes: [...workflow.nodes.filter((n) => n !== trigger), webhook, standIn],
		connections: {
			...workflow.connections,
			[webhook.name]: { main: [[{ node: trigger.name, type: 'main', index: 0 }]] },
		},
	};
}

/** The Chat Trigger's production chat address in a published workflow. */
export function chatUrl(base: string, workflow: Workflow): string {
	const trigger = workflow.nodes.find((n) => n.type === CHAT_TRIGGER);
	if (!trigger?.webhookId)
		throw new Error(`${workflow.name} has no Chat Trigger with a webhook id`);
	return `${base}/webhook/${trigger.webhookId}/chat`;
}

/** Whether the workflow's chat answers as a stream (Response Mode: Streaming) or once the agent is done. */
export function streams(workflow: Workflow): boolean {
	const trigger = workflow.nodes.find((n) => n.type === CHAT_TRIGGER);
	return (
		(trigger?.parameters.options as { responseMode?: string } | undefined)?.responseMode ===
		'streaming'
	);
}

/** Each `$fromAI(key, description, type)` of a node's parameters: what n8n puts into the tool's schema. */
export function fromAiKeys(
	node: WorkflowNode,
): Record<string, { description: string; type: string }> {
	const keys: Record<string, { description: string; type: string }> = {};
	for (const match of JSON.stringify(node.parameters).matchAll(
		/\$fromAI\('([^']+)', '([^']*)', '([^']+)'\)/g,
	))
		keys[match[1]] = { description: match[2], type: match[3] };
	return keys;
}

/** The function name under which n8n offers a tool node to the model. */
export const toolName = (nodeName: string) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');

export const URL_TOOL = 'Upload file from a URL';

/**
 * A public chat (embedded mode, answered when the agent is done), an agent with the example's model, and one tool:
 * Upload File from a File URL the model names, to the estate it names by property number. Its Tool Description is
 * left to n8n (Set Automatically): the model reads the node's own description.
 */
export function urlWorkflow(credentials: Record<string, { id: string; name: string }>): Workflow {
	const model = chatExample().nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi');
	if (!model) throw new Error(`${CHAT_EXAMPLE} has no OpenAI Chat Model`);
	return {
		name: 'Agent test: a file at a URL onto an estate',
		nodes: [
			{
				id: 'chat',
				name: 'When chat message received',
				type: CHAT_TRIGGER,
				typeVersion: 1.5,
				position: [0, 0],
				webhookId: '9a0c7e52-3b1d-4f6a-8e2c-5d7b1a9f0e34',
				parameters: {
					public: true,
					mode: 'webhook',
					authentication: 'none',
					options: { responseMode: 'lastNode' },
				},
			},
			{
				id: 'agent',
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3.1,
				position: [260, 0],
				parameters: {
					options: {
						systemMessage:
							'You file documents in onOffice enterprise. Estates are named by their property number (ImmoNr).',
					},
				},
			},
			{ ...model, credentials: { openAiApi: credentials.openAiApi } },
			{
				id: 'url',
				name: URL_TOOL,
				type: TOOL_TYPE,
				typeVersion: 2,
				position: [400, 240],
				credentials: { onOfficeApi: credentials.onOfficeApi },
				parameters: {
					descriptionType: 'auto',
					operation: 'uploadFile',
					module: 'estate',
					estate: {
						__rl: true,
						mode: 'propertyNumber',
						value:
							"={{ $fromAI('propertyNumber', 'The property number (ImmoNr) of the estate, e.g. PC910', 'string') }}",
					},
					fileSource: 'url',
					fileUrl:
						"={{ $fromAI('fileUrl', 'The address of the file itself, starting with https:// or http://', 'string') }}",
					options: {},
				},
			},
		],
		connections: {
			'When chat message received': { main: [[{ node: 'AI Agent', type: 'main', index: 0 }]] },
			[model.name]: {
				ai_languageModel: [[{ node: 'AI Agent', type: 'ai_languageModel', index: 0 }]],
			},
			[URL_TOOL]: { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] },
		},
		// Without it (n8n's older execution order) the model gets an empty tool result.
		settings: { executionOrder: 'v1' },
	};
}
