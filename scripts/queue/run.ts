// npm run test:queue: the package in n8n's queue mode, as agencies that outgrow one n8n process run it. Redis and
// PostgreSQL from Debian's packages (installed when missing), each on a free loopback port with its data in a
// temporary folder; real n8n 2.41.1 as one main and two workers, each with its own user folder holding the package
// and its own task-broker port, one encryption key; the onOffice sandbox. A webhook-triggered upload is published;
// concurrent uploads (some of several blocks) go through the main's production webhook and must arrive exactly once,
// byte for byte, run by the workers; then an execution is stopped in the middle of its blocks and must send nothing
// more and link nothing; then a worker is killed in the middle of four uploads, once started again at once and once
// left down (crash.ts: what n8n records and when, what Retry does, what running the items again leaves with Skip and
// Upload Anyway; Retry On Fail). Prints what it measured (record.ts); `-- --record` writes it to bench/RESULTS-queue.md.
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import { startSandbox, type OnOfficeSandbox } from '../../test/sandbox/server';
import { freePort } from '../lib/ports';
import { installN8n, installPackage, n8nEnv, run, userFolderWithPackage } from '../services/n8n';
import { sample } from '../lib/bytes';
import { N8nRest } from '../services/n8nRest';
import { QUIET_EDITOR, startN8n, type N8nServer } from '../services/n8nServer';
import { startPostgres, type Postgres } from '../services/postgres';
import { startRedis, type Redis } from '../services/redis';
import { SANDBOX_CREDENTIAL } from '../services/workflows';
import { sendFile, uploadWebhookWorkflow } from '../services/uploadWebhook';
import { bullEnv, crashWorkflows, DOWN_TIMINGS, WITH_N8N_DEFAULTS, workerCrash } from './crash';
import { QueueRecord } from './record';
import { AGENT_SCRIPT, toolCallsOnWorkers, toolCredentials, toolWorkflows } from './tools';
import { startFakeModel, type FakeModel } from '../services/fakeModel';
import { ranBy, startWorker, WORKER_CONCURRENCY, type Worker } from './workers';
import { executionsRunIn } from '../services/eventLog';
import { executionList } from '../services/executions';
import { MiB, sha } from '../lib/bytes';
import { pollUntil, sleep } from '../lib/time';

const log = (line: string) => console.log(line);
const BLOCK_KIB = 1024;
const CONCURRENT = 20;

let passed = 0;
function check(condition: boolean, message: string): void {
	if (!condition) throw new Error(`queue check failed: ${message}`);
	log(`ok  ${message}`);
	passed += 1;
}

