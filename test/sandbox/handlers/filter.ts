// A list of records read as onOffice reads it: the documented filter operators, sorting, and the search words.
// Text compares without regard to case (MySQL's default collation), accents and ß as written.
import { ActionError } from '../contract';
import type { Params } from './action';

export type Value = string | number;

/** How one field of a kind of record is filtered, sorted and read. */
export interface Field<R> {
	/** What a filter compares: one value, or several (a condition then holds when any one of them satisfies it). */
	values(record: R): Value[];
	/** What a read answers for the field, usually `{ [name]: "value" }`. */
	elements(record: R, name: string): Record<string, unknown>;
	numeric?: boolean;
}

export type Fields<R> = Record<string, Field<R>>;

/** Whether `key` is one of the object's own keys (not `constructor` or another inherited name). */
export const has = (object: object, key: string) =>
	Object.prototype.hasOwnProperty.call(object, key);

/** A field with one value; a read answers it as a string. */
export function field<R>(get: (record: R) => Value, numeric = false): Field<R> {
	return { values: (r) => [get(r)], elements: (r, name) => ({ [name]: String(get(r)) }), numeric };
}

const fold = (value: unknown, caseSensitive = false) =>
	caseSensitive ? String(value) : String(value).toLowerCase();

function compare(a: Value, b: unknown, numeric: boolean): number {
	if (numeric && Number.isFinite(Number(b))) return Number(a) - Number(b);
	const [x, y] = [fold(a), fold(b)];
	return x < y ? -1 : x > y ? 1 : 0;
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** MySQL's LIKE: `%` any run of characters, `_` one character, `\` takes the next one as it is. */
function like(value: Value, pattern: unknown): boolean {
	const chars = [...fold(pattern)];
	let source = '';
	for (let i = 0; i < chars.length; i++) {
		if (chars[i] === '\\' && i + 1 < chars.length) source += escape(chars[++i]);
		else source += chars[i] === '%' ? '.*' : chars[i] === '_' ? '.' : escape(chars[i]);
	}
	return new RegExp(`^${source}$`, 'su').test(fold(value));
}

const array = (val: unknown, length?: number) =>
	Array.isArray(val) && (length === undefined || val.length === length);

/** The documented operators: each tells whether a value satisfies `op val`, and what `val` must be. */
const OPERATORS: Record<
	string,
	{
		valid?: (val: unknown) => boolean;
		holds: (a: Value, val: unknown, numeric: boolean) => boolean;
	}
> = {
	'=': { holds: (a, v, n) => compare(a, v, n) === 0 },
	'!=': { holds: (a, v, n) => compare(a, v, n) !== 0 },
	'>': { holds: (a, v, n) => compare(a, v, n) > 0 },
	'<': { holds: (a, v, n) => compare(a, v, n) < 0 },
	'>=': { holds: (a, v, n) => compare(a, v, n) >= 0 },
	'<=': { holds: (a, v, n) => compare(a, v, n) <= 0 },
	between: {
		valid: (v) => array(v, 2),
		holds: (a, v, n) =>
			compare(a, (v as unknown[])[0], n) >= 0 && compare(a, (v as unknown[])[1], n) <= 0,
	},
	like: { holds: (a, v) => like(a, v) },
	'not like': { holds: (a, v) => !like(a, v) },
	in: {
		valid: (v) => array(v),
		holds: (a, v, n) => (v as unknown[]).some((x) => compare(a, x, n) === 0),
	},
	'not in': {
		valid: (v) => array(v),
		holds: (a, v, n) => !(v as unknown[]).some((x) => compare(a, x, n) === 0),
	},
};
OPERATORS.is = OPERATORS['='];
OPERATORS['<>'] = OPERATORS['!='];

/**
 * The records a `filter` parameter lets through: `{"field": [{"op": "=", "val": 1}, …], …}`, every condition of
 * every field ANDed. An unknown field is `unknownField` (145), an unknown operator 142, a bad `val` 257.
 */
export function filterOf<R>(
	filter: unknown,
	fields: Fields<R>,
	unknownField = 145,
): (record: R) => boolean {
	if (filter === undefined || filter === null || (Array.isArray(filter) && filter.length === 0))
		return () => true;
	if (typeof filter !== 'object' || Array.isArray(filter))
		throw new ActionError(257, 'filter must be an object');
	const tests = Object.entries(filter as Record<string, unknown>).flatMap(([name, conditions]) => {
		if (!has(fields, name)) throw new ActionError(unknownField, name);
		const known = fields[name];
		if (!Array.isArray(conditions))
			throw new ActionError(257, `${name} takes a list of conditions`);
		return conditions.map((condition: { op?: unknown; val?: unknown }) => {
			const operator =
				typeof condition?.op === 'string' && has(OPERATORS, condition.op)
					? OPERATORS[condition.op]
					: undefined;
			if (!operator) throw new ActionError(142, String(condition?.op));
			if (condition.val === undefined || (operator.valid && !operator.valid(condition.val))) {
				throw new ActionError(257, `invalid val for ${name} ${condition.op}`);
			}
			return (record: R) =>
				known
					.values(record)
					.some((value) => operator.holds(value, condition.val, known.numeric ?? false));
		});
	});
	return (record) => tests.every((test) => test(record));
}

export interface SortKey {
	name: string;
	descending: boolean;
}

function direction(value: unknown, parameter: string): boolean {
	const order = String(value ?? 'ASC').toUpperCase();
	if (order !== 'ASC' && order !== 'DESC') throw new ActionError(255, parameter);
	return order === 'DESC';
}

/**
 * `sortby` as a field name plus `sortorder`, or (where `objectForm`) an object `{"field": "ASC", …}`. A field not in
 * `sortable` is 212.
 */
export function sortKeys(p: Params, sortable: string[], objectForm: boolean): SortKey[] {
	const sortby = p.sortby;
	if (sortby === undefined || sortby === null || sortby === '') return [];
	const known = (name: string) => {
		if (!sortable.includes(name)) throw new ActionError(212);
		return name;
	};
	if (typeof sortby === 'string')
		return [{ name: known(sortby), descending: direction(p.sortorder, 'sortorder') }];
	if (!objectForm || typeof sortby !== 'object' || Array.isArray(sortby))
		throw new ActionError(255, 'sortby');
	return Object.entries(sortby).map(([name, order]) => ({
		name: known(name),
		descending: direction(order, 'sortby'),
	}));
}

/** Sorts by the keys, then by record number (the order among equals is not documented). */
export function sortRecords<R extends { id: number }>(
	records: R[],
	keys: SortKey[],
	fields: Fields<R>,
): R[] {
	return [...records].sort((a, b) => {
		for (const { name, descending } of keys) {
			const f = fields[name];
			const order = compare(f.values(a)[0] ?? '', f.values(b)[0] ?? '', f.numeric ?? false);
			if (order !== 0) return descending ? -order : order;
		}
		return a.id - b.id;
	});
}

/** Whether every word of a search is found in at least one of the texts (the words are ANDed). */
export function wordsMatch(
	words: string[],
	texts: Value[],
	match: 'contains' | 'prefix',
	caseSensitive = false,
): boolean {
	const haystack = texts.map((t) => fold(t, caseSensitive)).filter((t) => t !== '');
	return words.every((word) => {
		const w = fold(word, caseSensitive);
		return haystack.some((t) => (match === 'prefix' ? t.startsWith(w) : t.includes(w)));
	});
}

/** The words of a search input. */
export function searchWords(input: unknown): string[] {
	return String(input ?? '')
		.trim()
		.split(/\s+/)
		.filter(Boolean);
}
