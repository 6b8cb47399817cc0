// The example workflows as users import them: node version 2 throughout, every saved parameter of this node known
// and valid, the e-mail example's subject convention (run here as the Code node runs it), each branch wired to the
// node that handles it, and the link list naming seeded estates. `npm run test:e2e` and `npm run test:mail` run them
// in real n8n; this catches a broken example in seconds.
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { runInNewContext } from 'vm';

import type { IConnections, INode } from 'n8n-workflow';

import { OnOfficeFileUpload } from '../../nodes/OnOfficeFileUpload/OnOfficeFileUpload.node';
import { checkSavedParameters } from '../engine/node-parameters';
import { SEED_ESTATES } from '../sandbox/seed';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const PACKAGE = 'n8n-nodes-onoffice-file-upload.';
const NODE_TYPE = `${PACKAGE}onOfficeFileUpload`;
const description = new OnOfficeFileUpload().description;

interface Workflow {
	id: string;
	nodes: INode[];
	connections: IConnections;
}

const load = (file: string): Workflow =>
	JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Workflow;
const workflows = readdirSync(EXAMPLES)
	.filter((f) => f.endsWith('.json'))
	.map((file) => ({ file, workflow: load(file) }));
const nodeNamed = (workflow: Workflow, name: string): INode => {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`no node "${name}"`);
	return node;
};
/** The names of the nodes each output of `from` leads to. */
const targets = (workflow: Workflow, from: string) =>
	(workflow.connections[from]?.main ?? []).map((out) => (out ?? []).map((c) => c.node));

/** Runs a Code node's JavaScript (mode "Run Once for All Items") on items, as n8n's Code node would. */
function runCode(
	node: INode,
	items: Array<{ json: Record<string, unknown>; binary?: Record<string, unknown> }>,
) {
	const code = String(node.parameters.jsCode);
	return runInNewContext(`(function () {\n${code}\n})()`, {
		$input: { all: () => items },
	}) as Array<{ json: Record<string, unknown>; binary?: Record<string, unknown> }>;
}

test('the three jobs and the staging example are there, each example with its own id', () => {
	expect(workflows.map((w) => w.file)).toEqual(
		expect.arrayContaining([
			'contact-documents-to-address.json',
			'email-attachments-to-estate.json',
			'nightly-link-import.json',
			'stage-file.json',
		]),
	);
	expect(new Set(workflows.map((w) => w.workflow.id)).size).toBe(workflows.length);
});

describe.each(workflows)('$file', ({ workflow }) => {
	// The node itself, or as an AI agent's tool (which saves the tool description besides the node's parameters).
	const ours = workflow.nodes.filter((n) => n.type.startsWith(PACKAGE));

	test('every onOffice node is version 2, and every parameter the node saves is known and valid there', () => {
		expect(ours.length).toBeGreaterThan(0);
		for (const node of ours) {
			expect(node.typeVersion).toBe(2);
			if (node.type === NODE_TYPE)
				expect(checkSavedParameters(node, description).problems).toEqual([]);
		}
	});

	test('carries a sticky note and connects every node but the note', () => {
		expect(workflow.nodes.some((n) => n.type === 'n8n-nodes-base.stickyNote')).toBe(true);
		const targetsOf = (c: IConnections[string]) =>
			Object.values(c).flatMap((outputs) => (outputs ?? []).flat().map((t) => t!.node));
		const connected = new Set([
			...Object.keys(workflow.connections),
			...Object.values(workflow.connections).flatMap(targetsOf),
		]);
		expect(
			workflow.nodes
				.filter((n) => n.type !== 'n8n-nodes-base.stickyNote' && !connected.has(n.name))
				.map((n) => n.name),
		).toEqual([]);
	});
});

