// Installs a Node and an n8n once into a cache outside the repository (n8n 2.x needs Node 24, 1.123 runs on Node 20
// to 24; the project itself runs on Node 20 or newer), checks the result, and only then marks it ready. Every use
// runs the cheap checks again and says in one line what is wrong and how to fix it, instead of failing later in n8n.
//   Two n8n lines, as users run them: 2.41.1 on Node 24 (the default), and 1.123.81, the newest of the 1.x line that
//   is still patched, on Node 22 (the Node of n8n's own 1.x Docker images).
//   n8n 2.41.3 (latest) cannot be installed from this registry (@n8n/agents@0.26.2 is missing); 2.41.1 pins 0.26.1.
//   n8n 1.123.x pins xlsx to a tarball on SheetJS's own CDN, which is not reachable here: an npm override puts the
//   newest xlsx on the npm registry (0.18.5) in its place.
//   n8n installs with --ignore-scripts (a Kafka dependency's script downloads from the internet, which is closed
//   here); its SQLite driver, sqlite3, is compiled for that Node alongside, since its own script would download a
//   prebuilt binary. isolated-vm (2.x only) ships a prebuilt binary for Node 24 inside its package.
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	statfsSync,
	writeFileSync,
} from 'fs';
import { homedir } from 'os';
import { join } from 'path';

/** One n8n release line as the tests install it. */
export interface N8nLine {
	/** `2.x` or `1.x`: what `--n8n` takes and the README's compatibility table says. */
	line: string;
	n8n: string;
	/** The Node it runs on (from the npm package `node-linux-<arch>`). */
	node: string;
	/** The sqlite3 that this n8n pins (`npm view n8n@<version> dependencies.sqlite3`); checked against the install. */
	sqlite3: string;
	/** npm `overrides` for the install folder (dependencies that cannot be fetched here as n8n pins them). */
	overrides?: Record<string, string>;
	/** Whether this n8n runs expressions in isolated-vm (2.x), which the check then loads. */
	isolatedVm: boolean;
}

export const N8N_LINES: Record<string, N8nLine> = {
	'2.x': { line: '2.x', n8n: '2.41.1', node: '24.22.3', sqlite3: '5.1.7', isolatedVm: true },
	'1.x': {
		line: '1.x',
		n8n: '1.123.81',
		node: '22.23.5',
		sqlite3: '5.1.7',
		overrides: { xlsx: '0.18.5' },
		isolatedVm: false,
	},
};
export const DEFAULT_LINE = N8N_LINES['2.x'];
export const N8N_VERSION = DEFAULT_LINE.n8n;
export const NODE24_VERSION = DEFAULT_LINE.node;

/** The line a command asked for with `--n8n 1.x` / `--n8n=2.x` (or `ONOFFICE_E2E_N8N`); the 2.x line otherwise. */
export function lineFromArgs(
	argv: string[] = process.argv,
	env: NodeJS.ProcessEnv = process.env,
): N8nLine {
	const index = argv.findIndex((a) => a === '--n8n' || a.startsWith('--n8n='));
	const asked =
		index < 0
			? env.ONOFFICE_E2E_N8N
			: argv[index].includes('=')
				? argv[index].split('=')[1]
				: argv[index + 1];
	if (!asked) return DEFAULT_LINE;
	const line = N8N_LINES[asked] ?? Object.values(N8N_LINES).find((l) => l.n8n === asked);
	if (!line)
		throw new Error(
			`--n8n ${asked}: this project tests the n8n lines ${Object.values(N8N_LINES)
				.map((l) => `${l.line} (${l.n8n})`)
				.join(' and ')}; pass one of those.`,
		);
	return line;
}

export interface N8nInstall {
	/** The n8n launcher (runs on the line's Node, first in PATH). */
	bin: string;
	/** The folder holding the line's `node` (Node 24 for 2.x). */
	nodeBin: string;
	/** The cache folder everything is in. */
	cache: string;
	/** The line installed. */
	line: N8nLine;
}

