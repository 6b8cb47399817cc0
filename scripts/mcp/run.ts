// npm run test:mcp: the node's tools offered to any MCP client through n8n's MCP Server Trigger, in real n8n 2.41.1
// served with `n8n start` and the packed package. Published: examples/mcp-server-to-onoffice.json as shipped (trigger
// version 2, Bearer authentication), with the test's credentials and the test's file server added to the file tool's
// Allowed Hosts; and the same workflow with a version-1 trigger, for SSE. The client is the official TypeScript SDK
// (scripts/services/mcpClient.ts). Checked: a wrong token is refused; tools/list shows both tools with schemas a
// client can fill; a link named by ImmoNr lands once on the right estate and the answer names the file; the same call
// again adds nothing and says so; an unknown ImmoNr and a URL outside Allowed Hosts come back as readable answers and
// store nothing; a file at a local URL lands byte-identical; the token and the secret appear in nothing the client
// got or n8n printed.
import { rmSync } from 'fs';

import { startSandbox, type OnOfficeSandbox } from '../../test/sandbox/server';
import { sample, sha } from '../lib/bytes';
import { startFileServer, type FileServer } from '../services/fileServer';
import { connectMcp, type McpSession } from '../services/mcpClient';
import { installN8n, userFolderWithPackage } from '../services/n8n';
import { N8nRest } from '../services/n8nRest';
import { QUIET_EDITOR, serverEnv, startN8n, type N8nServer } from '../services/n8nServer';
import { example, withCredentials, type Workflow } from '../services/workflows';

const log = (line: string) => console.log(line);
const EXAMPLE = 'mcp-server-to-onoffice.json';
const MCP_TRIGGER = '@n8n/n8n-nodes-langchain.mcpTrigger';
/** What the MCP client sends as `Authorization: Bearer …`, and what the trigger's credential holds. */
const TOKEN = 'mcp-test-token-0123456789abcdefghijklmnop';
const LINK_TOOL = 'Add_link_to_estate';
const FILE_TOOL = 'Upload_file_from_a_URL';
const TOUR = 'https://my.matterport.com/show/?m=PC910';
const plan = {
	path: '/docs/Grundriss PC651.pdf',
	mimeType: 'application/pdf',
	bytes: sample(180_000, 'mcp-grundriss'),
};

const tally = { passed: 0, failed: [] as string[] };
function check(condition: boolean, message: string): void {
	if (condition) {
		tally.passed += 1;
		log(`ok  ${message}`);
	} else {
		tally.failed.push(message);
		log(`FAIL ${message}`);
	}
}

/** The example with the test's credentials, its file tool allowed to fetch from `fileHost`; `sse`: a version-1 trigger. */
function mcpWorkflow(
	credentials: Record<string, { id: string; name: string }>,
	fileHost: string,
	sse: boolean,
): Workflow {
	const shipped = withCredentials(example(EXAMPLE), credentials);
	const nodes = shipped.nodes.map((node) => {
		if (node.type === MCP_TRIGGER && sse) {
			return {
				...node,
				typeVersion: 1,
				webhookId: '5d0e7a3b-91c4-4f2e-b6a8-3c9d1e4f7a20',
				parameters: { ...node.parameters, path: 'onoffice-sse' },
			};
		}
		if (node.name === 'Upload file from a URL') {
			const limits = node.parameters.limits as { allowedHosts: string };
			return {
				...node,
				parameters: {
					...node.parameters,
					limits: { ...limits, allowedHosts: `${limits.allowedHosts}, ${fileHost}` },
				},
			};
		}
		return node;
	});
	return { ...shipped, name: `${shipped.name}${sse ? ' (SSE)' : ''}`, nodes };
}

const parse = (text: string): Array<Record<string, unknown>> => {
	try {
		return JSON.parse(text);
	} catch {
		return [];
	}
};

