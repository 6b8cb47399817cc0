// A stand-in for an OpenAI-compatible chat model on loopback, for the tests of the node as a tool (`npm run test:agent`, `test:queue`): nothing leaves the machine.
// It answers POST /v1/chat/completions (JSON, or server-sent events when asked to stream) and GET /v1/models, and
// plays a script instead of thinking. A conversation's script is chosen by its user message. Without a tool result
// yet, it calls the script's tool with arguments built from the JSON schema n8n sent for that tool, property by
// property from the script's table: a property the schema lacks, or one the table has no value for, is a problem
// (answered with HTTP 400 and kept in `problems`), never a guess. Once the tool's result is in the conversation, it
// answers with text that quotes that result (a script may call several tools in turn, then quotes every result).
// Every request is recorded: what the model was shown.
import { createServer, type IncomingMessage, type ServerResponse } from 'http';
import { listenOnLoopback } from '../lib/ports';

export interface Script {
	/** Which conversation: its first user message contains this text. */
	message: string;
	/** The tool to call, by the name n8n gives it (the node's name, other characters than [A-Za-z0-9_-] as `_`). */
	tool: string;
	/** A value for each property of that tool's schema, by property name. */
	args: Record<string, string | number | boolean>;
	/** Further tool calls, one after the other, each once the one before has been answered. */
	then?: Array<{ tool: string; args: Record<string, string | number | boolean> }>;
	/** The answer once the tools have answered; their results follow it, quoted as the model received them. */
	reply: string;
}

export interface ToolSpec {
	type: string;
	function: {
		name: string;
		description?: string;
		parameters?: {
			type?: string;
			properties?: Record<string, { type?: string; description?: string }>;
			required?: string[];
		};
	};
}

export interface ChatMessage {
	role: string;
	content: string | null | Array<{ type: string; text?: string }>;
	tool_call_id?: string;
	tool_calls?: unknown[];
}

export interface ModelRequest {
	stream: boolean;
	body: { model?: string; stream?: boolean; tools?: ToolSpec[]; messages: ChatMessage[] };
	/** The script that answered it, by its message. */
	script?: string;
	answered: 'toolCall' | 'text' | 'problem';
}

export interface FakeModel {
	/** The Base URL for n8n's OpenAI credential, on the host asked for. */
	baseUrl(host?: string): string;
	port: number;
	requests: ModelRequest[];
	problems: string[];
	stop(): Promise<void>;
}

const MODEL = 'fake-model';

/** The text of a message, whether n8n sent it as a string or as parts. */
export function textOf(message: ChatMessage | undefined): string {
	if (!message?.content) return '';
	if (typeof message.content === 'string') return message.content;
	return message.content.map((part) => part.text ?? '').join('');
}

/** The script's arguments in the order of the tool's schema, or what is wrong with the schema for this script. */
export function argumentsFor(
	script: Pick<Script, 'args'>,
	tool: ToolSpec,
): { args: Record<string, unknown> } | { problem: string } {
	const properties = tool.function.parameters?.properties ?? {};
	const names = Object.keys(properties);
	const missing = Object.keys(script.args).filter((name) => !names.includes(name));
	if (missing.length)
		return {
			problem: `the schema of tool "${tool.function.name}" has no property ${missing.map((m) => `"${m}"`).join(', ')} (it has ${JSON.stringify(names)})`,
		};
	const unknown = names.filter((name) => !(name in script.args));
	if (unknown.length)
		return {
			problem: `the schema of tool "${tool.function.name}" asks for ${unknown.map((u) => `"${u}"`).join(', ')}, which the script has no value for`,
		};
	const jsonType = (value: unknown) =>
		typeof value === 'number' ? ['number', 'integer'] : [typeof value];
	const wrongType = names.filter(
		(name) =>
			properties[name].type !== undefined &&
			!jsonType(script.args[name]).includes(String(properties[name].type)),
	);
	if (wrongType.length)
		return {
			problem: `the schema of tool "${tool.function.name}" types ${wrongType.map((w) => `"${w}" as ${properties[w].type}`).join(', ')}, not as the script's values`,
		};
	return { args: Object.fromEntries(names.map((name) => [name, script.args[name]])) };
}