/** `ONOFFICE_E2E_CACHE`, else `$XDG_CACHE_HOME` or `~/.cache`, then `n8n-nodes-onoffice-e2e`. */
export function cacheRoot(): string {
	return (
		process.env.ONOFFICE_E2E_CACHE ||
		join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-onoffice-e2e')
	);
}

/** A cache made by another version of this file is not trusted: its hash is recorded in the ready marker. */
export const installerHash = createHash('sha256')
	.update(readFileSync(__filename))
	.digest('hex')
	.slice(0, 16);

const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (since: number) => `${Math.round((Date.now() - since) / 1000)} s`;
const elapsed = (since: number) => {
	const s = Math.round((Date.now() - since) / 1000);
	return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
};

/**
 * What nested npm runs get of the caller's environment. `npm run` passes its whole configuration down as
 * `npm_config_*` variables (this project's `ignore-scripts=true` among them), which would silently switch the
 * sqlite3 build off. Settings that say how to reach the registry pass through; everything else npm-related is dropped,
 * and the installer names what it needs on each command line.
 */
export function cleanNpmEnv(env: NodeJS.ProcessEnv, pathFirst?: string): NodeJS.ProcessEnv {
	const network =
		/^npm_config_(registry|cafile|ca|cert|key|strict_ssl|proxy|https_proxy|http_proxy|noproxy|no_proxy|cache|userconfig|globalconfig|fetch_.*|maxsockets|.*:registry|\/\/.*)$/i;
	const clean: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(env)) {
		if (/^npm_/i.test(key) && !network.test(key)) continue;
		if (key === 'INIT_CWD' || key === 'NODE' || key === 'NODE_OPTIONS') continue;
		clean[key] = value;
	}
	if (pathFirst) clean.PATH = `${pathFirst}:${env.PATH ?? ''}`;
	return clean;
}

/** Runs a command with its output going to the install log; resolves with the exit code. */
function runLogged(
	command: string,
	args: string[],
	options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): Promise<number> {
	return new Promise((resolve) => {
		writeFileSync(options.logFile, `$ ${command} ${args.join(' ')}\n`, { flag: 'a' });
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const append = (chunk: Buffer) => writeFileSync(options.logFile, chunk, { flag: 'a' });
		child.stdout.on('data', append);
		child.stderr.on('data', append);
		child.on('error', (error) => {
			append(Buffer.from(`${error.message}\n`));
			resolve(127);
		});
		child.on('close', (code) => resolve(code ?? 1));
	});
}

