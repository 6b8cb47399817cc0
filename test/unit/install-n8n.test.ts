// The n8n installer's decisions that need no n8n: what of the caller's npm settings reaches the nested npm runs,
// and when a cache counts as ready. The install itself is proven by `npm run test:fresh-install`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import {
	cleanNpmEnv,
	installerHash,
	installFolders,
	isReady,
	lineFromArgs,
	N8N_LINES,
} from '../../scripts/services/install-n8n';

describe('cleanNpmEnv', () => {
	// What `npm run env` shows on this project's machine: npm passes its whole configuration down.
	const fromNpmRun = {
		PATH: '/usr/bin:/bin',
		HOME: '/home/user',
		INIT_CWD: '/work/main',
		npm_config_ignore_scripts: 'true',
		NPM_CONFIG_IGNORE_SCRIPTS: 'true',
		npm_config_nodedir: '/usr',
		npm_config_local_prefix: '/work/main',
		npm_config_prefix: '/usr',
		npm_config_global: '',
		npm_package_name: 'n8n-nodes-onoffice-file-upload',
		npm_lifecycle_event: 'demo',
		npm_config_registry: 'https://registry.example.test/',
		'npm_config_@acme:registry': 'https://acme.example.test/',
		npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
		npm_config_https_proxy: 'http://proxy.example.test:3128',
		npm_config_cache: '/home/user/.npm',
		npm_config_userconfig: '/home/user/.npmrc',
	};

	it('drops the settings that change what npm builds or where it installs', () => {
		const clean = cleanNpmEnv(fromNpmRun);
		for (const key of [
			'npm_config_ignore_scripts',
			'NPM_CONFIG_IGNORE_SCRIPTS',
			'npm_config_nodedir',
			'npm_config_local_prefix',
			'npm_config_prefix',
			'npm_config_global',
			'npm_package_name',
			'npm_lifecycle_event',
			'INIT_CWD',
		])
			expect(clean).not.toHaveProperty([key]);
	});

	it('keeps how to reach the registry, and the rest of the environment', () => {
		const clean = cleanNpmEnv(fromNpmRun);
		expect(clean).toMatchObject({
			HOME: '/home/user',
			npm_config_registry: 'https://registry.example.test/',
			'npm_config_@acme:registry': 'https://acme.example.test/',
			npm_config_cafile: '/etc/ssl/certs/ca-certificates.crt',
			npm_config_https_proxy: 'http://proxy.example.test:3128',
			npm_config_cache: '/home/user/.npm',
			npm_config_userconfig: '/home/user/.npmrc',
		});
	});

	it('puts the given folder first in PATH', () => {
		expect(cleanNpmEnv(fromNpmRun, '/cache/node/bin').PATH).toBe('/cache/node/bin:/usr/bin:/bin');
		expect(cleanNpmEnv(fromNpmRun).PATH).toBe('/usr/bin:/bin');
	});
});

describe('isReady', () => {
	let cache: string;
	beforeEach(() => (cache = mkdtempSync(join(tmpdir(), 'onoffice-cache-test-'))));
	afterEach(() => rmSync(cache, { recursive: true, force: true }));

	const writeMarker = (content: string) => {
		const dir = join(cache, installFolders()[1]);
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, '.installed'), content);
	};

	it('is false for an empty cache', () => {
		expect(isReady(cache)).toBe(false);
	});

	it('is false for a cache marked by another install script, or by the old shell script (an empty marker)', () => {
		writeMarker(JSON.stringify({ installer: '0000000000000000' }));
		expect(isReady(cache)).toBe(false);
		writeMarker('');
		expect(isReady(cache)).toBe(false);
	});

	it('is false for a cache marked by this script whose n8n is not there (the checks run, not only the marker)', () => {
		writeMarker(JSON.stringify({ installer: installerHash }));
		expect(isReady(cache)).toBe(false);
	});
});

describe('lineFromArgs', () => {
	it('is the 2.x line unless --n8n or ONOFFICE_E2E_N8N asks for another', () => {
		expect(lineFromArgs([], {}).n8n).toBe('2.41.1');
		expect(lineFromArgs(['--n8n', '1.x'], {}).n8n).toBe('1.123.81');
		expect(lineFromArgs(['--n8n=1.123.81'], {}).line).toBe('1.x');
		expect(lineFromArgs([], { ONOFFICE_E2E_N8N: '1.x' }).node).toBe('22.23.5');
	});

	it('names the lines it knows when asked for another', () => {
		expect(() => lineFromArgs(['--n8n', '0.236'], {})).toThrow(
			/2\.x \(2\.41\.1\) and 1\.x \(1\.123\.81\)/,
		);
	});

	it('installs 1.x with xlsx from the npm registry and checks isolated-vm only on 2.x', () => {
		expect(N8N_LINES['1.x'].overrides).toEqual({ xlsx: '0.18.5' });
		expect([N8N_LINES['2.x'].isolatedVm, N8N_LINES['1.x'].isolatedVm]).toEqual([true, false]);
		expect(installFolders(N8N_LINES['1.x'])).toEqual(['node-22.23.5', 'n8n-1.123.81']);
	});
});
