// What the editor's lists share: how long the editor waits for onOffice, and the credential they need first.
import type { ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE, type SendOptions } from '../transport/http';

/**
 * The editor waits for a list while a person looks at it: one retry, and at most 30 s per request rather than the
 * run-time timeout of minutes (the record lists show their slow-load notice after 10 s).
 */
export const EDITOR_SEND: Partial<SendOptions> = { retries: 1, timeoutMs: 30_000 };

/** A list read from onOffice needs the credential: without one, the list says so instead of failing on the request. */
export async function requireCredential(ctx: ILoadOptionsFunctions, what: string): Promise<void> {
	try {
		await ctx.getCredentials(CREDENTIAL_TYPE);
	} catch {
		throw new NodeOperationError(
			ctx.getNode(),
			`Choose an onOffice API credential first: ${what} are read from your onOffice`,
		);
	}
}
