// Link batches: many URL links in one request (one uploadfile action each, answered one by one), and which of them
// arrived when the answer is lost.
import type { IDataObject } from 'n8n-workflow';

import { sendActions } from '../transport';
import { buildAction } from '../transport/actions';
import type { ActionOutcome } from '../transport/envelope';
import { asNodeError, onOfficeDetails } from '../transport/errors';
import type { OnOfficeContext, SendOptions } from '../transport/http';
import { stopDetails, withOutcome } from '../transport/stop';
import type { RecordFile } from '../types';
import { filesArrivedSince } from './recordFiles';

export interface LinkRequest {
	relatedRecordId: number;
	url: string;
	parameters: IDataObject;
	/** The ids on the estate before the request, where the execution read them (see ArrivalCheck). */
	knownBefore?: Set<number>;
}

/**
 * Link uploads of many items in one request: one action each, answered independently. A lost answer is checked by
 * reading the estates' files; links that arrived are reported, the others are sent once more.
 */
export async function addLinks(
	ctx: OnOfficeContext,
	links: LinkRequest[],
	send: Partial<SendOptions>,
): Promise<ActionOutcome[]> {
	const actions = links.map((link, i) =>
		buildAction('do', 'uploadfile', link.parameters, { identifier: `link-${i}` }),
	);
	const startedAtMs = Date.now();
	// Once the batch was sent and no answer read, a stop leaves its links' fate open: they may have been added.
	let sent = false;
	const inDoubt = (error: unknown) => {
		const stop = stopDetails(error);
		if (!stop || !(sent || stop.inFlight)) return error;
		const estates = [...new Set(links.map((l) => l.relatedRecordId))].join(', ');
		return withOutcome(
			ctx.getNode(),
			error,
			`the request with ${links.length} link(s) had been sent, so onOffice may have added them all the same: look at estate ${estates} before running these items again`,
		);
	};
	try {
		return await sendActions(ctx, actions, {
			...send,
			retries: 0,
			doing: `adding ${links.length} link(s)`,
		});
	} catch (error) {
		const details = onOfficeDetails(error);
		if (details?.level !== 'http' || details.httpCode === 413)
			throw asNodeError(ctx.getNode(), inDoubt(error));
		sent = true;
		return await recoverLinks(ctx, links, actions, startedAtMs, send).catch((later: unknown) => {
			throw inDoubt(later);
		});
	}
}

/** After a lost answer: links that arrived are reported, the others are sent once more. */
async function recoverLinks(
	ctx: OnOfficeContext,
	links: LinkRequest[],
	actions: ReturnType<typeof buildAction>[],
	startedAtMs: number,
	send: Partial<SendOptions>,
): Promise<ActionOutcome[]> {
	const arrived = await linksThatArrived(ctx, links, startedAtMs, send);
	const missing = links.map((_, i) => i).filter((i) => arrived[i] === undefined);
	const resent = missing.length
		? await sendActions(
				ctx,
				missing.map((i) => actions[i]),
				{ ...send, retries: 0, doing: `adding ${missing.length} link(s) again` },
			)
		: [];
	return links.map((_, i): ActionOutcome => {
		const fileId = arrived[i];
		if (fileId !== undefined) {
			return {
				ok: true,
				total: null,
				records: [
					{
						id: 0,
						type: '',
						elements: { fileId: String(fileId), success: 'success', recovered: true },
					},
				],
			};
		}
		return resent[missing.indexOf(i)];
	});
}

async function linksThatArrived(
	ctx: OnOfficeContext,
	links: LinkRequest[],
	startedAtMs: number,
	send: Partial<SendOptions>,
): Promise<Array<number | undefined>> {
	const byEstate = new Map<number, RecordFile[]>();
	for (const estateId of new Set(links.map((l) => l.relatedRecordId))) {
		let files: RecordFile[] = [];
		try {
			files = await filesArrivedSince(
				ctx,
				'estate',
				estateId,
				startedAtMs,
				(f) => f.url !== undefined,
				send,
				{
					doing: `checking the links of estate ${estateId}`,
					knownBefore: links.find((l) => l.relatedRecordId === estateId)?.knownBefore,
				},
			);
		} catch (error) {
			// An estate whose files onOffice refuses to list (e.g. unknown, 293): its links are sent again and get
			// their own answer. A request that failed outright leaves the links in doubt: stop.
			if (onOfficeDetails(error)?.level !== 'action') throw asNodeError(ctx.getNode(), error);
		}
		byEstate.set(estateId, files);
	}
	const claimed = new Set<number>();
	return links.map((link) => {
		const hit = (byEstate.get(link.relatedRecordId) ?? []).find(
			(f) => f.url === link.url && !claimed.has(f.fileId),
		);
		if (hit) claimed.add(hit.fileId);
		return hit?.fileId;
	});
}
