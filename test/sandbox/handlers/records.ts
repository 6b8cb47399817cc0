// Finding records: read estate, read address, and get search for estates (the quick search) and addresses. Without
// read rights every one of them answers "nothing", as onOffice does.
import { ActionError, ESTATE_TYPES, READ_LIMIT_MAX } from '../contract';
import type { Address, Estate, SandboxStore } from '../store';
import {
	bool,
	paging,
	requireParam,
	type ActionResult,
	type Behaviour,
	type Params,
} from './action';
import {
	field,
	filterOf,
	has,
	searchWords,
	sortKeys,
	sortRecords,
	wordsMatch,
	type Fields,
} from './filter';

const ESTATE_FIELDS: Fields<Estate> = {
	Id: field((e) => e.id, true),
	objektnr_extern: field((e) => e.objektnr_extern),
	objekttitel: field((e) => e.objekttitel),
	objekttyp: field((e) => e.objekttyp),
	vermarktungsart: field((e) => e.vermarktungsart),
	strasse: field((e) => e.strasse),
	hausnummer: field((e) => e.hausnummer),
	plz: field((e) => e.plz),
	ort: field((e) => e.ort),
	wohnflaeche: field((e) => e.wohnflaeche, true),
	status: field((e) => e.status, true),
};

const defaultEmail = (a: Address) => a.emails[0]?.address ?? '';

const ADDRESS_FIELDS: Fields<Address> = {
	KdNr: field((a) => a.KdNr, true),
	Vorname: field((a) => a.Vorname),
	Name: field((a) => a.Name),
	Firma: field((a) => a.Firma),
	/** The main e-mail only. */
	Email: field(defaultEmail),
	Status: field((a) => a.Status, true),
	/** Every e-mail entry: read back as one `email__<entryId>` key each; a filter holds when any entry satisfies it. */
	email: {
		values: (a) => a.emails.map((m) => m.address),
		elements: (a) => Object.fromEntries(a.emails.map((m) => [`email__${m.id}`, m.address])),
	},
};

/** The quick search sorts by these only. */
const QUICK_SEARCH_SORT = ['objektnr_extern', 'ort', 'strasse', 'hausnummer'];

/** The fields `data` asks for (141 for one the module does not have); none given: every field. */
function requested<R>(p: Params, fields: Fields<R>): string[] {
	if (p.data === undefined || p.data === null) return Object.keys(fields);
	if (!Array.isArray(p.data)) throw new ActionError(74);
	const names = p.data.map(String);
	const unknown = names.find((name) => !has(fields, name));
	if (unknown !== undefined) throw new ActionError(141, unknown);
	return names.length > 0 ? names : Object.keys(fields);
}

function elementsOf<R>(record: R, names: string[], fields: Fields<R>): Record<string, unknown> {
	return Object.assign({}, ...names.map((name) => fields[name].elements(record, name)));
}

/**
 * One page of a read: a `resourceid` reads that one record and ignores `filter`; otherwise `filter`, `sortby`,
 * `listlimit` and `listoffset`, and `cntabsolute` counts every match. The parameters are checked even without
 * read rights.
 */
function readPage<R extends { id: number }>(
	all: R[],
	fields: Fields<R>,
	behaviour: Behaviour,
	resourceid: string,
	p: Params,
	objectSort: boolean,
) {
	const names = requested(p, fields);
	const keep =
		resourceid === '' ? filterOf(p.filter, fields) : (r: R) => String(r.id) === resourceid;
	const keys = sortKeys(p, Object.keys(fields), objectSort);
	const { limit, offset } = paging(p, READ_LIMIT_MAX);
	const found = behaviour.readRights ? sortRecords(all.filter(keep), keys, fields) : [];
	return { names, page: found.slice(offset, offset + limit), total: found.length };
}

export function readEstates(
	store: SandboxStore,
	behaviour: Behaviour,
	resourceid: string,
	p: Params,
): ActionResult {
	// `sortby` is an object here, or a string with `sortorder`.
	const { names, page, total } = readPage(
		store.estates,
		ESTATE_FIELDS,
		behaviour,
		resourceid,
		p,
		true,
	);
	return {
		records: page.map((e) => ({
			id: e.id,
			type: 'estate',
			elements: elementsOf(e, names, ESTATE_FIELDS),
		})),
		cntabsolute: total,
	};
}