async function main(): Promise<void> {
	const started = Date.now();
	const install = await installN8n();
	const record = new QueueRecord(
		WITH_N8N_DEFAULTS ? "n8n's own Bull timings" : "The test's Bull timings",
		install.line.n8n,
	);
	let redis: Redis | undefined;
	let postgres: Postgres | undefined;
	let sandbox: OnOfficeSandbox | undefined;
	let model: FakeModel | undefined;
	let server: N8nServer | undefined;
	const workers: Worker[] = [];
	// Workers that were stopped or killed and started again: their output still counts.
	const retired: Worker[] = [];
	const works: string[] = [];
	try {
		redis = await startRedis();
		postgres = await startPostgres();
		sandbox = await startSandbox();
		model = await startFakeModel([AGENT_SCRIPT]);
		log('Building and packing the package; installing it into the main and each worker...');
		const mainFolder = userFolderWithPackage();
		works.push(mainFolder.work);
		const workerHomes = ['worker-1', 'worker-2'].map((name) => {
			const home = join(mainFolder.work, name);
			installPackage(home, mainFolder.tarball);
			return home;
		});
		const ports: number[] = [];
		const port = async () => {
			const p = await freePort(ports);
			ports.push(p);
			return p;
		};
		const shared: NodeJS.ProcessEnv = {
			...QUIET_EDITOR,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			N8N_ENCRYPTION_KEY: 'onoffice-queue-test-only-key',
			// Everything on loopback: no MCP registry refresh and no list of vetted community nodes from api.n8n.io.
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			// Worker log lines ("Worker started execution …") tell which process ran what.
			N8N_LOG_LEVEL: 'info',
			// A dead worker's jobs are found within seconds instead of n8n's minute and a half (see crash.ts).
			...bullEnv(DOWN_TIMINGS),
		};
		const envFor = async (home: string, extra: NodeJS.ProcessEnv = {}) => {
			const env = await n8nEnv(install, home, {
				...shared,
				N8N_RUNNERS_BROKER_PORT: String(await port()),
				...extra,
			});
			// Queue mode's own default binary mode (database: PostgreSQL holds the files), not the e2e's filesystem.
			delete env.N8N_DEFAULT_BINARY_DATA_MODE;
			return env;
		};
		const mainEnv = await envFor(mainFolder.home);

		// The workflows and the credential, imported and published with the main's CLI while nothing runs.
		const work = mainFolder.work;
		mkdirSync(join(work, 'workflows'));
		const credential = { id: SANDBOX_CREDENTIAL.id, name: SANDBOX_CREDENTIAL.name };
		const workflows = [
			uploadWebhookWorkflow({
				id: 'queueUpload',
				path: 'queue-upload',
				credential,
				blockSizeKiB: BLOCK_KIB,
			}),
			...crashWorkflows(credential, BLOCK_KIB),
			...toolWorkflows(credential),
		];
		for (const workflow of workflows)
			writeFileSync(
				join(work, 'workflows', `${workflow.id}.json`),
				JSON.stringify({ ...workflow, active: false }),
			);
		writeFileSync(
			join(work, 'credentials.json'),
			JSON.stringify([
				{ ...credential, type: 'onOfficeApi', data: sandbox.credentials },
				...toolCredentials(model),
			]),
		);
		const cli = [
			['import:credentials', `--input=${join(work, 'credentials.json')}`],
			['import:workflow', '--separate', `--input=${join(work, 'workflows')}`],
			...workflows.map((w) => ['publish:workflow', `--id=${w.id}`]),
		];
		for (const args of cli) {
			const result = await run(install.bin, args, mainEnv);
			if (result.code !== 0)
				throw new Error(
					`n8n ${args[0]} failed:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`,
				);
		}
		server = await startN8n(install, mainEnv);
		for (const [i, home] of workerHomes.entries()) {
			workers.push(
				await startWorker(
					install,
					`worker ${i + 1}`,
					await envFor(home, {
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(await port()),
					}),
				),
			);
		}
		const restartWorker = async (index: number, env: NodeJS.ProcessEnv = {}) => {
			const old = workers[index];
			await old.stop();
			retired.push(old);
			workers[index] = await startWorker(install, old.name, { ...old.env, ...env });
		};
		log(
			`Ports (127.0.0.1, chosen free): Redis ${redis.port}, PostgreSQL ${postgres.port}, onOffice sandbox ${new URL(sandbox.url).port}, main ${server.port} (task broker ${mainEnv.N8N_RUNNERS_BROKER_PORT}), ` +
				workers
					.map(
						(w) =>
							`${w.name} task broker ${w.env.N8N_RUNNERS_BROKER_PORT}, health ${w.env.QUEUE_HEALTH_CHECK_PORT}`,
					)
					.join('; ') +
				'.',
		);
		const rest = new N8nRest(server.url, 'queue-test');
		await rest.signIn();
		const webhookOf = (path: string) => `${server!.url}/webhook/${path}`;
		const webhook = webhookOf('queue-upload');
		// The main registers the published workflows' webhooks as it starts; wait until it answers for each.
		for (const workflow of workflows) {
			const hook = (workflow.nodes as Array<{ type: string; parameters: { path?: string } }>).find(
				(n) => n.type === 'n8n-nodes-base.webhook',
			);
			if (!hook) continue;
			const path = webhookOf(String(hook.parameters.path));
			await pollUntil(
				() =>
					fetch(path, { method: 'OPTIONS' }).then(
						(r) => r.status !== 404,
						() => false,
					),
				30_000,
				500,
			);
		}

		// 20 at once: six of several blocks (2.5 MiB in 1 MiB blocks), fourteen small; to the three estates in turn.
		const estates = [30, 409, 2651];
		const files = Array.from({ length: CONCURRENT }, (_, i) => {
			const size = i % 3 === 0 && i < 18 ? Math.round(2.5 * MiB) + i : 40_000 + i * 7_919;
			return {
				name: `Objekt-${i + 1}.pdf`,
				mimeType: 'application/pdf',
				bytes: sample(size, `queue-${i + 1}`),
				estate: estates[i % 3],
			};
		});
		const t0 = Date.now();
		const answers = await Promise.all(files.map((file) => sendFile(webhook, file)));
		const seconds = ((Date.now() - t0) / 1000).toFixed(1);
		const failed = answers
			.map((a, i) => ({ ...a, name: files[i].name }))
			.filter((a) => a.status !== 200);
		check(
			failed.length === 0,
			`${CONCURRENT} concurrent uploads through the main's production webhook all answered 200 (${seconds} s)${failed.length ? `: ${JSON.stringify(failed.slice(0, 3)).slice(0, 1500)}` : ''}`,
		);
		const stored = sandbox.files();
		const wrong = files.filter((f) => {
			const matches = stored.filter((s) => s.fileName === f.name);
			return (
				matches.length !== 1 ||
				matches[0].sha256 !== sha(f.bytes) ||
				matches[0].relatedRecordId !== f.estate ||
				matches[0].blocks !== Math.ceil(f.bytes.length / (BLOCK_KIB * 1024))
			);
		});
		const multi = files.filter((f) => f.bytes.length > BLOCK_KIB * 1024).length;
		check(
			wrong.length === 0 && stored.length === CONCURRENT,
			`every file arrived exactly once on its estate, byte for byte (${multi} of them in 3 blocks): ${stored.length} files stored${wrong.length ? `; wrong: ${wrong.map((f) => f.name).join(', ')}` : ''}`,
		);
		// Queue mode's default binary mode: the webhook's files went into PostgreSQL, where any worker can read them.
		const inDatabase = Number(postgres.query('select count(*) from binary_data'));
		check(
			inDatabase >= CONCURRENT,
			`the uploaded files were held as binary data in PostgreSQL (${inDatabase} rows in binary_data), not on one instance's disk`,
		);
		// Which process ran what, from each instance's event log (its user folder): a node event means it ran it.
		const perWorker = workers.map(ranBy);
		const byWorkers = new Set(perWorker.flatMap((s) => [...s]));
		const byMain = executionsRunIn(mainFolder.home);
		const list = await executionList(rest);
		const webhookRuns = list.filter((e) => e.mode === 'webhook');
		check(
			webhookRuns.length === CONCURRENT &&
				webhookRuns.every(
					(e) => e.status === 'success' && byWorkers.has(e.id) && !byMain.has(e.id),
				),
			`the workers ran all ${CONCURRENT} executions, the main none (worker 1: ${perWorker[0].size}, worker 2: ${perWorker[1].size}, main: ${byMain.size}; n8n lists ${webhookRuns.length} webhook executions, ${webhookRuns.filter((e) => e.status === 'success').length} successful)`,
		);
		check(
			perWorker.every((s) => s.size > 0),
			'both workers took executions from the queue',
		);
		const peaks = workers.map((w) => `${w.name} ${w.peakRssMiB().toFixed(0)} MiB`).join(', ');
		log(`    peak RSS during the ${CONCURRENT} uploads: ${peaks}`);
		record.note(
			`${CONCURRENT} concurrent webhook uploads (${multi} of 2.5 MiB in 1 MiB blocks, the others 40 to 190 kB) in ${seconds} s; each worker's peak RSS by then (concurrency ${WORKER_CONCURRENCY}, binary data in PostgreSQL): ${peaks}.`,
		);

		await toolCallsOnWorkers({
			sandbox,
			rest,
			mainUrl: server.url,
			mainFolder: mainFolder.home,
			workers,
			check,
		});

		// A stop in the middle of a file: blocks are held 2.5 s each by the sandbox, so the stop lands while they go.
		const big = {
			name: 'Baubeschreibung gross.pdf',
			mimeType: 'application/pdf',
			bytes: sample(8 * MiB, 'queue-stopped'),
			estate: 409,
		};
		sandbox.inject({ kind: 'delay', delayMs: 2500, when: { step: 'block' }, times: 20 });
		const before = sandbox.requests.length;
		const pending = sendFile(webhook, big).catch((error: Error) => ({
			status: 0,
			body: error.message,
		}));
		const blocksOf = () =>
			sandbox!.requests.slice(before).filter((r) => r.step === 'firstBlock' || r.step === 'block');
		await pollUntil(() => blocksOf().length >= 3, 30_000, 250);
		const running = (await executionList(rest)).find((e) => e.status === 'running');
		check(
			!!running && blocksOf().length >= 3,
			`the 8 MiB upload is running on a worker (execution ${running?.id}), ${blocksOf().length} of its 8 blocks sent or on their way`,
		);
		const stopAt = Date.now();
		await rest.json('POST', `/rest/executions/${running!.id}/stop`);
		const requestsAtStop = sandbox.requests.length;
		// Longer than a held block: a request sent after the stop would have arrived by now.
		await sleep(8000);
		const after = sandbox.requests.slice(requestsAtStop);
		const linked = sandbox.files().some((f) => f.fileName === big.name);
		const status = (await rest.json<{ status: string }>('GET', `/rest/executions/${running!.id}`))
			.status;
		check(
			after.length === 0 && !linked,
			`after the stop nothing more was sent (${after.length} requests in the 8 s after it; ${blocksOf().length} of 8 blocks in all) and the file was not linked`,
		);
		check(
			status === 'canceled',
			`n8n records the execution as canceled (status ${status}); the webhook caller got HTTP ${(await pending).status} ${(Date.now() - stopAt) / 1000 < 60 ? '' : '(late)'}`.trim(),
		);
		sandbox.clearFaults();

		await workerCrash({
			install,
			sandbox,
			rest,
			webhook: webhookOf,
			workers,
			restartWorker,
			check,
			record,
		});

		const everything = [server.output(), ...[...retired, ...workers].map((w) => w.output())].join(
			'\n',
		);
		check(
			!everything.includes(sandbox.token) && !everything.includes(sandbox.secret),
			'the main and the workers printed neither the token nor the secret',
		);
		log(
			`    peak RSS of each worker process, in the order they ran: ${[...retired, ...workers].map((w) => `${w.name} ${w.peakRssMiB().toFixed(0)} MiB`).join(', ')}`,
		);
		log(`\nWhat this run measured:\n\n${record.markdown()}`);
		if (process.argv.includes('--record')) log(`Recorded in ${record.write()}.`);
		log(
			`queue: ${passed} passed, 0 failed (n8n ${install.line.n8n}, main + ${workers.length} workers, ${((Date.now() - started) / 1000).toFixed(0)} s)`,
		);
	} catch (error) {
		const redact = (t: string) =>
			sandbox ? t.split(sandbox.token).join('<token>').split(sandbox.secret).join('<secret>') : t;
		if (server)
			process.stderr.write(
				`main's output (last lines):\n${redact(server.output().slice(-3000))}\n`,
			);
		for (const w of [...retired, ...workers])
			process.stderr.write(
				`${w.name}'s output (last lines):\n${redact(w.output().slice(-3000))}\n`,
			);
		throw error;
	} finally {
		for (const w of workers) await w.stop();
		await server?.stop();
		await sandbox?.stop();
		await model?.stop();
		await postgres?.stop();
		await redis?.stop();
		for (const dir of works) rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
