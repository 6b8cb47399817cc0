// End to end in the real application: n8n 2.41.1 on Node 24 loads this package the way it loads community
// packages (from `npm pack` into <user folder>/.n8n/nodes/node_modules), imports a credential pointing at the
// sandbox and the example workflows, runs each with `n8n execute --id`, and checks what the sandbox stored, byte
// for byte. `--demo` prints what arrived instead of asserting quietly.
import { createHash } from 'crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { createServer, type Server } from 'net';
import { join } from 'path';

import { SEED_ESTATES, startSandbox, type LoggedRequest, type OnOfficeSandbox } from '../../test/sandbox/server';
import { N8nRest } from '../services/n8nRest';
import { startN8n, type N8nServer } from '../services/n8nServer';
import { importIntoN8n, installN8n, n8nEnv, parseRun, root, run, userFolderWithPackage, type N8nInstall, type RunOutput } from './n8n';
import { lineFromArgs } from './install-n8n';

const demo = process.argv.includes('--demo');
const log = (line: string) => console.log(line);

/** The sample bytes the example workflows' Code nodes generate (same formula as in examples/*.json). */
export function pattern(size: number, seed: number): Buffer {
	const b = Buffer.alloc(size);
	for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 17 + (i >> 8)) & 255;
	return b;
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Check {
	workflow: string;
	verify(sandbox: OnOfficeSandbox, output: RunOutput): void;
	/** Runs the workflow a second time on what the first run left (On Duplicate: Skip) and checks nothing is added. */
	again?(sandbox: OnOfficeSandbox, output: RunOutput, before: { files: number; requests: number }): void;
	/** What the demo shows of a run besides what arrived: the items of the branches that upload nothing. */
	shown?: string[];
}

function expect(condition: boolean, message: string): void {
	if (!condition) throw new Error(`e2e check failed: ${message}`);
}

type Json = Record<string, unknown>;
const items = (output: RunOutput, node: string): Json[] => (output.nodes[node] ?? []).map((o) => o.json);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
/** The record number of the seeded estate with this property number. */
const estateWith = (immonr: string) => SEED_ESTATES.find((e) => e.objektnr_extern === immonr)!.id;
/** The property numbers the node looked up (`read estate` filtered on objektnr_extern), in order. */
function propertyNumberLookups(requests: LoggedRequest[]): string[] {
	return requests.flatMap((r) => r.actions)
		.filter((a) => a.actionid === 'read' && a.resourcetype === 'estate' && a.parameters.filter)
		.map((a) => String((a.parameters.filter as { objektnr_extern?: Array<{ val: unknown }> }).objektnr_extern?.[0]?.val));
}
/** Each request as the actions it carried (`read estate`, `get file`, `do uploadfile`, …). */
const actionsOf = (requests: LoggedRequest[]) => requests.map((r) => r.actions.map((a) => `${a.actionid} ${a.resourcetype}`).join(', '));
const filesOf = (sandbox: OnOfficeSandbox, module: 'estate' | 'address', record: number) => sandbox.files({ module, relatedRecordId: record }).map((f) => [f.fileName, f.art, f.sha256]);

const BY_IMMONR = 'Upload attachments to estate by ImmoNr';
const BY_RECORD_NUMBER = 'Upload attachments to estate by record number';
const TO_CONTACT = 'Upload documents to the contact';