function tail(file: string, lines = 25): string {
	try {
		return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

/** Bytes written to the cache's file system since `before` (its free space then): a cheap progress measure. */
function writtenSince(dir: string, before: number): number {
	return Math.max(0, before - freeBytes(dir));
}

function freeBytes(dir: string): number {
	const stats = statfsSync(dir);
	return stats.bavail * stats.bsize;
}

/** Prints a line every 20 s while a long step runs, so nobody thinks it hung. */
function heartbeat(what: () => string): () => void {
	const timer = setInterval(() => log(`      … ${what()}`), 20000);
	return () => clearInterval(timer);
}

class InstallError extends Error {}

/** Build tools that compiling sqlite3 needs; a missing one is named with the package that brings it. */
function missingBuildTools(): string[] {
	const tools: Array<[string, string]> = [
		['python3', 'python3'],
		['make', 'make'],
		['g++', 'g++'],
	];
	return tools
		.filter(
			([command]) =>
				spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status !== 0,
		)
		.map(([, pkg]) => pkg);
}

interface Paths {
	cache: string;
	nodeHome: string;
	nodeBin: string;
	n8nDir: string;
	marker: string;
	line: N8nLine;
}

function paths(cache: string, line: N8nLine): Paths {
	const nodeHome = join(cache, `node-${line.node}`, 'node_modules', `node-linux-${process.arch}`);
	const n8nDir = join(cache, `n8n-${line.n8n}`);
	return {
		cache,
		nodeHome,
		nodeBin: join(nodeHome, 'bin'),
		n8nDir,
		marker: join(n8nDir, '.installed'),
		line,
	};
}

/**
 * The cheap checks, run on every use and before a fresh install is marked ready: the line's Node runs, sqlite3's
 * native binding loads under it and opens a database, isolated-vm loads (2.x), and `n8n --version` answers.
 * Returns what failed.
 */
export function checkInstall(
	n8nDir: string,
	nodeBin: string,
	line: N8nLine = DEFAULT_LINE,
): string | undefined {
	const node = join(nodeBin, 'node');
	const env = cleanNpmEnv(process.env, nodeBin);
	const probe = (script: string) =>
		spawnSync(node, ['-e', script], { cwd: n8nDir, env, encoding: 'utf8', timeout: 60000 });
	const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' });
	if (nodeVersion.status !== 0 || nodeVersion.stdout.trim() !== `v${line.node}`)
		return `Node ${line.node} does not run from ${nodeBin} (${(nodeVersion.error?.message ?? nodeVersion.stderr ?? '').trim().slice(0, 200)})`;
	const sqlite = probe(
		"const s=require('sqlite3');const db=new s.Database(':memory:');db.get('select sqlite_version() v',(e,r)=>{if(e)throw e;console.log(r.v);db.close()})",
	);
	if (sqlite.status !== 0)
		return `sqlite3's native binding does not load under Node ${line.node} (${lastLine(sqlite.stderr)})`;
	const ivm = line.isolatedVm
		? probe(
				"const ivm=require('isolated-vm');const i=new ivm.Isolate({memoryLimit:8});console.log(i.compileScriptSync('6*7').runSync(i.createContextSync()))",
			)
		: undefined;
	if (ivm && (ivm.status !== 0 || ivm.stdout.trim() !== '42'))
		return `isolated-vm does not load under Node ${line.node} (${lastLine(ivm.stderr)})`;
	const version = spawnSync(
		node,
		[join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'), '--version'],
		{ cwd: n8nDir, env, encoding: 'utf8', timeout: 60000 },
	);
	if (version.status !== 0 || !version.stdout.includes(line.n8n))
		return `\`n8n --version\` did not answer ${line.n8n} (${lastLine(version.stderr || version.stdout)})`;
	return undefined;
}

function lastLine(text: string | undefined): string {
	const lines = (text ?? '')
		.trim()
		.split('\n')
		.filter((l) => l.trim() && !/^\s+at /.test(l));
	return (lines.find((l) => /Error|error:/.test(l)) ?? lines.pop() ?? 'no output')
		.trim()
		.slice(0, 300);
}

async function installNode24(p: Paths, logFile: string): Promise<void> {
	if (checkNode(p)) return;
	const t0 = Date.now();
	log(
		`[1/3] Node ${p.line.node} from the npm registry (n8n ${p.line.n8n} runs on it; about 10 s)...`,
	);
	const dir = join(p.cache, `node-${p.line.node}`);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), '{"name":"node24-runtime","private":true}\n');
	const code = await runLogged(
		'npm',
		[
			'install',
			'--no-audit',
			'--no-fund',
			'--no-save',
			'--ignore-scripts',
			'--no-package-lock',
			`node-linux-${process.arch}@${p.line.node}`,
		],
		{ cwd: dir, env: cleanNpmEnv(process.env), logFile },
	);
	if (code !== 0 || !checkNode(p))
		throw new InstallError(
			`Installing Node ${p.line.node} (npm package node-linux-${process.arch}) failed; npm said:\n${tail(logFile)}`,
		);
	log(`      done (${seconds(t0)})`);
}

function checkNode(p: Paths): boolean {
	return (
		spawnSync(join(p.nodeBin, 'node'), ['--version'], { encoding: 'utf8' }).stdout?.trim() ===
		`v${p.line.node}`
	);
}

/** Compiles sqlite3 for the line's Node in a folder of its own, so that it can run while npm installs n8n. */
async function buildSqlite3(p: Paths, dir: string, logFile: string): Promise<string> {
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), '{"name":"sqlite3-build","private":true}\n');
	const env = {
		...cleanNpmEnv(process.env, p.nodeBin),
		JOBS: 'max',
		npm_config_build_from_source: 'true',
	};
	if (
		(await runLogged(
			'npm',
			['install', '--no-audit', '--no-fund', '--ignore-scripts', `sqlite3@${p.line.sqlite3}`],
			{ cwd: dir, env, logFile },
		)) !== 0
	)
		throw new InstallError(
			`Fetching sqlite3 ${p.line.sqlite3} failed; npm said:\n${tail(logFile)}`,
		);
	// --nodedir: the Node's own headers (the machine's npm may point node-gyp at another Node's, or try to download them).
	if (
		(await runLogged(
			'npm',
			['rebuild', 'sqlite3', '--ignore-scripts=false', `--nodedir=${p.nodeHome}`],
			{ cwd: dir, env, logFile },
		)) !== 0
	)
		throw new InstallError(
			`Compiling sqlite3 for Node ${p.line.node} failed (it needs python3, make and g++); the compiler said:\n${tail(logFile)}`,
		);
	const binding = join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
	if (!existsSync(binding))
		throw new InstallError(
			`Compiling sqlite3 reported success but made no ${binding}; the log:\n${tail(logFile)}`,
		);
	return binding;
}

