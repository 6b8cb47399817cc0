// PostgreSQL for n8n's queue mode: Debian's PostgreSQL (installed when missing), a cluster of its own made with
// initdb in a temporary folder, on a free loopback port (no Unix socket in the machine's folders), with one database
// and trusted local logins. `stop()` ends it and removes the folder. PostgreSQL refuses to run as root: as root the
// cluster belongs to the `postgres` system user the package made.
import { spawnSync } from 'child_process';
import {
	chmodSync,
	chownSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { freePort } from '../lib/ports';
import { ensureDebianPackage } from './apt';
import { spawnService } from './process';
import { sleep } from '../lib/time';

export interface Postgres {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	/** Runs one SQL statement with psql; returns its unaligned output. */
	query(sql: string): string;
	output(): string;
	stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin folder (Debian keeps the server programs out of PATH). */
function serverBin(): string | undefined {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const versions = readdirSync(base)
		.filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? join(base, versions[0], 'bin') : undefined;
}

function systemUser(name: string): { uid: number; gid: number } | undefined {
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${name}:`));
	if (!line) return undefined;
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(): Promise<Postgres> {
	ensureDebianPackage(
		'initdb',
		'postgresql',
		"The queue-mode test (n8n's database)",
		() => serverBin() !== undefined,
	);
	const bin = serverBin()!;
	const dir = mkdtempSync(join(tmpdir(), 'onoffice-postgres-'));
	const data = join(dir, 'data');
	const socketDir = join(dir, 'socket');
	mkdirSync(data);
	mkdirSync(socketDir);
	const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const owner = asRoot ? systemUser('postgres') : undefined;
	if (asRoot && !owner)
		throw new Error(
			'PostgreSQL refuses to run as root and the system user postgres (made by the postgresql package) is missing',
		);
	if (owner) {
		chmodSync(dir, 0o755);
		for (const folder of [data, socketDir]) chownSync(folder, owner.uid, owner.gid);
	}
	const as = (command: string, args: string[]): [string, string[]] =>
		owner ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
	const user = 'n8n';
	const init = spawnSync(
		...as(join(bin, 'initdb'), [
			'-D',
			data,
			'-U',
			user,
			'--auth=trust',
			'-E',
			'UTF8',
			'--no-instructions',
		]),
		{ encoding: 'utf8' },
	);
	if (init.status !== 0) {
		rmSync(dir, { recursive: true, force: true });
		throw new Error(`initdb failed:\n${init.stderr || init.stdout}`);
	}
	const port = await freePort();
	// A test database: no fsync, nothing on disk is worth keeping.
	const settings = [
		'-c',
		`listen_addresses=127.0.0.1`,
		'-c',
		`unix_socket_directories=${socketDir}`,
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=100',
	];
	const { child, output, stop } = spawnService(
		...as(join(bin, 'postgres'), ['-D', data, '-p', String(port), ...settings]),
		{ removeOnStop: dir },
	);
	const database = 'n8n';
	for (let i = 0; i < 100; i++) {
		if (child.exitCode !== null) break;
		const ready = spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {
			encoding: 'utf8',
		});
		if (ready.status === 0) {
			const created = spawnSync(
				join(bin, 'createdb'),
				['-h', '127.0.0.1', '-p', String(port), '-U', user, database],
				{ encoding: 'utf8' },
			);
			if (created.status !== 0) {
				await stop();
				throw new Error(`createdb ${database} failed:\n${created.stderr}`);
			}
			const query = (sql: string) => {
				const psql = spawnSync(
					join(bin, 'psql'),
					['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database, '-tAc', sql],
					{ encoding: 'utf8' },
				);
				if (psql.status !== 0)
					throw new Error(`psql failed on ${JSON.stringify(sql)}:\n${psql.stderr}`);
				return psql.stdout.trim();
			};
			return {
				host: '127.0.0.1',
				port,
				database,
				user,
				password: 'trusted-on-loopback',
				query,
				output,
				stop,
			};
		}
		await sleep(200);
	}
	await stop();
	throw new Error(
		`PostgreSQL did not accept connections on 127.0.0.1:${port}:\n${output().slice(-2000)}`,
	);
}
