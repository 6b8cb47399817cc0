// The run-time lookups of one execution: an estate by its property number (ImmoNr), a contact by one of its e-mail
// addresses. Each distinct value is looked up once, however many items name it, and the answer is kept (a failed
// request is not: the next item asks again). What the answer means is said here; how to tell the person is not.
import { lookupKey, RECORD_MODE } from '../helpers/recordLocator';
import type { OnOfficeContext, SendOptions } from '../transport/http';
import type { FoundRecord, RecordKind } from '../types';
import { addressesWithEmail, estatesWithPropertyNumber, seesAny } from './records';

/**
 * What a lookup came to: the records that match exactly (onOffice's filters and searches find more), and, where none
 * does, whether the API user can read any record of the kind at all: without the right onOffice answers "nothing"
 * rather than an error, so an empty answer alone does not say the record is missing.
 */
export interface Lookup {
	matches: FoundRecord[];
	/** Only where nothing matched: the API user can read no record of this kind. */
	readsNone?: boolean;
}

/** How each kind of record is named besides its number: estates by property number, contacts by e-mail address. */
const NAMED_BY = { estate: RECORD_MODE.propertyNumber, address: RECORD_MODE.email } as const;

export class RecordLookups {
	private readonly lookups = new Map<string, Promise<FoundRecord[]>>();
	private readonly visible = new Map<RecordKind, Promise<boolean>>();

	constructor(private readonly ctx: OnOfficeContext) {}

	/** The records of `kind` that `value` names (a property number, an e-mail address in lower case). */
	async find(kind: RecordKind, value: string, send: Partial<SendOptions>): Promise<Lookup> {
		const key = `${kind}:${lookupKey({ mode: NAMED_BY[kind], value })}`;
		let lookup = this.lookups.get(key);
		if (!lookup) {
			lookup =
				kind === 'estate'
					? estatesWithPropertyNumber(this.ctx, value, send)
					: addressesWithEmail(this.ctx, value, send);
			this.lookups.set(key, lookup);
			lookup.catch(() => this.lookups.delete(key));
		}
		const matches = await lookup;
		if (matches.length > 0) return { matches };
		return { matches, readsNone: !(await this.canRead(kind, send)) };
	}

	/** Checked once per run of the node, and only after a lookup found nothing. */
	private canRead(kind: RecordKind, send: Partial<SendOptions>): Promise<boolean> {
		let visible = this.visible.get(kind);
		if (!visible) {
			visible = seesAny(this.ctx, kind, send);
			this.visible.set(kind, visible);
			visible.catch(() => this.visible.delete(kind));
		}
		return visible;
	}
}