const checks: Check[] = [
	{
		// test/e2e/sample-email.json: "ImmoNr: PC910 …" with four attachments, "WG: #PC651 Exposé", "Objekt 30: Balkon"
		// (a record number, as before version 2), "Fotos vom Termin" (no number) and "ImmoNr: PC999 Garten" (no such estate).
		workflow: 'email-attachments-to-estate',
		shown: ['No estate number', 'Estate not found'],
		verify(sandbox, output) {
			const expected: Record<number, string[][]> = {
				[estateWith('PC910')]: [['Wohnzimmer.jpg', 'Foto', sha(pattern(180000, 1))], ['Grundriss Erdgeschoß.pdf', 'Grundriss', sha(pattern(420000, 2))]],
				[estateWith('PC651')]: [['Exposé Reihenhaus.pdf', 'Expose', sha(pattern(90000, 6))]],
				30: [['Balkon.jpg', 'Foto', sha(pattern(60000, 7))]],
			};
			for (const [estate, files] of Object.entries(expected)) {
				const found = filesOf(sandbox, 'estate', Number(estate));
				expect(same(found, files), `estate ${estate} holds ${JSON.stringify(files.map((f) => f.slice(0, 2)))} byte for byte, found ${JSON.stringify(found.map((f) => f.slice(0, 2)))}`);
			}
			expect(sandbox.files().length === 4, `nothing else arrived (the mail without a number uploaded nothing): ${JSON.stringify(sandbox.files().map((f) => [f.relatedRecordId, f.fileName]))}`);
			const [f409, f2651, f30] = [409, 2651, 30].map((e) => sandbox.files({ module: 'estate', relatedRecordId: e }));
			const byImmoNr = items(output, BY_IMMONR);
			expect(byImmoNr.length === 5, `"${BY_IMMONR}": one output item per attachment of the two ImmoNr mails, got ${byImmoNr.length}: ${JSON.stringify(byImmoNr)}`);
			const uploaded = [byImmoNr[0], byImmoNr[1], byImmoNr[4]];
			expect(
				same(uploaded.map((o) => [o.fileId, o.relatedRecordId, o.foundBy && { ...(o.foundBy as Json), label: undefined }]), [
					[String(f409[0].fileId), 409, { mode: 'propertyNumber', value: 'PC910' }],
					[String(f409[1].fileId), 409, { mode: 'propertyNumber', value: 'PC910' }],
					[String(f2651[0].fileId), 2651, { mode: 'propertyNumber', value: 'PC651' }],
				]),
				`the outputs name the stored files and the estates found by property number: ${JSON.stringify(uploaded)}`,
			);
			expect(byImmoNr[2].leftOut === true && /less than 2048 \(Minimum Size\)/.test(String(byImmoNr[2].reason)), `the 70-byte PNG is left out by the minimum size: ${JSON.stringify(byImmoNr[2])}`);
			expect(byImmoNr[3].leftOut === true && /matches "winmail.dat"/.test(String(byImmoNr[3].reason)), `winmail.dat is left out by name: ${JSON.stringify(byImmoNr[3])}`);
			const byId = items(output, BY_RECORD_NUMBER);
			expect(byId.length === 1 && byId[0].fileId === String(f30[0].fileId) && byId[0].relatedRecordId === 30 && (byId[0].foundBy as Json)?.mode === 'id', `"${BY_RECORD_NUMBER}" uploaded the "Objekt 30" mail's photo to estate 30: ${JSON.stringify(byId)}`);
			const none = items(output, 'No estate number');
			expect(
				none.length === 1 && none[0].subject === 'Fotos vom Termin' && same(none[0].attachments, ['Termin.jpg']) && /names no estate number/.test(String(none[0].problem)),
				`the mail without a number ends in "No estate number" with one clear item: ${JSON.stringify(none)}`,
			);
			const notFound = items(output, 'Estate not found');
			expect(
				notFound.length === 1 && notFound[0].subject === 'ImmoNr: PC999 Garten' && /no estate has the property number \(ImmoNr\) "PC999"/.test(String(notFound[0].reason)) && /Check the property number/.test(String(notFound[0].whatToDo)),
				`the mail naming an unknown ImmoNr ends in "Estate not found" (the upload's error output) with one clear item, and the other mails went on: ${JSON.stringify(notFound)}`,
			);
			const lookups = propertyNumberLookups(sandbox.requests);
			expect(same(lookups, ['PC910', 'PC651', 'PC999']), `one lookup per property number and none for the record number: ${JSON.stringify(lookups)}`);
		},
		again(sandbox, output, before) {
			expect(sandbox.files().length === before.files, `the same mails again added nothing (${before.files} files before, ${sandbox.files().length} after)`);
			const byImmoNr = items(output, BY_IMMONR);
			const [f409, f2651] = [409, 2651].map((e) => sandbox.files({ module: 'estate', relatedRecordId: e }));
			expect(
				byImmoNr.length === 5 && same([0, 1, 4].map((i) => [byImmoNr[i].skipped, byImmoNr[i].fileId]), [[true, String(f409[0].fileId)], [true, String(f409[1].fileId)], [true, String(f2651[0].fileId)]]),
				`every uploaded attachment reported as skipped with its fileId: ${JSON.stringify(byImmoNr)}`,
			);
			const byId = items(output, BY_RECORD_NUMBER);
			expect(byId.length === 1 && byId[0].skipped === true, `the record-number mail's photo reported as skipped: ${JSON.stringify(byId)}`);
			const sent = actionsOf(sandbox.requests.slice(before.requests));
			expect(
				same([...sent].sort(), ['get file', 'get file', 'get file', 'read estate', 'read estate', 'read estate', 'read estate']),
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
			expect(rows.length === 120 && links.length === 120, `120 links stored (the sheet has ${rows.length} rows), found ${links.length}`);
			const misplaced = links.filter((l) => {
				const row = byUrl.get(l.url!);
				return !row || l.relatedRecordId !== estateWith(row.immonr) || l.relatedRecordId !== Number(row.estate) || l.title !== row.title || l.art !== row.type;
			});
			expect(misplaced.length === 0, `each link on the estate its row's ImmoNr names, with its title and type: ${JSON.stringify(misplaced.slice(0, 3))}`);
			const requests = sandbox.requests.filter((r) => r.actions[0]?.parameters.url !== undefined);
			expect(requests.length === 3, `120 links in 3 requests, used ${requests.length}`);
			const lookups = propertyNumberLookups(sandbox.requests);
			expect(same([...lookups].sort(), ['PC101', 'PC651', 'PC910']), `one lookup per property number, not per row: ${JSON.stringify(lookups)}`);
			const out = items(output, 'Add links to estates');
			expect(
				out.length === 120 && out.every((o) => (o.foundBy as Json)?.mode === 'propertyNumber' && o.relatedRecordId === estateWith(String((o.foundBy as Json).value)) && typeof o.fileId === 'string'),
				`one output item per link, each with the estate found by property number: ${JSON.stringify(out.slice(0, 2))}`,
			);
		},
		again(sandbox, output, before) {
			const out = items(output, 'Add links to estates');
			expect(sandbox.files().length === before.files, `the second night added nothing (${before.files} links before, ${sandbox.files().length} after)`);
			expect(out.length === 120 && out.every((o) => o.skipped === true && typeof o.fileId === 'string'), 'every link reported as skipped with its fileId');
			const sent = actionsOf(sandbox.requests.slice(before.requests));
			expect(
				same([...sent].sort(), ['get file', 'get file', 'get file', 'read estate', 'read estate', 'read estate']),
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
			const expected = [['Gehaltsabrechnung Oktober.pdf', sha(pattern(150000, 11))], ['Gehaltsabrechnung November.pdf', sha(pattern(160000, 12))]];
			const found = sandbox.files({ module: 'address', relatedRecordId: 21 }).map((f) => [f.fileName, f.sha256]);
			expect(same(found, expected), `contact 21 (Jonas Becker, found by his e-mail) holds both pay slips byte for byte, found ${JSON.stringify(found.map((f) => f[0]))}`);
			expect(sandbox.files().length === 2, `nothing else arrived: ${JSON.stringify(sandbox.files().map((f) => [f.module, f.relatedRecordId, f.fileName]))}`);
			const [regular, errors] = [output.outputs[TO_CONTACT]?.[0] ?? [], output.outputs[TO_CONTACT]?.[1] ?? []].map((list) => list.map((o) => o.json));
			const notContact = items(output, 'Sender is not a contact');
			expect(
				notContact.length === 2 &&
					notContact[0].from === 'Lea Neumann <lea.neumann@example.net>' && /no contact has the e-mail address lea\.neumann@example\.net/.test(String(notContact[0].reason)) &&
					notContact[1].from === 'familie.schmidt@example.com' && /2 contacts have the e-mail address familie\.schmidt@example\.com/.test(String(notContact[1].reason)) &&
					notContact.every((o) => /not exactly one contact/.test(String(o.problem))),
				`the sender who is no contact and the address two contacts share leave "${TO_CONTACT}" by its error output and end in "Sender is not a contact", one item each; that node got ${JSON.stringify(notContact)}, the error output held ${JSON.stringify(errors)}, the regular output ${JSON.stringify(regular)}`,
			);
			const slips = sandbox.files({ module: 'address', relatedRecordId: 21 });
			expect(
				regular.length === 3 &&
					same(regular.slice(0, 2).map((o) => [o.fileId, o.relatedRecordId, o.foundBy && { ...(o.foundBy as Json), label: undefined }]), slips.map((f) => [String(f.fileId), 21, { mode: 'email', value: 'jonas.becker@example.com' }])) &&
					regular[2].leftOut === true && /image0\*\.png/.test(String(regular[2].reason)),
				`the regular output: the two pay slips on contact 21 (By E-Mail) and the signature image left out by name: ${JSON.stringify(regular)}`,
			);
		},
		again(sandbox, output, before) {
			expect(sandbox.files().length === before.files, `the same mails again added nothing (${before.files} files before, ${sandbox.files().length} after)`);
			const regular = items(output, TO_CONTACT);
			const slips = sandbox.files({ module: 'address', relatedRecordId: 21 });
			expect(same(regular.slice(0, 2).map((o) => [o.skipped, o.fileId]), slips.map((f) => [true, String(f.fileId)])), `both pay slips reported as skipped with their fileIds: ${JSON.stringify(regular)}`);
			expect(items(output, 'Sender is not a contact').length === 2, 'the two senders end in "Sender is not a contact" again');
			const sent = actionsOf(sandbox.requests.slice(before.requests));
			expect(!sent.some((a) => a.includes('uploadfile')) && sent.filter((a) => a === 'get file').length === 1, `the second run uploaded nothing and read contact 21's files once: ${JSON.stringify(sent)}`);
		},
	},
	{
		workflow: 'stage-file',
		verify(sandbox, output) {
			const [staged] = sandbox.store.cache;
			expect(sandbox.store.cache.length === 1 && staged.sha256 === sha(pattern(250000, 3)) && staged.fileName === 'Exposé Entwurf.pdf', 'the staged file is byte-identical');
			expect(output.nodes['Stage file in onOffice']?.[0]?.json.cacheFileUuid === staged.cacheFileUuid, 'the output carries the cacheFileUuid');
		},
	},
	{
		workflow: 'large-upload',
		verify(sandbox) {
			const [file] = sandbox.files({ module: 'estate', relatedRecordId: 2651 });
			expect(file?.size === 6 * 1024 * 1024 && file.sha256 === sha(pattern(6 * 1024 * 1024, 4)), '6 MiB arrived byte-identical');
			// 1024 KiB rounds down to 1,048,575 bytes (a multiple of 3), so 6 MiB takes six full blocks and 6 bytes.
			expect(file.blocks === 7, `sent in 7 blocks, used ${file?.blocks}`);
		},
	},
];

/** What n8n logged of a run besides the run's JSON (which --rawOutput prints between `{` and `}` lines). */
function logLines(stdout: string, stderr: string): string {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.indexOf('}', start);
	const rest = start < 0 || end < 0 ? lines : [...lines.slice(0, start), ...lines.slice(end + 1)];
	return [...rest, ...stderr.split('\n')].filter((l) => l.trim() !== '').join('\n');
}

/** The rows of a CSV without quoted fields (the example's link list), keyed by its header. */
function csvRows(path: string): Array<Record<string, string>> {
	const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
	const names = header.split(',');
	return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [names[i], value])));
}