async function main(): Promise<void> {
	const started = Date.now();
	const install = await installN8n();
	let sandbox: OnOfficeSandbox | undefined;
	let files: FileServer | undefined;
	let server: N8nServer | undefined;
	let work: string | undefined;
	const sessions: McpSession[] = [];
	const received: string[] = [];
	try {
		sandbox = await startSandbox();
		files = await startFileServer([plan]);
		log('Building and packing the package; installing it into an n8n user folder...');
		const folder = userFolderWithPackage();
		work = folder.work;
		const env = await serverEnv(install, folder.home, {
			...QUIET_EDITOR,
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		});
		server = await startN8n(install, env);
		log(
			`Ports (127.0.0.1, chosen free): onOffice sandbox ${new URL(sandbox.url).port}, file server ${files.port}, n8n ${server.port} (task broker ${env.N8N_RUNNERS_BROKER_PORT}).`,
		);
		const rest = new N8nRest(server.url, 'mcp-test');
		await rest.signIn();
		const credentials = {
			onOfficeApi: await rest.createCredential(
				'onOfficeApi',
				'onOffice sandbox',
				sandbox.credentials,
			),
			httpBearerAuth: await rest.createCredential('httpBearerAuth', 'MCP token', { token: TOKEN }),
		};
		for (const sse of [false, true])
			await rest.publishNew(mcpWorkflow(credentials, '127.0.0.1', sse));
		const streamable = `${server.url}/mcp/onoffice`;
		const sseUrl = `${server.url}/mcp/onoffice-sse/sse`;

		// 1. A wrong token is refused, on both transports.
		for (const [transport, url] of [
			['streamable', streamable],
			['sse', sseUrl],
		] as const) {
			const refused = await connectMcp(url, 'wrong-token', transport).then(
				async (session) => {
					await session.close();
					return 'connected';
				},
				(error: Error & { code?: number }) => `HTTP ${error.code ?? '?'}: ${error.message}`,
			);
			check(
				/403/.test(refused),
				`${transport === 'streamable' ? 'Streamable HTTP (trigger version 2)' : 'SSE (trigger version 1)'} with a wrong token is refused: ${refused.slice(0, 120)}`,
			);
		}

		// 2. The tools and their schemas.
		const client = await connectMcp(streamable, TOKEN, 'streamable');
		sessions.push(client);
		const tools = await client.tools();
		received.push(JSON.stringify(tools));
		const byName = new Map(tools.map((t) => [t.name, t]));
		const schema = (name: string) => byName.get(name)?.inputSchema;
		check(
			tools.length === 2 &&
				JSON.stringify(Object.keys(schema(LINK_TOOL)?.properties ?? {}).sort()) ===
					JSON.stringify(['linkType', 'propertyNumber', 'title', 'url']) &&
				JSON.stringify(Object.keys(schema(FILE_TOOL)?.properties ?? {}).sort()) ===
					JSON.stringify(['fileUrl', 'propertyNumber']) &&
				[LINK_TOOL, FILE_TOOL].every(
					(n) =>
						(schema(n)?.required ?? []).length === Object.keys(schema(n)?.properties ?? {}).length,
				) &&
				[LINK_TOOL, FILE_TOOL].every((n) =>
					Object.values(schema(n)?.properties ?? {}).every(
						(p) => p.type === 'string' && (p.description ?? '').length > 10,
					),
				) &&
				(byName.get(LINK_TOOL)?.description ?? '').startsWith('Puts a web link on an estate'),
			`tools/list offers ${tools.map((t) => `${t.name}(${Object.keys(t.inputSchema.properties ?? {}).join(', ')})`).join(' and ')}, every property a described, required string, each tool with its own description`,
		);

		// 3. A link by ImmoNr lands once on the right estate, and the answer names the file.
		const linkArgs = {
			propertyNumber: 'PC910',
			url: TOUR,
			linkType: 'Ogulo-Link',
			title: '360° tour',
		};
		const first = await client.call(LINK_TOOL, linkArgs);
		received.push(first.text);
		const [added] = parse(first.text);
		const links = () => sandbox!.files().filter((f) => f.url === TOUR);
		check(
			!first.isError &&
				links().length === 1 &&
				links()[0].relatedRecordId === 409 &&
				added?.fileId === String(links()[0].fileId) &&
				String(added?.record).includes('PC910') &&
				added?.fileType === 'Ogulo-Link',
			`${LINK_TOOL} for PC910: the link is on estate 409 once, and the answer names file ${added?.fileId} on ${added?.record}: ${first.text.slice(0, 300)}`,
		);

		// 4. The same call again adds nothing and says so.
		const again = await client.call(LINK_TOOL, linkArgs);
		received.push(again.text);
		const [skipped] = parse(again.text);
		check(
			links().length === 1 &&
				skipped?.skipped === true &&
				/already has a link/.test(String(skipped?.reason)),
			`the same call again adds nothing (still ${links().length} link) and says so: ${again.text.slice(0, 300)}`,
		);

		// 5. An unknown ImmoNr and a URL outside Allowed Hosts: readable answers, nothing stored.
		const before = sandbox.files().length;
		const uploadsBefore = sandbox.requests.filter((r) =>
			r.actions.some((a) => a.resourcetype === 'uploadfile'),
		).length;
		const unknown = await client.call(LINK_TOOL, {
			...linkArgs,
			propertyNumber: 'PC999',
			url: 'https://my.matterport.com/show/?m=PC999',
		});
		const evil = await client.call(LINK_TOOL, {
			...linkArgs,
			url: 'https://login-example.evil/PC910',
			linkType: 'Link',
		});
		const evilFile = await client.call(FILE_TOOL, {
			propertyNumber: 'PC910',
			fileUrl: 'https://login-example.evil/expose.pdf',
		});
		received.push(unknown.text, evil.text, evilFile.text);
		const errorOf = (text: string) => String(parse(text)[0]?.error ?? '');
		check(
			/no estate has the property number \(ImmoNr\) "PC999"/.test(errorOf(unknown.text)) &&
				/is on login-example\.evil, which is not one of the Allowed Hosts/.test(
					errorOf(evil.text),
				) &&
				/the file https:\/\/login-example\.evil\/expose\.pdf is on login-example\.evil/.test(
					errorOf(evilFile.text),
				) &&
				sandbox.files().length === before &&
				sandbox.requests.filter((r) => r.actions.some((a) => a.resourcetype === 'uploadfile'))
					.length === uploadsBefore &&
				!files.requests.some((r) => r.path.includes('expose')),
			`an unknown ImmoNr and URLs outside Allowed Hosts come back as answers the client can read, and nothing was uploaded: ${[unknown, evil, evilFile].map((r) => errorOf(r.text).slice(0, 110)).join(' | ')}`,
		);

		// 6. A file at a local URL lands byte-identical.
		const upload = await client.call(FILE_TOOL, {
			propertyNumber: 'PC651',
			fileUrl: files.url(plan.path),
		});
		received.push(upload.text);
		const [filed] = parse(upload.text);
		const stored = sandbox
			.files({ module: 'estate', relatedRecordId: 2651 })
			.filter((f) => f.fileName === 'Grundriss PC651.pdf');
		check(
			stored.length === 1 &&
				stored[0].sha256 === sha(plan.bytes) &&
				stored[0].art === 'Grundriss' &&
				filed?.fileId === String(stored[0].fileId),
			`${FILE_TOOL} for PC651: the file at ${files.url(plan.path)} is on estate 2651 byte-identical, typed Grundriss by its name, file ${filed?.fileId}`,
		);

		// 7. SSE against a version-1 trigger: the same tools, a call that works.
		const sse = await connectMcp(sseUrl, TOKEN, 'sse');
		sessions.push(sse);
		const sseTools = await sse.tools();
		const sseCall = await sse.call(LINK_TOOL, {
			propertyNumber: 'PC651',
			url: 'https://youtu.be/PC651',
			linkType: 'Film-Link',
			title: 'Video',
		});
		received.push(JSON.stringify(sseTools), sseCall.text);
		check(
			sseTools
				.map((t) => t.name)
				.sort()
				.join() === [FILE_TOOL, LINK_TOOL].sort().join() &&
				sandbox
					.files()
					.some(
						(f) =>
							f.url === 'https://youtu.be/PC651' &&
							f.relatedRecordId === 2651 &&
							f.art === 'Film-Link',
					),
			`over SSE (trigger version 1, ${sseUrl.replace(server.url, '')}): the same two tools, and a video link lands on estate 2651`,
		);

		// 8. Nothing secret anywhere: what the client received, what n8n printed.
		const everything = [...received, server.output()].join('\n');
		check(
			!everything.includes(sandbox.token) && !everything.includes(sandbox.secret),
			'the onOffice token and secret are in nothing the client received and nothing n8n printed',
		);
		log(
			`mcp: ${tally.passed} passed, ${tally.failed.length} failed (n8n ${install.line.n8n}, ${((Date.now() - started) / 1000).toFixed(0)} s)`,
		);
		if (tally.failed.length)
			throw new Error(`mcp failed:\n${tally.failed.map((f) => `  ${f}`).join('\n')}`);
	} catch (error) {
		const redact = (t: string) =>
			sandbox ? t.split(sandbox.token).join('<token>').split(sandbox.secret).join('<secret>') : t;
		if (server)
			process.stderr.write(`n8n's output (last lines):\n${redact(server.output().slice(-3000))}\n`);
		throw error;
	} finally {
		for (const session of sessions) await session.close().catch(() => undefined);
		await server?.stop();
		await files?.stop();
		await sandbox?.stop();
		if (work) rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