async function installN8nInto(p: Paths, target: string, logFile: string): Promise<void> {
	const missing = missingBuildTools();
	if (missing.length)
		throw new InstallError(
			`Compiling n8n's SQLite driver for Node ${p.line.node} needs ${missing.join(', ')}: install them (Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')}) and run again.`,
		);
	const t0 = Date.now();
	log(
		`[2/3] n8n ${p.line.n8n} from the npm registry into ${p.n8nDir}: about 2,400 packages and 3 GB, and at the same`,
	);
	log(
		`      time its SQLite driver compiled for Node ${p.line.node}. This takes 5 to 15 minutes, depending on the registry and the machine.`,
	);
	log(`      Progress lines follow every 20 s; npm's own output goes to ${logFile}.`);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	writeFileSync(
		join(target, 'package.json'),
		`${JSON.stringify({ name: 'n8n-e2e-runtime', private: true, ...(p.line.overrides ? { overrides: p.line.overrides } : {}) })}\n`,
	);
	const sqliteDir = join(target, '.sqlite3-build');
	const sqliteLog = `${logFile}.sqlite3`;
	let sqliteDone = '';
	const sqlite = buildSqlite3(p, sqliteDir, sqliteLog).then((binding) => {
		sqliteDone = ` sqlite3 compiled in ${elapsed(t0)}`;
		return binding;
	});
	sqlite.catch(() => undefined);
	let n8nDone = '';
	const freeAtStart = freeBytes(target);
	const n8nProgress = () => {
		if (n8nDone) return n8nDone;
		const written = writtenSince(target, freeAtStart) / 1e9;
		return written > 0.05
			? ` n8n: ${written.toFixed(1)} GB written so far (3 to 4 GB in all);`
			: " n8n: npm is resolving n8n's dependency tree;";
	};
	const stop = heartbeat(
		() => `${elapsed(t0)}:${n8nProgress()}${sqliteDone || ' sqlite3 compiling'}`,
	);
	try {
		const env = cleanNpmEnv(process.env, p.nodeBin);
		const code = await runLogged(
			'npm',
			[
				'install',
				'--no-audit',
				'--no-fund',
				'--ignore-scripts',
				'--no-update-notifier',
				`n8n@${p.line.n8n}`,
			],
			{ cwd: target, env, logFile },
		);
		if (code !== 0)
			throw new InstallError(`npm install n8n@${p.line.n8n} failed; npm said:\n${tail(logFile)}`);
		n8nDone = ` n8n installed in ${elapsed(t0)};`;
		const binding = await sqlite;
		const installed = join(target, 'node_modules', 'sqlite3');
		const version = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version;
		if (version !== p.line.sqlite3)
			throw new InstallError(
				`n8n ${p.line.n8n} installed sqlite3 ${version}, but this installer compiles ${p.line.sqlite3}: update N8N_LINES in ${__filename}.`,
			);
		mkdirSync(join(installed, 'build', 'Release'), { recursive: true });
		cpSync(binding, join(installed, 'build', 'Release', 'node_sqlite3.node'));
		rmSync(sqliteDir, { recursive: true, force: true });
	} finally {
		stop();
	}
	log(`      done (${elapsed(t0)})`);
}

