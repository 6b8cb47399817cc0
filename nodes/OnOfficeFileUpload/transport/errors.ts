import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * What to do about the onOffice error codes that concern the request, the API user and its credential. What to do
 * about a code that points at a field of the node is said where the fields are known (actions/itemErrors).
 */
const HINTS: Record<number, string> = {
	4: 'onOffice could not read the request as JSON. This is a bug in the node: please report it.',
	13: 'The request carried no valid token: check the token in the onOffice API credential (32 characters).',
	22: 'onOffice did not accept the token: copy it again from the API user (Extras > Settings > User); it has 32 characters.',
	97: "One of the actions failed; see the action's own error.",
	129: 'The temporary upload is unknown or was already used (a tmpUploadId works once). Run the upload again from the start.',
	136: 'The clock of the machine running n8n is more than 2 minutes off: synchronise it (NTP).',
	149: 'The API user may not read this estate: give it read rights for estates (often "All").',
	137: 'The signature was rejected: the secret (64 characters) or the token (32 characters) in the credential is wrong.',
	163: 'onOffice does not know this module name.',
	167: 'A parameter onOffice requires is missing: fill in the field named in the message.',
	213: 'onOffice rejected the file name: use a plain name without path separators or control characters, at most 255 bytes.',
	261: 'The API user may not write to this address: give it write rights for addresses (often "All").',
	262: 'The API user may not write to this estate: give it write rights for estates (often "All").',
};

export function hintFor(code: number | undefined): string | undefined {
	return code === undefined ? undefined : HINTS[code];
}

export interface OnOfficeErrorDetails {
	/** onOffice's error code, if onOffice answered. */
	code?: number;
	/** onOffice's own message, or a description of the HTTP failure. */
	message: string;
	httpCode?: number;
	/** Where the error came from: a top-level status, one action's status, or HTTP/transport. */
	level: 'request' | 'action' | 'http';
	/** What was being done, e.g. "uploading block 3 of 7". */
	doing?: string;
	/** What to do, where the onOffice code has no hint of its own (HTTP and network failures). */
	hint?: string;
	/** The request timed out: it may still be carried out by the server. */
	timeout?: boolean;
}

/**
 * A NodeApiError that carries onOffice's code, onOffice's message and a plain hint, and nothing from the
 * request (never the token, the secret or an hmac).
 */
export function onOfficeApiError(node: INode, details: OnOfficeErrorDetails): NodeApiError {
	const codeText = details.code !== undefined ? ` (onOffice code ${details.code})` : '';
	const prefix = details.doing ? `onOffice error while ${details.doing}` : 'onOffice error';
	const message = `${prefix}${codeText}: ${details.message}`;
	// The code's own hint first, then what the caller knows about its situation (e.g. which setting avoids the read).
	const hint =
		[hintFor(details.code), details.hint].filter((h) => h !== undefined && h !== '').join(' ') ||
		undefined;
	// onOffice's message goes under its own key: NodeApiError would otherwise repeat it as the description.
	const response: JsonObject = {
		onOfficeMessage: details.message,
		...(details.code !== undefined ? { onOfficeCode: details.code } : {}),
		...(details.httpCode !== undefined ? { httpCode: details.httpCode } : {}),
	};
	const error = new NodeApiError(node, response, {
		message,
		description: hint,
		httpCode: details.httpCode !== undefined ? String(details.httpCode) : undefined,
	});
	(error as NodeApiError & { onOffice?: OnOfficeErrorDetails }).onOffice = details;
	return error;
}

export function onOfficeDetails(error: unknown): OnOfficeErrorDetails | undefined {
	return (error as { onOffice?: OnOfficeErrorDetails } | undefined)?.onOffice;
}

/** Errors leave the transport as NodeApiError or NodeOperationError; anything else is wrapped. */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error));
}
