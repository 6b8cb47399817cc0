// The n8n of the dev loop: `n8n start` on a port that stays the same across runs where it can, its lines passed on,
// its own hot reload counted, and a restart on the same port when the loop asks for one.
import { spawn, type ChildProcess } from 'child_process';
import { createServer } from 'net';

import { freePort } from '../lib/ports';
import { say, since } from './log';
import { killGroup, lines, stopProcess } from './processes';
import { PACKAGE } from './setup';
import { sleep } from '../lib/time';

export interface N8nEvents {
	/** n8n ended on its own, or a restart failed: the loop stops. */
	failed(): void;
	/** n8n said it cannot watch files, so it will not reload the package by itself. */
	hotReloadUnavailable(): void;
	stopping(): boolean;
}

/** The port of the last run where it is free, so that open editor tabs find n8n again; else any free one. */
export async function pickPort(env: NodeJS.ProcessEnv, previous?: number): Promise<number> {
	const broker = Number(env.N8N_RUNNERS_BROKER_PORT);
	if (previous && previous !== broker && (await isFree(previous))) return previous;
	return freePort([broker]);
}

function isFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

export class DevN8n {
	/** How often n8n said it reloaded this package. */
	reloads = 0;
	private child?: ChildProcess;
	private log: string[] = [];
	private restarting?: Promise<void>;
	private restartAgain = '';

	constructor(
		private readonly bin: string,
		private readonly env: NodeJS.ProcessEnv,
		readonly port: number,
		private readonly events: N8nEvents,
	) {}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Starts n8n and waits until it is ready. */
	async start(): Promise<void> {
		const t0 = Date.now();
		this.log = [];
		const child = spawn(this.bin, ['start'], {
			env: { ...this.env, N8N_PORT: String(this.port) },
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.child = child;
		lines(child, (line) => this.onLine(line));
		child.on('close', (code, signal) => {
			if (this.events.stopping() || this.child !== child || this.restarting) return;
			say(
				`n8n ended (${signal ?? `exit code ${code}`}); its last lines:\n${this.log.slice(-30).join('\n')}`,
			);
			this.events.failed();
		});
		// While its database migrates, n8n answers every request with 200 "n8n is starting up"; readiness tells.
		for (let i = 0; i < 360; i++) {
			if (child.exitCode !== null || child.signalCode !== null || this.events.stopping()) break;
			if (
				await fetch(`${this.url}/healthz/readiness`).then(
					(r) => r.ok,
					() => false,
				)
			) {
				say(`n8n is ready on ${this.url} (${since(t0)})`);
				return;
			}
			await sleep(500);
		}
		if (this.events.stopping()) return;
		throw new Error(
			`n8n start did not become ready on ${this.url}; its last lines:\n${this.log.slice(-40).join('\n')}`,
		);
	}

	async stop(): Promise<void> {
		const child = this.child;
		if (!child) return;
		await stopProcess(child, 20000);
	}

	kill(): void {
		killGroup(this.child, 'SIGKILL');
	}

	/** Restarts n8n on the same port; a request while it restarts restarts it once more afterwards. */
	restart(reason: string): void {
		if (this.events.stopping()) return;
		if (this.restarting) {
			this.restartAgain = reason;
			return;
		}
		say(`${reason}; restarting n8n`);
		this.restarting = (async () => {
			const t0 = Date.now();
			try {
				await this.stop();
				if (this.events.stopping()) return;
				await this.start();
				say(`n8n restarted (${since(t0)})`);
			} catch (error) {
				say(error instanceof Error ? error.message : String(error));
				this.events.failed();
			} finally {
				this.restarting = undefined;
			}
			const again = this.restartAgain;
			this.restartAgain = '';
			if (again) this.restart(again);
		})();
	}

	private onLine(line: string): void {
		this.log.push(line);
		if (this.log.length > 500) this.log.splice(0, 100);
		if (!line.trim()) return;
		console.log(`[n8n] ${line}`);
		if (/File watching for hot reload is unavailable/.test(line))
			this.events.hotReloadUnavailable();
		if (line.includes(`Hot reload triggered for ${PACKAGE}`)) this.reloads += 1;
		if (line.includes(`Hot reload failed for ${PACKAGE}`))
			say(
				'the reload failed (see above); fix the code and save again, or restart with npm run dev -- --restart',
			);
	}
}
