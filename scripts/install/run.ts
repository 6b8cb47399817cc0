// npm run test:install: the package installed the way users install it, through n8n's own Install button.
// A private npm registry on loopback (Verdaccio) gets the packed package; real n8n installs it through its
// community-packages REST endpoint (what Settings > Community Nodes > Install calls), an upload runs with it
// through a production webhook; then a newer version is published and n8n updates to it the same way, the upload
// runs again, and n8n uninstalls it.
//   n8n installs from a registry other than npmjs.org only with an enterprise licence
//   (feat:communityNodes:customRegistry). n8n's own test mode (E2E_TESTS=true) lets a test switch that one licence
//   flag on (PATCH /rest/e2e/feature); everything else is n8n's real install path: the name check, the version
//   check against the registry, `npm pack`, `npm install` in the package folder, loading the nodes.
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { startSandbox, type OnOfficeSandbox } from '../../test/sandbox/server';
import { lineFromArgs } from '../services/install-n8n';
import { installN8n, npmPack, packPackage, root } from '../services/n8n';
import { sample } from '../lib/bytes';
import { N8nRest } from '../services/n8nRest';
import { serverEnv, startN8n, QUIET_EDITOR, type N8nServer } from '../services/n8nServer';
import { NODE_TYPE, sendFile, uploadWebhookWorkflow } from '../services/uploadWebhook';
import { startRegistry, type Registry } from '../services/verdaccio';
import { MiB, sha } from '../lib/bytes';

const log = (line: string) => console.log(line);
const PACKAGE = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
};

let passed = 0;
function check(condition: boolean, message: string): void {
	if (!condition) throw new Error(`install check failed: ${message}`);
	log(`ok  ${message}`);
	passed += 1;
}

/** Builds and packs this package, and a copy of the tarball one patch version higher (the "newer version"). */
function tarballs(work: string): { current: string; next: string; nextVersion: string } {
	const current = packPackage(work);
	const [major, minor, patch] = PACKAGE.version.split(/[.-]/).map(Number);
	const nextVersion = `${major}.${minor}.${patch + 1}`;
	const unpacked = join(work, 'next');
	mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', current, '-C', unpacked]);
	const manifest = join(unpacked, 'package', 'package.json');
	writeFileSync(
		manifest,
		JSON.stringify(
			{ ...JSON.parse(readFileSync(manifest, 'utf8')), version: nextVersion },
			null,
			2,
		),
	);
	return { current, next: npmPack(join(unpacked, 'package'), work), nextVersion };
}

interface InstalledPackage {
	packageName: string;
	installedVersion: string;
	failedLoading?: boolean;
	updateAvailable?: string;
	installedNodes: Array<{ name: string; type: string }>;
}

type NodeTypeInfo = { name: string; iconUrl?: string | { light: string; dark: string } };
/** The node types the editor gets (signed in): what the node creator lists. */
async function nodeTypes(rest: N8nRest): Promise<NodeTypeInfo[]> {
	const response = await rest.call('GET', '/types/nodes.json');
	const text = await response.text();
	if (!response.ok)
		throw new Error(`GET /types/nodes.json: HTTP ${response.status}: ${text.slice(0, 500)}`);
	return JSON.parse(text) as NodeTypeInfo[];
}

async function upload(
	sandbox: OnOfficeSandbox,
	webhook: string,
	estate: number,
	name: string,
	bytes: Buffer,
): Promise<void> {
	const before = sandbox.files({ module: 'estate', relatedRecordId: estate }).length;
	const answer = await sendFile(webhook, { name, mimeType: 'application/pdf', bytes, estate });
	check(
		answer.status === 200,
		`the production webhook answered 200 for ${name} (got ${answer.status}: ${answer.body.slice(0, 300)})`,
	);
	const files = sandbox.files({ module: 'estate', relatedRecordId: estate });
	const file = files.find((f) => f.fileName === name);
	check(
		files.length === before + 1 &&
			file?.sha256 === sha(bytes) &&
			file.blocks === Math.ceil(bytes.length / MiB),
		`${name} (${(bytes.length / MiB).toFixed(1)} MiB) is on estate ${estate}, byte for byte, in ${file?.blocks} blocks of 1 MiB`,
	);
}

