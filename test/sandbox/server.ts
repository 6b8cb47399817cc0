import {
	createServer,
	STATUS_CODES,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'http';
import type { AddressInfo, Socket } from 'net';

import { messageFor } from './contract';
import { Faults, type FaultRule } from './faults';
import { uploadStep } from './handlers';
import { inspect, snapshot } from './inspect';
import {
	DEFAULT_SECRET,
	DEFAULT_TOKEN,
	settingsFrom,
	type SandboxOptions,
	type SandboxSettings,
} from './options';
import type { LoggedRequest } from './requestLog';
import { runAction, tokenMatches, type ActionContext } from './runAction';
import { SandboxStore, type StoredFile } from './store';
import { sleep } from '../../scripts/lib/time';

export type { FaultRule } from './faults';
export type { UploadStep } from './handlers';
export type { LoggedAction, LoggedRequest } from './requestLog';
export { DEFAULT_SECRET, DEFAULT_TOKEN, type SandboxOptions } from './options';
export { SEED_ADDRESSES, SEED_AGENTS_LOG, SEED_ESTATES, SEED_TASKS } from './seed';

const API_PATHS = new Set(['/api/stable/api.php', '/api/latest/api.php']);

/** A local stand-in for the onOffice API that enforces the documented contract strictly. */
export class OnOfficeSandbox {
	readonly token: string;
	readonly secret: string;
	readonly store: SandboxStore;
	readonly requests: LoggedRequest[] = [];
	/** The switches, read at each request: a test may change them while the sandbox runs. */
	options: SandboxSettings;
	private readonly startedWithReadRights: boolean;
	private readonly faults = new Faults();
	private server?: Server;
	private sockets = new Set<Socket>();
	private stopping = false;
	private seq = 0;
	private host: string;
	private port: number;

	constructor(options: SandboxOptions = {}) {
		this.token = options.token ?? DEFAULT_TOKEN;
		this.secret = options.secret ?? DEFAULT_SECRET;
		this.host = options.host ?? '127.0.0.1';
		this.port = options.port ?? 0;
		this.options = settingsFrom(options);
		this.startedWithReadRights = this.options.readRights;
		this.store = new SandboxStore(this.options.contentLimitBytes, () => this.now());
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(this.port, this.host, () => resolve());
		});
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		this.stopping = true;
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) =>
			this.server ? this.server.close(() => resolve()) : resolve(),
		);
	}

	get origin(): string {
		return `http://${this.host}:${this.port}`;
	}

	/** The endpoint to put into the credential's Custom URL. */
	get url(): string {
		return `${this.origin}/api/stable/api.php`;
	}

	/** Credential data for n8n (apiVersion custom). */
	get credentials(): { token: string; secret: string; apiVersion: 'custom'; customUrl: string } {
		return { token: this.token, secret: this.secret, apiVersion: 'custom', customUrl: this.url };
	}

	inject(...rules: FaultRule[]): void {
		this.faults.inject(...rules);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	/** Back to the seeded records, no files, no faults, and the read rights it started with. */
	reset(): void {
		this.store.reset();
		this.options.readRights = this.startedWithReadRights;
		this.requests.length = 0;
		this.clearFaults();
	}

	files(filter: Partial<Pick<StoredFile, 'module' | 'relatedRecordId'>> = {}): StoredFile[] {
		return this.store.files.filter(
			(f) =>
				(filter.module === undefined || f.module === filter.module) &&
				(filter.relatedRecordId === undefined || f.relatedRecordId === filter.relatedRecordId),
		);
	}

	/** The state as JSON for people and other processes: files without their bytes. */
	snapshot(): Record<string, unknown> {
		return snapshot(this);
	}

	private now(): number {
		return Math.floor(Date.now() / 1000) + this.options.clockSkewSeconds;
	}

	/** What each action is checked against; `behaviour` is the live options, so a flipped switch counts at once. */
	private get actionContext(): ActionContext {
		const { token, secret, store, faults, options } = this;
		return { token, secret, store, faults, behaviour: options, now: () => this.now() };
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const path = (req.url ?? '/').split('?')[0];
		if (path.startsWith('/__sandbox/')) return this.inspect(req, res, path);
		if (!API_PATHS.has(path)) return this.send(res, 404, 'text/html', '<h1>404 Not Found</h1>');
		if (req.method !== 'POST') {
			return this.send(res, 405, 'text/html', '<h1>405 Method Not Allowed</h1>');
		}
		const entry: LoggedRequest = {
			seq: ++this.seq,
			at: Date.now(),
			path,
			bytes: 0,
			httpStatus: 200,
			contentType: req.headers['content-type'],
			actions: [],
		};
		this.requests.push(entry);

		const declared = Number(req.headers['content-length'] ?? NaN);
		if (declared > this.options.maxRequestBytes) return this.tooLarge(req, res, entry, declared);
		const chunks: Buffer[] = [];
		let received = 0;
		for await (const chunk of req) {
			received += (chunk as Buffer).length;
			if (received > this.options.maxRequestBytes) return this.tooLarge(req, res, entry, received);
			chunks.push(chunk as Buffer);
		}
		entry.bytes = received;
		const text = Buffer.concat(chunks).toString('utf8');

		let body: unknown;
		try {
			body = text.trim() === '' ? undefined : JSON.parse(text);
		} catch {
			return this.answerTop(res, entry, 500, 4);
		}
		if (body === undefined) return this.answerTop(res, entry, 500, 9);
		const root = body as Record<string, unknown>;
		const actions = (root.request as Record<string, unknown> | undefined)?.actions;
		const first = Array.isArray(actions) ? (actions[0] as Record<string, unknown>) : undefined;
		const firstStep = first
			? uploadStep(String(first.resourcetype), (first.parameters ?? {}) as Record<string, unknown>)
			: undefined;
		entry.step = firstStep;
		const fault = this.faults.forRequest(firstStep, first);
		if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);
		if (fault) {
			entry.fault = fault.kind;
			if (fault.kind === 'drop') {
				entry.httpStatus = 0;
				req.socket.destroy();
				return;
			}
			if (fault.kind === 'http') {
				const status = fault.status ?? 502;
				return this.send(
					res,
					status,
					'text/html',
					fault.body ??
						`<html><body><h1>${status} ${STATUS_CODES[status] ?? 'Error'}</h1><p>nginx</p></body></html>`,
					entry,
					fault.headers,
				);
			}
			if (fault.kind === 'malformed') {
				return this.send(
					res,
					200,
					'text/html',
					fault.body ?? '<html>Wartungsarbeiten</html>',
					entry,
				);
			}
			if (fault.kind === 'hold') {
				entry.httpStatus = 0;
				if (!res.destroyed)
					await new Promise<void>((resolve) => res.once('close', () => resolve()));
				entry.closedByClient = !this.stopping;
				return;
			}
			if (fault.kind === 'delay') await sleep(fault.delayMs ?? 1000);
			if (fault.kind === 'lateBlock') {
				const id = (first?.parameters as Record<string, unknown> | undefined)?.tmpUploadId;
				const upload = typeof id === 'string' ? this.store.tmpUploads.get(id) : undefined;
				if (upload && !upload.used)
					this.store.appendBlock(upload.id, Buffer.from('late'.slice(0, 3)));
			}
		}

		if (typeof root.token !== 'string' || root.token === '')
			return this.answerTop(res, entry, 400, 13);
		if (typeof root.request !== 'object' || root.request === null)
			return this.answerTop(res, entry, 500, 14);
		if (!Array.isArray(actions)) return this.answerTop(res, entry, 500, 15);
		if (!tokenMatches(root.token, this.token)) return this.answerTop(res, entry, 400, 22);

		const context = this.actionContext;
		const results = (actions as Array<Record<string, unknown>>).map((action) =>
			runAction(context, action, entry),
		);
		const failed = results.some((r) => (r.status as { errorcode: number }).errorcode !== 0);
		const top = failed ? this.options.failedActionTopLevel : 0;
		entry.topErrorcode = top;
		const answer = {
			status: { code: 200, errorcode: top, message: top === 0 ? 'OK' : messageFor(97) },
			response: { results },
		};
		if (fault?.kind === 'lostAnswer') {
			entry.httpStatus = 0;
			req.socket.destroy();
			return;
		}
		if (res.destroyed || req.socket.destroyed) return;
		this.send(res, 200, 'application/json', JSON.stringify(answer), entry);
	}

	private answerTop(
		res: ServerResponse,
		entry: LoggedRequest,
		code: number,
		errorcode: number,
	): void {
		entry.topErrorcode = errorcode;
		const answer = {
			status: { code, errorcode, message: messageFor(errorcode) },
			response: { results: [] },
		};
		this.send(res, 200, 'application/json', JSON.stringify(answer), entry);
	}

	private tooLarge(
		req: IncomingMessage,
		res: ServerResponse,
		entry: LoggedRequest,
		bytes: number,
	): void {
		entry.bytes = bytes;
		this.send(
			res,
			413,
			'text/html',
			'<html><head><title>413 Request Entity Too Large</title></head><body><h1>Request Entity Too Large</h1></body></html>',
			entry,
		);
		// Like Apache: answer, then stop reading the rest of the body.
		res.on('finish', () => req.socket.destroy());
	}

	private send(
		res: ServerResponse,
		status: number,
		contentType: string,
		body: string,
		entry?: LoggedRequest,
		headers: Record<string, string> = {},
	): void {
		if (entry) entry.httpStatus = status;
		res.writeHead(status, {
			...headers,
			'Content-Type':
				contentType === 'application/json' ? 'application/json' : `${contentType}; charset=utf-8`,
			'Content-Length': Buffer.byteLength(body),
			'Cache-Control': 'no-store, no-cache, must-revalidate',
			// What every HTTP server sends (RFC 9110), from the server's own clock.
			Date: new Date(this.now() * 1000).toUTCString(),
		});
		res.end(body);
	}

	private async inspect(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const answer = inspect(
			this,
			this.faults,
			req.method,
			path,
			Buffer.concat(chunks).toString('utf8'),
		);
		if ('body' in answer) return this.send(res, answer.status, answer.contentType, answer.body);
		res.writeHead(200, {
			'Content-Type': 'application/octet-stream',
			'Content-Length': answer.bytes.length,
		});
		res.end(answer.bytes);
	}
}

export async function startSandbox(options: SandboxOptions = {}): Promise<OnOfficeSandbox> {
	return new OnOfficeSandbox(options).start();
}
