// What the node sends through: actions in, one outcome per action out. The posting and retrying live in ./http, the
// reading of onOffice's answer in ./envelope; what callers use from either is passed on from here.
import { NodeOperationError } from 'n8n-workflow';

import type { OnOfficeRequestBody, OnOfficeUnsignedAction } from '../../../credentials/onOfficeSignature';
import { readOutcomes, type ActionOutcome, type OnOfficeRecord } from './envelope';
import { onOfficeApiError } from './errors';
import { DEFAULT_SEND_OPTIONS, postWithRetry, type OnOfficeContext, type SendOptions } from './http';

export { buildAction, ONOFFICE_ACTION } from './actions';
export { asNodeError, onOfficeApiError, onOfficeDetails, hintFor } from './errors';
export type { OnOfficeErrorDetails } from './errors';
export { executionSignal, isStopping, stopDetails, stoppedError, throwIfStopped, withOutcome } from './stop';
export type { StopDetails } from './stop';
export { CREDENTIAL_TYPE, DEFAULT_SEND_OPTIONS, describeHttpFailure, isTimeout } from './http';
export type { OnOfficeContext, SendOptions } from './http';
export { firstElements } from './envelope';
export type { ActionOutcome, OnOfficeRecord } from './envelope';

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
