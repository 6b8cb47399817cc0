// npm run dev: this package in a real n8n (the cached n8n 2.41.1 on Node 24 of the e2e tests) against the bundled
// onOffice sandbox, rebuilt by `tsc --watch` on every change and reloaded in the running n8n.
//
// Layout, in a dev folder that persists (ONOFFICE_DEV_FOLDER, else <e2e cache>/dev, outside the repository):
//   package/                           package.json and index.js copied from the repository, dist/ built by tsc here
//   home/                              n8n's user folder: the database with the owner, the credential and your workflows
//   home/.n8n/nodes/node_modules/n8n-nodes-onoffice-file-upload -> ../../../../package
// n8n finds the package where it installs community packages, so the node keeps its real type name
// (n8n-nodes-onoffice-file-upload.onOfficeFileUpload; N8N_CUSTOM_EXTENSIONS would make it CUSTOM.onOfficeFileUpload).
// tsc writes into the dev folder, not into the repository's dist/, which `npm run build` and the tests delete and
// rebuild while this runs. Compiled there, `require('n8n-workflow')` finds n8n's own copy, as in a real install,
// rather than the repository's devDependency.
//
// Reload: with N8N_DEV_RELOAD=true, n8n 2.41 (dist/load-nodes-and-credentials.js, setupHotReload) watches the real
// path of every package it loaded with @parcel/watcher; on a change it drops that path's modules from require's cache
// and loads the package again, which rewrites /types/nodes.json and tells open editors. Where that watcher cannot run,
// or with --restart, this script restarts n8n after each rebuild instead. A changed package.json always restarts n8n:
// n8n reads a package's node list only when it first finds the package.
import { spawn, type ChildProcess } from 'child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, watch, writeFileSync, type FSWatcher } from 'fs';
import { createServer } from 'net';
import { dirname, join, relative } from 'path';

import { startSandbox, type OnOfficeSandbox } from '../test/sandbox/server';
import { cacheRoot } from './e2e/install-n8n';
import { freePort, installN8n, N8N_VERSION, root, run, type N8nInstall } from './e2e/n8n';
import { OWNER, QUIET_EDITOR, serverEnv } from './services/n8nServer';

const PACKAGE = 'n8n-nodes-onoffice-file-upload';
const NODE_TYPE = `${PACKAGE}.onOfficeFileUpload`;
/** The id the example workflows name, so that an imported example finds the sandbox credential. */
const CREDENTIAL = { id: 'onofficeSandbox', name: 'onOffice sandbox', type: 'onOfficeApi' };

const HELP = `npm run dev [-- --restart]

Starts the bundled onOffice sandbox and n8n ${N8N_VERSION} (installed once into the e2e cache) with this package
linked in, rebuilds on every change (tsc --watch, icons copied) and reloads the node in the running n8n.
  --restart   restart n8n after each rebuild instead of n8n's own hot reload
Environment: ONOFFICE_DEV_FOLDER  where n8n's data and the build live (default ${join(cacheRoot(), 'dev')})
Stop with Ctrl+C.`;

const say = (line: string) => console.log(`[dev] ${line}`);
const since = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

interface DevState {
	n8nPort?: number;
	sandboxPort?: number;
	/** The Custom URL the credential in n8n's database points at (imported again when the sandbox moves). */
	credentialUrl?: string;
}

class Dev {
	readonly folder = process.env.ONOFFICE_DEV_FOLDER || join(cacheRoot(), 'dev');
	readonly home = join(this.folder, 'home');
	readonly packageDir = join(this.folder, 'package');
	readonly stateFile = join(this.folder, 'dev.json');
	mode: 'hot reload' | 'restart';
	private install?: N8nInstall;
	private env: NodeJS.ProcessEnv = {};
	private sandbox?: OnOfficeSandbox;
	private tsc?: ChildProcess;
	private n8n?: ChildProcess;
	private n8nLog: string[] = [];
	private port = 0;
	private watchers: FSWatcher[] = [];
	private timers = new Map<string, NodeJS.Timeout>();
	private stopping = false;
	private stoppingSince = 0;
	/** Set once n8n first answered and the owner is there; what changed before that is caught up with then. */
	private ready = false;
	private rebuiltWhileStarting = false;
	private restartWhenReady = '';
	private restartAgain = '';
	private restarting?: Promise<void>;
	private rebuildStarted = 0;
	/** How often n8n said it reloaded this package. */
	private reloads = 0;
	private firstBuild?: (errors: number) => void;

