// A stop of the execution (the Stop button, a timeout, n8n shutting down), as the node itself sees it: through the
// signal n8n hands every execution. Nothing here relies on n8n wiring that signal into the requests for us.
import type { INode } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

/** What a stop interrupted, and what it left behind. */
export interface StopDetails {
	/** What was under way, e.g. "uploading block 2 of 5 of photo.jpg". */
	doing: string;
	/** A request had been handed to n8n and its answer was not read: onOffice may have received it. */
	inFlight: boolean;
	/** What the stop means for the file or link, in words ("nothing was linked for photo.jpg"). */
	outcome?: string;
}

/**
 * The execution's cancel signal, or undefined where there is none (an older n8n, a load-options call, a context that
 * returns nothing): that counts as never stopped.
 */
export function executionSignal(ctx: object): AbortSignal | undefined {
	const get = (ctx as { getExecutionCancelSignal?: unknown }).getExecutionCancelSignal;
	if (typeof get !== 'function') return undefined;
	const signal = (get as () => AbortSignal | undefined).call(ctx);
	return signal && typeof signal.aborted === 'boolean' ? signal : undefined;
}

export function isStopping(signal: AbortSignal | undefined): boolean {
	return signal?.aborted === true;
}

/**
 * The error a stop gives. It says "canceled": WorkflowExecute records an execution whose error message contains that
 * word as canceled rather than failed, which is what it was.
 */
export function stoppedError(node: INode, details: StopDetails): NodeOperationError {
	const aborted = details.inFlight ? ' (its request was aborted)' : '';
	const outcome = details.outcome ? `; ${details.outcome}` : '';
	const error = new NodeOperationError(
		node,
		`the execution was canceled while ${details.doing}${aborted}${outcome}`,
		{
			description: 'The workflow was stopped, so the node sent nothing more to onOffice.',
		},
	);
	(error as NodeOperationError & { stopped?: StopDetails }).stopped = details;
	return error;
}

export function stopDetails(error: unknown): StopDetails | undefined {
	return (error as { stopped?: StopDetails } | undefined)?.stopped;
}

/** The same stop, saying what it left behind (where the caller knows better than the request did). */
export function withOutcome(node: INode, error: unknown, outcome: string): NodeOperationError {
	return stoppedError(node, { ...stopDetails(error)!, outcome });
}

/** Throws the stop error when the execution was stopped; called before anything is sent. */
export function throwIfStopped(
	node: INode,
	signal: AbortSignal | undefined,
	details: Omit<StopDetails, 'inFlight'>,
): void {
	if (isStopping(signal)) throw stoppedError(node, { ...details, inFlight: false });
}

/**
 * Waits `ms`, or less when the execution is stopped meanwhile: resolves true for a stop. n8n-workflow 2.x's `sleep`
 * takes the signal and ends its timer; 1.x's ignores it and its timer runs out unobserved. Either way the wait
 * itself ends with the stop, because it races the signal's abort event.
 */
export async function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
	if (!signal) {
		await sleep(ms);
		return false;
	}
	if (signal.aborted) return true;
	let onAbort: () => void = () => undefined;
	const stopped = new Promise<boolean>((resolve) => {
		onAbort = () => resolve(true);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	const slept = sleep(ms, signal).then(
		() => false,
		() => true,
	);
	try {
		return await Promise.race([slept, stopped]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
