// The transport: the only room that sends. Actions in, one outcome per action out; the posting, retrying and the stop
// signal live in ./http and ./stop, the reading of onOffice's answer in ./envelope, onOffice's errors in ./errors.
// It knows no item, no field of the node and no file source: callers say what they are doing (`doing`) and what the
// person can change (`advice`), and the router names the item.
import { NodeOperationError } from 'n8n-workflow';

import type {
	OnOfficeRequestBody,
	OnOfficeUnsignedAction,
} from '../../../credentials/onOfficeSignature';
import { readOutcomes, type ActionOutcome, type OnOfficeRecord } from './envelope';
import { onOfficeApiError } from './errors';
import {
	DEFAULT_SEND_OPTIONS,
	postWithRetry,
	type OnOfficeContext,
	type SendOptions,
} from './http';

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
		throw new NodeOperationError(
			node,
			'Internal error: every action in one request needs its own identifier',
		);
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
	if (!outcome.ok) throw onOfficeApiError(ctx.getNode(), outcome.error);
	return outcome;
}
