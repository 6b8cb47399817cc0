// The dev loop: the sandbox, the build, n8n and the dev folder started in order, what a rebuild means for the running
// n8n (its own hot reload, or a restart), the summary a developer reads, and a stop that leaves nothing running.
//
// Reload: with N8N_DEV_RELOAD=true, n8n 2.41 (dist/load-nodes-and-credentials.js, setupHotReload) watches the real
// path of every package it loaded with @parcel/watcher; on a change it drops that path's modules from require's cache
// and loads the package again, which rewrites /types/nodes.json and tells open editors. Where that watcher cannot run,
// or with --restart, the loop restarts n8n after each rebuild instead. A changed package.json always restarts n8n:
// n8n reads a package's node list only when it first finds the package.
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { startSandbox, type OnOfficeSandbox } from '../../test/sandbox/server';
import { installN8n, N8N_VERSION } from '../services/n8n';
import { OWNER } from '../services/n8nRest';
import { QUIET_EDITOR, serverEnv } from '../services/n8nServer';
import { SANDBOX_CREDENTIAL } from '../services/workflows';
import { BuildWatcher } from './buildWatcher';
import { Debouncer } from './debouncer';
import { say, since } from './log';
import { DevN8n, pickPort } from './n8nProcess';
import { DevFolder, ensureOwner, NODE_TYPE, PACKAGE } from './setup';
import { sleep } from '../lib/time';

export class DevLoop {
	readonly folder = new DevFolder();
	mode: 'hot reload' | 'restart';
	private sandbox?: OnOfficeSandbox;
	private n8n?: DevN8n;
	private readonly debouncer = new Debouncer();
	private readonly build: BuildWatcher;
	private stopping = false;
	private stoppingSince = 0;
	/** Set once n8n first answered and the owner is there; what changed before that is caught up with then. */
	private ready = false;
	private rebuiltWhileStarting = false;
	private restartWhenReady = '';

	constructor(restart: boolean) {
		this.mode = restart ? 'restart' : 'hot reload';
		this.build = new BuildWatcher(this.folder.packageDir, this.debouncer, {
			rebuilt: (errors, startedAt) => this.onRebuilt(errors, startedAt),
			packageJsonChanged: () => {
				// n8n reads a package's node list only when it first finds the package.
				if (!this.ready) this.restartWhenReady = 'package.json changed';
				else this.n8n!.restart('package.json changed');
			},
			ended: () => void this.stop(1),
			stopping: () => this.stopping,
		});
	}

	async start(): Promise<void> {
		const t0 = Date.now();
		const { folder } = this;
		say(
			`n8n ${N8N_VERSION} with ${PACKAGE} against the onOffice sandbox; dev folder ${folder.path}`,
		);
		const install = await installN8n();
		mkdirSync(folder.path, { recursive: true });
		const state = folder.readState();
		const firstRun = folder.isNew();

		folder.preparePackage();
		this.build.copyAssets();
		const sandbox = await startSandbox({ port: state.sandboxPort }).catch(() => startSandbox());
		this.sandbox = sandbox;
		const built = this.build.start();
		const env = await serverEnv(install, folder.home, {
			...QUIET_EDITOR,
			...(this.mode === 'hot reload' ? { N8N_DEV_RELOAD: 'true' } : {}),
			// n8n's own account of the reload ("Hot reload triggered for ...") is logged at info.
			N8N_LOG_LEVEL: 'info',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
		});
		if (firstRun || state.credentialUrl !== sandbox.url)
			await folder.importCredential(install, env, sandbox, firstRun);
		const errors = await built;
		if (this.stopping) return;
		say(
			`first build done${errors ? ` with ${errors} TypeScript error(s) (n8n loads what tsc emitted)` : ''} (${since(t0)})`,
		);
		const n8n = new DevN8n(install.bin, env, await pickPort(env, state.n8nPort), {
			failed: () => void this.stop(1),
			hotReloadUnavailable: () => {
				if (this.mode !== 'hot reload') return;
				this.mode = 'restart';
				say('n8n cannot watch files here: from now on n8n restarts after each rebuild');
			},
			stopping: () => this.stopping,
		});
		this.n8n = n8n;
		await n8n.start();
		const owner = await ensureOwner(n8n.url, firstRun);
		folder.writeState({
			n8nPort: n8n.port,
			sandboxPort: Number(new URL(sandbox.url).port),
			credentialUrl: sandbox.url,
		});
		const { token, secret } = sandbox;
		console.log(
			[
				'',
				`Ready in ${since(t0)}.`,
				`  n8n editor:        ${n8n.url}`,
				`  Log in as:         ${OWNER.email} / ${OWNER.password}${owner === 'created' ? ' (owner account just created)' : owner === 'other' ? '  (this database has another owner: log in with its password, or delete the dev folder)' : ''}`,
				`  onOffice sandbox:  ${sandbox.url}   (what arrived: ${sandbox.origin}/__sandbox/state)`,
				`  Credential:        "${SANDBOX_CREDENTIAL.name}" (onOffice API, id ${SANDBOX_CREDENTIAL.id}), already in n8n:`,
				`                     Token ${token}, Secret ${secret}, API Version Custom URL, Custom URL ${sandbox.url}`,
				`  Node:              ${NODE_TYPE}, from ${join(folder.packageDir, 'dist')}`,
				this.mode === 'hot reload'
					? '  On change:         tsc rebuilds, n8n reloads the package in place (N8N_DEV_RELOAD hot reload); reopen the node in the editor'
					: '  On change:         tsc rebuilds, then n8n restarts on the same port (about 15 s); reload the editor page',
				`  Data:              ${folder.home} (workflows and the owner stay; delete the folder to start over)`,
				'  Stop with Ctrl+C.',
				'',
			].join('\n'),
		);
		this.ready = true;
		if (this.restartWhenReady) n8n.restart(`${this.restartWhenReady} while n8n started`);
		else if (this.rebuiltWhileStarting) void this.catchUp();
	}

