// What npm run test:e2e (scripts/e2e/run.ts) expects of each example workflow run in n8n: what the sandbox stored,
// byte for byte, and what the nodes output; for the examples set to On Duplicate: Skip, also of a second run.
import { readFileSync } from 'fs';
import { join } from 'path';

import { SEED_ESTATES, type LoggedRequest, type OnOfficeSandbox } from '../../test/sandbox/server';
import type { StoredRun } from '../services/executions';
import { root } from '../services/n8n';
import { MiB, sha } from '../lib/bytes';

/** The sample bytes the example workflows' Code nodes generate (same formula as in examples/*.json). */
export function pattern(size: number, seed: number): Buffer {
	const b = Buffer.alloc(size);
	for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 17 + (i >> 8)) & 255;
	return b;
}
/** What test/e2e/large-output.json makes: 40 MiB. */
const LARGE_OUTPUT_BYTES = 40 * MiB;

export interface Check {
	workflow: string;
	verify(sandbox: OnOfficeSandbox, output: StoredRun): void;
	/** Runs the workflow a second time on what the first run left (On Duplicate: Skip) and checks nothing is added. */
	again?(
		sandbox: OnOfficeSandbox,
		output: StoredRun,
		before: { files: number; requests: number },
	): void;
	/** What the demo shows of a run besides what arrived: the items of the branches that upload nothing. */
	shown?: string[];
}

export function expect(condition: boolean, message: string): void {
	if (!condition) throw new Error(`e2e check failed: ${message}`);
}

type Json = Record<string, unknown>;
export const items = (output: StoredRun, node: string): Json[] =>
	(output.nodes[node] ?? []).map((o) => o.json);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** The record number of the seeded estate with this property number. */
const estateWith = (immonr: string) => SEED_ESTATES.find((e) => e.objektnr_extern === immonr)!.id;
/** The property numbers the node looked up (`read estate` filtered on objektnr_extern), in order. */
function propertyNumberLookups(requests: LoggedRequest[]): string[] {
	return requests
		.flatMap((r) => r.actions)
		.filter((a) => a.actionid === 'read' && a.resourcetype === 'estate' && a.parameters.filter)
		.map((a) =>
			String(
				(a.parameters.filter as { objektnr_extern?: Array<{ val: unknown }> }).objektnr_extern?.[0]
					?.val,
			),
		);
}
/** Each request as the actions it carried (`read estate`, `get file`, `do uploadfile`, …). */
const actionsOf = (requests: LoggedRequest[]) =>
	requests.map((r) => r.actions.map((a) => `${a.actionid} ${a.resourcetype}`).join(', '));
const filesOf = (sandbox: OnOfficeSandbox, module: 'estate' | 'address', record: number) =>
	sandbox.files({ module, relatedRecordId: record }).map((f) => [f.fileName, f.art, f.sha256]);

const BY_IMMONR = 'Upload attachments to estate by ImmoNr';
const BY_RECORD_NUMBER = 'Upload attachments to estate by record number';
const TO_CONTACT = 'Upload documents to the contact';

