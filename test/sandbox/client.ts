// A minimal signed client for testing the sandbox directly (the node's own transport is tested through n8n).
import {
	signRequestBody,
	ONOFFICE_ACTION,
	type OnOfficeUnsignedAction,
} from '../../credentials/onOfficeSignature';
import type { OnOfficeSandbox } from './server';

export { ONOFFICE_ACTION };

export interface CallOptions {
	token?: string;
	secret?: string;
	timestamp?: number;
	/** Change the signed body before it is sent (to break it on purpose). */
	tamper?: (body: Record<string, any>) => void;
	raw?: string;
	contentType?: string;
}

export async function call(
	sandbox: OnOfficeSandbox,
	actions: Array<Partial<OnOfficeUnsignedAction> & Record<string, unknown>>,
	options: CallOptions = {},
) {
	const unsigned = actions.map((a, i) => ({
		resourceid: '',
		identifier: String(i),
		parameters: {},
		...a,
	})) as OnOfficeUnsignedAction[];
	const body = signRequestBody(
		{ request: { actions: unsigned } },
		options.token ?? sandbox.token,
		options.secret ?? sandbox.secret,
		options.timestamp ?? Math.floor(Date.now() / 1000),
	) as unknown as Record<string, any>;
	options.tamper?.(body);
	const response = await fetch(sandbox.url, {
		method: 'POST',
		headers: { 'Content-Type': options.contentType ?? 'application/json' },
		body: options.raw ?? JSON.stringify(body),
	});
	const text = await response.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, json, text, date: response.headers.get('date') };
}

export function doUpload(parameters: Record<string, unknown>, identifier = '0') {
	return { actionid: ONOFFICE_ACTION.do, resourcetype: 'uploadfile', identifier, parameters };
}

/** The single result's status and first record's elements. */
export function first(answer: { json: any }) {
	const result = answer.json.response.results[0];
	return { status: result.status, elements: result.data?.records?.[0]?.elements, result };
}
