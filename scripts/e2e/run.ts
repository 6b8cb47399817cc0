// End to end in the real application: n8n 2.41.1 on Node 24 loads this package the way it loads community
// packages (from `npm pack` into <user folder>/.n8n/nodes/node_modules), imports a credential pointing at the
// sandbox and the example workflows, runs each with `n8n execute --id`, and checks what the sandbox stored, byte
// for byte. `--demo` prints what arrived instead of asserting quietly.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { createServer, type Server } from 'net';
import { join } from 'path';

import { startSandbox } from '../../test/sandbox/server';
import { checks, expect, items } from './checks';
import { credentialTestInN8n } from './credentialTest';
import { withFilesIn, withoutMailServer } from './examples';
import {
	executeWorkflow,
	importIntoN8n,
	installN8n,
	lastLogLines,
	n8nEnv,
	root,
	userFolderWithPackage,
} from '../services/n8n';
import { lineFromArgs } from '../services/install-n8n';
import { SANDBOX_CREDENTIAL } from '../services/workflows';

const demo = process.argv.includes('--demo');
const log = (line: string) => console.log(line);

async function main(): Promise<void> {
	const started = Date.now();
	const line = lineFromArgs();
	if (demo)
		log(
			`Runs the example workflows in real n8n ${line.n8n} against the bundled onOffice sandbox (no onOffice account needed).`,
		);
	const install = await installN8n(undefined, line);
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
	log(
		`Ports (all on 127.0.0.1, chosen free): onOffice sandbox ${new URL(sandbox.url).port}, n8n task broker ${env.N8N_RUNNERS_BROKER_PORT}${held.length ? `; n8n's defaults ${held.join(' and ')} held by the test as a user's own n8n would hold them` : ''}.`,
	);
	try {
		const workflowsDir = join(work, 'workflows');
		mkdirSync(workflowsDir);
		const sources = [
			...readdirSync(join(root, 'examples'))
				.filter((f) => f.endsWith('.json'))
				.map((f) => join(root, 'examples', f)),
			...['large-upload.json', 'large-output.json'].map((f) => join(root, 'test', 'e2e', f)),
		];
		for (const file of sources) {
			const workflow = JSON.parse(readFileSync(file, 'utf8'));
			const name = file.split('/').pop()!;
			writeFileSync(
				join(workflowsDir, name),
				JSON.stringify(withFilesIn(withoutMailServer(workflow, name), filesDir)),
			);
		}
		writeFileSync(
			join(work, 'credentials.json'),
			JSON.stringify([{ ...SANDBOX_CREDENTIAL, data: sandbox.credentials }]),
		);
		await importIntoN8n(install, env, join(work, 'credentials.json'), workflowsDir);
		const transcripts: string[] = [];
		// The newest execution in n8n's database: each run's own execution comes after it.
		let lastRun = 0;
		let passed = 0;
		const failed: string[] = [];
		// A failed check does not hide the others: each workflow runs and reports, and the run fails at the end.
		const redact = (text: string) =>
			text.split(sandbox.token).join('<token>').split(sandbox.secret).join('<secret>');
		const attempt = (what: string, checking: () => void, ok: string, n8nLog = ''): boolean => {
			try {
				checking();
			} catch (error) {
				const message = (error as Error).message;
				log(`FAIL ${what}: ${message}`);
				if (n8nLog)
					log(
						`     n8n's log of that run (the run's JSON left out):\n${redact(n8nLog)
							.split('\n')
							.map((l) => `     | ${l}`)
							.join('\n')}`,
					);
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
				const { run, result } = await executeWorkflow(install, env, id, lastRun);
				lastRun = Number(run.id);
				transcripts.push(result.stdout, result.stderr);
				n8nLog = lastLogLines(result, 200);
				if (run.status !== 'success') {
					throw new Error(
						`n8n execute ${check.workflow}: n8n saved the run as ${run.status}${run.error ? ` (${run.error.node ? `node "${run.error.node}": ` : ''}${run.error.message}${run.error.description ? ` ${run.error.description}` : ''})` : ''}; n8n's last log lines:\n${redact(lastLogLines(result))}`,
					);
				}
				if (result.code !== 0)
					log(
						`      note: n8n execute exited ${result.signal ? `by ${result.signal}` : `with code ${result.code}`} after saving the run as ${run.status}; the run is read from n8n's database`,
					);
				return run;
			};
			const first = await execute();
			const firstOk = attempt(
				check.workflow,
				() => check.verify(sandbox, first),
				`${check.workflow} (${((Date.now() - t0) / 1000).toFixed(1)} s, ${sandbox.requests.length} requests to onOffice)`,
				n8nLog,
			);
			if (demo) {
				const arrived = [
					...sandbox.files(),
					...sandbox.store.cache.map((c) => ({
						...c,
						module: 'tmpUpload cache',
						relatedRecordId: '',
						art: 'staged',
						url: undefined,
						fileId: c.cacheFileUuid,
					})),
				];
				for (const f of arrived.slice(0, 6)) {
					const what = f.url
						? `${f.art} ${f.url}`
						: `${f.art ?? 'file'} "${f.fileName}", ${f.size} bytes in ${f.blocks} block(s), sha256 ${f.sha256.slice(0, 16)}… (matches the source)`;
					log(`      ${f.module} ${f.relatedRecordId}, file ${f.fileId}: ${what}`);
				}
				if (arrived.length > 6) log(`      … and ${arrived.length - 6} more`);
				for (const node of check.shown ?? [])
					for (const item of items(first, node)) log(`      "${node}": ${JSON.stringify(item)}`);
			}
			// A second run only says something once the first one did what it should.
			if (check.again && !firstOk)
				log(`--  ${check.workflow} run again: not run, the first run failed`);
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
		// The harness itself: a run n8n never saved is reported with why, not as a JSON that cannot be parsed.
		const unsaved = await executeWorkflow(install, env, 'noSuchWorkflow', lastRun).then(
			() => 'read a run',
			(error: Error) => error.message,
		);
		attempt(
			'an unsaved run',
			() =>
				expect(
					/^n8n execute --id=noSuchWorkflow exited with code 1 after printing \d+ characters to stdout and \d+ to stderr; n8n saved no execution of workflow noSuchWorkflow/.test(
						unsaved,
					) && unsaved.includes('does not exist'),
					`the harness says why it cannot read a run n8n never saved: ${unsaved.slice(0, 400)}`,
				),
			"the harness says why it cannot read a run that n8n never saved (exit code, how much output arrived, n8n's last log lines)",
		);
		transcripts.push(await credentialTestInN8n(install, env, sandbox));
		log(
			'ok  the credential test in the n8n application: passes with the right secret, fails on a wrong secret and a wrong token; n8n offers the node (versions 1 and 2) and "onOffice File Upload Tool" to the AI Agent',
		);
		passed += 1;
		const everything = transcripts.join('\n');
		attempt(
			'secrets',
			() =>
				expect(
					!everything.includes(sandbox.token) && !everything.includes(sandbox.secret),
					'n8n printed neither the token nor the secret',
				),
			'n8n printed neither the token nor the secret',
		);
		log(
			`e2e: ${passed} passed, ${failed.length} failed (n8n ${line.n8n} on Node ${line.node}, ${((Date.now() - started) / 1000).toFixed(0)} s)`,
		);
		if (failed.length) throw new Error(`e2e failed:\n${failed.map((f) => `  ${f}`).join('\n')}`);
	} finally {
		await sandbox.stop();
		for (const server of heldServers) server.close();
		rmSync(work, { recursive: true, force: true });
	}
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
