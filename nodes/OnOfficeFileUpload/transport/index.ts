import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OnOfficeRequestBody, OnOfficeUnsignedAction } from '../../../credentials/onOfficeSignature';
import { onOfficeApiError, type OnOfficeErrorDetails } from './errors';
import { executionSignal, pause, stoppedError, throwIfStopped } from './stop';

export { buildAction, ONOFFICE_ACTION } from './actions';
export { asNodeError, onOfficeApiError, onOfficeDetails, hintFor } from './errors';
export type { OnOfficeErrorDetails } from './errors';
export { executionSignal, isStopping, stopDetails, stoppedError, throwIfStopped, withOutcome } from './stop';
export type { StopDetails } from './stop';

export const CREDENTIAL_TYPE = 'onOfficeApi';

export type OnOfficeContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface OnOfficeRecord {
	id: number | string;
	type: string | null;
	elements: Record<string, unknown> | unknown[];
}

/** What became of one action: its records, or onOffice's error for it. */
export type ActionOutcome =
	| { ok: true; records: OnOfficeRecord[]; total: number | null }
	| { ok: false; error: OnOfficeErrorDetails };

export interface SendOptions {
	/** How often a transport failure, HTTP 5xx or 429 is tried again (each attempt is signed afresh). 0 = never. */
	retries: number;
	/** First back-off; it doubles with every further attempt. */
	retryDelayMs: number;
	/** Per-request timeout. */
	timeoutMs: number;
	/** What is being done, for error messages ("uploading block 2 of 5 of photo.jpg"). */
	doing?: string;
	itemIndex?: number;
	/**
	 * Whether a timeout may be retried. A request that timed out may still be running on the server, so a caller
	 * whose request is not idempotent (a block appended to an upload) says false and starts over instead.
	 */
	retryTimeouts?: boolean;
	/** Called with the HTTP Date header of the answer (the server's clock), when it has one. */
	onServerDate?: (date: Date) => void;
}

export const DEFAULT_SEND_OPTIONS: SendOptions = { retries: 3, retryDelayMs: 1000, timeoutMs: 300_000 };

const RETRYABLE_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

interface HttpFailure {
	status?: number;
	code?: string;
	/** A short, tag-free excerpt of a non-JSON answer (a proxy's error page). */
	excerpt?: string;
}