/**
 * The credential's Test button in the real application: starts n8n, sets up an owner, logs in and calls
 * POST /rest/credentials/test with the right secret, a wrong secret and a wrong token. Returns n8n's output.
 */
async function credentialTestInN8n(install: N8nInstall, env: NodeJS.ProcessEnv, sandbox: OnOfficeSandbox): Promise<string> {
	const redact = (text: string) => text.split(sandbox.token).join('<token>').split(sandbox.secret).join('<secret>');
	let server: N8nServer;
	try {
		server = await startN8n(install, { ...env, N8N_SECURE_COOKIE: 'false', N8N_LOG_LEVEL: 'warn' });
	} catch (error) {
		throw new Error(redact((error as Error).message));
	}
	log(`    n8n start for the credential test on 127.0.0.1:${server.port} (task broker ${env.N8N_RUNNERS_BROKER_PORT})`);
	const output = () => server.output();
	try {
		const rest = new N8nRest(server.url, 'e2e');
		await rest.signIn().catch((error: Error) => {
			throw new Error(`e2e check failed: ${error.message}; n8n printed:\n${redact(output().slice(-2000))}`);
		});
		const test = (data: Record<string, unknown>) =>
			rest.json<{ status: string; message: string }>('POST', '/rest/credentials/test', { credentials: { id: 'onofficeSandbox', name: 'onOffice sandbox', type: 'onOfficeApi', data: { ...sandbox.credentials, ...data } } });
		const right = await test({});
		expect(right.status === 'OK', `the right credentials test OK, got ${JSON.stringify(right)}`);
		const wrongSecret = await test({ secret: 'w'.repeat(64) });
		expect(wrongSecret.status === 'Error' && /137.*secret is wrong/.test(wrongSecret.message), `a wrong secret fails the test, got ${JSON.stringify(wrongSecret)}`);
		const wrongToken = await test({ token: 'w'.repeat(32) });
		expect(wrongToken.status === 'Error' && /does not know this token/.test(wrongToken.message), `a wrong token fails the test, got ${JSON.stringify(wrongToken)}`);
		expect(!JSON.stringify([right, wrongSecret, wrongToken]).includes('w'.repeat(32)), 'no credential value in the test results');
		// What the editor offers: the node in both versions, and its variant for the AI Agent's tools.
		const types = await rest.json<Array<{ name: string; version: number | number[]; displayName: string; outputs?: unknown }>>('GET', '/types/nodes.json');
		const ours = types.filter((t) => t.name.startsWith('n8n-nodes-onoffice-file-upload.'));
		const node = ours.find((t) => t.name.endsWith('.onOfficeFileUpload'));
		const tool = ours.find((t) => t.name.endsWith('.onOfficeFileUploadTool'));
		expect(JSON.stringify([node?.version].flat()) === '[1,2]', `n8n offers the node in versions 1 and 2, got ${JSON.stringify(node?.version)}`);
		expect(tool?.displayName === 'onOffice File Upload Tool' && JSON.stringify(tool.outputs) === '["ai_tool"]', `n8n offers "onOffice File Upload Tool" to the AI Agent, got ${JSON.stringify(tool && { name: tool.name, displayName: tool.displayName, outputs: tool.outputs })}`);
		return output();
	} finally {
		await server.stop();
	}
}

