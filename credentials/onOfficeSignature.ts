import { createHmac, randomBytes } from 'crypto';

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

/**
 * A buffer lent to the credential for request bodies: the blocks of one file are sent one after another, so each
 * request's body can be written into the memory of the one before (which has been answered by then).
 */
export interface BodyBuffer {
	buffer?: Buffer;
}

/**
 * Bytes that a request carries as base64 text (uploadfile's `data`). The credential writes the text straight into
 * the request body, a slice at a time, so neither the block's base64 string nor the JSON text of the whole body is
 * ever made: a 4 MiB block costs its body buffer and a few 64 KiB strings that die young. Serialised any other way
 * (JSON.stringify), it is the plain base64 string.
 */
export class Base64Data {
	constructor(
		readonly bytes: Uint8Array,
		readonly bodyBuffer?: BodyBuffer,
	) {}

	get encodedLength(): number {
		return Math.ceil(this.bytes.length / 3) * 4;
	}

	toJSON(): string {
		return asBuffer(this.bytes).toString('base64');
	}
}

function asBuffer(bytes: Uint8Array): Buffer {
	return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Raw bytes encoded per slice: a multiple of 3, so the slices' base64 texts join without padding. */
const ENCODE_SLICE_BYTES = 3 * 16 * 1024;

/**
 * The request body as it goes on the wire. Without Base64Data it stays an object (JSON-encoded by the HTTP client);
 * with it, it becomes a Buffer holding exactly the bytes JSON.stringify would give, the base64 text written into
 * place without an intermediate string. Only action parameters are looked at: that is where onOffice takes data.
 */
export function serializeRequestBody<B extends OnOfficeRequestBody<OnOfficeUnsignedAction>>(
	body: B,
): B | Buffer {
	const payloads: Base64Data[] = [];
	// A random marker per request, so no text a user typed can be mistaken for the place of the data.
	const marker = `onoffice-base64-${randomBytes(9).toString('base64url')}-`;
	const actions = body.request.actions.map((action) => {
		let parameters: Record<string, unknown> | undefined;
		for (const [key, value] of Object.entries(action.parameters)) {
			if (!(value instanceof Base64Data)) continue;
			parameters ??= { ...action.parameters };
			parameters[key] = `${marker}${payloads.length}`;
			payloads.push(value);
		}
		return parameters ? { ...action, parameters } : action;
	});
	if (payloads.length === 0) return body;
	const json = JSON.stringify({ ...body, request: { ...body.request, actions } });
	const texts: string[] = [];
	let rest = json;
	for (let i = 0; i < payloads.length; i++) {
		const at = rest.indexOf(`"${marker}${i}"`);
		texts.push(rest.slice(0, at + 1));
		rest = rest.slice(at + 1 + `${marker}${i}`.length);
	}
	texts.push(rest);
	const length =
		texts.reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0) +
		payloads.reduce((sum, payload) => sum + payload.encodedLength, 0);
	const lent = payloads.find((payload) => payload.bodyBuffer)?.bodyBuffer;
	let reused = lent?.buffer;
	if (!reused || reused.length < length) {
		reused = Buffer.allocUnsafe(length);
		if (lent) lent.buffer = reused;
	}
	const out = reused;
	let offset = 0;
	texts.forEach((text, i) => {
		offset += out.write(text, offset, 'utf8');
		const payload = payloads[i];
		if (!payload) return;
		const bytes = asBuffer(payload.bytes);
		for (let start = 0; start < bytes.length; start += ENCODE_SLICE_BYTES) {
			const end = Math.min(start + ENCODE_SLICE_BYTES, bytes.length);
			offset += out.write(bytes.toString('base64', start, end), offset, 'latin1');
		}
	});
	if (offset !== length)
		throw new Error(
			`Internal error: the request body came out ${offset} bytes long, not ${length}`,
		);
	return out.subarray(0, offset);
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
		return {
			error: `The field "API Version" has an unknown value "${version}": choose Stable, Latest or Custom URL`,
		};
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
		return {
			error: `The field "Custom URL" ("${raw}") is not a valid URL: enter the full URL including https://`,
		};
	}
	if (parsed.protocol === 'https:') return { url: parsed.toString() };
	if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname))
		return { url: parsed.toString() };
	if (parsed.protocol === 'http:') {
		return {
			error: `The field "Custom URL" ("${parsed.origin}") uses http on a host that is not this machine: use https (plain http is only accepted for 127.0.0.1, localhost or [::1])`,
		};
	}
	return { error: `The field "Custom URL" must be an https URL, not "${parsed.protocol}"` };
}
