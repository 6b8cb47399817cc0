// Checks `npm run dev` end to end: starts scripts/dev.ts in a fresh dev folder, waits for the editor's address,
// checks /healthz, logs in as the printed owner, finds the node in /types/nodes.json and the sandbox credential,
// changes a description in the TypeScript source and waits until the running n8n shows it (no restart of npm run
// dev), changes it back, and stops it with SIGINT as Ctrl+C does. Then it starts it once more on the same folder:
// the owner logs in again and a workflow saved in the first run is still there. Nothing it started may be left.
//   tsx scripts/dev-check.ts [--restart]   (--restart checks the restart mode instead of n8n's hot reload)
import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { descendants, processesWithEnv, processTable } from './lib/processes';
import { sleep } from './lib/time';
import { root } from './services/n8n';
import { OWNER } from './services/n8nRest';
import { SANDBOX_CREDENTIAL } from './services/workflows';

const NODE_TYPE = 'n8n-nodes-onoffice-file-upload.onOfficeFileUpload';
/** A description the check changes for a moment: the Retry Delay option's. */
const SOURCE = join(root, 'nodes', 'OnOfficeFileUpload', 'actions', 'common.description.ts');
const TEXT = 'Wait before the first retry, in milliseconds; it doubles for each further retry';
const BROWSER = { 'browser-id': 'dev-check' };

const started = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
let passed = 0;
function check(condition: boolean, message: string): void {
	if (!condition) throw new Error(`dev check failed: ${message}`);
	console.log(`ok  ${message}`);
	passed += 1;
}

class DevRun {
	output = '';
	readonly child: ChildProcess;
	private exited: Promise<number | string>;

	constructor(folder: string, args: string[]) {
		const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
		// A process group of its own, so that SIGINT reaches it as a terminal's Ctrl+C does: tsx and the script alike.
		this.child = spawn(process.execPath, [tsx, join('scripts', 'dev.ts'), ...args], {
			cwd: root,
			env: { ...process.env, ONOFFICE_DEV_FOLDER: folder },
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.child.stdout!.on('data', (c) => (this.output += c));
		this.child.stderr!.on('data', (c) => (this.output += c));
		this.exited = new Promise((resolve) =>
			this.child.on('close', (code, signal) => resolve(signal ?? code ?? 1)),
		);
	}

	async waitFor(pattern: RegExp, timeoutMs: number, what: string): Promise<RegExpExecArray> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const match = pattern.exec(this.output);
			if (match) return match;
			if (this.child.exitCode !== null || this.child.signalCode !== null)
				throw new Error(`npm run dev ended before ${what}:\n${this.output.slice(-4000)}`);
			if (Date.now() > deadline)
				throw new Error(`no ${what} after ${timeoutMs / 1000} s:\n${this.output.slice(-4000)}`);
			await sleep(250);
		}
	}

	/** SIGINT to the group, as Ctrl+C; resolves with the exit code (or the signal) and how long it took. */
	async interrupt(timeoutMs = 40000): Promise<{ result: number | string; ms: number }> {
		const t0 = Date.now();
		process.kill(-this.child.pid!, 'SIGINT');
		let timer: NodeJS.Timeout | undefined;
		const result = await Promise.race([
			this.exited,
			new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
		]);
		clearTimeout(timer);
		return { result, ms: Date.now() - t0 };
	}

	/** After a failure: Ctrl+C as usual, and whatever of its processes is still there after 15 s is killed. */
	async kill(): Promise<void> {
		const processes = descendants(this.child.pid!);
		if (this.child.exitCode === null && this.child.signalCode === null)
			await this.interrupt(15000).catch(() => undefined);
		const table = processTable();
		for (const p of [{ pid: this.child.pid!, start: '' }, ...processes]) {
			if (p.start && table.get(p.pid)?.start !== p.start) continue;
			try {
				process.kill(p.pid, 'SIGKILL');
			} catch {
				// Gone.
			}
		}
	}
}

/**
 * fetch, tried again for a while when nothing answers: npm run dev restarts n8n when package.json changes (in
 * restart mode on every rebuild), and in a shared working tree someone else's edit can cause that at any time.
 */
async function request(url: string, init?: RequestInit): Promise<Response> {
	const deadline = Date.now() + 90000;
	for (;;) {
		try {
			const response = await fetch(url, init);
			if (response.status !== 502 && response.status !== 503) return response;
			if (Date.now() > deadline) return response;
		} catch (error) {
			if (Date.now() > deadline) throw error;
		}
		await sleep(500);
	}
}

