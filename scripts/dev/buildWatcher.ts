// The build of the dev loop: `tsc --watch` into the dev folder's package, and the files tsc does not build (icons,
// package.json, index.js) copied there when they change. It reports; the loop decides what n8n does about it.
//
// tsc writes into the dev folder, not into the repository's dist/, which `npm run build` and the tests delete and
// rebuild while this runs. Compiled there, `require('n8n-workflow')` finds n8n's own copy, as in a real install,
// rather than the repository's devDependency.
import { spawn, type ChildProcess } from 'child_process';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	watch,
	writeFileSync,
	type FSWatcher,
} from 'fs';
import { join } from 'path';

import { root } from '../services/n8n';
import type { Debouncer } from './debouncer';
import { say } from './log';
import { lines, stopProcess, killGroup } from './processes';

export interface BuildEvents {
	/** A rebuild after the first build is done; `startedAt` is when tsc saw the change (0 if it did not say). */
	rebuilt(errors: number, startedAt: number): void;
	/** package.json changed and was copied: n8n reads a package's node list only when it first finds the package. */
	packageJsonChanged(): void;
	/** tsc ended on its own. */
	ended(): void;
	stopping(): boolean;
}

export class BuildWatcher {
	private tsc?: ChildProcess;
	private watchers: FSWatcher[] = [];
	private rebuildStarted = 0;
	private firstBuild?: (errors: number) => void;

	constructor(
		private readonly packageDir: string,
		private readonly debouncer: Debouncer,
		private readonly events: BuildEvents,
	) {}

	/** Starts tsc and the watchers; resolves with the error count of the first build. */
	start(): Promise<number> {
		const built = this.startTsc();
		this.watchSources();
		return built;
	}

	/** What gulpfile.js's build:icons copies: icons/*.svg to dist/icons, images in nodes/ and credentials/ beside the classes. Only files that changed. */
	copyAssets(): number {
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

	/** Closes the watchers at once; resolves once tsc has ended. */
	stop(): Promise<void> | undefined {
		for (const watcher of this.watchers) watcher.close();
		return this.tsc ? stopProcess(this.tsc, 5000) : undefined;
	}

	kill(): void {
		killGroup(this.tsc, 'SIGKILL');
	}

	/** `tsc --watch` into the dev build; resolves with the error count of the first build. */
	private startTsc(): Promise<number> {
		const tscBin = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
		const args = [
			tscBin,
			'-p',
			'tsconfig.json',
			'--watch',
			'--preserveWatchOutput',
			'--pretty',
			'false',
			'--outDir',
			join(this.packageDir, 'dist'),
		];
		const done = new Promise<number>((resolve) => (this.firstBuild = resolve));
		this.tsc = spawn(process.execPath, args, {
			cwd: root,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const onLine = (line: string) => {
			if (/File change detected/.test(line)) {
				this.rebuildStarted = Date.now();
				return;
			}
			const found = /Found (\d+) errors?\. Watching for file changes/.exec(line);
			if (!found) {
				if (line.trim() && !/Starting compilation in watch mode/.test(line))
					console.log(`[tsc] ${line}`);
				return;
			}
			const errors = Number(found[1]);
			if (this.firstBuild) {
				this.firstBuild(errors);
				this.firstBuild = undefined;
				return;
			}
			this.events.rebuilt(errors, this.rebuildStarted);
		};
		lines(this.tsc, onLine);
		this.tsc.on('close', (code, signal) => {
			if (this.events.stopping()) return;
			say(`tsc --watch ended (${signal ?? `exit code ${code}`}); stopping`);
			this.events.ended();
		});
		return done;
	}

	/** Icons, package.json and index.js (tsc watches the TypeScript itself). */
	private watchSources(): void {
		for (const dir of ['icons', 'nodes', 'credentials']) {
			if (!existsSync(join(root, dir))) continue;
			this.watchers.push(
				watch(join(root, dir), { recursive: true }, (_event, file) => {
					if (!file || !/\.(png|svg)$/i.test(String(file))) return;
					this.debouncer.debounce('assets', 300, () => {
						const copied = this.copyAssets();
						if (copied)
							say(
								`copied ${copied} icon(s) into the dev build (n8n serves them from there; reload the editor page)`,
							);
					});
				}),
			);
		}
		this.watchers.push(
			watch(root, (_event, file) => {
				if (file !== 'package.json' && file !== 'index.js') return;
				this.debouncer.debounce(String(file), 500, () => {
					const source = join(root, String(file));
					const target = join(this.packageDir, String(file));
					if (
						!existsSync(source) ||
						(existsSync(target) && readFileSync(source).equals(readFileSync(target)))
					)
						return;
					copyFileSync(source, target);
					if (file === 'package.json') this.events.packageJsonChanged();
				});
			}),
		);
	}
}
