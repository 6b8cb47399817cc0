// End to end in the real application: n8n 2.41.1 on Node 24 loads this package the way it loads community
// packages (from `npm pack` into <user folder>/.n8n/nodes/node_modules), imports a credential pointing at the
// sandbox and the example workflows, runs each with `n8n execute --id`, and checks what the sandbox stored, byte
// for byte. `--demo` prints what arrived instead of asserting quietly.
import { createHash } from 'crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { createServer, type Server } from 'net';
import { join } from 'path';

import { startSandbox, type OnOfficeSandbox } from '../../test/sandbox/server';
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
}

function expect(condition: boolean, message: string): void {
	if (!condition) throw new Error(`e2e check failed: ${message}`);
}

const checks: Check[] = [
	{
		workflow: 'email-attachments-to-estate',
		verify(sandbox, output) {
			const files = sandbox.files({ module: 'estate', relatedRecordId: 409 });
			const expected = [
				['Wohnzimmer.jpg', 'Foto', sha(pattern(180000, 1))],
				['Grundriss Erdgeschoß.pdf', 'Grundriss', sha(pattern(420000, 2))],
			];
			expect(JSON.stringify(files.map((f) => [f.fileName, f.art, f.sha256])) === JSON.stringify(expected), `estate 409 holds ${JSON.stringify(files.map((f) => [f.fileName, f.art, f.size]))}`);
			const out = (output.nodes['Upload attachments to estate'] ?? []).map((o) => o.json);
			expect(out.length === 4, `one output item per attachment, got ${out.length}`);
			expect(out[0].fileId === String(files[0].fileId) && out[1].fileId === String(files[1].fileId), 'the node output names the stored files');
			expect(out[2].leftOut === true && /less than 2048 \(Minimum Size\)/.test(String(out[2].reason)), `the 70-byte PNG is left out by the minimum size: ${JSON.stringify(out[2])}`);
			expect(out[3].leftOut === true && /matches "winmail.dat"/.test(String(out[3].reason)), `winmail.dat is left out by name: ${JSON.stringify(out[3])}`);
		},
		again(sandbox, output, before) {
			const out = (output.nodes['Upload attachments to estate'] ?? []).map((o) => o.json);
			const files = sandbox.files({ module: 'estate', relatedRecordId: 409 });
			expect(sandbox.files().length === before.files, `the same mail again added nothing (${before.files} files before, ${sandbox.files().length} after)`);
			expect(out.length === 4 && out.slice(0, 2).every((o, i) => o.skipped === true && o.fileId === String(files[i].fileId)), `every uploaded attachment reported as skipped with its fileId: ${JSON.stringify(out)}`);
			const sent = sandbox.requests.slice(before.requests);
			expect(sent.length === 1 && sent[0].actions[0].resourcetype === 'file', `the second run only read the estate's files once (${sent.length} requests)`);
		},
	},
	{
		workflow: 'nightly-link-import',
		verify(sandbox, output) {
			const links = sandbox.files().filter((f) => f.url);
			expect(links.length === 120, `120 links stored, found ${links.length}`);
			const requests = sandbox.requests.filter((r) => r.actions[0]?.parameters.url !== undefined);
			expect(requests.length === 3, `120 links in 3 requests, used ${requests.length}`);
			expect(links.every((l) => l.url === `https://tour.example.com/${l.relatedRecordId}/room-${l.title!.replace('Rundgang Raum ', '')}`), 'each link on its estate');
			expect((output.nodes['Add links to estates'] ?? []).length === 120, 'one output item per link');
		},
		again(sandbox, output, before) {
			const out = output.nodes['Add links to estates'] ?? [];
			expect(sandbox.files().length === before.files, `the second night added nothing (${before.files} links before, ${sandbox.files().length} after)`);
			expect(out.length === 120 && out.every((o) => o.json.skipped === true && typeof o.json.fileId === 'string'), 'every link reported as skipped with its fileId');
			const sent = sandbox.requests.slice(before.requests);
			expect(sent.length === 3 && sent.every((r) => r.actions[0].resourcetype === 'file'), `the second night only read the 3 estates' files (${sent.length} requests)`);
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
			writeFileSync(join(workflowsDir, file.split('/').pop()!), JSON.stringify(withFilesIn(withoutMailServer(workflow), filesDir)));
		}
		writeFileSync(join(work, 'credentials.json'), JSON.stringify([{ id: 'onofficeSandbox', name: 'onOffice sandbox', type: 'onOfficeApi', data: sandbox.credentials }]));
		await importIntoN8n(install, env, join(work, 'credentials.json'), workflowsDir);
		const transcripts: string[] = [];
		let passed = 0;
		for (const check of checks) {
			sandbox.reset();
			const id = JSON.parse(readFileSync(join(workflowsDir, `${check.workflow}.json`), 'utf8')).id;
			const t0 = Date.now();
			const execute = async () => {
				const result = await run(n8nBin, ['execute', `--id=${id}`, '--rawOutput'], env);
				transcripts.push(result.stdout, result.stderr);
				if (result.code !== 0) throw new Error(`n8n execute ${check.workflow} exited ${result.code}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
				return parseRun(result.stdout);
			};
			check.verify(sandbox, await execute());
			log(`ok  ${check.workflow} (${((Date.now() - t0) / 1000).toFixed(1)} s, ${sandbox.requests.length} requests to onOffice)`);
			passed += 1;
			if (check.again) {
				const before = { files: sandbox.files().length, requests: sandbox.requests.length };
				const t1 = Date.now();
				check.again(sandbox, await execute(), before);
				log(`ok  ${check.workflow} run again (On Duplicate: Skip): nothing added, every item reported as skipped (${((Date.now() - t1) / 1000).toFixed(1)} s, ${sandbox.requests.length - before.requests} requests)`);
				passed += 1;
			}
			if (demo) {
				const arrived = [
					...sandbox.files(),
					...sandbox.store.cache.map((c) => ({ ...c, module: 'tmpUpload cache', relatedRecordId: '', art: 'staged', url: undefined, fileId: c.cacheFileUuid })),
				];
				for (const f of arrived.slice(0, 6)) {
					const what = f.url ? `${f.art} ${f.url}` : `${f.art} "${f.fileName}", ${f.size} bytes in ${f.blocks} block(s), sha256 ${f.sha256.slice(0, 16)}… (matches the source)`;
					log(`      ${f.module} ${f.relatedRecordId}, file ${f.fileId}: ${what}`);
				}
				if (arrived.length > 6) log(`      … and ${arrived.length - 6} more`);
			}
		}
		transcripts.push(await credentialTestInN8n(install, env, sandbox));
		log('ok  the credential test in the n8n application: passes with the right secret, fails on a wrong secret and a wrong token');
		passed += 1;
		const everything = transcripts.join('\n');
		expect(!everything.includes(sandbox.token) && !everything.includes(sandbox.secret), 'n8n printed neither the token nor the secret');
		log('ok  n8n printed neither the token nor the secret');
		passed += 1;
		log(`e2e: ${passed} passed, 0 failed (n8n ${line.n8n} on Node ${line.node}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
	} finally {
		await sandbox.stop();
		for (const server of heldServers) server.close();
		rmSync(work, { recursive: true, force: true });
	}
}

/**
 * `n8n execute` runs a workflow once from a manual start, and the demo needs no mail server: the e-mail example's
 * Email Trigger (IMAP) is replaced by test/e2e/sample-email.json (a manual trigger and a Code node that makes the
 * items the trigger would). Everything after the trigger is the example as shipped; `npm run test:mail` runs it
 * with the real trigger and a real IMAP server.
 */
interface WorkflowJson {
	nodes: Array<{ name: string; type: string; parameters?: Record<string, unknown> }>;
	connections: Record<string, unknown>;
}

function withoutMailServer(workflow: WorkflowJson): WorkflowJson {
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.emailReadImap');
	if (!trigger) return workflow;
	const sample = JSON.parse(readFileSync(join(root, 'test', 'e2e', 'sample-email.json'), 'utf8')) as WorkflowJson;
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