describe('email-attachments-to-estate.json', () => {
	const workflow = load('email-attachments-to-estate.json');
	const read = nodeNamed(workflow, 'Estate number from the subject');
	const estateIn = (subject: string | undefined) => {
		const [item] = runCode(read, [
			{
				json: subject === undefined ? {} : { subject },
				binary: { attachment_0: { fileName: 'a.pdf' } },
			},
		]);
		return { immonr: item.json.immonr, estateId: item.json.estateId };
	};

	test.each([
		['Objekt PC910', 'PC910'],
		['ImmoNr: PC910', 'PC910'],
		['ImmoNr PC910 Fotos', 'PC910'],
		['#PC910', 'PC910'],
		['WG: Objekt PC910 neue Fotos', 'PC910'],
		['objekt pc910', 'pc910'],
		['Objekt DUP-7: Grundriss', 'DUP-7'],
		['Objekt 409a', '409a'],
		// After "ImmoNr" always a property number, digits or not.
		['ImmoNr: 1234', '1234'],
		['ImmoNr 409', '409'],
	])('"%s" names the estate by its property number %s', (subject, immonr) => {
		expect(estateIn(subject)).toEqual({ immonr, estateId: undefined });
	});

	test.each([
		['Objekt 409', 409],
		['Objekt 409: Fotos', 409],
		['#409', 409],
		['ID 409', 409],
		['Immobilie 409: neue Fotos', 409],
		['WG: Objekt 409 Fotos', 409],
		['Mietobjekt 30', 30],
	])('"%s" names the estate by its record number %s', (subject, estateId) => {
		expect(estateIn(subject)).toEqual({ immonr: undefined, estateId });
	});

	test.each([
		['Fotos vom Termin'],
		['Objekt in Aachen'],
		['Neue Objektfotos'],
		['Valid 409'],
		['Immobilien in Aachen'],
		[''],
		[undefined],
	])('"%s" names no estate', (subject) => {
		expect(estateIn(subject)).toEqual({ immonr: undefined, estateId: undefined });
	});

	test('the first number counts, and the item keeps its attachments', () => {
		const items = [
			{
				json: { subject: 'Objekt PC910, früher #409' },
				binary: { attachment_0: { fileName: 'a.pdf' } },
			},
		];
		const [item] = runCode(read, items);
		expect(item.json).toEqual({ subject: 'Objekt PC910, früher #409', immonr: 'PC910' });
		expect(item.binary).toBe(items[0].binary);
	});

	test('the Switch sends a property number, a record number and no number each to its own node', () => {
		const sw = nodeNamed(workflow, 'ImmoNr or record number?');
		const rules = (
			sw.parameters.rules as {
				values: Array<{
					outputKey: string;
					conditions: { conditions: Array<{ leftValue: string; operator: { operation: string } }> };
				}>;
			}
		).values;
		expect(
			rules.map((r) => [
				r.outputKey,
				r.conditions.conditions[0].leftValue,
				r.conditions.conditions[0].operator.operation,
			]),
		).toEqual([
			['ImmoNr', '={{ $json.immonr }}', 'exists'],
			['Record number', '={{ $json.estateId }}', 'exists'],
		]);
		expect(sw.parameters.options).toMatchObject({ fallbackOutput: 'extra' });
		expect(targets(workflow, 'Email Trigger (IMAP)')).toEqual([['Estate number from the subject']]);
		expect(targets(workflow, 'Estate number from the subject')).toEqual([
			['ImmoNr or record number?'],
		]);
		expect(targets(workflow, 'ImmoNr or record number?')).toEqual([
			['Upload attachments to estate by ImmoNr'],
			['Upload attachments to estate by record number'],
			['No estate number'],
		]);
		expect(nodeNamed(workflow, 'Upload attachments to estate by ImmoNr').parameters.estate).toEqual(
			{ __rl: true, mode: 'propertyNumber', value: '={{ $json.immonr }}' },
		);
		expect(
			nodeNamed(workflow, 'Upload attachments to estate by record number').parameters.estate,
		).toEqual({ __rl: true, mode: 'id', value: '={{ $json.estateId }}' });
	});

	test('an estate that cannot be found leaves both uploads by their error output into "Estate not found"', () => {
		for (const name of [
			'Upload attachments to estate by ImmoNr',
			'Upload attachments to estate by record number',
		]) {
			expect(nodeNamed(workflow, name).onError).toBe('continueErrorOutput');
			expect(targets(workflow, name)).toEqual([[], ['Estate not found']]);
		}
		const error =
			'Item 0: no estate has the property number (ImmoNr) "PC999" (field "Estate", By Property Number)';
		const [item] = runCode(nodeNamed(workflow, 'Estate not found'), [
			{
				json: {
					subject: 'ImmoNr: PC999 Garten',
					from: 'makler@example.com',
					error,
					message: 'Check the property number (ImmoNr) in onOffice.',
				},
			},
		]);
		expect(item.json).toEqual({
			problem: expect.stringMatching(/could not be found/),
			subject: 'ImmoNr: PC999 Garten',
			from: 'makler@example.com',
			reason: error,
			whatToDo: 'Check the property number (ImmoNr) in onOffice.',
		});
	});

	test('both uploads: every attachment, Automatic by Name, On Duplicate Skip, the same File Filter', () => {
		for (const name of [
			'Upload attachments to estate by ImmoNr',
			'Upload attachments to estate by record number',
		]) {
			expect(nodeNamed(workflow, name).parameters).toMatchObject({
				operation: 'uploadFile',
				module: 'estate',
				uploadAllBinaryProperties: true,
				onDuplicate: 'skip',
				fileType: 'autoByName',
				options: {
					fileFilter: {
						rules: {
							onlyTypes: 'image/*, application/pdf',
							minSizeKiB: 2,
							excludeNames: 'winmail.dat, *.ics, *.vcf, image0*.png',
						},
					},
				},
			});
		}
	});
});

