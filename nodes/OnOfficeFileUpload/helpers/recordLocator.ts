// What a record field of node version 2 says: which record, named how (from the list, by record number, by
// property number, by e-mail), read from n8n's resource locator value and checked before anything is looked up.

/** The ways a record can be named (the resource locator's modes). */
export const RECORD_MODE = {
	list: 'list',
	id: 'id',
	propertyNumber: 'propertyNumber',
	email: 'email',
} as const;
export type RecordMode = (typeof RECORD_MODE)[keyof typeof RECORD_MODE];

/** The modes' names as the editor shows them, for messages. */
export const MODE_NAMES: Record<RecordMode, string> = {
	list: 'From List',
	id: 'By ID',
	propertyNumber: 'By Property Number',
	email: 'By E-Mail',
};

/** onOffice's property number (ImmoNr, `objektnr_extern`) holds at most this many characters. */
export const PROPERTY_NUMBER_MAX = 20;

export interface RecordLocator {
	mode: RecordMode;
	/** As given, trimmed: a record number, a property number, an e-mail address (or text holding one). */
	value: string;
	/** What the list showed for the chosen record (the editor keeps it with the value). */
	name?: string;
}

/** What is wrong with a field's value, in words for the item's error, and what to do about it. */
export interface LocatorProblem {
	problem: string;
	fix: string;
}

/**
 * The locator a saved parameter holds: `{ __rl: true, mode, value, cachedResultName }` as the editor saves it, or a
 * bare value (a number or text from an older save or an expression), which names the record by its number.
 */
export function readLocator(raw: unknown): RecordLocator {
	if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
		const rl = raw as { mode?: unknown; value?: unknown; cachedResultName?: unknown };
		const mode = (Object.values(RECORD_MODE) as string[]).includes(String(rl.mode))
			? (rl.mode as RecordMode)
			: RECORD_MODE.id;
		const name =
			typeof rl.cachedResultName === 'string' && rl.cachedResultName !== ''
				? rl.cachedResultName
				: undefined;
		return { mode, value: text(rl.value), ...(name ? { name } : {}) };
	}
	return { mode: RECORD_MODE.id, value: text(raw) };
}

function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

/**
 * The e-mail address in a text: the address itself, or the one inside `Name <address>` (what an e-mail trigger's
 * `from` holds). Lower case: onOffice compares e-mail addresses without regard to case.
 */
export function emailIn(value: string): string | undefined {
	const angled = /<([^<>\s]+@[^<>\s]+)>/.exec(value);
	const candidate = (angled ? angled[1] : value).trim().replace(/^mailto:/i, '');
	return /^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$/.test(candidate)
		? candidate.toLowerCase()
		: undefined;
}

/** A record number: a positive whole number, given as a number or as its digits. */
export function recordNumberIn(value: string): number | undefined {
	if (!/^\d+$/.test(value)) return undefined;
	const n = Number(value);
	return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The key under which one execution remembers a lookup: the same record named twice is looked up once. */
export function lookupKey(locator: RecordLocator): string {
	return `${locator.mode}:${locator.mode === RECORD_MODE.id || locator.mode === RECORD_MODE.list ? locator.value : locator.value.toLowerCase()}`;
}

/**
 * Checks a locator before anything is sent: returns the normalised value to look up (or the record number), or
 * what is wrong with it. `what` is the record's noun ("estate", "address").
 */
export function checkLocator(
	locator: RecordLocator,
	what: string,
): { value: string; recordId?: number } | LocatorProblem {
	const { mode, value } = locator;
	if (value === '') {
		const how: Record<RecordMode, string> = {
			list: `Choose the ${what} from the list`,
			id: `Enter the ${what}'s record number (Datensatznummer), e.g. 409`,
			propertyNumber: 'Enter the property number (ImmoNr), e.g. PC910',
			email: "Enter the contact's e-mail address",
		};
		return {
			problem: `no ${what} is given (${MODE_NAMES[mode]})`,
			fix: `${how[mode]}, or map it from an earlier node.`,
		};
	}
	if (mode === RECORD_MODE.id || mode === RECORD_MODE.list) {
		const recordId = recordNumberIn(value);
		if (recordId === undefined) {
			return {
				problem: `${MODE_NAMES[mode]} needs the ${what}'s record number, a positive whole number, got ${JSON.stringify(value)}`,
				fix: `Use the record number (Datensatznummer), not a customer number or a name${what === 'estate' ? '; to name an estate by its ImmoNr, choose By Property Number' : what === 'address' ? '; to name a contact by e-mail, choose By E-Mail' : ''}.`,
			};
		}
		return { value, recordId };
	}
	if (mode === RECORD_MODE.propertyNumber) {
		if (value.length > PROPERTY_NUMBER_MAX) {
			return {
				problem: `${JSON.stringify(value.slice(0, 40))} is not a property number: onOffice's ImmoNr has at most ${PROPERTY_NUMBER_MAX} characters`,
				fix: 'Map only the property number (e.g. PC910), not the whole text around it.',
			};
		}
		return { value };
	}
	const email = emailIn(value);
	if (!email) {
		return {
			problem: `${JSON.stringify(value.slice(0, 80))} is not an e-mail address`,
			fix: 'Map the sender\'s address (e.g. {{ $json.from }}; "Name <address>" works too).',
		};
	}
	return { value: email };
}
