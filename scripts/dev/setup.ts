// What the dev loop keeps in its dev folder between runs, and sets up when it is missing: the package linked where n8n
// installs community packages, the credential pointing at the sandbox, the owner account, and the ports of last time.
//
// Layout, in a dev folder that persists (ONOFFICE_DEV_FOLDER, else <e2e cache>/dev, outside the repository):
//   package/                           package.json and index.js copied from the repository, dist/ built by tsc here
//   home/                              n8n's user folder: the database with the owner, the credential and your workflows
//   home/.n8n/nodes/node_modules/n8n-nodes-onoffice-file-upload -> ../../../../package
//   dev.json                           the ports and the sandbox URL of the last run
// n8n finds the package where it installs community packages, so the node keeps its real type name
// (n8n-nodes-onoffice-file-upload.onOfficeFileUpload; N8N_CUSTOM_EXTENSIONS would make it CUSTOM.onOfficeFileUpload).
import {
	copyFileSync,
	existsSync,
	lstatSync,
	mkdirSync,
	readFileSync,
	readlinkSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'fs';
import { dirname, join, relative } from 'path';

import type { OnOfficeSandbox } from '../../test/sandbox/server';
import { cacheRoot } from '../services/install-n8n';
import { root, run, type N8nInstall } from '../services/n8n';
import { N8nRest } from '../services/n8nRest';
import { OWNER } from '../services/n8nRest';
import { SANDBOX_CREDENTIAL } from '../services/workflows';
import { say, since } from './log';

export const PACKAGE = 'n8n-nodes-onoffice-file-upload';
export const NODE_TYPE = `${PACKAGE}.onOfficeFileUpload`;

export const defaultDevFolder = (): string => join(cacheRoot(), 'dev');

export interface DevState {
	n8nPort?: number;
	sandboxPort?: number;
	/** The Custom URL the credential in n8n's database points at (imported again when the sandbox moves). */
	credentialUrl?: string;
}

export class DevFolder {
	readonly path = process.env.ONOFFICE_DEV_FOLDER || defaultDevFolder();
	readonly home = join(this.path, 'home');
	readonly packageDir = join(this.path, 'package');
	readonly stateFile = join(this.path, 'dev.json');

	/** No n8n database yet: the owner is created and the credential imported. */
	isNew(): boolean {
		return !existsSync(join(this.home, '.n8n', 'database.sqlite'));
	}

	readState(): DevState {
		try {
			return JSON.parse(readFileSync(this.stateFile, 'utf8'));
		} catch {
			return {};
		}
	}

	writeState(state: DevState): void {
		writeFileSync(this.stateFile, `${JSON.stringify(state, null, 2)}\n`);
	}

	/** package.json and index.js beside an empty dist/ of its own, linked where n8n installs community packages. */
	preparePackage(): void {
		mkdirSync(this.packageDir, { recursive: true });
		rmSync(join(this.packageDir, 'dist'), { recursive: true, force: true });
		for (const file of ['package.json', 'index.js'])
			copyFileSync(join(root, file), join(this.packageDir, file));
		const nodesDir = join(this.home, '.n8n', 'nodes');
		const link = join(nodesDir, 'node_modules', PACKAGE);
		mkdirSync(dirname(link), { recursive: true });
		const target = relative(dirname(link), this.packageDir);
		let current: string | undefined;
		try {
			current = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : 'a folder';
		} catch {
			// Not there yet.
		}
		if (current !== target) {
			// Also replaces a copy installed through Settings > Community nodes, which would shadow the working tree.
			if (current) say(`replacing ${link} (${current}) with a link to the dev build`);
			rmSync(link, { recursive: true, force: true });
			symlinkSync(target, link, 'dir');
		}
		// Listed in the folder's package.json, so that an npm install n8n runs there (another community package
		// installed in Settings) keeps the link instead of pruning it as extraneous.
		const manifestFile = join(nodesDir, 'package.json');
		const manifest = existsSync(manifestFile)
			? JSON.parse(readFileSync(manifestFile, 'utf8'))
			: { name: 'installed-nodes', private: true };
		const spec = `file:${relative(nodesDir, this.packageDir)}`;
		if (manifest.dependencies?.[PACKAGE] !== spec) {
			manifest.dependencies = { ...manifest.dependencies, [PACKAGE]: spec };
			writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
		}
	}

	/** Puts the credential pointing at the sandbox into n8n's database (`n8n import:credentials` replaces it by id). */
	async importCredential(
		install: N8nInstall,
		env: NodeJS.ProcessEnv,
		sandbox: OnOfficeSandbox,
		firstRun: boolean,
	): Promise<void> {
		const t0 = Date.now();
		const file = join(this.path, 'credential.json');
		writeFileSync(file, JSON.stringify([{ ...SANDBOX_CREDENTIAL, data: sandbox.credentials }]), {
			mode: 0o600,
		});
		try {
			const result = await run(install.bin, ['import:credentials', `--input=${file}`], env);
			if (result.code !== 0)
				throw new Error(`n8n import:credentials failed:\n${result.stdout}\n${result.stderr}`);
		} finally {
			rmSync(file, { force: true });
		}
		say(
			`${firstRun ? 'new n8n database; ' : ''}credential "${SANDBOX_CREDENTIAL.name}" set to ${sandbox.url} (${since(t0)})`,
		);
	}
}

/** Creates the owner in a fresh database; else checks that it logs in (a developer may have changed it). */
export async function ensureOwner(
	url: string,
	firstRun: boolean,
): Promise<'exists' | 'created' | 'other'> {
	const rest = new N8nRest(url, 'npm-run-dev');
	const post = (path: string, body: unknown) => rest.call('POST', path, body).then((r) => r.ok);
	const setup = () => post('/rest/owner/setup', OWNER);
	const login = () =>
		post('/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	if (firstRun && (await setup())) return 'created';
	if (await login()) return 'exists';
	if (!firstRun && (await setup())) return 'created';
	return 'other';
}
