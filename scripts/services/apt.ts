// Debian packages the tests need, installed when missing: `apt-get update` once, then `apt-get install -y`.
// Without root (or without apt) it says exactly what to install instead of trying.
import { spawnSync } from 'child_process';
import { statSync } from 'fs';

let updated = false;

/** Whether package lists were fetched within the last hour (by an earlier script of the same CI run, say). */
function listsAreFresh(): boolean {
	try {
		return statSync('/var/lib/apt/lists').mtimeMs > Date.now() - 3600_000;
	} catch {
		return false;
	}
}

export function hasCommand(command: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure `command` exists, installing the Debian package `pkg` when it does not. `present` replaces the PATH
 * lookup for packages whose programs live outside PATH (PostgreSQL's server programs).
 */
export function ensureDebianPackage(
	command: string,
	pkg: string,
	why: string,
	present: () => boolean = () => hasCommand(command),
): void {
	if (present()) return;
	const root = typeof process.getuid === 'function' && process.getuid() === 0;
	if (!root || !hasCommand('apt-get')) {
		throw new Error(
			`${why} needs \`${command}\` from the Debian package ${pkg}: install it (sudo apt-get install -y ${pkg}) and run again.`,
		);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	if (!updated && !listsAreFresh()) {
		process.stderr.write('apt-get update (once)...\n');
		const update = spawnSync('apt-get', ['update'], { env, encoding: 'utf8' });
		if (update.status !== 0)
			throw new Error(
				`apt-get update failed, so ${pkg} cannot be installed:\n${update.stderr.slice(-2000)}`,
			);
		updated = true;
	}
	process.stderr.write(`apt-get install -y ${pkg} (${why})...\n`);
	const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
		env,
		encoding: 'utf8',
	});
	if (install.status !== 0 || !present()) {
		throw new Error(
			`apt-get install -y ${pkg} failed (${why} needs it):\n${(install.stderr || install.stdout).slice(-2000)}`,
		);
	}
}