export async function startFakeModel(scripts: Script[]): Promise<FakeModel> {
	const requests: ModelRequest[] = [];
	const problems: string[] = [];
	let calls = 0;

	const answer = (
		body: ModelRequest['body'],
	): {
		script?: Script;
		toolCall?: { id: string; name: string; arguments: string };
		text?: string;
		problem?: string;
	} => {
		const firstUser = textOf(body.messages.find((m) => m.role === 'user'));
		const script = scripts.find((s) => firstUser.includes(s.message));
		if (!script)
			return {
				problem: `no script for the user message ${JSON.stringify(firstUser.slice(0, 200))}`,
			};
		const toolResults = body.messages.filter((m) => m.role === 'tool');
		const steps = [{ tool: script.tool, args: script.args }, ...(script.then ?? [])];
		if (toolResults.length >= steps.length)
			return { script, text: `${script.reply} ${toolResults.map(textOf).join(' ')}` };
		const step = steps[toolResults.length];
		const tool = (body.tools ?? []).find((t) => t.function?.name === step.tool);
		if (!tool)
			return {
				script,
				problem: `no tool "${step.tool}" was offered (tools: ${JSON.stringify((body.tools ?? []).map((t) => t.function?.name))})`,
			};
		const built = argumentsFor(step, tool);
		if ('problem' in built) return { script, problem: built.problem };
		return {
			script,
			toolCall: {
				id: `call_${++calls}`,
				name: tool.function.name,
				arguments: JSON.stringify(built.args),
			},
		};
	};

	const completions = (req: IncomingMessage, res: ServerResponse, raw: string) => {
		let body: ModelRequest['body'];
		try {
			body = JSON.parse(raw);
		} catch {
			return send(res, 400, {
				error: { message: 'the request body is not JSON', type: 'invalid_request_error' },
			});
		}
		const stream = body.stream === true;
		const result = answer(body);
		requests.push({
			stream,
			body,
			script: result.script?.message,
			answered: result.problem ? 'problem' : result.toolCall ? 'toolCall' : 'text',
		});
		if (result.problem) {
			problems.push(result.problem);
			return send(res, 400, {
				error: { message: `fake model: ${result.problem}`, type: 'invalid_request_error' },
			});
		}
		const id = `chatcmpl-${requests.length}`;
		const created = Math.floor(Date.now() / 1000);
		const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
		const toolCalls = result.toolCall
			? [
					{
						id: result.toolCall.id,
						type: 'function',
						function: { name: result.toolCall.name, arguments: result.toolCall.arguments },
					},
				]
			: undefined;
		const finish = toolCalls ? 'tool_calls' : 'stop';
		if (!stream) {
			const message = toolCalls
				? { role: 'assistant', content: null, tool_calls: toolCalls }
				: { role: 'assistant', content: result.text };
			return send(res, 200, {
				id,
				object: 'chat.completion',
				created,
				model: MODEL,
				choices: [{ index: 0, finish_reason: finish, message }],
				usage,
			});
		}
		res.writeHead(200, {
			'content-type': 'text/event-stream',
			'cache-control': 'no-cache',
			connection: 'keep-alive',
		});
		const chunk = (delta: object, finishReason: string | null = null) =>
			res.write(
				`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: MODEL, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`,
			);
		if (toolCalls) {
			const [call] = toolCalls;
			chunk({
				role: 'assistant',
				content: null,
				tool_calls: [
					{
						index: 0,
						id: call.id,
						type: 'function',
						function: { name: call.function.name, arguments: '' },
					},
				],
			});
			chunk({ tool_calls: [{ index: 0, function: { arguments: call.function.arguments } }] });
		} else {
			// In a few pieces, as a model streams: the chat must put them together.
			const text = result.text!;
			chunk({ role: 'assistant', content: '' });
			for (let i = 0; i < text.length; i += Math.ceil(text.length / 3))
				chunk({ content: text.slice(i, i + Math.ceil(text.length / 3)) });
		}
		chunk({}, finish);
		if ((body as { stream_options?: { include_usage?: boolean } }).stream_options?.include_usage) {
			res.write(
				`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: MODEL, choices: [], usage })}\n\n`,
			);
		}
		res.end('data: [DONE]\n\n');
	};

	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const path = (req.url ?? '/').split('?')[0];
			if (req.method === 'POST' && path === '/v1/chat/completions')
				return completions(req, res, Buffer.concat(chunks).toString('utf8'));
			if (req.method === 'GET' && path === '/v1/models')
				return send(res, 200, {
					object: 'list',
					data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'test' }],
				});
			problems.push(`unexpected request ${req.method} ${path}`);
			send(res, 404, {
				error: { message: `fake model: no ${req.method} ${path}`, type: 'invalid_request_error' },
			});
		});
	});
	const port = await listenOnLoopback(server);
	return {
		port,
		baseUrl: (host = '127.0.0.1') => `http://${host}:${port}/v1`,
		requests,
		problems,
		stop: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

function send(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}
