// Reading onOffice's answer: the envelope's status, one outcome per action matched by identifier, the records.
import type { INode } from 'n8n-workflow';

import type { OnOfficeUnsignedAction } from '../../../credentials/onOfficeSignature';
import { onOfficeApiError, type OnOfficeErrorDetails } from './errors';
import type { SendOptions } from './http';

export interface OnOfficeRecord {
	id: number | string;
	type: string | null;
	elements: Record<string, unknown> | unknown[];
}

/** What became of one action: its records, or onOffice's error for it. */
export type ActionOutcome =
	| { ok: true; records: OnOfficeRecord[]; total: number | null }
	| { ok: false; error: OnOfficeErrorDetails };

interface Envelope {
	status?: { code?: unknown; errorcode?: unknown; message?: unknown };
	response?: { results?: unknown };
}

interface RawResult {
	identifier?: unknown;
	data?: { meta?: { cntabsolute?: unknown }; records?: unknown } | unknown[];
	status?: { errorcode?: unknown; message?: unknown };
}

function toCode(value: unknown): number | undefined {
	const n = typeof value === 'string' ? Number(value) : value;
	return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function parseEnvelope(raw: unknown): Envelope | undefined {
	let value = raw;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const envelope = value as Envelope;
	return typeof envelope.status === 'object' && envelope.status !== null ? envelope : undefined;
}

export function readOutcomes(
	node: INode,
	raw: unknown,
	actions: OnOfficeUnsignedAction[],
	opts: SendOptions,
): ActionOutcome[] {
	const envelope = parseEnvelope(raw);
	if (!envelope) {
		throw onOfficeApiError(node, {
			level: 'http',
			message:
				'the answer was not onOffice API JSON. Check that the credential points at the onOffice API endpoint (…/api.php), not a web page or proxy',
			hint: 'In the onOffice API credential, API Version Stable or Latest is right for onOffice itself; a Custom URL must end in /api.php. If a proxy sits in between, it may have answered instead.',
			doing: opts.doing,
		});
	}
	const topCode = toCode(envelope.status?.code);
	const topError = toCode(envelope.status?.errorcode);
	const topMessage = String(envelope.status?.message ?? 'no message');
	// 97 "Error in action" is the documented summary of per-action errors; anything else non-zero is the request's.
	if (
		(topCode !== undefined && topCode !== 200) ||
		(topError !== undefined && topError !== 0 && topError !== 97)
	) {
		throw onOfficeApiError(node, {
			level: 'request',
			code: topError,
			message: topMessage,
			doing: opts.doing,
		});
	}
	const results = Array.isArray(envelope.response?.results)
		? (envelope.response!.results as RawResult[])
		: [];
	const byIdentifier = new Map<string, RawResult>();
	for (const result of results) {
		if (result && typeof result === 'object')
			byIdentifier.set(String(result.identifier ?? ''), result);
	}
	return actions.map((action): ActionOutcome => {
		const result = byIdentifier.get(action.identifier);
		if (!result) {
			return {
				ok: false,
				error: {
					level: 'action',
					message: 'onOffice sent no result for this action',
					doing: opts.doing,
				},
			};
		}
		const code = toCode(result.status?.errorcode);
		if (code !== 0) {
			return {
				ok: false,
				error: {
					level: 'action',
					code,
					message: String(result.status?.message ?? 'no message'),
					doing: opts.doing,
				},
			};
		}
		const data = Array.isArray(result.data) ? undefined : result.data;
		const records = Array.isArray(data?.records) ? (data!.records as OnOfficeRecord[]) : [];
		const total = toCode(data?.meta?.cntabsolute) ?? null;
		return { ok: true, records, total };
	});
}

/** The elements of a result's first record, which is where uploadfile answers. */
export function firstElements(records: OnOfficeRecord[]): Record<string, unknown> {
	const elements = records[0]?.elements;
	return elements && !Array.isArray(elements) ? elements : {};
}
