import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	LIST_PAGE,
	readAddresses,
	readEstates,
	readRefusal,
	readRightText,
	seesAny,
	searchAddresses,
	searchEstates,
} from '../resources/records';
import type { FoundRecord, RecordKind } from '../types';
import { EDITOR_SEND, requireCredential } from './editor';

const asItems = (records: FoundRecord[]): INodeListSearchItems[] =>
	records.map((r) => ({ name: r.label, value: String(r.id) }));

/**
 * The list of a record field: with nothing typed, every record a page at a time (the next page as the user
 * scrolls); with text, onOffice's own search. An API user that may not read this kind of record sees an error that
 * says so, rather than an empty list that looks like an empty onOffice.
 */
async function listRecords(
	ctx: ILoadOptionsFunctions,
	kind: RecordKind,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	await requireCredential(ctx, kind === 'estate' ? 'the estates' : 'the addresses');
	const typed = (filter ?? '').trim();
	const offset = Number(paginationToken ?? 0) || 0;
	let page: { records: FoundRecord[]; total: number | null };
	try {
		if (typed !== '')
			page = {
				records:
					kind === 'estate'
						? await searchEstates(ctx, typed, EDITOR_SEND)
						: await searchAddresses(ctx, typed, LIST_PAGE, EDITOR_SEND),
				total: null,
			};
		else
			page = await (kind === 'estate' ? readEstates : readAddresses)(
				ctx,
				offset,
				LIST_PAGE,
				EDITOR_SEND,
			);
	} catch (error) {
		// An onOffice refusal in words (which right is missing); anything else as it came.
		const refusal = readRefusal(error, kind);
		throw new NodeOperationError(ctx.getNode(), refusal ?? (error as Error));
	}
	const { records, total } = page;
	// onOffice answers "nothing" when the API user may not read this kind of record: an empty list says so, and a
	// search that found nothing is told from one that could not find anything by one read of a single record.
	const readsNone =
		offset === 0 &&
		records.length === 0 &&
		(typed === '' || !(await seesAny(ctx, kind, EDITOR_SEND)));
	if (readsNone) {
		// The editor shows only the message of a list's error, so the advice is in it.
		throw new NodeOperationError(
			ctx.getNode(),
			`The API user can read no ${kind === 'estate' ? 'estates' : 'addresses'}: give it the right to read them in onOffice, or use By ID, which needs no read`,
			{
				description: `onOffice answered with an empty list, which is what it answers when the API user lacks ${readRightText(kind)}. Give it that right, or name the record By ID, which needs no read.`,
			},
		);
	}
	const next = offset + records.length;
	const more = typed === '' && records.length === LIST_PAGE && (total === null || next < total);
	return { results: asItems(records), ...(more ? { paginationToken: String(next) } : {}) };
}

/** Estates: `PC910 · Musterstraße 12, 52064 Aachen · Einfamilienhaus (409)`. */
export async function listEstates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return listRecords(this, 'estate', filter, paginationToken);
}

/** Contacts: `Max Mustermann · Muster GmbH · max@example.com (7)`. */
export async function listAddresses(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return listRecords(this, 'address', filter, paginationToken);
}
