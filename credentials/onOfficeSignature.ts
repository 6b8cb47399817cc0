import { createHmac } from 'crypto';

/** The action ids of the onOffice API ("smartml 2.5"); the operation is chosen by actionid + resourcetype. */
export const ONOFFICE_ACTION = {
	read: 'urn:onoffice-de-ns:smart:2.5:smartml:action:read',
	create: 'urn:onoffice-de-ns:smart:2.5:smartml:action:create',
	modify: 'urn:onoffice-de-ns:smart:2.5:smartml:action:modify',
	delete: 'urn:onoffice-de-ns:smart:2.5:smartml:action:delete',
	get: 'urn:onoffice-de-ns:smart:2.5:smartml:action:get',
	do: 'urn:onoffice-de-ns:smart:2.5:smartml:action:do',
} as const;

export const ONOFFICE_PUBLIC_ENDPOINT = 'https://api.onoffice.de/api/{version}/api.php';

export type OnOfficeApiVersion = 'stable' | 'latest' | 'custom';

/** One action as the transport builds it, before the credential signs it. */
export interface OnOfficeUnsignedAction {
	actionid: string;
	resourceid: string;
	resourcetype: string;
	identifier: string;
	parameters: Record<string, unknown>;
}

export interface OnOfficeSignedAction extends OnOfficeUnsignedAction {
	timestamp: number;
	hmac: string;
	hmac_version: 2;
}

export interface OnOfficeRequestBody<A = OnOfficeUnsignedAction> {
	token?: string;
	request: { actions: A[] };
}

/**
 * HMAC v2 of one action: base64(HMAC-SHA256(secret, timestamp + token + resourcetype + actionid)).
 * Parameters, resourceid and identifier are not signed by version 2.
 */
export function hmacV2(
	secret: string,
	fields: { timestamp: number; token: string; resourcetype: string; actionid: string },
): string {
	const message = `${fields.timestamp}${fields.token}${fields.resourcetype}${fields.actionid}`;
	return createHmac('sha256', secret).update(message, 'utf8').digest('base64');
}

/**
 * Signs every action of a request body with one timestamp (one clock read per request, so the timestamp
 * sent and the timestamp signed can never differ) and puts the token at the top level.
 */
export function signRequestBody(
	body: OnOfficeRequestBody,
	token: string,
	secret: string,
	timestamp: number,
): OnOfficeRequestBody<OnOfficeSignedAction> {
	const actions = body.request.actions.map((action) => ({
		...action,
		timestamp,
		hmac_version: 2 as const,
		hmac: hmacV2(secret, {
			timestamp,
			token,
			resourcetype: action.resourcetype,
			actionid: action.actionid,
		}),
	}));
	return { ...body, token, request: { ...body.request, actions } };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isLoopbackHost(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * The endpoint a credential talks to. `stable` and `latest` are onOffice's public API; a custom URL must be
 * https, except on this machine's loopback (a local sandbox), so that the token never crosses a network in clear.
 * Returns an error text instead of throwing so that callers choose the error class.
 */
export function resolveEndpoint(
	apiVersion: string | undefined,
	customUrl: string | undefined,
): { url: string } | { error: string } {
	const version = apiVersion || 'stable';
	if (version === 'stable' || version === 'latest') {
		return { url: ONOFFICE_PUBLIC_ENDPOINT.replace('{version}', version) };
	}
	if (version !== 'custom') {
		return { error: `The field "API Version" has an unknown value "${version}": choose Stable, Latest or Custom URL` };
	}
	const raw = (customUrl ?? '').trim();
	if (raw === '') {
		return {
			error:
				'The field "Custom URL" is empty: enter the full endpoint URL, e.g. https://api.onoffice.de/api/stable/api.php',
		};
	}
	let parsed: URL;
	try {
		parsed = new URL(raw);
	} catch {
		return { error: `The field "Custom URL" ("${raw}") is not a valid URL: enter the full URL including https://` };
	}
	if (parsed.protocol === 'https:') return { url: parsed.toString() };
	if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return { url: parsed.toString() };
	if (parsed.protocol === 'http:') {
		return {
			error: `The field "Custom URL" ("${parsed.origin}") uses http on a host that is not this machine: use https (plain http is only accepted for 127.0.0.1, localhost or [::1])`,
		};
	}
	return { error: `The field "Custom URL" must be an https URL, not "${parsed.protocol}"` };
}
