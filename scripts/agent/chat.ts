// A chat message to a published Chat Trigger, as n8n's chat widget sends it: JSON, or a multipart form when files are
// attached (fields action, sessionId, chatInput and one `files` part per file). The answer is read as the trigger
// gives it: the agent's `{"output": …}` once it is done, or in streaming mode NDJSON lines
// `{"type": "begin" | "item" | "end" | "error", "content", "metadata"}` whose items make up the answer.
import { randomUUID } from 'crypto';

export interface ChatFile {
	name: string;
	mimeType: string;
	bytes: Buffer;
}

export interface ChatReply {
	status: number;
	/** The answer's body as it came. */
	body: string;
	/** The agent's answer: the items of the stream put together, or `output`. */
	answer: string;
	/** Streaming: each line's type, in order (begin, item, …, end). */
	types: string[];
	/** What did not read as expected (not NDJSON, no output, an error line). */
	problem?: string;
}

export async function sendChat(
	url: string,
	chatInput: string,
	options: {
		streaming: boolean;
		files?: ChatFile[];
		auth?: { user: string; password: string };
		timeoutMs?: number;
	},
): Promise<ChatReply> {
	const sessionId = randomUUID();
	const headers: Record<string, string> = options.auth
		? {
				authorization: `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}`,
			}
		: {};
	let body: string | FormData;
	if (options.files?.length) {
		const form = new FormData();
		form.append('action', 'sendMessage');
		form.append('sessionId', sessionId);
		form.append('chatInput', chatInput);
		for (const file of options.files)
			form.append('files', new Blob([file.bytes], { type: file.mimeType }), file.name);
		body = form;
	} else {
		headers['content-type'] = 'application/json';
		body = JSON.stringify({ action: 'sendMessage', sessionId, chatInput });
	}
	const response = await fetch(url, {
		method: 'POST',
		headers,
		body,
		signal: AbortSignal.timeout(options.timeoutMs ?? 90_000),
	});
	const text = await response.text();
	return {
		status: response.status,
		body: text,
		...(options.streaming ? readStream(text) : readOutput(text)),
	};
}

function readOutput(text: string): Pick<ChatReply, 'answer' | 'types' | 'problem'> {
	try {
		const parsed = JSON.parse(text) as { output?: unknown };
		if (typeof parsed.output === 'string') return { answer: parsed.output, types: [] };
	} catch {
		// Reported below.
	}
	return {
		answer: '',
		types: [],
		problem: `the answer is not {"output": "…"}: ${text.slice(0, 500)}`,
	};
}

function readStream(text: string): Pick<ChatReply, 'answer' | 'types' | 'problem'> {
	const types: string[] = [];
	let answer = '';
	const problems: string[] = [];
	for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
		let chunk: { type?: string; content?: unknown };
		try {
			chunk = JSON.parse(line);
		} catch {
			problems.push(`a line is not JSON: ${line.slice(0, 200)}`);
			continue;
		}
		types.push(String(chunk.type));
		if (chunk.type === 'item' && typeof chunk.content === 'string') answer += chunk.content;
		if (chunk.type === 'error')
			problems.push(`an error line: ${String(chunk.content).slice(0, 300)}`);
	}
	return { answer, types, ...(problems.length ? { problem: problems.join('; ') } : {}) };
}
