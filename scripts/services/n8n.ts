// The real n8n application for the end-to-end run, the demo and the benchmark: installs (or finds cached and
// checks) n8n 2.41.1 on Node 24, installs this package the way n8n installs community packages, and runs n8n
// commands on ports of their own.
import { execFileSync, spawn } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { freePort } from '../lib/ports';
import { runsInDatabase, type StoredRun } from './executions';
import { cleanNpmEnv, installN8n, N8N_VERSION, type N8nInstall } from './install-n8n';

export { installN8n, N8N_VERSION, type N8nInstall };

export const root = join(__dirname, '..', '..');

/** `npm pack` of the package folder `from` into `work`; returns the tarball's path. */
export function npmPack(from: string, work: string): string {
	const packed = execFileSync(
		'npm',
		['pack', '--pack-destination', work, '--ignore-scripts', '--silent'],
		{ cwd: from, encoding: 'utf8' },
	)
		.trim()
		.split('\n')
		.pop()!;
	return join(work, packed);
}

/** Builds and packs this package into `work`; returns the tarball's path. */
export function packPackage(work: string): string {
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
	return npmPack(root, work);
}

/** The most memory a running process has held so far (VmHWM), in KiB; 0 once it has ended or without /proc. */
export function peakRssKiB(pid: number | undefined): number {
	try {
		return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
	} catch {
		return 0;
	}
}

/**
 * Installs a packed tarball into <home>/.n8n/nodes, as n8n installs community packages (npm install of the
 * tarball, no dev or peer dependencies) and as a queue-mode worker's admin does by hand.
 */
export function installPackage(home: string, tarball: string): void {
	const nodesDir = join(home, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }),
	);
	execFileSync(
		'npm',
		[
			'install',
			tarball,
			'--omit=dev',
			'--omit=peer',
			'--ignore-scripts',
			'--no-audit',
			'--no-fund',
		],
		{ cwd: nodesDir, stdio: 'ignore', env: cleanNpmEnv(process.env) },
	);
}

/** A fresh n8n user folder with this package built, packed and installed into <folder>/.n8n/nodes. */
export function userFolderWithPackage(): { work: string; home: string; tarball: string } {
	const work = mkdtempSync(join(tmpdir(), 'onoffice-n8n-'));
	const tarball = packPackage(work);
	const home = join(work, 'home');
	installPackage(home, tarball);
	return { work, home, tarball };
}

/**
 * The environment n8n runs in here: Node 24 first in PATH, its own user folder, nothing phoned home, none of the
 * caller's npm settings, and a task broker port of its own (n8n 2.41 opens one in every instance, `n8n execute`
 * too, on 5679 unless told otherwise: a user's own n8n on this machine holds that one).
 */
export async function n8nEnv(
	install: N8nInstall,
	home: string,
	extra: NodeJS.ProcessEnv = {},
): Promise<NodeJS.ProcessEnv> {
	return {
		...cleanNpmEnv(process.env, install.nodeBin),
		N8N_USER_FOLDER: home,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_ENCRYPTION_KEY: 'onoffice-e2e-only-key',
		// At warn, n8n 2.41.1's `n8n execute` was seen to crash while exiting after a run (see bench/n8n.ts).
		N8N_LOG_LEVEL: 'info',
		// Every run is saved, whatever n8n's defaults: the tests read a run from where n8n stores it.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		DB_SQLITE_POOL_SIZE: '1',
		...extra,
	};
}

export interface CommandResult {
	code: number;
	/** The signal that ended the process, if one did. */
	signal?: string;
	stdout: string;
	stderr: string;
	/** The most memory the process held (VmHWM from /proc, read while it ran), in MiB; 0 where /proc is missing. */
	peakRssMiB: number;
}

/** Runs a command to its end, collecting its output and the peak RSS of its main process. */
export function run(
	command: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	cwd = root,
): Promise<CommandResult> {
	return new Promise((resolve) => {
		const child = spawn(command, args, { env, cwd });
		let stdout = '';
		let stderr = '';
		let peakKiB = 0;
		const sample = () => (peakKiB = Math.max(peakKiB, peakRssKiB(child.pid)));
		const sampler = setInterval(sample, 100);
		child.stdout.on('data', (c) => (stdout += c));
		child.stderr.on('data', (c) => (stderr += c));
		child.on('exit', () => clearInterval(sampler));
		child.on('close', (code, signal) =>
			resolve({
				code: code ?? 1,
				signal: signal ?? undefined,
				stdout,
				stderr,
				peakRssMiB: peakKiB / 1024,
			}),
		);
	});
}

/**
 * `n8n execute --id` of one imported workflow, and the execution n8n saved for it, read from its database (see
 * ../services/executions). `afterId`: the newest execution id before this run. Throws, saying why, when n8n saved no
 * execution (it did not start the run, or ended before it was saved): its exit code or signal, how much it printed,
 * and its last log lines. A saved run is returned whatever its status; the caller decides what a status means.
 */
export async function executeWorkflow(
	install: N8nInstall,
	env: NodeJS.ProcessEnv,
	workflowId: string,
	afterId: number,
): Promise<{ run: StoredRun; result: CommandResult }> {
	const result = await run(install.bin, ['execute', `--id=${workflowId}`], env);
	const [stored] = await runsInDatabase(install, env.N8N_USER_FOLDER!, { afterId, workflowId });
	if (stored && stored.status !== 'running' && stored.status !== 'new')
		return { run: stored, result };
	const ended = result.signal ? `was ended by ${result.signal}` : `exited with code ${result.code}`;
	const state = stored
		? `n8n saved the execution ${stored.id} as ${stored.status}, not finished`
		: `n8n saved no execution of workflow ${workflowId} after execution ${afterId}`;
	throw new Error(
		`n8n execute --id=${workflowId} ${ended} after printing ${result.stdout.length} characters to stdout and ${result.stderr.length} to stderr; ${state}, so the run cannot be read. ` +
			`Its last log lines:\n${lastLogLines(result)}`,
	);
}

/** The last lines n8n logged, without the run's JSON (which `n8n execute` prints between a `{` and a `}` line). */
export function lastLogLines(result: Pick<CommandResult, 'stdout' | 'stderr'>, count = 20): string {
	const lines = result.stdout.split('\n');
	const start = lines.indexOf('{');
	const end = start < 0 ? -1 : lines.indexOf('}', start);
	const logged =
		start < 0 ? lines : [...lines.slice(0, start), ...(end < 0 ? [] : lines.slice(end + 1))];
	return [...logged, ...result.stderr.split('\n')]
		.filter((l) => l.trim() !== '')
		.slice(-count)
		.map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l))
		.join('\n');
}

/** Imports credentials (a JSON array) and a folder of workflows into n8n's database. */
export async function importIntoN8n(
	install: N8nInstall,
	env: NodeJS.ProcessEnv,
	credentialsFile: string,
	workflowsDir: string,
): Promise<void> {
	for (const [args, what] of [
		[['import:credentials', `--input=${credentialsFile}`], 'credential'],
		[['import:workflow', '--separate', `--input=${workflowsDir}`], 'workflows'],
	] as const) {
		const result = await run(install.bin, [...args], env);
		if (result.code !== 0)
			throw new Error(`n8n ${args[0]} failed (${what}):\n${result.stdout}\n${result.stderr}`);
	}
}
