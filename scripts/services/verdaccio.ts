// A private npm registry on loopback, as an agency's own registry (or npm itself) is to n8n: Verdaccio from the npm
// registry, installed once into the e2e cache (not a devDependency: it would add some 200 packages to every
// `npm ci`), run on a free port with its storage in a temporary folder, no uplinks (only what the test publishes is
// there), and stopped in a finally.
import { spawnSync } from 'child_process';
import { request } from 'http';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { cacheRoot, cleanNpmEnv } from './install-n8n';
import { freePort } from '../lib/ports';
import { spawnService } from './process';
import { sleep } from '../lib/time';

/** 6.8.0 installs from the registry here; 6.10.x does not (a dependency it pins is missing). */
export const VERDACCIO_VERSION = '6.8.0';

export interface Registry {
	url: string;
	port: number;
	/** A token of the registry's one user, for `npm publish`. */
	token: string;
	/** An npm user config that points npm at this registry with that token. */
	npmrc: string;
	/** `npm publish <tarball>` to this registry; throws with npm's output when it fails. */
	publish(tarball: string): void;
	output(): string;
	stop(): Promise<void>;
}

function ensureVerdaccio(): string {
	const dir = join(cacheRoot(), `verdaccio-${VERDACCIO_VERSION}`);
	const bin = join(dir, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
	if (existsSync(join(dir, '.installed'))) return bin;
	console.log(
		`Installing Verdaccio ${VERDACCIO_VERSION} from the npm registry into ${dir} (once, about 30 s)...`,
	);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), '{"name":"verdaccio-runtime","private":true}\n');
	const npm = spawnSync(
		'npm',
		['install', '--no-audit', '--no-fund', '--ignore-scripts', `verdaccio@${VERDACCIO_VERSION}`],
		{ cwd: dir, env: cleanNpmEnv(process.env), encoding: 'utf8' },
	);
	if (npm.status !== 0 || !existsSync(bin))
		throw new Error(
			`Installing Verdaccio ${VERDACCIO_VERSION} failed (npm install verdaccio@${VERDACCIO_VERSION} in ${dir}); npm said:\n${(npm.stderr || npm.stdout).slice(-3000)}`,
		);
	writeFileSync(join(dir, '.installed'), `${new Date().toISOString()}\n`);
	return bin;
}

/**
 * One request on a connection of its own. Verdaccio closes idle keep-alive connections after 5 s, and fetch's pool in
 * Node 20 then fails the next request on such a connection with "other side closed" instead of opening a new one.
 */
export function plainRequest(
	method: string,
	url: string,
	body?: string,
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const headers: Record<string, string | number> =
			body === undefined
				? {}
				: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
		const req = request(url, { method, agent: false, headers }, (res) => {
			let text = '';
			res.on('data', (c) => (text += c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
		});
		req.on('error', reject);
		req.end(body);
	});
}

export async function startRegistry(): Promise<Registry> {
	const bin = ensureVerdaccio();
	const work = mkdtempSync(join(tmpdir(), 'onoffice-registry-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const config = join(work, 'config.yaml');
	writeFileSync(
		config,
		[
			`storage: ${join(work, 'storage')}`,
			'auth:',
			'  htpasswd:',
			`    file: ${join(work, 'htpasswd')}`,
			'    max_users: 1',
			'uplinks: {}',
			'packages:',
			"  '**':",
			'    access: $all',
			'    publish: $authenticated',
			'    unpublish: $authenticated',
			'web:',
			'  enable: false',
			'log: { type: stdout, format: pretty, level: warn }',
			'',
		].join('\n'),
	);
	const { child, output, stop } = spawnService(
		process.execPath,
		[bin, '--config', config, '--listen', `127.0.0.1:${port}`],
		{ env: cleanNpmEnv(process.env), cwd: work, removeOnStop: work },
	);
	try {
		let up = false;
		for (let i = 0; i < 120 && !up && child.exitCode === null; i++) {
			up = await plainRequest('GET', `${url}/-/ping`).then(
				(r) => r.status === 200,
				() => false,
			);
			if (!up) await sleep(250);
		}
		if (!up) throw new Error(`Verdaccio did not answer on ${url}:\n${output().slice(-2000)}`);
		const user = await plainRequest(
			'PUT',
			`${url}/-/user/org.couchdb.user:publisher`,
			JSON.stringify({ name: 'publisher', password: 'publisher-password-1' }),
		);
		const token = (JSON.parse(user.body || '{}') as { token?: string }).token;
		if (!token)
			throw new Error(
				`Verdaccio gave no token for a new user (HTTP ${user.status}):\n${output().slice(-2000)}`,
			);
		const npmrc = join(work, 'npmrc');
		writeFileSync(npmrc, `registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\n`);
		const publish = (tarball: string) => {
			const npm = spawnSync(
				'npm',
				[
					'publish',
					tarball,
					'--userconfig',
					npmrc,
					'--registry',
					`${url}/`,
					'--ignore-scripts',
					'--provenance=false',
					'--access',
					'public',
				],
				{
					env: cleanNpmEnv(process.env),
					encoding: 'utf8',
				},
			);
			if (npm.status !== 0)
				throw new Error(`npm publish ${tarball} to ${url} failed:\n${npm.stdout}\n${npm.stderr}`);
		};
		return { url, port, token, npmrc, publish, output, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
