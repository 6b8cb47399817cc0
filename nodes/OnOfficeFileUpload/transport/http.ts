// Sending one signed request to onOffice: the post, its timeout, which failures are tried again, and what a failure
// tells the person building the workflow.
import type {
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
} from 'n8n-workflow';

import type { OnOfficeRequestBody } from '../../../credentials/onOfficeSignature';
import { onOfficeApiError } from './errors';
import { executionSignal, pause, stoppedError, throwIfStopped } from './stop';

export const CREDENTIAL_TYPE = 'onOfficeApi';

export type OnOfficeContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface SendOptions {
	/** How often a transport failure, HTTP 5xx or 429 is tried again (each attempt is signed afresh). 0 = never. */
	retries: number;
	/** First back-off; it doubles with every further attempt. */
	retryDelayMs: number;
	/** Per-request timeout. */
	timeoutMs: number;
	/** What is being done, for error messages ("uploading block 2 of 5 of photo.jpg"). */
	doing?: string;
	/** What the person can change when a request is too large, too slow or too many (the caller's own options). */
	advice?: SendAdvice;
	/**
	 * Whether a timeout may be retried. A request that timed out may still be running on the server, so a caller
	 * whose request is not idempotent (a block appended to an upload) says false and starts over instead.
	 */
	retryTimeouts?: boolean;
	/** Called with the HTTP Date header of the answer (the server's clock), when it has one. */
	onServerDate?: (date: Date) => void;
}

/**
 * The caller's own settings in words, for the failures they answer: a request too large for the server (413), a
 * request that timed out, a server that asks to slow down (429). Without them the failure is said plainly.
 */
export interface SendAdvice {
	tooLarge?: { message: string; hint: string };
	timeout?: { message: string; hint: string };
	slowDown?: string;
}

export const DEFAULT_SEND_OPTIONS: SendOptions = {
	retries: 3,
	retryDelayMs: 1000,
	timeoutMs: 300_000,
};

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
	/** How long the server asked to wait before the next request (its Retry-After header), in ms. */
	retryAfterMs?: number;
}

type Headers = Record<string, unknown> & { get?: (name: string) => unknown };

/** A Retry-After header: seconds, or an HTTP date (RFC 9110 10.2.3); undefined when there is none or it says nothing. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
	const raw =
		typeof headers?.get === 'function'
			? headers.get('retry-after')
			: (headers?.['retry-after'] ?? headers?.['Retry-After']);
	const value = String(Array.isArray(raw) ? raw[0] : (raw ?? '')).trim();
	if (/^\d+$/.test(value)) return Number(value) * 1000;
	const date = value === '' ? NaN : Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Reads what went wrong from the error n8n's request helper throws, without touching the request it sent. */
