// Estates and addresses as onOffice reads and searches them: estates by property number (ImmoNr) or the quick search,
// contacts by e-mail or the address search, and paged reads for the editor's list; each answer as a FoundRecord with
// the label a person recognises. The run-time lookups (./recordLookups) and the editor's list use these reads.
import { sendAction } from '../transport';
import { buildAction } from '../transport/actions';
import type { OnOfficeRecord } from '../transport/envelope';
import { onOfficeDetails } from '../transport/errors';
import type { OnOfficeContext, SendOptions } from '../transport/http';
import type { FoundRecord, RecordKind } from '../types';

/** onOffice reads at most 500 records per request. */
export const READ_LIMIT_MAX = 500;
/** How many records the editor's list shows per page. */
export const LIST_PAGE = 100;
/** How many candidates a lookup asks for: enough to list them when there are several. */
const CANDIDATES = 10;

const ESTATE_FIELDS = [
	'Id',
	'objektnr_extern',
	'strasse',
	'hausnummer',
	'plz',
	'ort',
	'objekttyp',
	'status',
];
const ADDRESS_FIELDS = ['Vorname', 'Name', 'Firma', 'Email'];
/** onOffice's estate status: 1 active, 2 pending (inactive), 0 archived. */
const ESTATE_STATUS: Record<string, string> = { '0': 'archived', '2': 'inactive' };

function elementsOf(record: OnOfficeRecord): Record<string, unknown> {
	return record.elements && !Array.isArray(record.elements) ? record.elements : {};
}

const str = (value: unknown) => (value === undefined || value === null ? '' : String(value).trim());
const joined = (parts: string[], separator: string) =>
	parts.filter((p) => p !== '').join(separator);
/** `einfamilienhaus` (a key, as a read answers without formatted output) as `Einfamilienhaus`. */
const readable = (key: string) =>
	key === '' ? '' : `${key[0].toUpperCase()}${key.slice(1).replace(/_/g, ' ')}`;

function estateRecord(
	id: number,
	e: {
		immonr: string;
		street: string;
		houseno: string;
		zip: string;
		city: string;
		type: string;
		status?: string;
	},
): FoundRecord {
	const place = joined([joined([e.street, e.houseno], ' '), joined([e.zip, e.city], ' ')], ', ');
	const state = e.status !== undefined ? ESTATE_STATUS[e.status] : undefined;
	return {
		id,
		label: `${joined([e.immonr, place, e.type, state ?? ''], ' · ')} (${id})`,
		keys: e.immonr ? [e.immonr] : [],
	};
}

/** An estate as `read estate` answers it (field names as in the administration). */
function fromEstateRead(record: OnOfficeRecord): FoundRecord {
	const e = elementsOf(record);
	return estateRecord(Number(record.id), {
		immonr: str(e.objektnr_extern),
		street: str(e.strasse),
		houseno: str(e.hausnummer),
		zip: str(e.plz),
		city: str(e.ort),
		type: readable(str(e.objekttyp)),
		status: str(e.status),
	});
}

/** An estate as the quick search answers it (its own English names). */
function fromEstateSearch(record: OnOfficeRecord): FoundRecord {
	const e = elementsOf(record);
	return estateRecord(Number(record.id), {
		immonr: str(e.externalestateno),
		street: str(e.street),
		houseno: str(e.houseno),
		zip: str(e.zipcode),
		city: str(e.city),
		type: str(e.type),
	});
}

function addressRecord(
	id: number,
	name: string,
	company: string,
	emails: string[],
	shown: string | undefined,
): FoundRecord {
	const lower = emails.map((m) => m.toLowerCase());
	return {
		id,
		label: `${joined([name, company, shown ?? emails[0] ?? ''], ' · ')} (${id})`,
		keys: lower,
	};
}

function fromAddressRead(record: OnOfficeRecord): FoundRecord {
	const e = elementsOf(record);
	const emails = [str(e.Email)].filter(Boolean);
	return addressRecord(
		Number(record.id),
		joined([str(e.Vorname), str(e.Name)], ' '),
		str(e.Firma),
		emails,
		undefined,
	);
}

/** `shownFor`: the text typed, so that the e-mail it matched is the one shown (a contact may have several). */
function fromAddressSearch(record: OnOfficeRecord, shownFor = ''): FoundRecord {
	const e = elementsOf(record);
	const all = Array.isArray(e.emailaddress) ? e.emailaddress.map(str).filter(Boolean) : [];
	const primary = str(e.primaryEmail);
	const emails = [...new Set([primary, ...all].filter(Boolean))];
	const typed = shownFor.trim().toLowerCase();
	const shown =
		(typed && emails.find((m) => m.toLowerCase().includes(typed))) || primary || emails[0];
	return addressRecord(
		Number(record.id),
		joined([str(e.firstname), str(e.surname)], ' '),
		str(e.company),
		emails,
		shown,
	);
}

