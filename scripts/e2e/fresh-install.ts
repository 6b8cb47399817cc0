// npm run test:fresh-install: proves the n8n install from scratch the way a newcomer's first `npm run demo` makes it:
// through `npm run` (so npm's settings, this project's `ignore-scripts=true` among them, reach the installer as
// npm_config_* variables), into an empty cache, with a HOME of its own (no ~/.npmrc, no ~/.cache), and then runs
// the demo's example workflows in it. npm's download cache is shared: what is proven is the install, not the network.
//   --if-changed (CI): only when the install script changed since it was last proven on this machine.
//   --record: as a new machine has it, with an empty npm download cache too, and the demo run once more on the warm
//   install; what it took is written to bench/RESULTS-first-run.md, where the pages' figures for the first run come from.
// A proven install is then moved into the regular cache when that has none for this install script, so CI does not
// install n8n twice.
import { execFileSync, spawn } from 'child_process';
import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync,
} from 'fs';
import { cpus, totalmem } from 'os';
import { join } from 'path';

import { cacheRoot, installerHash, installFolders, isReady } from '../services/install-n8n';
import { root } from '../services/n8n';

const log = (line: string) => console.log(`fresh-install: ${line}`);
const record = process.argv.includes('--record');

async function main(): Promise<number> {
	const cache = cacheRoot();
	mkdirSync(cache, { recursive: true });
	const provenFile = join(cache, 'fresh-install-proven.json');
	const proven = existsSync(provenFile) ? JSON.parse(readFileSync(provenFile, 'utf8')) : undefined;
	if (process.argv.includes('--if-changed') && proven?.installer === installerHash) {
		log(
			`install script ${installerHash} was proven from an empty cache on this machine at ${proven.at} (${proven.seconds} s); it has not changed since, so the check is not repeated.`,
		);
		return 0;
	}
	log(
		proven
			? `install script ${installerHash} differs from the one last proven here (${proven.installer}): installing from scratch.`
			: `install script ${installerHash} was never proven on this machine: installing from scratch.`,
	);
	// Inside the regular cache, so that a proven install can be moved (renamed) into it.
	const scratch = mkdtempSync(join(cache, 'fresh-install-'));
	const home = join(scratch, 'home');
	const freshCache = join(scratch, 'cache');
	mkdirSync(home);
	const started = Date.now();
	try {
		log(`npm run demo with ONOFFICE_E2E_CACHE=${freshCache} (empty) and HOME=${home}`);
		const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ONOFFICE_E2E_CACHE: freshCache };
		delete env.XDG_CACHE_HOME;
		// npm's download cache stays where it is (a new HOME would otherwise fetch 3 GB again), unless the first run is
		// recorded as a new machine has it.
		if (record) env.npm_config_cache = join(scratch, 'npm-cache');
		else env.npm_config_cache ??= join(process.env.HOME ?? root, '.npm');
		const { code, output } = await runInherited('npm', ['run', 'demo'], env);
		const seconds = Math.round((Date.now() - started) / 1000);
		const failures: string[] = [];
		if (code !== 0) failures.push(`npm run demo exited ${code}`);
		if (!output.includes('First run: installing Node 24'))
			failures.push('the demo did not install n8n from scratch');
		if (!/n8n [\d.]+ is installed and checked/.test(output))
			failures.push('the install did not pass its checks');
		if (!output.includes('ok  email-attachments-to-estate'))
			failures.push('the e-mail example workflow did not run');
		const marker = join(freshCache, installFolders()[1], '.installed');
		if (!existsSync(marker) || JSON.parse(readFileSync(marker, 'utf8')).installer !== installerHash)
			failures.push(`no ready marker for install script ${installerHash} in ${marker}`);
		if (failures.length) {
			log(`FAILED after ${seconds} s: ${failures.join('; ')}`);
			log('0 passed, 1 failed');
			return 1;
		}
		writeFileSync(
			provenFile,
			`${JSON.stringify({ installer: installerHash, at: new Date().toISOString(), seconds })}\n`,
		);
		log(
			`from an empty cache to the example workflows' results in ${seconds} s (${(seconds / 60).toFixed(1)} min).`,
		);
		if (record) {
			const installed = /n8n [\d.]+ is installed and checked \(([^)]+)\)/.exec(output)?.[1] ?? '?';
			const size = (folder: string) =>
				Number(execFileSync('du', ['-sb', folder], { encoding: 'utf8' }).split('\t')[0]);
			const cacheBytes = installFolders().reduce(
				(sum, folder) => sum + size(join(freshCache, folder)),
				0,
			);
			const t1 = Date.now();
			const again = await runInherited('npm', ['run', 'demo'], env);
			const warmSeconds = Math.round((Date.now() - t1) / 1000);
			if (again.code !== 0) {
				log(`FAILED: npm run demo exited ${again.code} on the warm install`);
				log('0 passed, 1 failed');
				return 1;
			}
			writeFileSync(
				join(root, 'bench', 'RESULTS-first-run.md'),
				[
					'# The first `npm run demo`: what `npm run test:fresh-install -- --record` measured',
					'',
					`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, as a new machine has it: a HOME of its own, an empty n8n cache and an empty npm download cache, the npm registry over the network. One run: the minutes depend on the registry and the machine.`,
					'',
					'| | |',
					'|---|---|',
					`| The first \`npm run demo\`: Node 24 and n8n ${output.match(/n8n ([\d.]+) is installed/)?.[1] ?? ''} installed, the example workflows run | ${seconds} s (${(seconds / 60).toFixed(1)} min) |`,
					`| of which the install | ${installed} |`,
					`| What the install holds in \`~/.cache/n8n-nodes-onoffice-e2e\` (its files' bytes, \`du -sb\`) | ${(cacheBytes / 1e9).toFixed(1)} GB |`,
					`| The next \`npm run demo\`, on that install | ${warmSeconds} s (${(warmSeconds / 60).toFixed(1)} min) |`,
					'',
					'`npm ci` before it is not counted.',
					'',
				].join('\n'),
			);
			log(
				`recorded in bench/RESULTS-first-run.md (install ${installed}, ${(cacheBytes / 1e9).toFixed(1)} GB, the next demo ${warmSeconds} s).`,
			);
		}
		if (!isReady(cache)) {
			for (const folder of installFolders()) {
				rmSync(join(cache, folder), { recursive: true, force: true });
				renameSync(join(freshCache, folder), join(cache, folder));
			}
			log(
				`the regular cache ${cache} had no checked install for this script: the proven one now serves there.`,
			);
		}
		log('1 passed, 0 failed');
		return 0;
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}

/** Runs a command with its output shown as it comes (the install prints progress) and kept for the checks. */
function runInherited(
	command: string,
	args: string[],
	env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
	return new Promise((resolve) => {
		const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const pass = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
			output += chunk;
			stream.write(chunk);
		};
		child.stdout.on('data', pass(process.stdout));
		child.stderr.on('data', pass(process.stderr));
		child.on('close', (code) => resolve({ code: code ?? 1, output }));
	});
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