export function describeHttpFailure(error: unknown): HttpFailure {
	const e = error as {
		httpCode?: string;
		code?: string;
		cause?: {
			code?: string;
			status?: number;
			response?: { status?: number; data?: unknown; headers?: Headers };
		};
		response?: { status?: number; data?: unknown; headers?: Headers };
	};
	const response = e?.cause?.response ?? e?.response;
	const statusCandidate = response?.status ?? e?.cause?.status ?? Number(e?.httpCode);
	const status =
		Number.isInteger(statusCandidate) && statusCandidate! >= 100 ? statusCandidate : undefined;
	const code = e?.cause?.code ?? e?.code;
	let excerpt: string | undefined;
	if (typeof response?.data === 'string' && response.data.length > 0) {
		excerpt = response.data
			.replace(/<[^>]*>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim()
			.slice(0, 120);
	}
	return {
		status,
		code: typeof code === 'string' ? code : undefined,
		excerpt,
		retryAfterMs: retryAfterMs(response?.headers),
	};
}

const TIMEOUT_CODES = new Set([
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export function isTimeout(failure: HttpFailure): boolean {
	return failure.code !== undefined && TIMEOUT_CODES.has(failure.code);
}

function isRetryable(failure: HttpFailure, retryTimeouts: boolean): boolean {
	if (failure.status !== undefined) return failure.status === 429 || failure.status >= 500;
	if (!retryTimeouts && isTimeout(failure)) return false;
	return failure.code !== undefined && RETRYABLE_NETWORK_CODES.has(failure.code);
}

function httpHint(failure: HttpFailure, attempts: number, advice: SendAdvice): string | undefined {
	if (failure.status === 413)
		return joined('The server limits the size of one request.', advice.tooLarge?.hint);
	if (failure.status === 429)
		return `onOffice asked to slow down. ${advice.slowDown ?? 'Run the workflow later.'}`;
	if (failure.status !== undefined && failure.status >= 500) {
		return `onOffice, or a proxy in front of it, is failing (tried ${attempts} time(s)). Try again later; if it persists, check onOffice's status.`;
	}
	if (failure.status !== undefined)
		return 'Check that the credential points at the onOffice API endpoint (…/api.php).';
	if (isTimeout(failure))
		return (
			advice.timeout?.hint ??
			'onOffice took longer to answer than the request may take. Try again later.'
		);
	return "Check the network between n8n and onOffice (DNS, proxy, firewall) and the credential's endpoint.";
}

const joined = (...parts: Array<string | undefined>) =>
	parts.filter((p) => p !== undefined && p !== '').join(' ');

const NETWORK_WORDS: Record<string, string> = {
	ECONNRESET: 'the connection was closed before onOffice answered',
	ECONNREFUSED: 'nothing answered at the endpoint (connection refused)',
	ECONNABORTED: 'no answer came within the timeout',
	ETIMEDOUT: 'no answer came within the timeout',
	ESOCKETTIMEDOUT: 'no answer came within the timeout',
	EPIPE: 'the connection broke while the request was being sent',
	EAI_AGAIN: "the endpoint's host name could not be looked up",
	ENOTFOUND: "the endpoint's host name does not exist",
};

// n8n rewrites messages that contain raw network codes (ECONNRESET, …) into generic texts; ours stay in words.
function httpFailureText(failure: HttpFailure, attempts: number, advice: SendAdvice): string {
	const tries = attempts > 1 ? ` (after ${attempts} attempts)` : '';
	const then = (text: string, what?: { message: string }) =>
		what ? `${text}. ${what.message}` : text;
	if (failure.status === 413)
		return then('the request was too large for the server (HTTP 413)', advice.tooLarge);
	if (failure.status !== undefined) {
		const page = failure.excerpt ? `: "${failure.excerpt}"` : '';
		return `the server answered HTTP ${failure.status}${page}${tries}`;
	}
	const words = failure.code ? NETWORK_WORDS[failure.code] : undefined;
	if (words && isTimeout(failure)) return then(`${words}${tries}`, advice.timeout);
	if (words) return `${words}${tries}`;
	return `the request failed${failure.code ? ` (network error ${failure.code.toLowerCase()})` : ''}${tries}`;
}

export async function postWithRetry(
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
	const advice = opts.advice ?? {};
	for (let attempt = 1; ; attempt++) {
		throwIfStopped(node, signal, { doing });
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
			if (signal?.aborted) throw stoppedError(node, { doing, inFlight: true });
			const failure = describeHttpFailure(error);
			if (isRetryable(failure, opts.retryTimeouts ?? true) && attempt <= opts.retries) {
				// A server that says when to come back (429, 503 with Retry-After) is waited for, at most as long as a
				// request may take; otherwise the node's own back-off.
				const asked =
					failure.status === 429 || failure.status === 503 ? failure.retryAfterMs : undefined;
				const waitMs =
					asked !== undefined
						? Math.min(asked, opts.timeoutMs)
						: opts.retryDelayMs * 2 ** (attempt - 1);
				const next = `attempt ${attempt + 1} of ${opts.retries + 1}`;
				ctx.logger.debug(
					`onOffice: ${httpFailureText(failure, attempt, advice)} while ${doing}; trying again in ${waitMs} ms (${next})`,
				);
				if (await pause(waitMs, signal)) {
					throw stoppedError(node, {
						doing: `waiting to try ${doing} again (${next})`,
						inFlight: false,
					});
				}
				continue;
			}
			const credentialProblem = (error as { name?: string; message?: string })?.message?.startsWith(
				'onOffice API credential:',
			);
			if (credentialProblem) {
				throw onOfficeApiError(node, {
					level: 'request',
					message: (error as Error).message,
					hint: 'Open the onOffice API credential and correct the field named above.',
					doing: opts.doing,
				});
			}
			throw onOfficeApiError(node, {
				level: 'http',
				httpCode: failure.status,
				timeout: isTimeout(failure),
				message: httpFailureText(failure, attempt, advice),
				hint: httpHint(failure, attempt, advice),
				doing: opts.doing,
			});
		}
	}
}