/** A page of estates in property-number order (the editor's list with nothing typed). */
export async function readEstates(
	ctx: OnOfficeContext,
	offset: number,
	limit: number,
	send: Partial<SendOptions>,
): Promise<{ records: FoundRecord[]; total: number | null }> {
	const action = buildAction(
		'read',
		'estate',
		{
			data: ESTATE_FIELDS,
			listlimit: limit,
			listoffset: offset,
			sortby: { objektnr_extern: 'ASC' },
		},
		{ identifier: 'estates' },
	);
	const { records, total } = await sendAction(ctx, action, {
		...send,
		doing: send.doing ?? 'reading estates',
	});
	return { records: records.map(fromEstateRead), total };
}

/** onOffice's estate quick search: ImmoNr, street (with house number), city and the owner's name. */
export async function searchEstates(
	ctx: OnOfficeContext,
	input: string,
	send: Partial<SendOptions>,
): Promise<FoundRecord[]> {
	const action = buildAction(
		'get',
		'search',
		{ input, sortby: 'objektnr_extern', sortorder: 'ASC' },
		{ resourceid: 'estate', identifier: 'search' },
	);
	const { records } = await sendAction(ctx, action, {
		...send,
		doing: send.doing ?? `searching estates for "${input}"`,
	});
	return records.map(fromEstateSearch);
}

/** A page of contacts by surname (the editor's list with nothing typed). */
export async function readAddresses(
	ctx: OnOfficeContext,
	offset: number,
	limit: number,
	send: Partial<SendOptions>,
): Promise<{ records: FoundRecord[]; total: number | null }> {
	const action = buildAction(
		'read',
		'address',
		{
			data: ADDRESS_FIELDS,
			listlimit: limit,
			listoffset: offset,
			sortby: 'Name',
			sortorder: 'ASC',
		},
		{ identifier: 'addresses' },
	);
	const { records, total } = await sendAction(ctx, action, {
		...send,
		doing: send.doing ?? 'reading addresses',
	});
	return { records: records.map(fromAddressRead), total };
}

/** onOffice's address search over names, company and customer number, and with contact data every e-mail entry. */
export async function searchAddresses(
	ctx: OnOfficeContext,
	input: string,
	limit: number,
	send: Partial<SendOptions>,
): Promise<FoundRecord[]> {
	const action = buildAction(
		'get',
		'search',
		{ input, includecontactdata: true, listlimit: limit },
		{ resourceid: 'address', identifier: 'search' },
	);
	const { records } = await sendAction(ctx, action, {
		...send,
		doing: send.doing ?? `searching addresses for "${input}"`,
	});
	return records.map((r) => fromAddressSearch(r, input));
}

/** The estates whose property number is exactly `value` (onOffice compares without regard to case). */
export async function estatesWithPropertyNumber(
	ctx: OnOfficeContext,
	value: string,
	send: Partial<SendOptions>,
): Promise<FoundRecord[]> {
	const action = buildAction(
		'read',
		'estate',
		{
			data: ESTATE_FIELDS,
			filter: { objektnr_extern: [{ op: '=', val: value }] },
			listlimit: CANDIDATES,
		},
		{ identifier: 'byPropertyNumber' },
	);
	const { records } = await sendAction(ctx, action, {
		...send,
		doing: `looking up the estate with the property number ${value}`,
	});
	return records
		.map(fromEstateRead)
		.filter((r) => r.keys.some((k) => k.toLowerCase() === value.toLowerCase()));
}

/** The contacts with `email` among their e-mail entries: the address search finds it anywhere, the match must be whole. */
export async function addressesWithEmail(
	ctx: OnOfficeContext,
	email: string,
	send: Partial<SendOptions>,
): Promise<FoundRecord[]> {
	const found = await searchAddresses(ctx, email, READ_LIMIT_MAX, {
		...send,
		doing: `looking up the contact with the e-mail ${email}`,
	});
	return found.filter((r) => r.keys.includes(email));
}

/** Whether the API user can read any record of the kind: onOffice answers "nothing" rather than an error without the right. */
export async function seesAny(
	ctx: OnOfficeContext,
	kind: RecordKind,
	send: Partial<SendOptions>,
): Promise<boolean> {
	const read = kind === 'estate' ? readEstates : readAddresses;
	const { records, total } = await read(ctx, 0, 1, {
		...send,
		doing: `checking whether the API user can read ${kind === 'estate' ? 'estates' : 'addresses'}`,
	});
	return records.length > 0 || (total ?? 0) > 0;
}

/** The right an API user needs for a kind of record, as onOffice's user settings name it. */
export function readRightText(kind: RecordKind): string {
	return `the right to read ${kind === 'estate' ? 'estates' : 'addresses'} (onOffice: Extras > Settings > User, the API user's rights, often "All")`;
}

/** A read of a kind of record that onOffice refused, e.g. for want of rights: said in words for the editor's list. */
export function readRefusal(error: unknown, kind: RecordKind): string | undefined {
	const details = onOfficeDetails(error);
	if (details?.level !== 'action') return undefined;
	return `onOffice refused to list ${kind === 'estate' ? 'estates' : 'addresses'} (onOffice code ${details.code ?? '?'}: ${details.message}). The API user may lack ${readRightText(kind)}.`;
}
