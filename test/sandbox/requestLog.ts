// What the sandbox keeps of every request it received, for the tests and for /__sandbox/requests.
import type { FaultRule } from './faults';
import type { UploadStep } from './handlers';

export interface LoggedAction {
	actionid: string;
	resourcetype: string;
	resourceid: string;
	identifier: string;
	timestamp: unknown;
	/** The hmac as received, so the secret-hygiene tests can look for it in everything the node produced. */
	hmac: string;
	hmacValid: boolean;
	step?: UploadStep;
	/** Parameters as sent, with an upload block's `data` (a string) replaced by its length (`dataChars`). */
	parameters: Record<string, unknown>;
	dataChars?: number;
	errorcode: number;
}

export interface LoggedRequest {
	seq: number;
	at: number;
	path: string;
	bytes: number;
	httpStatus: number;
	contentType?: string;
	fault?: FaultRule['kind'];
	/** The upload step of the first action, known even when a fault stopped the request. */
	step?: UploadStep;
	/** A held request (fault hold): the client closed the connection, not the sandbox. */
	closedByClient?: boolean;
	topErrorcode?: number;
	actions: LoggedAction[];
}

/** An action as logged: its parameters without block data, the action id without its URN prefix. */
export function logAction(
	action: Record<string, unknown>,
	step: UploadStep | undefined,
	hmacValid: boolean,
): LoggedAction {
	const parameters = (action.parameters ?? {}) as Record<string, unknown>;
	// Only an upload block's `data` goes; a read's (the field names it asks for) stays.
	const { data, ...rest } = parameters;
	const block = typeof data === 'string';
	return {
		actionid: String(action.actionid ?? '').replace(
			'urn:onoffice-de-ns:smart:2.5:smartml:action:',
			'',
		),
		resourcetype: String(action.resourcetype ?? ''),
		resourceid:
			action.resourceid === null || action.resourceid === undefined
				? ''
				: String(action.resourceid),
		identifier: String(action.identifier ?? ''),
		timestamp: action.timestamp,
		hmac: typeof action.hmac === 'string' ? action.hmac : '',
		hmacValid,
		step,
		parameters: block ? rest : parameters,
		...(block ? { dataChars: data.length } : {}),
		errorcode: 0,
	};
}
