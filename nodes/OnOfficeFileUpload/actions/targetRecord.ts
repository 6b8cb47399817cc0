// The record an item's file or link goes to, as its field names it: version 1 (and agents-log entries and tasks) by
// record number in Related Record ID; version 2 by the Estate or Address field, from the list, by number, or looked up
// by property number or e-mail. What a lookup found is worded here, with the field; it never guesses.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	checkLocator,
	MODE_NAMES,
	readLocator,
	RECORD_MODE,
	type RecordLocator,
} from '../helpers/recordLocator';
import { readRightText } from '../resources/records';
import type { SendOptions } from '../transport/http';
import type { RecordKind } from '../types';
import { FIELD, type FieldKey } from './fields';
import { fail } from './itemErrors';
import type { Run } from './operation';
import { recordId } from './parameters';

/** The record fields of node version 2: a resource locator where onOffice lets records be looked up. */
const RECORD_FIELDS: Record<string, { name: FieldKey; kind: RecordKind }> = {
	estate: { name: 'estate', kind: 'estate' },
	address: { name: 'address', kind: 'address' },
};

export interface TargetRecord {
	relatedRecordId: number;
	/** Version 2: how the record was named and what that was, for the output. */
	foundBy?: IDataObject;
}

export async function targetRecord(
	ctx: IExecuteFunctions,
	run: Run,
	itemIndex: number,
	module: string,
	noun: string,
	send: Partial<SendOptions>,
): Promise<TargetRecord> {
	const node = ctx.getNode();
	const recordField = node.typeVersion >= 2 ? RECORD_FIELDS[module] : undefined;
	if (!recordField)
		return {
			relatedRecordId: recordId(node, ctx.getNodeParameter('relatedRecordId', itemIndex, ''), noun),
		};
	const fieldName = FIELD[recordField.name];
	const locator = readLocator(ctx.getNodeParameter(recordField.name, itemIndex, ''));
	const checked = checkLocator(locator, noun);
	if ('problem' in checked) fail(node, `the field "${fieldName}": ${checked.problem}`, checked.fix);
	const foundBy = (id: number, label?: string) => ({
		relatedRecordId: id,
		foundBy: { mode: locator.mode, value: checked.value, ...(label ? { label } : {}) },
	});
	if (checked.recordId !== undefined) return foundBy(checked.recordId, locator.name);
	const kind = recordField.kind;
	const { matches, readsNone } = await run.records.find(kind, checked.value, send);
	if (matches.length === 1) return foundBy(matches[0].id, matches[0].label);
	return fail(
		node,
		...notFound(
			kind,
			locator,
			checked.value,
			fieldName,
			matches.map((m) => m.label),
			readsNone === true,
		),
	);
}

/** No record, or several, for a property number or an e-mail address: what was looked up, in which field, what to do. */
function notFound(
	kind: RecordKind,
	locator: RecordLocator,
	value: string,
	fieldName: string,
	labels: string[],
	readsNone: boolean,
): [string, string] {
	const how =
		locator.mode === RECORD_MODE.propertyNumber
			? `the property number (ImmoNr) "${value}"`
			: `the e-mail address ${value}`;
	const noun = kind === 'estate' ? 'estate' : 'contact';
	const where = `field "${fieldName}", ${MODE_NAMES[locator.mode]}`;
	if (labels.length > 1) {
		return [
			`${labels.length} ${noun}s have ${how} (${where}): ${labels.join('; ')}`,
			`The node does not guess between them. Give the ${noun} a unique ${kind === 'estate' ? 'property number in onOffice' : 'e-mail address in onOffice'}, or name it By ID with one of the numbers in brackets.`,
		];
	}
	if (readsNone) {
		return [
			`no ${noun} with ${how} can be found: the API user can read no ${kind === 'estate' ? 'estates' : 'addresses'} at all (${where})`,
			`The API user lacks ${readRightText(kind)}; onOffice then answers every lookup with "nothing". Give it that right, or name the ${noun} By ID, which needs no read.`,
		];
	}
	return [
		`no ${noun} has ${how} (${where})`,
		kind === 'estate'
			? 'Check the property number (ImmoNr) in onOffice; the match must be exact. If the estate exists, the API user may not be allowed to read it (onOffice answers "nothing" then): check its rights.'
			: 'Check the address in onOffice (any of the contact\'s e-mail entries counts; case does not matter). If the contact exists, the API user may not be allowed to read it (onOffice answers "nothing" then): check its rights.',
	];
}