export const checks: Check[] = [
	{
		// test/e2e/sample-email.json: "ImmoNr: PC910 …" with four attachments, "WG: #PC651 Exposé", "Objekt 30: Balkon"
		// (a record number, as before version 2), "Fotos vom Termin" (no number) and "ImmoNr: PC999 Garten" (no such estate).
		workflow: 'email-attachments-to-estate',
		shown: ['No estate number', 'Estate not found'],
		verify(sandbox, output) {
			const expected: Record<number, string[][]> = {
				[estateWith('PC910')]: [
					['Wohnzimmer.jpg', 'Foto', sha(pattern(180000, 1))],
					['Grundriss Erdgeschoß.pdf', 'Grundriss', sha(pattern(420000, 2))],
				],
				[estateWith('PC651')]: [['Exposé Reihenhaus.pdf', 'Expose', sha(pattern(90000, 6))]],
				30: [['Balkon.jpg', 'Foto', sha(pattern(60000, 7))]],
			};
			for (const [estate, files] of Object.entries(expected)) {
				const found = filesOf(sandbox, 'estate', Number(estate));
				expect(
					same(found, files),
					`estate ${estate} holds ${JSON.stringify(files.map((f) => f.slice(0, 2)))} byte for byte, found ${JSON.stringify(found.map((f) => f.slice(0, 2)))}`,
				);
			}
			expect(
				sandbox.files().length === 4,
				`nothing else arrived (the mail without a number uploaded nothing): ${JSON.stringify(sandbox.files().map((f) => [f.relatedRecordId, f.fileName]))}`,
			);
			const [f409, f2651, f30] = [409, 2651, 30].map((e) =>
				sandbox.files({ module: 'estate', relatedRecordId: e }),
			);
			const byImmoNr = items(output, BY_IMMONR);
			expect(
				byImmoNr.length === 5,
				`"${BY_IMMONR}": one output item per attachment of the two ImmoNr mails, got ${byImmoNr.length}: ${JSON.stringify(byImmoNr)}`,
			);
			const uploaded = [byImmoNr[0], byImmoNr[1], byImmoNr[4]];
			expect(
				same(
					uploaded.map((o) => [
						o.fileId,
						o.relatedRecordId,
						o.foundBy && { ...(o.foundBy as Json), label: undefined },
					]),
					[
						[String(f409[0].fileId), 409, { mode: 'propertyNumber', value: 'PC910' }],
						[String(f409[1].fileId), 409, { mode: 'propertyNumber', value: 'PC910' }],
						[String(f2651[0].fileId), 2651, { mode: 'propertyNumber', value: 'PC651' }],
					],
				),
				`the outputs name the stored files and the estates found by property number: ${JSON.stringify(uploaded)}`,
			);
			expect(
				byImmoNr[2].leftOut === true &&
					/less than 2048 \(Minimum Size\)/.test(String(byImmoNr[2].reason)),
				`the 70-byte PNG is left out by the minimum size: ${JSON.stringify(byImmoNr[2])}`,
			);
			expect(
				byImmoNr[3].leftOut === true && /matches "winmail.dat"/.test(String(byImmoNr[3].reason)),
				`winmail.dat is left out by name: ${JSON.stringify(byImmoNr[3])}`,
			);
			const byId = items(output, BY_RECORD_NUMBER);
			expect(
				byId.length === 1 &&
					byId[0].fileId === String(f30[0].fileId) &&
					byId[0].relatedRecordId === 30 &&
					(byId[0].foundBy as Json)?.mode === 'id',
				`"${BY_RECORD_NUMBER}" uploaded the "Objekt 30" mail's photo to estate 30: ${JSON.stringify(byId)}`,
			);
			const none = items(output, 'No estate number');
			expect(
				none.length === 1 &&
					none[0].subject === 'Fotos vom Termin' &&
					same(none[0].attachments, ['Termin.jpg']) &&
					/names no estate number/.test(String(none[0].problem)),
				`the mail without a number ends in "No estate number" with one clear item: ${JSON.stringify(none)}`,
			);
			const notFound = items(output, 'Estate not found');
			expect(
				notFound.length === 1 &&
					notFound[0].subject === 'ImmoNr: PC999 Garten' &&
					/no estate has the property number \(ImmoNr\) "PC999"/.test(String(notFound[0].reason)) &&
					/Check the property number/.test(String(notFound[0].whatToDo)),
				`the mail naming an unknown ImmoNr ends in "Estate not found" (the upload's error output) with one clear item, and the other mails went on: ${JSON.stringify(notFound)}`,
			);
			const lookups = propertyNumberLookups(sandbox.requests);
			expect(
				same(lookups, ['PC910', 'PC651', 'PC999']),
				`one lookup per property number and none for the record number: ${JSON.stringify(lookups)}`,
			);
		},
		again(sandbox, output, before) {
			expect(
				sandbox.files().length === before.files,
				`the same mails again added nothing (${before.files} files before, ${sandbox.files().length} after)`,
			);
			const byImmoNr = items(output, BY_IMMONR);
			const [f409, f2651] = [409, 2651].map((e) =>
				sandbox.files({ module: 'estate', relatedRecordId: e }),
			);
			expect(
				byImmoNr.length === 5 &&
					same(
						[0, 1, 4].map((i) => [byImmoNr[i].skipped, byImmoNr[i].fileId]),
						[
							[true, String(f409[0].fileId)],
							[true, String(f409[1].fileId)],
							[true, String(f2651[0].fileId)],
						],
					),
				`every uploaded attachment reported as skipped with its fileId: ${JSON.stringify(byImmoNr)}`,
			);
			const byId = items(output, BY_RECORD_NUMBER);
			expect(
				byId.length === 1 && byId[0].skipped === true,
				`the record-number mail's photo reported as skipped: ${JSON.stringify(byId)}`,
			);
			const sent = actionsOf(sandbox.requests.slice(before.requests));
			expect(
				same([...sent].sort(), [
					'get file',
					'get file',
					'get file',
					'read estate',
					'read estate',
					'read estate',
					'read estate',
				]),
				`the second run only looked up the three property numbers (and, for the one not found, whether the API user can read estates at all) and read the three estates' files once each: ${JSON.stringify(sent)}`,
			);
		},
	},
	{
		workflow: 'nightly-link-import',
		verify(sandbox, output) {
			const rows = csvRows(join(root, 'examples', 'nightly-links.csv'));
			const byUrl = new Map(rows.map((r) => [r.url, r]));
			const links = sandbox.files().filter((f) => f.url);
			expect(
				rows.length === 120 && links.length === 120,
				`120 links stored (the sheet has ${rows.length} rows), found ${links.length}`,
			);
			const misplaced = links.filter((l) => {
				const row = byUrl.get(l.url!);
				return (
					!row ||
					l.relatedRecordId !== estateWith(row.immonr) ||
					l.relatedRecordId !== Number(row.estate) ||
					l.title !== row.title ||
					l.art !== row.type
				);
			});
			expect(
				misplaced.length === 0,
				`each link on the estate its row's ImmoNr names, with its title and type: ${JSON.stringify(misplaced.slice(0, 3))}`,
			);
			const requests = sandbox.requests.filter((r) => r.actions[0]?.parameters.url !== undefined);
			expect(requests.length === 3, `120 links in 3 requests, used ${requests.length}`);
			const lookups = propertyNumberLookups(sandbox.requests);
			expect(
				same([...lookups].sort(), ['PC101', 'PC651', 'PC910']),
				`one lookup per property number, not per row: ${JSON.stringify(lookups)}`,
			);
			const out = items(output, 'Add links to estates');
			expect(
				out.length === 120 &&
					out.every(
						(o) =>
							(o.foundBy as Json)?.mode === 'propertyNumber' &&
							o.relatedRecordId === estateWith(String((o.foundBy as Json).value)) &&
							typeof o.fileId === 'string',
					),
				`one output item per link, each with the estate found by property number: ${JSON.stringify(out.slice(0, 2))}`,
			);
		},
		again(sandbox, output, before) {
			const out = items(output, 'Add links to estates');
			expect(
				sandbox.files().length === before.files,
				`the second night added nothing (${before.files} links before, ${sandbox.files().length} after)`,
			);
			expect(
				out.length === 120 && out.every((o) => o.skipped === true && typeof o.fileId === 'string'),
				'every link reported as skipped with its fileId',
			);
			const sent = actionsOf(sandbox.requests.slice(before.requests));
			expect(
				same([...sent].sort(), [
					'get file',
					'get file',
					'get file',
					'read estate',
					'read estate',
					'read estate',
				]),
				`the second night only looked up the 3 property numbers and read the 3 estates' files: ${JSON.stringify(sent)}`,
			);
		},
	},
	{
		// test/e2e/sample-contact-email.json: Jonas Becker (contact 21) with two pay slips and a signature image, a
		// sender who is no contact, and familie.schmidt@example.com, which two contacts share.
		workflow: 'contact-documents-to-address',
		shown: ['Sender is not a contact'],
		verify(sandbox, output) {
			const expected = [
				['Gehaltsabrechnung Oktober.pdf', sha(pattern(150000, 11))],
				['Gehaltsabrechnung November.pdf', sha(pattern(160000, 12))],
			];
			const found = sandbox
				.files({ module: 'address', relatedRecordId: 21 })
				.map((f) => [f.fileName, f.sha256]);
			expect(
				same(found, expected),
				`contact 21 (Jonas Becker, found by his e-mail) holds both pay slips byte for byte, found ${JSON.stringify(found.map((f) => f[0]))}`,
			);
			expect(
				sandbox.files().length === 2,
				`nothing else arrived: ${JSON.stringify(sandbox.files().map((f) => [f.module, f.relatedRecordId, f.fileName]))}`,
			);
			const [regular, errors] = [
				output.outputs[TO_CONTACT]?.[0] ?? [],
				output.outputs[TO_CONTACT]?.[1] ?? [],
			].map((list) => list.map((o) => o.json));
			const notContact = items(output, 'Sender is not a contact');
			expect(
				notContact.length === 2 &&
					notContact[0].from === 'Lea Neumann <lea.neumann@example.net>' &&
					/no contact has the e-mail address lea\.neumann@example\.net/.test(
						String(notContact[0].reason),
					) &&
					notContact[1].from === 'familie.schmidt@example.com' &&
					/2 contacts have the e-mail address familie\.schmidt@example\.com/.test(
						String(notContact[1].reason),
					) &&
					notContact.every((o) => /not exactly one contact/.test(String(o.problem))),
				`the sender who is no contact and the address two contacts share leave "${TO_CONTACT}" by its error output and end in "Sender is not a contact", one item each; that node got ${JSON.stringify(notContact)}, the error output held ${JSON.stringify(errors)}, the regular output ${JSON.stringify(regular)}`,
			);
			const slips = sandbox.files({ module: 'address', relatedRecordId: 21 });
			expect(
				regular.length === 3 &&
					same(
						regular
							.slice(0, 2)
							.map((o) => [
								o.fileId,
								o.relatedRecordId,
								o.foundBy && { ...(o.foundBy as Json), label: undefined },
							]),
						slips.map((f) => [
							String(f.fileId),
							21,
							{ mode: 'email', value: 'jonas.becker@example.com' },
						]),
					) &&
					regular[2].leftOut === true &&
					/image0\*\.png/.test(String(regular[2].reason)),
				`the regular output: the two pay slips on contact 21 (By E-Mail) and the signature image left out by name: ${JSON.stringify(regular)}`,
			);
		},
		again(sandbox, output, before) {
			expect(
				sandbox.files().length === before.files,
				`the same mails again added nothing (${before.files} files before, ${sandbox.files().length} after)`,
			);
			const regular = items(output, TO_CONTACT);
			const slips = sandbox.files({ module: 'address', relatedRecordId: 21 });
			expect(
				same(
					regular.slice(0, 2).map((o) => [o.skipped, o.fileId]),
					slips.map((f) => [true, String(f.fileId)]),
				),
				`both pay slips reported as skipped with their fileIds: ${JSON.stringify(regular)}`,
			);
			expect(
				items(output, 'Sender is not a contact').length === 2,
				'the two senders end in "Sender is not a contact" again',
			);
			const sent = actionsOf(sandbox.requests.slice(before.requests));
			expect(
				!sent.some((a) => a.includes('uploadfile')) &&
					sent.filter((a) => a === 'get file').length === 1,
				`the second run uploaded nothing and read contact 21's files once: ${JSON.stringify(sent)}`,
			);
		},
	},
	{
		workflow: 'stage-file',
		verify(sandbox, output) {
			const [staged] = sandbox.store.cache;
			expect(
				sandbox.store.cache.length === 1 &&
					staged.sha256 === sha(pattern(250000, 3)) &&
					staged.fileName === 'Exposé Entwurf.pdf',
				'the staged file is byte-identical',
			);
			expect(
				output.nodes['Stage file in onOffice']?.[0]?.json.cacheFileUuid === staged.cacheFileUuid,
				'the output carries the cacheFileUuid',
			);
		},
	},
	{
		workflow: 'large-upload',
		verify(sandbox) {
			const [file] = sandbox.files({ module: 'estate', relatedRecordId: 2651 });
			expect(
				file?.size === 6 * MiB && file.sha256 === sha(pattern(6 * MiB, 4)),
				'6 MiB arrived byte-identical',
			);
			// 1024 KiB rounds down to 1,048,575 bytes (a multiple of 3), so 6 MiB takes six full blocks and 6 bytes.
			expect(file.blocks === 7, `sent in 7 blocks, used ${file?.blocks}`);
		},
	},
	{
		// The harness itself (not the node): a run whose data is far larger than what n8n reliably prints before it exits
		// is read whole from n8n's database. test/e2e/large-output.json makes 40 MiB of binary data in a Code node.
		workflow: 'large-output',
		verify(sandbox, output) {
			const data = output.nodes['Make 40 MiB']?.[0]?.binary?.data;
			const bytes = Buffer.from(String(data?.data ?? ''), 'base64');
			expect(
				bytes.length === LARGE_OUTPUT_BYTES && sha(bytes) === sha(pattern(LARGE_OUTPUT_BYTES, 9)),
				`the run's 40 MiB of binary data read whole and byte-identical from n8n's database, read ${bytes.length} bytes`,
			);
			expect(sandbox.requests.length === 0, 'it sends nothing to onOffice');
		},
	},
];

/** The rows of a CSV without quoted fields (the example's link list), keyed by its header. */
function csvRows(path: string): Array<Record<string, string>> {
	const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
	const names = header.split(',');
	return lines.map((line) =>
		Object.fromEntries(line.split(',').map((value, i) => [names[i], value])),
	);
}
