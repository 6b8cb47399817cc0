// What one action goes through: its action and resource type, the signature (HMAC v2) and the timestamp window, an
// injected action fault, the handler, and the result envelope it is answered with. The HTTP side is server.ts.
import { createHmac, timingSafeEqual } from 'crypto';

import { ACTION, ActionError, messageFor, RESOURCES } from './contract';
import type { Faults } from './faults';
import {
	dispatch,
	uploadStep,
	type ActionResult,
	type Behaviour,
	type UploadStep,
} from './handlers';
import { logAction, type LoggedRequest } from './requestLog';
import type { SandboxStore } from './store';

/** What an action is checked against and carried out on. */
export interface ActionContext {
	readonly token: string;
	readonly secret: string;
	readonly store: SandboxStore;
	readonly faults: Faults;
	readonly behaviour: Behaviour;
	/** The server's clock in unix seconds. */
	now(): number;
}

const knownActions = new Set<string>(Object.values(ACTION));

/** A constant-time comparison, so that the time an answer takes tells nothing about the secret. */
function same(given: Buffer, expected: Buffer): boolean {
	return given.length === expected.length && timingSafeEqual(given, expected);
}

export function tokenMatches(given: string, expected: string): boolean {
	return same(Buffer.from(given), Buffer.from(expected));
}

function hmacMatches(ctx: ActionContext, action: Record<string, unknown>): boolean {
	const expected = createHmac('sha256', ctx.secret)
		.update(`${action.timestamp}${ctx.token}${action.resourcetype}${action.actionid}`)
		.digest();
	return same(Buffer.from(typeof action.hmac === 'string' ? action.hmac : '', 'base64'), expected);
}

/** Checks an action in the order onOffice reports its errors, then hands it to its handler. */
function authorise(
	ctx: ActionContext,
	action: Record<string, unknown>,
	hmacValid: boolean,
	step: UploadStep | undefined,
	resourceid: string,
): ActionResult {
	const actionid = String(action.actionid ?? '');
	const resourcetype = String(action.resourcetype ?? '');
	if (!actionid) throw new ActionError(16);
	if (!knownActions.has(actionid)) throw new ActionError(23, actionid);
	if (!RESOURCES[actionid].includes(resourcetype)) throw new ActionError(25, resourcetype);
	if (String(action.hmac_version) !== '2') throw new ActionError(137);
	const timestamp = Number(action.timestamp);
	if (!Number.isFinite(timestamp) || Math.abs(ctx.now() - timestamp) > 120)
		throw new ActionError(136);
	if (!hmacValid) throw new ActionError(137);
	const params = action.parameters;
	if (typeof params !== 'object' || params === null || Array.isArray(params))
		throw new ActionError(20);
	const injected = ctx.faults.forAction(action, step);
	if (injected !== undefined) throw new ActionError(injected);
	return dispatch(
		ctx.store,
		ctx.behaviour,
		actionid,
		resourcetype,
		resourceid,
		params as Record<string, unknown>,
	);
}

/** Carries one action out and answers it: its result, or its error with `data: []`. Logs it on `entry`. */
export function runAction(
	ctx: ActionContext,
	action: Record<string, unknown>,
	entry: LoggedRequest,
): Record<string, unknown> {
	const actionid = String(action.actionid ?? '');
	const resourcetype = String(action.resourcetype ?? '');
	const resourceid =
		action.resourceid === null || action.resourceid === undefined ? '' : String(action.resourceid);
	const step = uploadStep(resourcetype, (action.parameters ?? {}) as Record<string, unknown>);
	const hmacValid = hmacMatches(ctx, action);
	const logged = logAction(action, step, hmacValid);
	entry.actions.push(logged);
	const base = { actionid, resourceid, resourcetype, identifier: action.identifier ?? '' };
	let result: ActionResult;
	try {
		result = authorise(ctx, action, hmacValid, step, resourceid);
	} catch (error) {
		const code = error instanceof ActionError ? error.code : 1;
		logged.errorcode = code;
		return {
			...base,
			cacheable: false,
			data: [],
			status: {
				errorcode: code,
				message: error instanceof ActionError ? error.message : messageFor(1),
			},
		};
	}
	return {
		...base,
		// "All API calls from the type read or get are cacheable."
		cacheable: actionid === ACTION.read || actionid === ACTION.get,
		data: { meta: { cntabsolute: result.cntabsolute ?? null }, records: result.records },
		status: { errorcode: 0, message: 'OK' },
	};
}
