// What the node's description and its messages share: the subtitle is its commented source written out, and every
// field a message names is named as the editor shows it.
import type { INodeProperties } from 'n8n-workflow';

import { OnOfficeFileUpload } from '../../nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.ts'; // .ts: the codex OnOfficeFileUpload.node.json would win otherwise
import { FIELD, PARAMETER_OF, type FieldKey } from '../../nodes/OnOfficeFileUpload/actions/fields';
import { SUBTITLE } from '../../nodes/OnOfficeFileUpload/actions/subtitle';

const { description } = new OnOfficeFileUpload();

test("the subtitle is actions/subtitle.ts written out (n8n's lint reads a subtitle only as one string literal)", () => {
	expect(description.subtitle).toBe(SUBTITLE);
});

/** Every parameter and option, however deep (collections, fixed collections), by name. */
function displayNames(
	properties: INodeProperties[],
	names = new Map<string, Set<string>>(),
): Map<string, Set<string>> {
	for (const property of properties) {
		if (!names.has(property.name)) names.set(property.name, new Set());
		names.get(property.name)!.add(property.displayName);
		for (const option of (property.options ?? []) as Array<
			INodeProperties | { values?: INodeProperties[] }
		>) {
			if ('displayName' in option && 'type' in option) displayNames([option], names);
			if ('values' in option && option.values) displayNames(option.values, names);
		}
	}
	return names;
}

test.each(Object.keys(FIELD) as FieldKey[])(
	'messages name the field %s as the editor shows it',
	(key) => {
		const names = displayNames(description.properties);
		expect([...(names.get(PARAMETER_OF[key] ?? key) ?? [])]).toContain(FIELD[key]);
	},
);