async function main(): Promise<void> {
	const started = Date.now();
	const line = lineFromArgs();
	const install = await installN8n(undefined, line);
	const work = mkdtempSync(join(tmpdir(), 'onoffice-install-'));
	let registry: Registry | undefined;
	let sandbox: OnOfficeSandbox | undefined;
	let server: N8nServer | undefined;
	try {
		log('Building and packing the package, and a copy one version higher...');
		const packs = tarballs(work);
		registry = await startRegistry();
		registry.publish(packs.current);
		log(`Published ${PACKAGE.name}@${PACKAGE.version} to the local registry ${registry.url}.`);
		sandbox = await startSandbox();
		const home = join(work, 'home');
		mkdirSync(home);
		// npm as n8n runs it: no user config of the machine's, the private registry as npm's registry too (what n8n's
		// "update available" check follows), and n8n's own registry setting pointed at it.
		const npmrc = join(work, 'npmrc');
		writeFileSync(npmrc, `registry=${registry.url}/\n`);
		const env = await serverEnv(install, home, {
			...QUIET_EDITOR,
			E2E_TESTS: 'true',
			N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url,
			npm_config_userconfig: npmrc,
			npm_config_registry: `${registry.url}/`,
		});
		server = await startN8n(install, env);
		log(
			`Ports (127.0.0.1, chosen free): registry ${registry.port}, onOffice sandbox ${new URL(sandbox.url).port}, n8n ${server.port}, n8n task broker ${env.N8N_RUNNERS_BROKER_PORT}.`,
		);
		const rest = new N8nRest(server.url, 'install-test');
		await rest.signIn();
		await rest.json('PATCH', '/rest/e2e/feature', {
			feature: 'feat:communityNodes:customRegistry',
			enabled: true,
		});

		check(
			(await rest.json<InstalledPackage[]>('GET', '/rest/community-packages')).length === 0 &&
				!(await nodeTypes(rest)).some((t) => t.name === NODE_TYPE),
			'a fresh n8n has no community package and does not know the node',
		);

		// The Install button: the name, "I understand the risks" (verify false: n8n has not vetted this package).
		const t0 = Date.now();
		const installed = await rest.json<InstalledPackage>('POST', '/rest/community-packages', {
			name: PACKAGE.name,
			verify: false,
			version: PACKAGE.version,
		});
		check(
			installed.installedVersion === PACKAGE.version &&
				installed.installedNodes.some((n) => n.type === NODE_TYPE),
			`n8n installed ${PACKAGE.name}@${installed.installedVersion} from the registry through its community-packages endpoint (${((Date.now() - t0) / 1000).toFixed(1)} s): nodes ${installed.installedNodes.map((n) => n.type).join(', ')}`,
		);
		const folder = join(home, '.n8n', 'nodes', 'node_modules', PACKAGE.name);
		check(
			existsSync(join(folder, 'dist')) && !existsSync(join(folder, 'node_modules')),
			`it lives in ${folder.replace(work, '<user folder>')}, without node_modules (no runtime dependencies)`,
		);
		const types = await nodeTypes(rest);
		const type = types.find((t) => t.name === NODE_TYPE);
		const iconUrl = typeof type?.iconUrl === 'string' ? type.iconUrl : type?.iconUrl?.light;
		const icon = iconUrl ? await rest.call('GET', `/${iconUrl}`) : undefined;
		check(
			!!type && icon?.ok === true && (await icon.text()).includes('<svg'),
			`the running n8n knows the node without a restart, and serves its icon (${iconUrl})`,
		);

		// The sandbox credential and a webhook upload, created and published as a user would in the editor.
		const credential = await rest.json<{ id: string; name: string }>('POST', '/rest/credentials', {
			name: 'onOffice sandbox',
			type: 'onOfficeApi',
			data: sandbox.credentials,
		});
		const created = await rest.json<{ id: string; versionId: string }>('POST', '/rest/workflows', {
			...uploadWebhookWorkflow({
				id: 'installCheck',
				path: 'install-check',
				credential: { id: credential.id, name: credential.name },
				blockSizeKiB: 1024,
			}),
			id: undefined,
			active: false,
		});
		await rest.publish(created);
		const webhook = `${server.url}/webhook/install-check`;
		await upload(
			sandbox,
			webhook,
			409,
			'Exposé Seeblick.pdf',
			sample(Math.round(2.5 * MiB), 'install-expose'),
		);

		// A newer version on the registry: n8n offers the update and installs it the same way.
		registry.publish(packs.next);
		const listed = (await rest.json<InstalledPackage[]>('GET', '/rest/community-packages')).find(
			(p) => p.packageName === PACKAGE.name,
		);
		// n8n's "update available" comes from `npm outdated`. 2.x runs it with n8n's environment, so it follows npm's own
		// registry setting; 1.x runs npm with nothing but PATH and NODE_PATH (no HOME, no npm settings), so it always
		// asks npmjs.org, whatever registry the package was installed from: on 1.x the update is there but not offered.
		if (line.line === '1.x')
			log(
				`    (n8n 1.x asks npmjs.org for updates, not this registry: it lists "update available: ${listed?.updateAvailable ?? 'none'}"; the update itself follows)`,
			);
		else
			check(
				listed?.updateAvailable === packs.nextVersion,
				`after ${packs.nextVersion} is published, n8n lists the package with "update available: ${listed?.updateAvailable}"`,
			);
		const t1 = Date.now();
		const updated = await rest.json<InstalledPackage>('PATCH', '/rest/community-packages', {
			name: PACKAGE.name,
			version: packs.nextVersion,
		});
		const onDisk = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).version;
		check(
			updated.installedVersion === packs.nextVersion && onDisk === packs.nextVersion,
			`n8n updated the package to ${updated.installedVersion} (${((Date.now() - t1) / 1000).toFixed(1)} s; package.json on disk says ${onDisk})`,
		);
		await upload(
			sandbox,
			webhook,
			2651,
			'Grundriss Dachgeschoss.pdf',
			sample(Math.round(1.5 * MiB), 'install-floor-plan'),
		);

		// Uninstall: the package, its files and the node are gone.
		const t2 = Date.now();
		await rest.json('DELETE', `/rest/community-packages?name=${encodeURIComponent(PACKAGE.name)}`);
		check(
			(await rest.json<InstalledPackage[]>('GET', '/rest/community-packages')).length === 0 &&
				!existsSync(folder) &&
				!(await nodeTypes(rest)).some((t) => t.name === NODE_TYPE),
			`n8n uninstalled it (${((Date.now() - t2) / 1000).toFixed(1)} s): not listed, its folder gone, the node type unknown`,
		);
		const output = server.output() + registry.output();
		check(
			!output.includes(sandbox.token) && !output.includes(sandbox.secret),
			'n8n and the registry printed neither the token nor the secret',
		);
		log(
			`install: ${passed} passed, 0 failed (n8n ${line.n8n} on Node ${line.node}, ${((Date.now() - started) / 1000).toFixed(0)} s)`,
		);
	} catch (error) {
		if (server)
			process.stderr.write(
				`n8n's output (last lines):\n${redacted(server.output().slice(-4000), sandbox)}\n`,
			);
		throw error;
	} finally {
		await server?.stop();
		await sandbox?.stop();
		await registry?.stop();
		rmSync(work, { recursive: true, force: true });
	}
}

function redacted(text: string, sandbox?: OnOfficeSandbox): string {
	return sandbox
		? text.split(sandbox.token).join('<token>').split(sandbox.secret).join('<secret>')
		: text;
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
