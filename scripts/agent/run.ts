// npm run test:agent: the node as an AI Agent's tool, in real n8n 2.41.1 served with `n8n start`, the packed package
// installed as n8n installs community packages. The model is a fake on loopback (fakeModel.ts) that speaks OpenAI's
// Chat Completions API and plays a script per conversation: it calls the tool with arguments it builds from the
// schema n8n sends, and answers with what the tool returned. Nothing leaves the machine. Published workflows:
// examples/agent-chat-to-onoffice.json as shipped (a public chat with a login, streaming; its credentials are the
// test's), where the agent adds a link and files a chat attachment on estates named by ImmoNr; a chat of the test's
// own (answered when the agent is done) that files a file from a URL (fileServer.ts) and meets an unknown ImmoNr;
// and examples/agent-email-to-estate.json with a webhook standing in for its Email Trigger, two mails at once.
// A second n8n, with SSRF protection on and only `localhost` allowed, must refuse a File URL on 127.0.0.1 and tell
// the model so. Checked: the onOffice sandbox byte for byte, what the model was shown (tool names, descriptions,
// schemas, tool results), the chat answers, n8n's execution status, and that the token and secret appear nowhere.
// `-- --break empty|throw|firstItem` installs a deliberately broken copy of the node, to see the checks fail.
import { rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import { startSandbox, type OnOfficeSandbox } from '../../test/sandbox/server';
import { freePort } from '../lib/ports';
import { installN8n, installPackage, userFolderWithPackage } from '../services/n8n';
import { QUIET_EDITOR, serverEnv, startN8n, type N8nServer } from '../services/n8nServer';
import { certificate, chatCases, sitePlan } from './cases';
import { checkConversations, tally } from './checks';
import { startFakeModel, type FakeModel, type ToolSpec } from '../services/fakeModel';
import { startFileServer } from '../services/fileServer';
import { BREAKS, breakNode, setUp } from './n8nSetup';
import { withCredentials } from '../services/workflows';
import { chatExample, emailExampleByWebhook, urlWorkflow } from './workflows';

const log = (line: string) => console.log(line);

async function main(): Promise<void> {
	const started = Date.now();
	const breakArg = process.argv.indexOf('--break');
	const breakWith = breakArg > 0 ? process.argv[breakArg + 1] : undefined;
	const install = await installN8n();
	const stops: Array<() => Promise<void>> = [];
	const servers: N8nServer[] = [];
	let work: string | undefined;
	let sandbox: OnOfficeSandbox | undefined;
	let model: FakeModel | undefined;
	try {
		sandbox = await startSandbox();
		stops.push(() => sandbox!.stop());
		const files = await startFileServer([certificate, sitePlan]);
		stops.push(() => files.stop());
		const cases = chatCases(files);
		const fake = await startFakeModel(Object.values(cases));
		model = fake;
		stops.push(() => fake.stop());

		log(
			'Building and packing the package; installing it into two n8n user folders (SSRF protection off and on)...',
		);
		const folder = userFolderWithPackage();
		work = folder.work;
		const ssrfHome = join(folder.work, 'ssrf');
		installPackage(ssrfHome, folder.tarball);
		if (breakWith) {
			for (const home of [folder.home, ssrfHome]) breakNode(home, breakWith);
			log(
				`--break ${breakWith}: ${BREAKS[breakWith].what}; the checks that depend on it should fail now.`,
			);
		}
		// Nothing but loopback: no MCP registry refresh, no list of vetted community nodes from api.n8n.io.
		const quiet = {
			...QUIET_EDITOR,
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		};
		const plainEnv = await serverEnv(install, folder.home, quiet);
		const ssrfEnv = await serverEnv(install, ssrfHome, {
			...quiet,
			N8N_RUNNERS_BROKER_PORT: String(await freePort([Number(plainEnv.N8N_RUNNERS_BROKER_PORT)])),
			N8N_SSRF_PROTECTION_ENABLED: 'true',
			N8N_SSRF_ALLOWED_HOSTNAMES: 'localhost',
		});
		const starts = await Promise.allSettled([
			startN8n(install, plainEnv),
			startN8n(install, ssrfEnv),
		]);
		for (const start of starts) if (start.status === 'fulfilled') servers.push(start.value);
		for (const start of starts) if (start.status === 'rejected') throw start.reason;
		const [plain, ssrf] = servers;
		const ready = Date.now();
		log(
			`Ports (127.0.0.1, chosen free): onOffice sandbox ${new URL(sandbox.url).port}, fake model ${fake.port}, file server ${files.port}, ` +
				`n8n ${plain.port} (task broker ${plainEnv.N8N_RUNNERS_BROKER_PORT}), n8n with SSRF protection ${ssrf.port} (task broker ${ssrfEnv.N8N_RUNNERS_BROKER_PORT}).`,
		);

		// The credentials as a user creates them; the workflows imported and published as the editor does.
		const example = chatExample();
		const mailExample = emailExampleByWebhook();
		const plainSetup = await setUp(
			plain,
			{ onOffice: sandbox.url, model: fake.baseUrl() },
			sandbox,
			(ids) => [withCredentials(example, ids), urlWorkflow(ids), withCredentials(mailExample, ids)],
		);
		const ssrfSetup = await setUp(
			ssrf,
			{ onOffice: sandbox.url.replace('127.0.0.1', 'localhost'), model: fake.baseUrl('localhost') },
			sandbox,
			(ids) => [urlWorkflow(ids)],
		);
		await checkConversations({
			install,
			sandbox,
			fake,
			files,
			cases,
			example,
			mailExample,
			plain,
			ssrf,
			plainSetup,
			ssrfSetup,
			servers,
		});

		log('What the model was shown (the first request of each tool):');
		const shown = new Map<string, ToolSpec>();
		for (const r of fake.requests)
			for (const t of r.body.tools ?? [])
				if (!shown.has(t.function.name)) shown.set(t.function.name, t);
		for (const t of shown.values()) log(`    ${JSON.stringify(t.function)}`);
		log(
			`agent: ${tally.passed} passed, ${tally.failed.length} failed (n8n ${install.line.n8n}, ${((Date.now() - started) / 1000).toFixed(0)} s, of which ${((Date.now() - ready) / 1000).toFixed(0)} s with both n8n running)`,
		);
		if (tally.failed.length)
			throw new Error(`agent failed:\n${tally.failed.map((f) => `  ${f}`).join('\n')}`);
	} catch (error) {
		const redact = (t: string) =>
			sandbox ? t.split(sandbox.token).join('<token>').split(sandbox.secret).join('<secret>') : t;
		for (const [i, server] of servers.entries())
			process.stderr.write(
				`n8n ${i === 0 ? '' : 'with SSRF protection '}output (last lines):\n${redact(server.output().slice(-3000))}\n`,
			);
		throw error;
	} finally {
		// For a look at what the model was shown: ONOFFICE_AGENT_REQUESTS=<file> keeps its requests.
		if (process.env.ONOFFICE_AGENT_REQUESTS && model)
			writeFileSync(process.env.ONOFFICE_AGENT_REQUESTS, JSON.stringify(model.requests, null, 2));
		for (const server of servers) await server.stop();
		for (const stop of stops.reverse()) await stop();
		if (work) rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
