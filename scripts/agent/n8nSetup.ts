// What npm run test:agent (scripts/agent/run.ts) does to each n8n it serves: the installed package broken on purpose
// (`-- --break`), the test's credentials created, the workflows imported and published, the executions read back.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import type { OnOfficeSandbox } from '../../test/sandbox/server';
import type { StoredRun } from '../services/executions';
import { N8nRest } from '../services/n8nRest';
import type { N8nServer } from '../services/n8nServer';
import { CHAT_LOGIN } from './cases';
import type { Workflow } from '../services/workflows';

/** Deliberately broken copies of the node (`-- --break <name>`): the checks of what each breaks must then fail. */
export const BREAKS: Record<string, { file: string; from: string; to: string; what: string }> = {
	empty: {
		file: 'actions/router.js',
		from: 'return [output];',
		to: 'return [[]];',
		what: 'the node returns no items',
	},
	throw: {
		file: 'actions/toolResult.js',
		from: "return node.type.endsWith('Tool');",
		to: 'return false;',
		what: 'the node treats a tool run as a plain run (full output, thrown errors)',
	},
	firstItem: {
		file: 'sources/nodeFiles.js',
		from: 'if (items.length === 1)',
		to: 'if (items.length >= 1)',
		what: "Files of Another Node always reads the node's first item",
	},
};

export function breakNode(home: string, name: string): void {
	const change = BREAKS[name];
	if (!change) throw new Error(`--break takes ${Object.keys(BREAKS).join(' or ')}, not "${name}"`);
	const file = join(
		home,
		'.n8n',
		'nodes',
		'node_modules',
		'n8n-nodes-onoffice-file-upload',
		'dist',
		'nodes',
		'OnOfficeFileUpload',
		change.file,
	);
	const code = readFileSync(file, 'utf8');
	if (!code.includes(change.from))
		throw new Error(`--break ${name}: ${change.file} no longer holds ${change.from}`);
	writeFileSync(file, code.replace(change.from, change.to));
}

export type Credentials = Record<string, { id: string; name: string }>;

export interface Setup {
	rest: N8nRest;
}

/** Signs in, creates the test's credentials for what the workflows name, imports the workflows and publishes them. */
export async function setUp(
	server: N8nServer,
	urls: { onOffice: string; model: string },
	sandbox: OnOfficeSandbox,
	workflows: (ids: Credentials) => Workflow[],
): Promise<Setup> {
	const rest = new N8nRest(server.url, 'agent-test');
	await rest.signIn();
	const data: Record<string, { name: string; data: Record<string, unknown> }> = {
		onOfficeApi: {
			name: 'onOffice sandbox',
			data: { ...sandbox.credentials, customUrl: urls.onOffice },
		},
		openAiApi: { name: 'Fake model', data: { apiKey: 'sk-fake-model-key', url: urls.model } },
		httpBasicAuth: { name: 'Chat login', data: { ...CHAT_LOGIN } },
	};
	const ids: Credentials = {};
	for (const [type, credential] of Object.entries(data))
		ids[type] = await rest.createCredential(type, credential.name, credential.data);
	for (const workflow of workflows(ids)) await rest.publishNew(workflow);
	return { rest };
}

/** The chat message an execution started from (empty for the mail agent's webhook runs). */
export const chatInputOf = (run: StoredRun): string =>
	String(run.nodes['When chat message received']?.[0]?.json?.chatInput ?? '');