export function readAddresses(
	store: SandboxStore,
	behaviour: Behaviour,
	resourceid: string,
	p: Params,
): ActionResult {
	let all = store.addresses;
	if (p.recordids !== undefined && p.recordids !== null) {
		if (!Array.isArray(p.recordids)) throw new ActionError(74);
		const ids = p.recordids.map(String);
		all = all.filter((a) => ids.includes(String(a.id)));
	}
	const { names, page, total } = readPage(all, ADDRESS_FIELDS, behaviour, resourceid, p, false);
	return {
		records: page.map((a) => ({
			id: a.id,
			type: 'address',
			elements: { id: a.id, ...elementsOf(a, names, ADDRESS_FIELDS) },
		})),
		cntabsolute: total,
	};
}

/** `input` as words: mandatory and not empty. */
function inputWords(p: Params): string[] {
	const words = searchWords(requireParam(p, 'input'));
	if (words.length === 0) throw new ActionError(167, 'input');
	return words;
}

/** The quick search: every word in the property number, city, street, house number or the owner's name. */
function searchEstates(store: SandboxStore, behaviour: Behaviour, p: Params): ActionResult {
	const words = inputWords(p);
	const keep = filterOf(p.filter, ESTATE_FIELDS);
	const keys = sortKeys(p, QUICK_SEARCH_SORT, false);
	if (!behaviour.readRights) return { records: [], cntabsolute: null };
	const found = store.estates.filter((e) => {
		const owner = store.address(e.owner);
		const texts = [
			e.objektnr_extern,
			e.ort,
			e.strasse,
			e.hausnummer,
			owner?.Vorname ?? '',
			owner?.Name ?? '',
		];
		return keep(e) && wordsMatch(words, texts, behaviour.searchMatch);
	});
	const records = sortRecords(found, keys, ESTATE_FIELDS).map((e) => {
		const owner = store.address(e.owner);
		const elements = {
			externalestateno: e.objektnr_extern,
			zipcode: e.plz,
			city: e.ort,
			street: e.strasse,
			houseno: e.hausnummer,
			owner: owner ? [owner.Vorname, owner.Name].filter(Boolean).join(' ') : '',
			type: ESTATE_TYPES[e.objekttyp] ?? e.objekttyp,
		};
		return { id: e.id, type: 'estate', elements };
	});
	return { records, cntabsolute: null };
}

/** Names, company, customer number and the default e-mail; with `includecontactdata` every e-mail and phone entry. */
function searchAddresses(store: SandboxStore, behaviour: Behaviour, p: Params): ActionResult {
	const words = inputWords(p);
	const contactData = bool(p.includecontactdata) === true;
	const caseSensitive = bool(p.casesensitive) === true;
	const keys = sortKeys(p, Object.keys(ADDRESS_FIELDS), false);
	// Only `listlimit` is documented for this search, no `listoffset`.
	const { limit } = paging({ listlimit: p.listlimit }, READ_LIMIT_MAX);
	if (!behaviour.readRights) return { records: [], cntabsolute: null };
	const found = store.addresses.filter((a) => {
		const contacts = contactData
			? [...a.emails.map((m) => m.address), ...a.phones]
			: [defaultEmail(a)];
		return wordsMatch(
			words,
			[a.Vorname, a.Name, a.Firma, a.KdNr, ...contacts],
			behaviour.searchMatch,
			caseSensitive,
		);
	});
	const records = sortRecords(found, keys, ADDRESS_FIELDS)
		.slice(0, limit)
		.map((a) => ({
			id: a.id,
			type: 'address',
			elements: {
				customerno: a.KdNr,
				surname: a.Name,
				firstname: a.Vorname,
				company: a.Firma,
				addressDescription: [a.Vorname, a.Name].filter(Boolean).join(' ') || a.Firma,
				emailaddress: a.emails.map((m) => m.address),
				primaryEmail: defaultEmail(a),
			},
		}));
	return { records, cntabsolute: null };
}

export function search(
	store: SandboxStore,
	behaviour: Behaviour,
	resourceid: string,
	p: Params,
): ActionResult {
	if (resourceid === 'estate') return searchEstates(store, behaviour, p);
	if (resourceid === 'address') return searchAddresses(store, behaviour, p);
	throw new ActionError(255, 'resourceid');
}
