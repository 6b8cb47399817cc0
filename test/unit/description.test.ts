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

// n8n's AI workflow builder reads builderHint to configure the node; a field or value it names that the editor no
// longer shows would steer the builder wrong.
function shownNames(value: unknown, names: string[] = []): string[] {
	if (Array.isArray(value)) value.forEach((v) => shownNames(v, names));
	else if (value && typeof value === 'object') {
		const o = value as Record<string, unknown>;
		for (const key of ['displayName', 'name']) if (typeof o[key] === 'string') names.push(o[key]);
		Object.values(o).forEach((v) => shownNames(v, names));
	}
	return names;
}

test.each([
	'Upload File',
	'File Source',
	'Binary Field of the Input Item',
	'Upload All Binary Properties',
	'File Filter',
	'On Duplicate',
	'Skip',
	'File Type',
	'Automatic by Name',
	'By Property Number',
	'Files of Another Node',
	'File at a URL',
	'Limits',
	'Allowed Hosts',
	'Max Files and Links per Tool Call',
])(
	'the builder hint names "%s", which the editor shows (as a name or the start of one)',
	(name) => {
		expect(description.builderHint?.searchHint).toContain(name);
		expect(shownNames(description.properties).filter((n) => n.startsWith(name))).not.toEqual([]);
	},
);

test('the builder hint relates the Email Trigger (IMAP), the AI Agent, the MCP Server Trigger and the Switch (types as n8n 2.41.1 names them)', () => {
	expect(description.builderHint?.relatedNodes?.map((n) => n.nodeType)).toEqual([
		'n8n-nodes-base.emailReadImap',
		'@n8n/n8n-nodes-langchain.agent',
		'@n8n/n8n-nodes-langchain.mcpTrigger',
		'n8n-nodes-base.switch',
	]);
});