describe('nightly-link-import.json and nightly-links.csv', () => {
	const workflow = load('nightly-link-import.json');
	const [header, ...rows] = readFileSync(join(EXAMPLES, 'nightly-links.csv'), 'utf8')
		.trim()
		.split('\n')
		.map((l) => l.split(','));

	test('the links go to the estate each row names by its property number, skipping what is there', () => {
		expect(nodeNamed(workflow, 'Add links to estates').parameters).toMatchObject({
			operation: 'addLink',
			estate: { __rl: true, mode: 'propertyNumber', value: '={{ $json.immonr }}' },
			onDuplicate: 'skip',
		});
	});

	test('120 rows, each immonr a seeded estate, the same one its estate column names', () => {
		expect(header).toEqual(['estate', 'immonr', 'url', 'title', 'type']);
		expect(rows).toHaveLength(120);
		const recordOf = new Map(SEED_ESTATES.map((e) => [e.objektnr_extern, e.id]));
		expect(rows.filter(([estate, immonr]) => recordOf.get(immonr) !== Number(estate))).toEqual([]);
		expect([...new Set(rows.map((r) => r[1]))].sort()).toEqual(['PC101', 'PC651', 'PC910']);
	});
});

describe('contact-documents-to-address.json', () => {
	const workflow = load('contact-documents-to-address.json');
	const upload = nodeNamed(workflow, 'Upload documents to the contact');

	test('the documents go to the contact the sender is, by e-mail, with the File Filter and Skip', () => {
		expect(upload.parameters).toMatchObject({
			operation: 'uploadFile',
			module: 'address',
			address: { __rl: true, mode: 'email', value: '={{ $json.from }}' },
			uploadAllBinaryProperties: true,
			onDuplicate: 'skip',
			options: {
				fileFilter: {
					rules: {
						onlyTypes: 'image/*, application/pdf',
						minSizeKiB: 2,
						excludeNames: 'image0*.png, image0*.jpg, image0*.gif',
					},
				},
			},
		});
	});

	test('a sender who is no contact leaves by the node\'s error output into "Sender is not a contact"', () => {
		expect(upload.onError).toBe('continueErrorOutput');
		expect(targets(workflow, 'Email Trigger (IMAP)')).toEqual([
			['Upload documents to the contact'],
		]);
		expect(targets(workflow, 'Upload documents to the contact')).toEqual([
			[],
			['Sender is not a contact'],
		]);
		const error =
			'Item 0: no contact has the e-mail address lea@example.net (field "Address", By E-Mail)';
		const [item] = runCode(nodeNamed(workflow, 'Sender is not a contact'), [
			{ json: { from: 'Lea <lea@example.net>', subject: 'Bewerbung', textPlain: '…', error } },
		]);
		expect(item.json).toEqual({
			problem: expect.stringMatching(/not exactly one contact/),
			from: 'Lea <lea@example.net>',
			subject: 'Bewerbung',
			reason: error,
		});
	});
});