/**
 * One n8n line (2.41.1 on Node 24 unless told otherwise) from the npm registry, cached; installs what is missing (the
 * first run takes minutes and says so as it goes), and checks what is there. Throws an error whose first line says
 * what is wrong and what to do.
 */
export async function installN8n(
	cache = cacheRoot(),
	line: N8nLine = DEFAULT_LINE,
): Promise<N8nInstall> {
	const p = paths(cache, line);
	const result: N8nInstall = {
		bin: join(p.n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBin: p.nodeBin,
		cache,
		line,
	};
	mkdirSync(cache, { recursive: true });
	const marker = readMarker(p.marker);
	// One log per line: the two lines may install at the same time.
	const logFile = join(cache, `install-${line.n8n}.log`);
	if (marker?.installer === installerHash) {
		// Node is its own folder: a missing one is put back without touching n8n.
		if (!checkNode(p)) await installNode24(p, logFile);
		const problem = checkInstall(p.n8nDir, p.nodeBin, line);
		if (problem)
			throw new InstallError(
				`The cached n8n in ${p.n8nDir} is broken: ${problem}. Fix: delete that folder (rm -rf '${p.n8nDir}') and run the command again; it reinstalls.`,
			);
		return result;
	}
	const started = Date.now();
	if (marker)
		log(
			`The cached n8n in ${p.n8nDir} was made by another version of the install script (${marker.installer}, now ${installerHash}): reinstalling.`,
		);
	else if (existsSync(p.n8nDir))
		log(
			`The n8n folder ${p.n8nDir} was never completed (an install was interrupted or failed): reinstalling.`,
		);
	else
		log(
			`First run: installing Node ${line.node} and n8n ${line.n8n} into ${cache} (once; later runs reuse it).`,
		);
	writeFileSync(
		logFile,
		`install of n8n ${line.n8n} by installer ${installerHash}, ${new Date().toISOString()}\n`,
	);
	try {
		await installNode24(p, logFile);
		// Installed under a temporary name and renamed once checked: a half-built n8n is never found as ready.
		const staging = mkdtempSync(join(cache, `.n8n-${line.n8n}-installing-`));
		try {
			await installN8nInto(p, staging, logFile);
			log(
				`[3/3] Checking the install: sqlite3${line.isolatedVm ? ' and isolated-vm load' : ' loads'} under Node ${line.node}, \`n8n --version\` answers...`,
			);
			const problem = checkInstall(staging, p.nodeBin, line);
			if (problem)
				throw new InstallError(
					`The fresh n8n install fails its check: ${problem}. The install log is ${logFile}.`,
				);
			writeFileSync(
				join(staging, '.installed'),
				`${JSON.stringify({ installer: installerHash, n8n: line.n8n, node: line.node, at: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000) })}\n`,
			);
			rmSync(p.n8nDir, { recursive: true, force: true });
			renameSync(staging, p.n8nDir);
		} finally {
			rmSync(staging, { recursive: true, force: true });
		}
	} catch (error) {
		if (error instanceof InstallError) throw error;
		throw new InstallError(
			`Installing n8n failed: ${error instanceof Error ? error.message : String(error)}. The install log is ${logFile}.`,
		);
	}
	log(
		`n8n ${line.n8n} is installed and checked (${elapsed(started)}); later runs reuse ${p.n8nDir}.`,
	);
	return result;
}

/** Whether `cache` holds a checked n8n made by this installer (what `installN8n` would use without installing). */
export function isReady(cache = cacheRoot(), line: N8nLine = DEFAULT_LINE): boolean {
	const p = paths(cache, line);
	return (
		readMarker(p.marker)?.installer === installerHash &&
		checkNode(p) &&
		checkInstall(p.n8nDir, p.nodeBin, line) === undefined
	);
}

/** The folders an install consists of, relative to its cache (for moving a proven install into another cache). */
export const installFolders = (line: N8nLine = DEFAULT_LINE) => [
	`node-${line.node}`,
	`n8n-${line.n8n}`,
];

function readMarker(file: string): { installer: string } | undefined {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return existsSync(file) ? { installer: 'an older script' } : undefined;
	}
}