/** Reads what went wrong from the error n8n's request helper throws, without touching the request it sent. */
export function describeHttpFailure(error: unknown): HttpFailure {
	const e = error as {
		httpCode?: string;
		code?: string;
		cause?: { code?: string; status?: number; response?: { status?: number; data?: unknown } };
		response?: { status?: number; data?: unknown };
	};
	const response = e?.cause?.response ?? e?.response;
	const statusCandidate = response?.status ?? e?.cause?.status ?? Number(e?.httpCode);
	const status = Number.isInteger(statusCandidate) && statusCandidate! >= 100 ? statusCandidate : undefined;
	const code = e?.cause?.code ?? e?.code;
	let excerpt: string | undefined;
	if (typeof response?.data === 'string' && response.data.length > 0) {
		excerpt = response.data
			.replace(/<[^>]*>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim()
			.slice(0, 120);
	}
	return { status, code: typeof code === 'string' ? code : undefined, excerpt };
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

export function isTimeout(failure: HttpFailure): boolean {
	return failure.code !== undefined && TIMEOUT_CODES.has(failure.code);
}

function isRetryable(failure: HttpFailure, retryTimeouts: boolean): boolean {
	if (failure.status !== undefined) return failure.status === 429 || failure.status >= 500;
	if (!retryTimeouts && isTimeout(failure)) return false;
	return failure.code !== undefined && RETRYABLE_NETWORK_CODES.has(failure.code);
}

function httpHint(failure: HttpFailure, attempts: number): string | undefined {
	if (failure.status === 413) {
		return 'The server limits the size of one request. Set the Block Size option lower, e.g. 1024 KiB.';
	}
	if (failure.status === 429) return 'onOffice asked to slow down. Lower the Concurrency option or run the workflow later.';
	if (failure.status !== undefined && failure.status >= 500) {
		return `onOffice, or a proxy in front of it, is failing (tried ${attempts} time(s)). Try again later; if it persists, check onOffice's status.`;
	}
	if (failure.status !== undefined) return 'Check that the credential points at the onOffice API endpoint (…/api.php).';
	if (isTimeout(failure)) return 'Raise the Timeout option, or lower the Block Size so that each request is smaller.';
	return 'Check the network between n8n and onOffice (DNS, proxy, firewall) and the credential\'s endpoint.';
}

const NETWORK_WORDS: Record<string, string> = {
	ECONNRESET: 'the connection was closed before onOffice answered',
	ECONNREFUSED: 'nothing answered at the endpoint (connection refused)',
	ECONNABORTED: 'no answer came within the timeout',
	ETIMEDOUT: 'no answer came within the timeout',
	ESOCKETTIMEDOUT: 'no answer came within the timeout',
	EPIPE: 'the connection broke while the request was being sent',
	EAI_AGAIN: 'the endpoint\'s host name could not be looked up',
	ENOTFOUND: 'the endpoint\'s host name does not exist',
};

// n8n rewrites messages that contain raw network codes (ECONNRESET, …) into generic texts; ours stay in words.
function httpFailureText(failure: HttpFailure, attempts: number): string {
	const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
	if (failure.status === 413) {
		return 'the request was too large for the server (HTTP 413). Lower the Block Size option';
	}
	if (failure.status !== undefined) {
		const page = failure.excerpt ? `: "${failure.excerpt}"` : '';
		return `the server answered HTTP ${failure.status}${page}${tries}`;
	}
	const words = failure.code ? NETWORK_WORDS[failure.code] : undefined;
	if (words?.includes('timeout')) return `${words}${tries}. Raise the Timeout option or lower the Block Size`;
	if (words) return `${words}${tries}`;
	return `the request failed${failure.code ? ` (network error ${failure.code.toLowerCase()})` : ''}${tries}`;
}

interface Envelope {
	status?: { code?: unknown; errorcode?: unknown; message?: unknown };
	response?: { results?: unknown };
}

interface RawResult {
	identifier?: unknown;
	data?: { meta?: { cntabsolute?: unknown }; records?: unknown } | unknown[];
	status?: { errorcode?: unknown; message?: unknown };
}

function toCode(value: unknown): number | undefined {
	const n = typeof value === 'string' ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function parseEnvelope(raw: unknown): Envelope | undefined {
	let value = raw;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const envelope = value as Envelope;
	return typeof envelope.status === 'object' && envelope.status !== null ? envelope : undefined;
}

/**
 * Sends actions in one signed request and returns one outcome per action, matched by identifier. Throws a
 * NodeApiError when the whole request failed (HTTP, transport, a top-level onOffice error, an answer that is not
 * onOffice JSON). Transport failures, HTTP 5xx and 429 are retried with back-off; every attempt goes through the
 * credential again, so it carries a fresh timestamp and hmac.
 */
export async function sendActions(
	ctx: OnOfficeContext,
	actions: OnOfficeUnsignedAction[],
	options: Partial<SendOptions> = {},
): Promise<ActionOutcome[]> {
	const opts: SendOptions = { ...DEFAULT_SEND_OPTIONS, ...options };
	const node = ctx.getNode();
	const identifiers = new Set(actions.map((a) => a.identifier));
	if (identifiers.size !== actions.length) {
		throw new NodeOperationError(node, 'Internal error: every action in one request needs its own identifier');
	}
	const body: OnOfficeRequestBody = { request: { actions } };
	const raw = await postWithRetry(ctx, node, body, opts);
	return readOutcomes(node, raw, actions, opts);
}

async function postWithRetry(
	ctx: OnOfficeContext,
	node: INode,
	body: OnOfficeRequestBody,
	opts: SendOptions,
): Promise<unknown> {
	const request: IHttpRequestOptions = {
		method: 'POST',
		// The credential points the request at the configured endpoint while it signs it.
		url: '',
		body: body as unknown as IHttpRequestOptions['body'],
		json: true,
		timeout: opts.timeoutMs,
		// Without redirects axios does not keep a replay copy of every body it sends.
		disableFollowRedirect: true,
		...(opts.onServerDate ? { returnFullResponse: true } : {}),
	};
	// The node passes the execution's signal itself: nothing is sent after a stop, and a request in flight is aborted.
	const signal = executionSignal(ctx);
	if (signal) request.abortSignal = signal;
	const doing = opts.doing ?? 'sending a request to onOffice';
	for (let attempt = 1; ; attempt++) {
		throwIfStopped(node, signal, { doing }, opts.itemIndex);
		try {
			// A fresh copy per attempt: the credential must sign each one anew.
			const answer = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
				...request,
			});
			if (!opts.onServerDate) return answer;
			const full = answer as { body?: unknown; headers?: Record<string, unknown> };
			const date = new Date(String(full?.headers?.date ?? ''));
			if (!Number.isNaN(date.getTime())) opts.onServerDate(date);
			return full?.body;
		} catch (error) {
			// Whatever the request failed with (an abort, usually): after a stop it is the stop that counts.
			if (signal?.aborted) throw stoppedError(node, { doing, inFlight: true }, opts.itemIndex);
			const failure = describeHttpFailure(error);
			if (isRetryable(failure, opts.retryTimeouts ?? true) && attempt <= opts.retries) {
				const waitMs = opts.retryDelayMs * 2 ** (attempt - 1);
				const next = `attempt ${attempt + 1} of ${opts.retries + 1}`;
				ctx.logger.debug(`onOffice: ${httpFailureText(failure, attempt)} while ${doing}; trying again in ${waitMs} ms (${next})`);
				if (await pause(waitMs, signal)) {
					throw stoppedError(node, { doing: `waiting to try ${doing} again (${next})`, inFlight: false }, opts.itemIndex);
				}
				continue;
			}
			const credentialProblem = (error as { name?: string; message?: string })?.message?.startsWith(
				'onOffice API credential:',
			);
			if (credentialProblem) {
				throw onOfficeApiError(
					node,
					{
						level: 'request',
						message: (error as Error).message,
						hint: 'Open the onOffice API credential and correct the field named above.',
						doing: opts.doing,
					},
					opts.itemIndex,
				);
			}
			throw onOfficeApiError(
				node,
				{
					level: 'http',
					httpCode: failure.status,
					timeout: isTimeout(failure),
					message: httpFailureText(failure, attempt),
					hint: httpHint(failure, attempt),
					doing: opts.doing,
				},
				opts.itemIndex,
			);
		}
	}
}

function readOutcomes(
	node: INode,
	raw: unknown,
	actions: OnOfficeUnsignedAction[],
	opts: SendOptions,
): ActionOutcome[] {
	const envelope = parseEnvelope(raw);
	if (!envelope) {
		throw onOfficeApiError(
			node,
			{
				level: 'http',
				message:
					'the answer was not onOffice API JSON. Check that the credential points at the onOffice API endpoint (…/api.php), not a web page or proxy',
				hint: 'In the onOffice API credential, API Version Stable or Latest is right for onOffice itself; a Custom URL must end in /api.php. If a proxy sits in between, it may have answered instead.',
				doing: opts.doing,
			},
			opts.itemIndex,
		);
	}
	const topCode = toCode(envelope.status?.code);
	const topError = toCode(envelope.status?.errorcode);
	const topMessage = String(envelope.status?.message ?? 'no message');
	// 97 "Error in action" is the documented summary of per-action errors; anything else non-zero is the request's.
	if ((topCode !== undefined && topCode !== 200) || (topError !== undefined && topError !== 0 && topError !== 97)) {
		throw onOfficeApiError(
			node,
			{ level: 'request', code: topError, message: topMessage, doing: opts.doing },
			opts.itemIndex,
		);
	}
	const results = Array.isArray(envelope.response?.results)
		? (envelope.response!.results as RawResult[])
		: [];
	const byIdentifier = new Map<string, RawResult>();
	for (const result of results) {
		if (result && typeof result === 'object') byIdentifier.set(String(result.identifier ?? ''), result);
	}
	return actions.map((action): ActionOutcome => {
		const result = byIdentifier.get(action.identifier);
		if (!result) {
			return {
				ok: false,
				error: {
					level: 'action',
					message: 'onOffice sent no result for this action',
					doing: opts.doing,
				},
			};
		}
		const code = toCode(result.status?.errorcode);
		if (code !== 0) {
			return {
				ok: false,
				error: {
					level: 'action',
					code,
					message: String(result.status?.message ?? 'no message'),
					doing: opts.doing,
				},
			};
		}
		const data = Array.isArray(result.data) ? undefined : result.data;
		const records = Array.isArray(data?.records) ? (data!.records as OnOfficeRecord[]) : [];
		const total = toCode(data?.meta?.cntabsolute) ?? null;
		return { ok: true, records, total };
	});
}

/** One action, one answer: throws the action's error as a NodeApiError. */
export async function sendAction(
	ctx: OnOfficeContext,
	action: OnOfficeUnsignedAction,
	options: Partial<SendOptions> = {},
): Promise<{ records: OnOfficeRecord[]; total: number | null }> {
	const [outcome] = await sendActions(ctx, [action], options);
	if (!outcome.ok) throw onOfficeApiError(ctx.getNode(), outcome.error, options.itemIndex);
	return outcome;
}

/** The elements of a result's first record, which is where uploadfile answers. */
export function firstElements(records: OnOfficeRecord[]): Record<string, unknown> {
	const elements = records[0]?.elements;
	return elements && !Array.isArray(elements) ? elements : {};
}
