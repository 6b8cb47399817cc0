// What every handler takes and gives back: an action's parameters, read as onOffice reads them, and the records
// of its answer.
import { ActionError } from '../contract';

export interface ActionResult {
	records: Array<{ id: number | string; type: string | null; elements: unknown }>;
	cntabsolute?: number | null;
}

export type Params = Record<string, unknown>;

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

export function bool(value: unknown): boolean | undefined {
	if (value === undefined || value === null) return undefined;
	return value === true || value === 1 || value === '1' || value === 'true';
}

/** The error code for a record id the module does not know. */
export function unknownRecordCode(module: string): number {
	return module === 'estate' ? 293 : module === 'address' ? 292 : 80;
}