async function main(): Promise<void> {
	const started = Date.now();
	const line = lineFromArgs();
	if (demo) log(`Runs the example workflows in real n8n ${line.n8n} against the bundled onOffice sandbox (no onOffice account needed).`);
	const install = await installN8n(undefined, line);
	const n8nBin = install.bin;
	// A user's own n8n on this machine holds n8n's default ports (5678 for the editor, 5679 for the task broker);
	// the test holds them itself for the run, so that a command that fell back to a default would fail here.
	const held = demo ? [] : await holdDefaultPorts();

	log('Building and packing the package...');
	const { work, home } = userFolderWithPackage();
	const sandbox = await startSandbox();
	// The link import reads its CSV from a folder n8n may read files from, as a user's ~/.n8n-files.
	const filesDir = join(work, 'files');
	mkdirSync(filesDir);
	const env = await n8nEnv(install, home, { N8N_RESTRICT_FILE_ACCESS_TO: filesDir });
	log(`Ports (all on 127.0.0.1, chosen free): onOffice sandbox ${new URL(sandbox.url).port}, n8n task broker ${env.N8N_RUNNERS_BROKER_PORT}${held.length ? `; n8n's defaults ${held.join(' and ')} held by the test as a user's own n8n would hold them` : ''}.`);
	try {
		const workflowsDir = join(work, 'workflows');
		mkdirSync(workflowsDir);
		const sources = [...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.json')).map((f) => join(root, 'examples', f)), join(root, 'test', 'e2e', 'large-upload.json')];
		for (const file of sources) {
			const workflow = JSON.parse(readFileSync(file, 'utf8'));
			const name = file.split('/').pop()!;
			writeFileSync(join(workflowsDir, name), JSON.stringify(withFilesIn(withoutMailServer(workflow, name), filesDir)));
		}
		writeFileSync(join(work, 'credentials.json'), JSON.stringify([{ id: 'onofficeSandbox', name: 'onOffice sandbox', type: 'onOfficeApi', data: sandbox.credentials }]));
		await importIntoN8n(install, env, join(work, 'credentials.json'), workflowsDir);
		const transcripts: string[] = [];
		let passed = 0;
		const failed: string[] = [];
		// A failed check does not hide the others: each workflow runs and reports, and the run fails at the end.
		const redact = (text: string) => text.split(sandbox.token).join('<token>').split(sandbox.secret).join('<secret>');
		const attempt = (what: string, checking: () => void, ok: string, n8nLog = ''): boolean => {
			try {
				checking();
			} catch (error) {
				const message = (error as Error).message;
				log(`FAIL ${what}: ${message}`);
				if (n8nLog) log(`     n8n's log of that run (the run's JSON left out):\n${redact(n8nLog).split('\n').map((l) => `     | ${l}`).join('\n')}`);
				failed.push(`${what}: ${message.split('\n')[0].slice(0, 300)}`);
				return false;
			}
			log(`ok  ${ok}`);
			passed += 1;
			return true;
		};
		for (const check of checks) {
			sandbox.reset();
			const id = JSON.parse(readFileSync(join(workflowsDir, `${check.workflow}.json`), 'utf8')).id;
			const t0 = Date.now();
			let n8nLog = '';
			const execute = async () => {
				const result = await run(n8nBin, ['execute', `--id=${id}`, '--rawOutput'], env);
				transcripts.push(result.stdout, result.stderr);
				n8nLog = logLines(result.stdout, result.stderr);
				if (result.code !== 0) throw new Error(`n8n execute ${check.workflow} exited ${result.code}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
				return parseRun(result.stdout);
			};
			const first = await execute();
			const firstOk = attempt(check.workflow, () => check.verify(sandbox, first), `${check.workflow} (${((Date.now() - t0) / 1000).toFixed(1)} s, ${sandbox.requests.length} requests to onOffice)`, n8nLog);
			if (demo) {
				const arrived = [
					...sandbox.files(),
					...sandbox.store.cache.map((c) => ({ ...c, module: 'tmpUpload cache', relatedRecordId: '', art: 'staged', url: undefined, fileId: c.cacheFileUuid })),
				];
				for (const f of arrived.slice(0, 6)) {
					const what = f.url ? `${f.art} ${f.url}` : `${f.art ?? 'file'} "${f.fileName}", ${f.size} bytes in ${f.blocks} block(s), sha256 ${f.sha256.slice(0, 16)}… (matches the source)`;
					log(`      ${f.module} ${f.relatedRecordId}, file ${f.fileId}: ${what}`);
				}
				if (arrived.length > 6) log(`      … and ${arrived.length - 6} more`);
				for (const node of check.shown ?? []) for (const item of items(first, node)) log(`      "${node}": ${JSON.stringify(item)}`);
			}
			// A second run only says something once the first one did what it should.
			if (check.again && !firstOk) log(`--  ${check.workflow} run again: not run, the first run failed`);
			if (check.again && firstOk) {
				const before = { files: sandbox.files().length, requests: sandbox.requests.length };
				const t1 = Date.now();
				const second = await execute();
				attempt(
					`${check.workflow} run again`,
					() => check.again!(sandbox, second, before),
					`${check.workflow} run again (On Duplicate: Skip): nothing added, every item reported as skipped (${((Date.now() - t1) / 1000).toFixed(1)} s, ${sandbox.requests.length - before.requests} requests)`,
					n8nLog,
				);
			}
		}
		transcripts.push(await credentialTestInN8n(install, env, sandbox));
		log('ok  the credential test in the n8n application: passes with the right secret, fails on a wrong secret and a wrong token; n8n offers the node (versions 1 and 2) and "onOffice File Upload Tool" to the AI Agent');
		passed += 1;
		const everything = transcripts.join('\n');
		attempt('secrets', () => expect(!everything.includes(sandbox.token) && !everything.includes(sandbox.secret), 'n8n printed neither the token nor the secret'), 'n8n printed neither the token nor the secret');
		log(`e2e: ${passed} passed, ${failed.length} failed (n8n ${line.n8n} on Node ${line.node}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
		if (failed.length) throw new Error(`e2e failed:\n${failed.map((f) => `  ${f}`).join('\n')}`);
	} finally {
		await sandbox.stop();
		for (const server of heldServers) server.close();
		rmSync(work, { recursive: true, force: true });
	}
}

/**
 * `n8n execute` runs a workflow once from a manual start, and the demo needs no mail server: an example's Email
 * Trigger (IMAP) is replaced by its sample in test/e2e/ (a manual trigger and a Code node that makes the items the
 * trigger would). Everything after the trigger is the example as shipped; `npm run test:mail` runs both e-mail
 * examples with the real trigger and a real IMAP server.
 */
interface WorkflowJson {
	nodes: Array<{ name: string; type: string; parameters?: Record<string, unknown> }>;
	connections: Record<string, unknown>;
}

/** The sample mails that stand in for each e-mail example's trigger. */
const SAMPLE_MAILS: Record<string, string> = {
	'email-attachments-to-estate.json': 'sample-email.json',
	'contact-documents-to-address.json': 'sample-contact-email.json',
};

function withoutMailServer(workflow: WorkflowJson, file: string): WorkflowJson {
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.emailReadImap');
	// A workflow without sample mails is imported as it is and not run here (the AI agent examples need a model).
	if (!trigger || !SAMPLE_MAILS[file]) return workflow;
	const sample = JSON.parse(readFileSync(join(root, 'test', 'e2e', SAMPLE_MAILS[file]), 'utf8')) as WorkflowJson;
	const [start, code] = sample.nodes;
	const connections = { ...workflow.connections } as Record<string, unknown>;
	connections[code.name] = connections[trigger.name];
	delete connections[trigger.name];
	connections[start.name] = { main: [[{ node: code.name, type: 'main', index: 0 }]] };
	return { ...workflow, nodes: [...workflow.nodes.filter((n) => n !== trigger), ...sample.nodes], connections };
}

/** Points the example's Read/Write Files from Disk at a copy of the file it reads, in `filesDir`. */
function withFilesIn(workflow: WorkflowJson, filesDir: string): WorkflowJson {
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-base.readWriteFile' || typeof node.parameters?.fileSelector !== 'string') continue;
		const name = node.parameters.fileSelector.split('/').pop()!;
		copyFileSync(join(root, 'examples', name), join(filesDir, name));
		node.parameters.fileSelector = join(filesDir, name);
	}
	return workflow;
}

const heldServers: Server[] = [];

/** Listens on n8n's default ports where they are free (where they are not, something already holds them). */
async function holdDefaultPorts(): Promise<number[]> {
	const held: number[] = [];
	for (const port of [5678, 5679]) {
		const server = createServer();
		const listening = await new Promise<boolean>((resolve) => {
			server.once('error', () => resolve(false));
			server.listen(port, () => resolve(true));
		});
		if (listening) heldServers.push(server);
		held.push(port);
	}
	return held;
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
