// The /__sandbox/* routes, for people and other processes (the e2e run, the benchmark) to look inside a running
// sandbox and steer it: its state, the request log, a stored file's bytes, arming faults, the read rights, a reset.
import type { FaultRule, Faults } from './faults';
import type { SandboxSettings } from './options';
import type { LoggedRequest } from './requestLog';
import type { SandboxStore } from './store';

/** What the routes read and change. */
export interface Inspected {
	readonly url: string;
	readonly store: SandboxStore;
	readonly requests: LoggedRequest[];
	readonly options: SandboxSettings;
	reset(): void;
}

export type InspectAnswer =
	{ status: number; contentType: string; body: string } | { bytes: Buffer };

/** The state as JSON for people and other processes: the records, files without their bytes, the read rights. */
export function snapshot(sandbox: Inspected): Record<string, unknown> {
	const { store } = sandbox;
	return {
		endpoint: sandbox.url,
		rights: { read: sandbox.options.readRights },
		records: {
			estate: store.estates,
			address: store.addresses,
			agentsLog: [...store.agentsLog],
			task: [...store.tasks],
		},
		files: store.files.map((file) => ({ ...file, content: undefined })),
		staged: store.cache,
		tmpUploads: [...store.tmpUploads.values()].map((u) => ({
			tmpUploadId: u.id,
			size: u.size,
			blocks: u.blocks,
			used: u.used,
		})),
		requestCount: sandbox.requests.length,
	};
}

/** The answer to a /__sandbox/* request; `text` is its body. */
export function inspect(
	sandbox: Inspected,
	faults: Faults,
	method: string | undefined,
	path: string,
	text: string,
): InspectAnswer {
	const json = (value: unknown) => ({
		status: 200,
		contentType: 'application/json',
		body: JSON.stringify(value, null, 2),
	});
	let sent: unknown;
	try {
		sent = text.trim() === '' ? undefined : JSON.parse(text);
	} catch {
		return { status: 400, contentType: 'text/plain', body: 'the body is not JSON' };
	}
	if (method === 'GET' && path === '/__sandbox/state') return json(snapshot(sandbox));
	if (method === 'GET' && path === '/__sandbox/requests') return json(sandbox.requests);
	if (method === 'POST' && path === '/__sandbox/reset') {
		sandbox.reset();
		return json({ ok: true });
	}
	if (method === 'POST' && path === '/__sandbox/faults') {
		const rules = (sent ?? []) as FaultRule | FaultRule[];
		faults.inject(...(Array.isArray(rules) ? rules : [rules]));
		return json({ ok: true, armed: faults.count });
	}
	if (method === 'POST' && path === '/__sandbox/rights') {
		const rights = sent as { read?: unknown } | undefined;
		if (typeof rights?.read !== 'boolean')
			return {
				status: 400,
				contentType: 'text/plain',
				body: 'send {"read": true} or {"read": false}',
			};
		sandbox.options.readRights = rights.read;
		return json({ ok: true, rights: { read: sandbox.options.readRights } });
	}
	if (method === 'GET' && path.startsWith('/__sandbox/files/')) {
		const fileId = Number(path.slice('/__sandbox/files/'.length));
		const file = sandbox.store.files.find((f) => f.fileId === fileId);
		if (!file?.content)
			return { status: 404, contentType: 'text/plain', body: 'no such file or content not kept' };
		return { bytes: file.content };
	}
	return { status: 404, contentType: 'text/plain', body: 'unknown sandbox route' };
}