	constructor(restart: boolean) {
		this.mode = restart ? 'restart' : 'hot reload';
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async start(): Promise<void> {
		const t0 = Date.now();
		say(`n8n ${N8N_VERSION} with ${PACKAGE} against the onOffice sandbox; dev folder ${this.folder}`);
		this.install = await installN8n();
		mkdirSync(this.folder, { recursive: true });
		const state = this.readState();
		const firstRun = !existsSync(join(this.home, '.n8n', 'database.sqlite'));

		this.preparePackage();
		this.sandbox = await startSandbox({ port: state.sandboxPort }).catch(() => startSandbox());
		const built = this.startTsc();
		this.watchSources();
		this.env = await serverEnv(this.install, this.home, {
			...QUIET_EDITOR,
			...(this.mode === 'hot reload' ? { N8N_DEV_RELOAD: 'true' } : {}),
			// n8n's own account of the reload ("Hot reload triggered for ...") is logged at info.
			N8N_LOG_LEVEL: 'info',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
		});
		if (firstRun || state.credentialUrl !== this.sandbox.url) await this.importCredential(firstRun);
		const errors = await built;
		if (this.stopping) return;
		say(`first build done${errors ? ` with ${errors} TypeScript error(s) (n8n loads what tsc emitted)` : ''} (${since(t0)})`);
		this.port = await this.pickPort(state.n8nPort);
		await this.startN8n();
		const owner = await this.ensureOwner(firstRun);
		this.writeState({ n8nPort: this.port, sandboxPort: Number(new URL(this.sandbox.url).port), credentialUrl: this.sandbox.url });
		const { token, secret } = this.sandbox;
		console.log(
			[
				'',
				`Ready in ${since(t0)}.`,
				`  n8n editor:        ${this.url}`,
				`  Log in as:         ${OWNER.email} / ${OWNER.password}${owner === 'created' ? ' (owner account just created)' : owner === 'other' ? '  (this database has another owner: log in with its password, or delete the dev folder)' : ''}`,
				`  onOffice sandbox:  ${this.sandbox.url}   (what arrived: ${this.sandbox.origin}/__sandbox/state)`,
				`  Credential:        "${CREDENTIAL.name}" (onOffice API, id ${CREDENTIAL.id}), already in n8n:`,
				`                     Token ${token}, Secret ${secret}, API Version Custom URL, Custom URL ${this.sandbox.url}`,
				`  Node:              ${NODE_TYPE}, from ${join(this.packageDir, 'dist')}`,
				this.mode === 'hot reload'
					? '  On change:         tsc rebuilds, n8n reloads the package in place (N8N_DEV_RELOAD hot reload); reopen the node in the editor'
					: '  On change:         tsc rebuilds, then n8n restarts on the same port (about 15 s); reload the editor page',
				`  Data:              ${this.home} (workflows and the owner stay; delete the folder to start over)`,
				'  Stop with Ctrl+C.',
				'',
			].join('\n'),
		);
		this.ready = true;
		if (this.restartWhenReady) this.requestRestart(`${this.restartWhenReady} while n8n started`);
		else if (this.rebuiltWhileStarting) void this.catchUp();
	}

	/** package.json and index.js beside a dist/ of its own, linked where n8n installs community packages. */
	private preparePackage(): void {
		mkdirSync(this.packageDir, { recursive: true });
		rmSync(join(this.packageDir, 'dist'), { recursive: true, force: true });
		for (const file of ['package.json', 'index.js']) copyFileSync(join(root, file), join(this.packageDir, file));
		this.copyAssets();
		const nodesDir = join(this.home, '.n8n', 'nodes');
		const link = join(nodesDir, 'node_modules', PACKAGE);
		mkdirSync(dirname(link), { recursive: true });
		const target = relative(dirname(link), this.packageDir);
		let current: string | undefined;
		try {
			current = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : 'a folder';
		} catch {
			// Not there yet.
		}
		if (current !== target) {
			// Also replaces a copy installed through Settings > Community nodes, which would shadow the working tree.
			if (current) say(`replacing ${link} (${current}) with a link to the dev build`);
			rmSync(link, { recursive: true, force: true });
			symlinkSync(target, link, 'dir');
		}
		// Listed in the folder's package.json, so that an npm install n8n runs there (another community package
		// installed in Settings) keeps the link instead of pruning it as extraneous.
		const manifestFile = join(nodesDir, 'package.json');
		const manifest = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : { name: 'installed-nodes', private: true };
		const spec = `file:${relative(nodesDir, this.packageDir)}`;
		if (manifest.dependencies?.[PACKAGE] !== spec) {
			manifest.dependencies = { ...manifest.dependencies, [PACKAGE]: spec };
			writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
		}
	}

	/** What gulpfile.js's build:icons copies: icons/*.svg to dist/icons, images in nodes/ and credentials/ beside the classes. Only files that changed. */
	private copyAssets(): number {
		let copied = 0;
		const walk = (from: string, to: string, pattern: RegExp) => {
			let entries;
			try {
				entries = readdirSync(from, { withFileTypes: true });
			} catch {
				return;
			}
			for (const entry of entries) {
				const source = join(from, entry.name);
				const target = join(to, entry.name);
				if (entry.isDirectory()) walk(source, target, pattern);
				else if (pattern.test(entry.name)) {
					const bytes = readFileSync(source);
					if (existsSync(target) && readFileSync(target).equals(bytes)) continue;
					mkdirSync(to, { recursive: true });
					writeFileSync(target, bytes);
					copied += 1;
				}
			}
		};
		const dist = join(this.packageDir, 'dist');
		walk(join(root, 'icons'), join(dist, 'icons'), /\.svg$/i);
		walk(join(root, 'nodes'), join(dist, 'nodes'), /\.(png|svg)$/i);
		walk(join(root, 'credentials'), join(dist, 'credentials'), /\.(png|svg)$/i);
		return copied;
	}

	/** `tsc --watch` into the dev build; resolves with the error count of the first build. */
	private startTsc(): Promise<number> {
		const tscBin = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
		const args = [tscBin, '-p', 'tsconfig.json', '--watch', '--preserveWatchOutput', '--pretty', 'false', '--outDir', join(this.packageDir, 'dist')];
		const done = new Promise<number>((resolve) => (this.firstBuild = resolve));
		this.tsc = spawn(process.execPath, args, { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		const onLine = (line: string) => {
			if (/File change detected/.test(line)) {
				this.rebuildStarted = Date.now();
				return;
			}
			const found = /Found (\d+) errors?\. Watching for file changes/.exec(line);
			if (!found) {
				if (line.trim() && !/Starting compilation in watch mode/.test(line)) console.log(`[tsc] ${line}`);
				return;
			}
			const errors = Number(found[1]);
			if (this.firstBuild) {
				this.firstBuild(errors);
				this.firstBuild = undefined;
				return;
			}
			this.onRebuilt(errors);
		};
		lines(this.tsc, onLine);
		this.tsc.on('close', (code, signal) => {
			if (this.stopping) return;
			say(`tsc --watch ended (${signal ?? `exit code ${code}`}); stopping`);
			void this.stop(1);
		});
		return done;
	}

	private onRebuilt(errors: number): void {
		const took = this.rebuildStarted ? ` in ${since(this.rebuildStarted)}` : '';
		const result = errors ? `rebuilt with ${errors} TypeScript error(s)${took}` : `rebuilt${took}`;
		if (!this.ready) {
			say(`${result} while n8n starts`);
			if (this.mode === 'hot reload') this.rebuiltWhileStarting = true;
			else this.restartWhenReady = 'the code was rebuilt';
		} else if (this.mode === 'hot reload') say(`${result}; n8n reloads it (hot reload)`);
		else this.debounce('restart', 1000, () => this.requestRestart(result));
	}

	/** Icons, package.json and index.js (tsc watches the TypeScript itself). */
	private watchSources(): void {
		for (const dir of ['icons', 'nodes', 'credentials']) {
			if (!existsSync(join(root, dir))) continue;
			this.watchers.push(
				watch(join(root, dir), { recursive: true }, (_event, file) => {
					if (!file || !/\.(png|svg)$/i.test(String(file))) return;
					this.debounce('assets', 300, () => {
						const copied = this.copyAssets();
						if (copied) say(`copied ${copied} icon(s) into the dev build (n8n serves them from there; reload the editor page)`);
					});
				}),
			);
		}
		this.watchers.push(
			watch(root, (_event, file) => {
				if (file !== 'package.json' && file !== 'index.js') return;
				this.debounce(String(file), 500, () => {
					const source = join(root, String(file));
					const target = join(this.packageDir, String(file));
					if (!existsSync(source) || (existsSync(target) && readFileSync(source).equals(readFileSync(target)))) return;
					copyFileSync(source, target);
					if (file !== 'package.json') return;
					// n8n reads a package's node list only when it first finds the package.
					if (!this.ready) this.restartWhenReady = 'package.json changed';
					else this.requestRestart('package.json changed');
				});
			}),
		);
	}

	private debounce(key: string, ms: number, fn: () => void): void {
		clearTimeout(this.timers.get(key));
		this.timers.set(
			key,
			setTimeout(() => {
				this.timers.delete(key);
				if (!this.stopping) fn();
			}, ms),
		);
	}

	/** Puts the credential pointing at the sandbox into n8n's database (`n8n import:credentials` replaces it by id). */
	private async importCredential(firstRun: boolean): Promise<void> {
		const t0 = Date.now();
		const file = join(this.folder, 'credential.json');
		writeFileSync(file, JSON.stringify([{ ...CREDENTIAL, data: this.sandbox!.credentials }]), { mode: 0o600 });
		try {
			const result = await run(this.install!.bin, ['import:credentials', `--input=${file}`], this.env);
			if (result.code !== 0) throw new Error(`n8n import:credentials failed:\n${result.stdout}\n${result.stderr}`);
		} finally {
			rmSync(file, { force: true });
		}
		say(`${firstRun ? 'new n8n database; ' : ''}credential "${CREDENTIAL.name}" set to ${this.sandbox!.url} (${since(t0)})`);
	}

	/** The port of the last run where it is free, so that open editor tabs find n8n again; else any free one. */
	private async pickPort(previous?: number): Promise<number> {
		const broker = Number(this.env.N8N_RUNNERS_BROKER_PORT);
		if (previous && previous !== broker && (await isFree(previous))) return previous;
		return freePort([broker]);
	}

	private async startN8n(): Promise<void> {
		const t0 = Date.now();
		this.n8nLog = [];
		const child = spawn(this.install!.bin, ['start'], { env: { ...this.env, N8N_PORT: String(this.port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		this.n8n = child;
		lines(child, (line) => this.onN8nLine(line));
		child.on('close', (code, signal) => {
			if (this.stopping || this.n8n !== child || this.restarting) return;
			say(`n8n ended (${signal ?? `exit code ${code}`}); its last lines:\n${this.n8nLog.slice(-30).join('\n')}`);
			void this.stop(1);
		});
		// While its database migrates, n8n answers every request with 200 "n8n is starting up"; readiness tells.
		for (let i = 0; i < 360; i++) {
			if (child.exitCode !== null || child.signalCode !== null || this.stopping) break;
			if (await fetch(`${this.url}/healthz/readiness`).then((r) => r.ok, () => false)) {
				say(`n8n is ready on ${this.url} (${since(t0)})`);
				return;
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		if (this.stopping) return;
		throw new Error(`n8n start did not become ready on ${this.url}; its last lines:\n${this.n8nLog.slice(-40).join('\n')}`);
	}

	private onN8nLine(line: string): void {
		this.n8nLog.push(line);
		if (this.n8nLog.length > 500) this.n8nLog.splice(0, 100);
		if (!line.trim()) return;
		console.log(`[n8n] ${line}`);
		if (this.mode === 'hot reload' && /File watching for hot reload is unavailable/.test(line)) {
			this.mode = 'restart';
			say("n8n cannot watch files here: from now on n8n restarts after each rebuild");
		}
		if (/Hot reload triggered for n8n-nodes-onoffice-file-upload/.test(line)) this.reloads += 1;
		if (/Hot reload failed for n8n-nodes-onoffice-file-upload/.test(line)) say('the reload failed (see above); fix the code and save again, or restart with npm run dev -- --restart');
	}

	private async stopN8n(): Promise<void> {
		const child = this.n8n;
		if (!child) return;
		await stopProcess(child, 20000);
	}

	/** Restarts n8n on the same port; a request while it restarts restarts it once more afterwards. */
	private requestRestart(reason: string): void {
		if (this.stopping) return;
		if (this.restarting) {
			this.restartAgain = reason;
			return;
		}
		say(`${reason}; restarting n8n`);
		this.restarting = (async () => {
			const t0 = Date.now();
			try {
				await this.stopN8n();
				if (this.stopping) return;
				await this.startN8n();
				say(`n8n restarted (${since(t0)})`);
			} catch (error) {
				say(error instanceof Error ? error.message : String(error));
				void this.stop(1);
			} finally {
				this.restarting = undefined;
			}
			const again = this.restartAgain;
			this.restartAgain = '';
			if (again) this.requestRestart(again);
		})();
	}

	/**
	 * A rebuild while n8n started may have come before n8n's watcher (set up, not awaited, as the server starts): a
	 * file written into the package folder makes n8n reload it. Restarts n8n if it does not say it reloaded.
	 */
	private async catchUp(): Promise<void> {
		for (let attempt = 0; attempt < 5 && !this.stopping; attempt++) {
			const seen = this.reloads;
			await new Promise((resolve) => setTimeout(resolve, 1000));
			writeFileSync(join(this.packageDir, 'dist', '.rebuilt'), `${new Date().toISOString()}\n`);
			for (let i = 0; i < 20 && this.reloads === seen; i++) await new Promise((resolve) => setTimeout(resolve, 100));
			if (this.reloads !== seen) {
				say('n8n reloaded the code rebuilt while it started');
				return;
			}
		}
		this.requestRestart('n8n did not reload the code rebuilt while it started');
	}

	/** Creates the owner in a fresh database; else checks that it logs in (a developer may have changed it). */
	private async ensureOwner(firstRun: boolean): Promise<'exists' | 'created' | 'other'> {
		const post = (path: string, body: unknown) =>
			fetch(`${this.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'browser-id': 'npm-run-dev' }, body: JSON.stringify(body) }).then((r) => r.ok);
		const setup = () => post('/rest/owner/setup', OWNER);
		const login = () => post('/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
		if (firstRun && (await setup())) return 'created';
		if (await login()) return 'exists';
		if (!firstRun && (await setup())) return 'created';
		return 'other';
	}

	private readState(): DevState {
		try {
			return JSON.parse(readFileSync(this.stateFile, 'utf8'));
		} catch {
			return {};
		}
	}

	private writeState(state: DevState): void {
		writeFileSync(this.stateFile, `${JSON.stringify(state, null, 2)}\n`);
	}

	/**
	 * Stops n8n, tsc and the sandbox. Another Ctrl+C a moment later kills what is left; the one at once is the same
	 * keypress arriving twice (the terminal signals npm and this process, and npm passes it on as well).
	 */
	async stop(code = 0): Promise<never> {
		if (this.stopping) {
			if (Date.now() - this.stoppingSince < 1500) return new Promise<never>(() => undefined);
			say('killing what is left');
			for (const child of [this.n8n, this.tsc]) killGroup(child, 'SIGKILL');
			process.exit(code || 130);
		}
		this.stopping = true;
		this.stoppingSince = Date.now();
		for (const timer of this.timers.values()) clearTimeout(timer);
		for (const watcher of this.watchers) watcher.close();
		say('stopping n8n, tsc and the sandbox (Ctrl+C again to kill them)...');
		await Promise.all([this.stopN8n(), this.tsc ? stopProcess(this.tsc, 5000) : undefined, this.sandbox?.stop()]);
		say('stopped');
		process.exit(code);
	}

	/** Last resort when this process ends without stop(): nothing it started keeps running. */
	killAll(): void {
		for (const child of [this.n8n, this.tsc]) killGroup(child, 'SIGKILL');
	}
}

function lines(child: ChildProcess, onLine: (line: string) => void): void {
	for (const stream of [child.stdout!, child.stderr!]) {
		let rest = '';
		stream.setEncoding('utf8');
		stream.on('data', (chunk: string) => {
			const parts = (rest + chunk).split('\n');
			rest = parts.pop()!;
			for (const part of parts) onLine(part.replace(/\r$/, ''));
		});
		stream.on('end', () => rest && onLine(rest));
	}
}

function isFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

function alive(child: ChildProcess): boolean {
	return child.exitCode === null && child.signalCode === null;
}

/** Signals a child's whole process group (it was started detached, as its group's leader): n8n's task runner too. */
function killGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
	if (!child?.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is gone.
	}
}

/** SIGTERM to the process, then SIGKILL to its group after `graceMs` or once it has ended and left something behind. */
async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
	if (alive(child)) {
		const closed = new Promise((resolve) => child.once('close', resolve));
		child.kill('SIGTERM');
		const timer = new Promise((resolve) => setTimeout(resolve, graceMs));
		await Promise.race([closed, timer]);
	}
	killGroup(child, 'SIGKILL');
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	if (args.includes('--help') || args.includes('-h')) {
		console.log(HELP);
		return;
	}
	const unknown = args.filter((a) => a !== '--restart');
	if (unknown.length) {
		console.error(`[dev] unknown option ${unknown.join(' ')}\n\n${HELP}`);
		process.exit(2);
	}
	const dev = new Dev(args.includes('--restart'));
	// Ctrl+C reaches only this process: n8n and tsc run in process groups of their own and are stopped in order.
	process.on('SIGINT', () => void dev.stop(0));
	process.on('SIGTERM', () => void dev.stop(0));
	process.on('exit', () => dev.killAll());
	try {
		await dev.start();
	} catch (error) {
		console.error(`[dev] ${error instanceof Error ? error.message : String(error)}`);
		await dev.stop(1);
	}
}

void main();