async function login(editor: string): Promise<string> {
	const response = await request(`${editor}/rest/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', ...BROWSER },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	check(response.ok, `POST /rest/login as ${OWNER.email} (HTTP ${response.status})`);
	return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

type NodeType = { name: string; properties: unknown[]; iconUrl?: { light: string; dark: string } };

async function nodeTypes(editor: string, cookie: string): Promise<NodeType[]> {
	const response = await request(`${editor}/types/nodes.json`, { headers: { cookie, ...BROWSER } });
	if (!response.ok) throw new Error(`GET /types/nodes.json: HTTP ${response.status}`);
	return (await response.json()) as NodeType[];
}

/** Polls /types/nodes.json until the node's description does (or does not) contain `text`; returns the time taken. */
async function waitForDescription(
	editor: string,
	cookie: string,
	text: string,
	present: boolean,
	timeoutMs: number,
): Promise<number> {
	const t0 = Date.now();
	while (Date.now() - t0 < timeoutMs) {
		const node = (await nodeTypes(editor, cookie).catch(() => [])).find(
			(n) => n.name === NODE_TYPE,
		);
		if (node && JSON.stringify(node.properties).includes(text) === present) return Date.now() - t0;
		await sleep(500);
	}
	throw new Error(
		`/types/nodes.json did not ${present ? 'show' : 'drop'} "${text}" within ${timeoutMs / 1000} s`,
	);
}

async function stopAndCheck(run: DevRun, folder: string, urls: string[]): Promise<void> {
	const before = descendants(run.child.pid!);
	const { result, ms } = await run.interrupt();
	check(
		result === 0,
		`Ctrl+C (SIGINT) stopped npm run dev with exit code 0 in ${(ms / 1000).toFixed(1)} s (got ${result})`,
	);
	await sleep(500);
	const table = processTable();
	const left = [
		...before
			.filter((p) => table.get(p.pid)?.start === p.start)
			.map((p) => `${p.pid} ${p.command}`),
		...processesWithEnv('ONOFFICE_DEV_FOLDER', folder)
			.filter((pid) => !before.some((p) => p.pid === pid))
			.map((pid) => `${pid} ${table.get(pid)?.command}`),
	];
	check(
		left.length === 0,
		`none of the ${before.length} processes it ran is left (${[...new Set(before.map((p) => p.command))].join(', ')})${left.length ? `; left: ${left.join(', ')}` : ''}`,
	);
	for (const url of urls)
		check(
			!(await fetch(url).then(
				() => true,
				() => false,
			)),
			`${url} no longer answers`,
		);
}

async function main(): Promise<void> {
	const args = process.argv.slice(2).filter((a) => a === '--restart');
	const folder = mkdtempSync(join(tmpdir(), 'onoffice-dev-check-'));
	const changed = `${TEXT} (changed by dev-check ${Date.now()})`;
	let run: DevRun | undefined;
	const restoreSource = () => {
		const now = readFileSync(SOURCE, 'utf8');
		if (now.includes(changed)) writeFileSync(SOURCE, now.split(changed).join(TEXT));
	};
	// Interrupted, the check still puts the source back and stops what it started.
	const interrupted = async () => {
		restoreSource();
		await run?.kill();
		rmSync(folder, { recursive: true, force: true });
		process.exit(130);
	};
	process.once('SIGINT', () => void interrupted());
	process.once('SIGTERM', () => void interrupted());
	try {
		const source = readFileSync(SOURCE, 'utf8');
		if (source.split(TEXT).length !== 2)
			throw new Error(
				`${SOURCE} no longer holds the text this check changes, exactly once: "${TEXT}"; pick another in scripts/dev-check.ts`,
			);

		// First run: a fresh folder, so the owner is created and the credential imported.
		let t0 = Date.now();
		run = new DevRun(folder, args);
		const editor = (await run.waitFor(/n8n editor:\s+(\S+)/, 600000, "the editor's address"))[1];
		await run.waitFor(/Stop with Ctrl\+C\.\n/, 10000, 'the end of the summary');
		check(
			true,
			`npm run dev printed the editor's address ${editor} after ${seconds(t0)} (fresh dev folder: n8n database, credential import, first build)`,
		);
		const sandboxUrl = /onOffice sandbox:\s+(\S+)/.exec(run.output)?.[1] ?? '';
		check(
			/Credential:\s+"onOffice sandbox"/.test(run.output) &&
				/Log in as:\s+owner@example\.com \/ \S+ \(owner account just created\)/.test(run.output),
			'it printed the sandbox URL, the credential and the new owner account',
		);
		const mode = args.includes('--restart') ? 'restart' : 'hot reload';
		check(
			run.output.includes(
				mode === 'restart' ? 'n8n restarts on the same port' : 'N8N_DEV_RELOAD hot reload',
			),
			`it says how n8n picks up changes: ${mode}`,
		);
		check((await request(`${editor}/healthz`)).ok, 'GET /healthz answers 200');
		const cookie = await login(editor);
		const node = (await nodeTypes(editor, cookie)).find((n) => n.name === NODE_TYPE);
		check(
			!!node && JSON.stringify(node.properties).includes(TEXT),
			`GET /types/nodes.json lists ${NODE_TYPE} with its description "${TEXT.slice(0, 40)}..."`,
		);
		const icon = await request(`${editor}/${node!.iconUrl?.light}`);
		check(
			icon.ok && (await icon.text()).includes('<svg'),
			`its icon (${node!.iconUrl?.light}) is served: HTTP ${icon.status}`,
		);
		const credentials = (await (
			await request(`${editor}/rest/credentials`, { headers: { cookie, ...BROWSER } })
		).json()) as { data: Array<{ id: string; name: string; type: string }> };
		check(
			credentials.data.some(
				(c) =>
					c.id === 'onofficeSandbox' && c.type === 'onOfficeApi' && c.name === 'onOffice sandbox',
			),
			'the owner sees the credential "onOffice sandbox" in n8n',
		);
		// As the editor's Test button does: the stored data as n8n hands it out (the secret redacted), sent back.
		const stored = (await (
			await request(`${editor}/rest/credentials/onofficeSandbox?includeData=true`, {
				headers: { cookie, ...BROWSER },
			})
		).json()) as { data: { data: Record<string, unknown> } };
		check(
			stored.data?.data?.customUrl === sandboxUrl && stored.data.data.apiVersion === 'custom',
			`the credential points at the sandbox (Custom URL ${String(stored.data?.data?.customUrl)})`,
		);
		const test = await request(`${editor}/rest/credentials/test`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', cookie, ...BROWSER },
			body: JSON.stringify({
				credentials: { ...SANDBOX_CREDENTIAL, data: stored.data.data },
			}),
		}).then((r) => r.json() as Promise<{ data: { status: string; message: string } }>);
		check(
			test.data?.status === 'OK',
			`its Test passes against the sandbox (${JSON.stringify(test.data)})`,
		);
		const saved = await request(`${editor}/rest/workflows`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', cookie, ...BROWSER },
			body: JSON.stringify({
				name: 'dev-check: kept across restarts',
				nodes: [],
				connections: {},
				settings: {},
				active: false,
			}),
		});
		check(saved.ok, `a workflow saved through the REST API (HTTP ${saved.status})`);

		// The change: a description in the TypeScript source, seen in the running n8n.
		t0 = Date.now();
		writeFileSync(SOURCE, source.replace(TEXT, changed));
		const seen = await waitForDescription(editor, cookie, changed, true, 120000);
		const how =
			mode === 'restart'
				? /n8n restarted/.test(run.output)
				: /Hot reload triggered for n8n-nodes-onoffice-file-upload/.test(run.output);
		check(
			how,
			`after a change to ${SOURCE.slice(root.length + 1)}, /types/nodes.json shows the new text ${(seen / 1000).toFixed(1)} s later (${mode}; npm run dev kept running)`,
		);
		restoreSource();
		const back = await waitForDescription(editor, cookie, changed, false, 120000);
		check(
			true,
			`the change undone, n8n shows the original text again ${(back / 1000).toFixed(1)} s later`,
		);
		if (mode === 'restart')
			await run.waitFor(/n8n restarted[\s\S]*n8n restarted/, 60000, 'the second restart');

		await stopAndCheck(run, folder, [editor, sandboxUrl]);

		// Second run on the same folder: owner, workflow and port are kept.
		t0 = Date.now();
		run = new DevRun(folder, args);
		const again = (await run.waitFor(/n8n editor:\s+(\S+)/, 300000, "the editor's address"))[1];
		await run.waitFor(/Stop with Ctrl\+C\.\n/, 10000, 'the end of the summary');
		check(
			true,
			`the second start printed the editor's address after ${seconds(t0)}${again === editor ? ', on the same port' : `, on another port (${again}; the first was taken)`}`,
		);
		check(!run.output.includes('owner account just created'), 'it created no second owner');
		const cookie2 = await login(again);
		const workflows = (await (
			await request(`${again}/rest/workflows`, { headers: { cookie: cookie2, ...BROWSER } })
		).json()) as { data: Array<{ name: string }> };
		check(
			workflows.data.some((w) => w.name === 'dev-check: kept across restarts'),
			'the workflow from the first run is still there',
		);
		await stopAndCheck(run, folder, [again]);
		run = undefined;
		console.log(`dev check: ${passed} passed (${seconds(started)})`);
	} catch (error) {
		if (run) console.error(`npm run dev printed:\n${run.output.slice(-6000)}\n`);
		throw error;
	} finally {
		restoreSource();
		if (run) await run.kill();
		for (const pid of processesWithEnv('ONOFFICE_DEV_FOLDER', folder)) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// Gone.
			}
		}
		rmSync(folder, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