	private onRebuilt(errors: number, startedAt: number): void {
		const took = startedAt ? ` in ${since(startedAt)}` : '';
		const result = errors ? `rebuilt with ${errors} TypeScript error(s)${took}` : `rebuilt${took}`;
		if (!this.ready) {
			say(`${result} while n8n starts`);
			if (this.mode === 'hot reload') this.rebuiltWhileStarting = true;
			else this.restartWhenReady = 'the code was rebuilt';
		} else if (this.mode === 'hot reload') say(`${result}; n8n reloads it (hot reload)`);
		else this.debouncer.debounce('restart', 1000, () => this.n8n!.restart(result));
	}

	/**
	 * A rebuild while n8n started may have come before n8n's watcher (set up, not awaited, as the server starts): a
	 * file written into the package folder makes n8n reload it. Restarts n8n if it does not say it reloaded.
	 */
	private async catchUp(): Promise<void> {
		const n8n = this.n8n!;
		for (let attempt = 0; attempt < 5 && !this.stopping; attempt++) {
			const seen = n8n.reloads;
			await sleep(1000);
			writeFileSync(
				join(this.folder.packageDir, 'dist', '.rebuilt'),
				`${new Date().toISOString()}\n`,
			);
			for (let i = 0; i < 20 && n8n.reloads === seen; i++) await sleep(100);
			if (n8n.reloads !== seen) {
				say('n8n reloaded the code rebuilt while it started');
				return;
			}
		}
		n8n.restart('n8n did not reload the code rebuilt while it started');
	}

	/**
	 * Stops n8n, tsc and the sandbox. Another Ctrl+C a moment later kills what is left; the one at once is the same
	 * keypress arriving twice (the terminal signals npm and this process, and npm passes it on as well).
	 */
	async stop(code = 0): Promise<never> {
		if (this.stopping) {
			if (Date.now() - this.stoppingSince < 1500) return new Promise<never>(() => undefined);
			say('killing what is left');
			this.killAll();
			process.exit(code || 130);
		}
		this.stopping = true;
		this.stoppingSince = Date.now();
		this.debouncer.stop();
		say('stopping n8n, tsc and the sandbox (Ctrl+C again to kill them)...');
		await Promise.all([this.n8n?.stop(), this.build.stop(), this.sandbox?.stop()]);
		say('stopped');
		process.exit(code);
	}

	/** Last resort when this process ends without stop(): nothing it started keeps running. */
	killAll(): void {
		this.n8n?.kill();
		this.build.kill();
	}
}
