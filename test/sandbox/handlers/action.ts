// What every handler takes and gives back: an action's parameters, read as onOffice reads them, and the records
// of its answer.
import { ActionError } from '../contract';

export interface ActionResult {
	records: Array<{ id: number | string; type: string | null; elements: unknown }>;
	cntabsolute?: number | null;
}

export type Params = Record<string, unknown>;

/** Switches that change how the sandbox answers, read at each action (tests flip them while it runs). */
export interface Behaviour {
	/** Whether the API user may read estates and addresses; without, reads find nothing and `get file` is refused. */
	readRights: boolean;
	/** How a search word matches a field: anywhere in it, or at its start. */
	searchMatch: 'contains' | 'prefix';
}

export function present(p: Params, key: string): boolean {
	return p[key] !== undefined && p[key] !== null && p[key] !== '';
}

export function requireParam(p: Params, key: string): unknown {
	if (!present(p, key)) throw new ActionError(167, key);
	return p[key];
}

/** onOffice accepts integers and their string form ("97") for ids. */
export function integer(p: Params, key: string): number {
	const value = requireParam(p, key);
	const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n)) throw new ActionError(228, key);
	return n;
}

/** `listlimit` (default 20, at most `max`) and `listoffset` (default 0); out of range: 255. */
export function paging(p: Params, max: number): { limit: number; offset: number } {
	const limit = present(p, 'listlimit') ? integer(p, 'listlimit') : 20;
	if (limit < 1 || limit > max) throw new ActionError(255, 'listlimit');
	const offset = present(p, 'listoffset') ? integer(p, 'listoffset') : 0;
	if (offset < 0) throw new ActionError(255, 'listoffset');
	return { limit, offset };
}

export function bool(value: unknown): boolean | undefined {
	if (value === undefined || value === null) return undefined;
	return value === true || value === 1 || value === '1' || value === 'true';
}

/** The error code for a record id the module does not know. */
export function unknownRecordCode(module: string): number {
	return module === 'estate' ? 293 : module === 'address' ? 292 : 80;
}
