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
import { createHash } from 'crypto';
import { readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

// With its extension: beside it lies OnOfficeFileUpload.node.json, the codex, which tsx would load instead.
import { OnOfficeFileUpload } from '../../nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.ts';
import { startSandbox, type OnOfficeSandbox } from '../../test/sandbox/server';
import { freePort, installN8n, installPackage, userFolderWithPackage } from '../e2e/n8n';
import { sample } from '../mail/messages';
import { N8nRest } from '../services/n8nRest';
import { QUIET_EDITOR, serverEnv, startN8n, type N8nServer } from '../services/n8nServer';
import { sendChat, type ChatFile, type ChatReply } from './chat';
import { startFakeModel, textOf, type FakeModel, type ModelRequest, type Script, type ToolSpec } from './fakeModel';
import { startFileServer } from './fileServer';
import { chatExample, chatUrl, emailExampleByWebhook, fromAiKeys, MAIL_PATH, streams, URL_TOOL, urlWorkflow, withCredentials, type Workflow } from './workflows';

const log = (line: string) => console.log(line);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const toolName = (nodeName: string) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');

let passed = 0;
const failed: string[] = [];
/** A failed check is reported and the test goes on, so that one failure does not hide the others; it fails at the end. */
function check(condition: boolean, message: string): void {
	if (!condition) {
		log(`FAIL ${message}`);
		failed.push(message.slice(0, 400));
		return;
	}
	log(`ok  ${message}`);
	passed += 1;
}

/** Deliberately broken copies of the node (`-- --break <name>`): the checks of what each breaks must then fail. */
const BREAKS: Record<string, { file: string; from: string; to: string; what: string }> = {
	empty: { file: 'actions/router.js', from: 'return [output];', to: 'return [[]];', what: 'the node returns no items' },
	throw: { file: 'actions/toolResult.js', from: "return node.type.endsWith('Tool');", to: 'return false;', what: 'the node treats a tool run as a plain run (full output, thrown errors)' },
	firstItem: { file: 'helpers/nodeFiles.js', from: 'if (items.length === 1)', to: 'if (items.length >= 1)', what: "Files of Another Node always reads the node's first item" },
};

function breakNode(home: string, name: string): void {
	const change = BREAKS[name];
	if (!change) throw new Error(`--break takes ${Object.keys(BREAKS).join(' or ')}, not "${name}"`);
	const file = join(home, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-onoffice-file-upload', 'dist', 'nodes', 'OnOfficeFileUpload', change.file);
	const code = readFileSync(file, 'utf8');
	if (!code.includes(change.from)) throw new Error(`--break ${name}: ${change.file} no longer holds ${change.from}`);
	writeFileSync(file, code.replace(change.from, change.to));
}

const CHAT_LOGIN = { user: 'agents', password: 'chat-login-only-for-this-test' };
const TOUR = 'https://tour.example.com/PC910';
const expose = { name: 'Exposé PC910.pdf', mimeType: 'application/pdf', bytes: sample(240_000, 'agent-expose') };
const floorPlan = { name: 'Grundriss PC910.png', mimeType: 'image/png', bytes: sample(90_000, 'agent-grundriss') };
const certificate = { path: '/docs/Energieausweis PC651.pdf', mimeType: 'application/pdf', bytes: sample(310_000, 'agent-energieausweis') };
const sitePlan = { path: '/docs/Lageplan PC101.pdf', mimeType: 'application/pdf', bytes: sample(120_000, 'agent-lageplan') };
/** Two mails of one fetch, each naming its estate in its own words, one with a signature logo besides its photo. */
const mails = [
	{
		from: 'Jana Krüger <jana.krueger@example.com>',
		subject: 'Fotos vom Balkon',
		textPlain: 'Hallo zusammen,\nanbei das Foto vom Balkon der Wohnung PC101 in der Bahnhofstraße.\nViele Grüße\nJana',
		attachments: [
			{ fileName: 'Balkon.jpg', mimeType: 'image/jpeg', bytes: sample(75_000, 'agent-balkon') },
			{ fileName: 'image001.png', mimeType: 'image/png', bytes: sample(4_000, 'agent-logo') },
		],
	},
	{
		from: 'Tom Weber <tom.weber@example.com>',
		subject: 'Unterlagen zum Reihenhaus',
		textPlain: 'Guten Tag,\nhier das Exposé für das Reihenhaus mit der Objektnummer PC651.\nTom Weber',
		attachments: [{ fileName: 'Exposé Reihenhaus.pdf', mimeType: 'application/pdf', bytes: sample(150_000, 'agent-expose-reihenhaus') }],
	},
];

interface Case extends Script {
	files?: ChatFile[];
}

interface Conversation {
	reply: ChatReply;
	requests: ModelRequest[];
	/** The tool as the first request offered it to the model. */
	tool?: ToolSpec;
	/** The tool's result as the model received it, and parsed. */
	content: string;
	result: unknown;
}

async function main(): Promise<void> {
	const started = Date.now();
	const breakArg = process.argv.indexOf('--break');
	const breakWith = breakArg > 0 ? process.argv[breakArg + 1] : undefined;
	const install = await installN8n();
	const stops: Array<() => Promise<void>> = [];
	const servers: N8nServer[] = [];
	let work: string | undefined;
	let sandbox: OnOfficeSandbox | undefined;
	const replies: ChatReply[] = [];
	const executionTexts: string[] = [];
	let model: FakeModel | undefined;
	try {
		sandbox = await startSandbox();
		stops.push(() => sandbox!.stop());
		const files = await startFileServer([certificate, sitePlan]);
		stops.push(() => files.stop());
		const cases = {
			link: { message: `Put the 360° tour ${TOUR} on PC910`, tool: 'Add_link_to_estate', args: { propertyNumber: 'PC910', url: TOUR, linkType: 'Ogulo-Link', title: '360° tour' }, reply: 'Done, the tool answered:' },
			linkAgain: { message: `Add the tour ${TOUR} to PC910 once more`, tool: 'Add_link_to_estate', args: { propertyNumber: 'PC910', url: TOUR, linkType: 'Ogulo-Link', title: '360° tour' }, reply: 'The tool answered:' },
			attachment: { message: 'File the attached exposé on PC910, not the floor plan', tool: 'File_attachments_on_estate', args: { propertyNumber: 'PC910', fileNames: expose.name }, reply: 'Filed, the tool answered:', files: [expose, floorPlan] },
			url: { message: `File the energy certificate at ${files.url(certificate.path)} on PC651`, tool: toolName(URL_TOOL), args: { propertyNumber: 'PC651', fileUrl: files.url(certificate.path) }, reply: 'Filed, the tool answered:' },
			unknown: { message: `File ${files.url(sitePlan.path)} on PC999`, tool: toolName(URL_TOOL), args: { propertyNumber: 'PC999', fileUrl: files.url(sitePlan.path) }, reply: 'That did not work, the tool answered:' },
			refused: { message: `File ${files.url(sitePlan.path)} on PC101`, tool: toolName(URL_TOOL), args: { propertyNumber: 'PC101', fileUrl: files.url(sitePlan.path) }, reply: 'That did not work, the tool answered:' },
			mailBalcony: { message: `Subject: ${mails[0].subject}`, tool: 'File_attachments_on_estate', args: { propertyNumber: 'PC101', fileNames: 'Balkon.jpg' }, reply: 'Filed:' },
			mailBrochure: { message: `Subject: ${mails[1].subject}`, tool: 'File_attachments_on_estate', args: { propertyNumber: 'PC651', fileNames: '' }, reply: 'Filed:' },
			allowed: { message: `File ${files.url(sitePlan.path, 'localhost')} on PC101`, tool: toolName(URL_TOOL), args: { propertyNumber: 'PC101', fileUrl: files.url(sitePlan.path, 'localhost') }, reply: 'Filed, the tool answered:' },
		} satisfies Record<string, Case>;
		const fake = await startFakeModel(Object.values(cases));
		model = fake;
		stops.push(() => fake.stop());

		log('Building and packing the package; installing it into two n8n user folders (SSRF protection off and on)...');
		const folder = userFolderWithPackage();
		work = folder.work;
		const ssrfHome = join(folder.work, 'ssrf');
		installPackage(ssrfHome, folder.tarball);
		if (breakWith) {
			for (const home of [folder.home, ssrfHome]) breakNode(home, breakWith);
			log(`--break ${breakWith}: ${BREAKS[breakWith].what}; the checks that depend on it should fail now.`);
		}
		// Nothing but loopback: no MCP registry refresh, no list of vetted community nodes from api.n8n.io.
		const quiet = { ...QUIET_EDITOR, N8N_DISABLED_MODULES: 'mcp-registry', N8N_VERIFIED_PACKAGES_ENABLED: 'false' };
		const plainEnv = await serverEnv(install, folder.home, quiet);
		const ssrfEnv = await serverEnv(install, ssrfHome, {
			...quiet,
			N8N_RUNNERS_BROKER_PORT: String(await freePort([Number(plainEnv.N8N_RUNNERS_BROKER_PORT)])),
			N8N_SSRF_PROTECTION_ENABLED: 'true',
			N8N_SSRF_ALLOWED_HOSTNAMES: 'localhost',
		});
		const starts = await Promise.allSettled([startN8n(install, plainEnv), startN8n(install, ssrfEnv)]);
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
		const plainSetup = await setUp(plain, { onOffice: sandbox.url, model: fake.baseUrl() }, sandbox, (ids) => [withCredentials(example, ids), urlWorkflow(ids), withCredentials(mailExample, ids)]);
		const ssrfSetup = await setUp(ssrf, { onOffice: sandbox.url.replace('127.0.0.1', 'localhost'), model: fake.baseUrl('localhost') }, sandbox, (ids) => [urlWorkflow(ids)]);
		const exampleUrl = chatUrl(plain.url, example);
		// The test's own workflow as published (its credentials aside): the chat address and the tool's $fromAI fields.
		const urlTest = urlWorkflow({ openAiApi: { id: '', name: '' }, onOfficeApi: { id: '', name: '' } });

		const converse = async (base: string, workflow: Workflow, c: Case): Promise<Conversation> => {
			const streaming = streams(workflow);
			const reply = await sendChat(chatUrl(base, workflow), c.message, { streaming, files: c.files, auth: workflow === example ? CHAT_LOGIN : undefined, timeoutMs: 60_000 });
			replies.push(reply);
			const requests = fake.requests.filter((r) => r.script === c.message);
			const tool = requests[0]?.body.tools?.find((t) => t.function?.name === c.tool);
			const content = textOf(requests[1]?.body.messages.filter((m) => m.role === 'tool').pop());
			const result = parse(content);
			const label = `"${c.message}"`;
			check(
				reply.status === 200 && !reply.problem && same(requests.map((r) => [r.answered, r.stream]), [['toolCall', streaming], ['text', streaming]]),
				`${label}: HTTP ${reply.status}; the model was asked twice, ${streaming ? 'streaming' : 'not streaming'} (${JSON.stringify(requests.map((r) => [r.answered, r.stream]))})${reply.problem ? `; ${reply.problem}` : ''}`,
			);
			check(content !== '' && reply.answer === `${c.reply} ${content}`, `${label}: the chat answer is the model's, quoting the tool result it received: ${JSON.stringify(reply.answer.slice(0, 400))}`);
			if (streaming) check(reply.types.includes('begin') && reply.types.includes('item') && reply.types[reply.types.length - 1] === 'end', `${label}: the answer came as an NDJSON stream (${reply.types.join(', ')})`);
			return { reply, requests, tool, content, result };
		};
		const onlyItem = (result: unknown) => (Array.isArray(result) && result.length === 1 ? (result[0] as Record<string, unknown>) : undefined);

		// The example's chat is public, behind its login.
		const wrong = await fetch(exampleUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'sendMessage', sessionId: 'x', chatInput: 'hello' }) });
		check(wrong.status === 401, `the example's public chat refuses a message without its login (HTTP ${wrong.status})`);

		// 1. A link, added once; and what the model is shown: the example's two tools, their descriptions, their schemas.
		const link = await converse(plain.url, example, cases.link);
		const offered = link.requests[0]?.body.tools ?? [];
		check(same(offered.map((t) => t.function.name).sort(), ['Add_link_to_estate', 'File_attachments_on_estate']), `the model is offered the example's two tools: ${JSON.stringify(offered.map((t) => t.function.name))}`);
		for (const node of example.nodes.filter((n) => n.type.endsWith('onOfficeFileUploadTool'))) checkToolSpec(offered.find((t) => t.function.name === toolName(node.name)), node.name, String(node.parameters.toolDescription), fromAiKeys(node));
		const links = () => sandbox!.files({ module: 'estate', relatedRecordId: 409 }).filter((f) => f.url !== undefined);
		const added = onlyItem(link.result);
		check(
			links().length === 1 && links()[0].url === TOUR && links()[0].art === 'Ogulo-Link' && links()[0].title === '360° tour',
			`estate 409 (PC910) holds the tour link once, as the model named it: ${JSON.stringify(links().map((f) => [f.url, f.art, f.title]))}`,
		);
		check(
			!!added && same(Object.keys(added).sort(), ['fileId', 'fileType', 'module', 'operation', 'record', 'relatedRecordId', 'title', 'url']) && added.fileId === String(links()[0]?.fileId) &&
				added.relatedRecordId === 409 && /^PC910 · .*\(409\)$/.test(String(added.record)) && added.url === TOUR,
			`the model received the link's file ID and the estate: ${link.content}`,
		);
		// OpenAI's reasoning models (the example's gpt-5-mini) take the system message as role "developer".
		const system = (c: Conversation) => textOf(c.requests[0]?.body.messages.find((m) => m.role === 'system' || m.role === 'developer'));
		check(system(link).endsWith('Files attached to this message: none'), `the system message tells the model that no files came with the message: …${JSON.stringify(system(link).slice(-60))}`);
		const again = await converse(plain.url, example, cases.linkAgain);
		const skipped = onlyItem(again.result);
		check(
			links().length === 1 && skipped?.skipped === true && skipped.fileId === String(links()[0]?.fileId) && /already has a link/.test(String(skipped.reason)),
			`the same link a second time adds nothing (On Duplicate: Skip), and the model is told why: ${again.content}`,
		);

		// 2. A chat attachment, filed on the estate the model names by ImmoNr: only the file it names.
		const before409 = sandbox.files({ module: 'estate', relatedRecordId: 409 }).length;
		const attachment = await converse(plain.url, example, cases.attachment);
		const filed = sandbox.files({ module: 'estate', relatedRecordId: 409 }).filter((f) => f.url === undefined);
		const uploaded = onlyItem(attachment.result);
		check(
			filed.length === 1 && filed[0].fileName === expose.name && filed[0].sha256 === sha(expose.bytes) && filed[0].size === expose.bytes.length && filed[0].art === 'Expose' &&
				sandbox.files({ module: 'estate', relatedRecordId: 409 }).length === before409 + 1,
			`estate 409 holds the attached exposé byte for byte, typed Expose by its name, and not the floor plan the model left out: ${JSON.stringify(filed.map((f) => [f.fileName, f.art, f.size]))}`,
		);
		check(
			!!uploaded && uploaded.fileId === String(filed[0]?.fileId) && uploaded.fileName === expose.name && uploaded.sourceNode === 'When chat message received' && /^PC910 · .*\(409\)$/.test(String(uploaded.record)),
			`the model received the file's ID, its name and the estate: ${attachment.content}`,
		);
		check(
			system(attachment).endsWith(`Files attached to this message: ${expose.name}, ${floorPlan.name}`),
			`the system message lists the attachments for the model: …${JSON.stringify(system(attachment).slice(-80))}`,
		);
		const everythingSent = JSON.stringify(fake.requests);
		check(
			![expose, floorPlan].some((f) => everythingSent.includes(f.bytes.toString('base64').slice(0, 64))),
			'the attachments themselves were not sent to the model (Automatically Passthrough Binary Images off; a tool gets no binary)',
		);

		// 3. A file at a URL, filed byte for byte; the tool description n8n builds by itself (Set Automatically).
		const url = await converse(plain.url, urlTest, cases.url);
		const urlNode = urlTest.nodes.find((n) => n.name === URL_TOOL)!;
		checkToolSpec(url.tool, URL_TOOL, new OnOfficeFileUpload().description.description, fromAiKeys(urlNode));
		const onPC651 = sandbox.files({ module: 'estate', relatedRecordId: 2651 });
		const fromUrl = onPC651[0];
		check(
			onPC651.length === 1 && fromUrl.fileName === 'Energieausweis PC651.pdf' && fromUrl.sha256 === sha(certificate.bytes) && fromUrl.size === certificate.bytes.length && fromUrl.art === 'Energieausweis',
			`estate 2651 (PC651) holds the file from ${files.url(certificate.path)} byte for byte, named after the URL, typed Energieausweis: ${JSON.stringify(onPC651.map((f) => [f.fileName, f.art, f.size]))}`,
		);
		const fromUrlResult = onlyItem(url.result);
		check(
			!!fromUrlResult && fromUrlResult.fileId === String(fromUrl?.fileId) && fromUrlResult.url === files.url(certificate.path) && /^PC651 · .*\(2651\)$/.test(String(fromUrlResult.record)),
			`the model received the file's ID, the URL and the estate: ${url.content}`,
		);

		// 4. An unknown ImmoNr: the model gets the node's error as the tool result, answers with it, and the run succeeds.
		const filesBefore = sandbox.files().length;
		const unknown = await converse(plain.url, urlTest, cases.unknown);
		const error = onlyItem(unknown.result);
		check(
			!!error && same(Object.keys(error), ['error']) && String(error.error).startsWith('no estate has the property number (ImmoNr) "PC999"') && unknown.reply.answer.includes('PC999'),
			`the model received the error as the tool result and answered with it: ${unknown.content}`,
		);
		const downloads = files.requests.filter((r) => r.path === sitePlan.path).length;
		check(sandbox.files().length === filesBefore && downloads === 0, `nothing was uploaded for the unknown ImmoNr, and the file was not even downloaded (${downloads} requests): the estate is looked up first`);

		// The e-mail example: two mails of one fetch, each naming its estate in its text; each tool call files its own
		// mail's attachments, read from the trigger's items (the model passes no files): the photo by name, leaving out
		// the logo, and for the other mail every attachment (File Names empty).
		const answer = await fetch(`${plain.url}/webhook/${MAIL_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ mails: mails.map((m) => ({ ...m, attachments: m.attachments.map((a) => ({ fileName: a.fileName, mimeType: a.mimeType, data: a.bytes.toString('base64') })) })) }),
			signal: AbortSignal.timeout(60_000),
		});
		const answerText = await answer.text();
		replies.push({ status: answer.status, body: answerText, answer: '', types: [] });
		let outputs: unknown;
		try {
			outputs = JSON.parse(answerText);
		} catch {
			outputs = undefined;
		}
		const mailTool = mailExample.nodes.find((n) => n.name === 'File attachments on estate')!;
		for (const [i, c] of [cases.mailBalcony, cases.mailBrochure].entries()) {
			const requests = fake.requests.filter((r) => r.script === c.message);
			const prompt = textOf(requests[0]?.body.messages.find((m) => m.role === 'user'));
			const content = textOf(requests[1]?.body.messages.filter((m) => m.role === 'tool').pop());
			const item = onlyItem(parse(content));
			const mail = mails[i];
			const [estate, file] = i === 0 ? [30, mail.attachments[0]] : [2651, mail.attachments[0]];
			const stored = sandbox.files({ module: 'estate', relatedRecordId: estate }).filter((f) => f.fileName === file.fileName);
			check(
				answer.status === 200 && same(requests.map((r) => r.answered), ['toolCall', 'text']) && Array.isArray(outputs) && (outputs[i] as { output?: string })?.output === `${c.reply} ${content}`,
				`mail "${mail.subject}": HTTP ${answer.status}; the model was asked twice and the agent's answer quotes the tool result: ${JSON.stringify((outputs as Array<{ output?: string }> | undefined)?.[i]?.output ?? answerText.slice(0, 300))}`,
			);
			check(
				prompt.includes(`From: ${mail.from}`) && prompt.includes(`Attachments: ${mail.attachments.map((a) => a.fileName).join(', ')}`) && prompt.includes(mail.textPlain),
				`mail "${mail.subject}": the model read the sender, the subject, the names of the attachments and the text: ${JSON.stringify(prompt.slice(0, 160))}…`,
			);
			check(
				stored.length === 1 && stored[0].sha256 === sha(file.bytes) && !!item && item.fileId === String(stored[0].fileId) && item.sourceNode === 'Email Trigger (IMAP)',
				`mail "${mail.subject}": ${file.fileName} is on estate ${estate} byte for byte, read from this mail's own item, and the model got its file ID: ${content}`,
			);
		}
		check(sandbox.files().every((f) => f.fileName !== 'image001.png'), 'the signature logo the model left out was not uploaded');
		checkToolSpec(fake.requests.find((r) => r.script === cases.mailBalcony.message)?.body.tools?.find((t) => t.function.name === 'File_attachments_on_estate'), mailTool.name, String(mailTool.parameters.toolDescription), fromAiKeys(mailTool));

		const plainRuns = await executions(plainSetup.rest, install);
		executionTexts.push(...plainRuns.map((r) => r.text));
		check(
			plainRuns.length === 6 && plainRuns.every((r) => r.status === 'success'),
			`n8n recorded the 5 chats and the mail run as successful executions, the unknown ImmoNr's too: ${JSON.stringify(plainRuns.map((r) => [r.chatInput.slice(0, 30), r.status]))}`,
		);

		// 6. SSRF protection on, only localhost allowed: the File URL on 127.0.0.1 is refused and the model is told.
		const requestsBefore = files.requests.length;
		const refused = await converse(ssrf.url, urlTest, cases.refused);
		const refusal = onlyItem(refused.result);
		check(
			!!refusal && same(Object.keys(refusal), ['error']) && String(refusal.error).startsWith(`the file at ${files.url(sitePlan.path)} could not be downloaded: The request was blocked because it resolves to a restricted IP address`),
			`with SSRF protection on, the File URL on 127.0.0.1 was refused and the model received why: ${refused.content}`,
		);
		const reached = files.requests.slice(requestsBefore).filter((r) => r.host.startsWith('127.0.0.1'));
		const sitePlans = () => sandbox!.files({ module: 'estate', relatedRecordId: 30 }).filter((f) => f.fileName === 'Lageplan PC101.pdf');
		check(reached.length === 0 && sitePlans().length === 0, `the refused download never reached the file server (${reached.length} requests), and nothing was uploaded`);
		const allowed = await converse(ssrf.url, urlTest, cases.allowed);
		const onPC101 = sitePlans();
		check(
			onPC101.length === 1 && onPC101[0].sha256 === sha(sitePlan.bytes) && onlyItem(allowed.result)?.fileId === String(onPC101[0].fileId),
			`the same file through localhost (allowed) is filed on estate 30 (PC101) byte for byte, with the model, the sandbox and the file server all reached as localhost under SSRF protection: ${allowed.content}`,
		);
		const ssrfRuns = await executions(ssrfSetup.rest, install);
		executionTexts.push(...ssrfRuns.map((r) => r.text));
		check(ssrfRuns.length === 2 && ssrfRuns.every((r) => r.status === 'success'), `the SSRF instance recorded both chats as successful executions: ${JSON.stringify(ssrfRuns.map((r) => r.status))}`);

		// 7. Nothing secret anywhere: n8n's output, what the model was shown, the chat answers, the executions.
		const secrets = [sandbox.token, sandbox.secret];
		const places: Array<[string, string]> = [
			["n8n's output", servers.map((s) => s.output()).join('\n')],
			['what the model was shown', JSON.stringify(fake.requests)],
			['the chat answers', replies.map((r) => r.body).join('\n')],
			["n8n's execution data", executionTexts.join('\n')],
		];
		for (const [where, text] of places) check(!secrets.some((s) => text.includes(s)), `${where} holds neither the onOffice token nor the secret (${text.length} characters)`);
		check(!servers.some((s) => s.output().includes(CHAT_LOGIN.password)), "n8n's output does not hold the chat login's password");
		check(fake.problems.length === 0, `the fake model had nothing to complain about${fake.problems.length ? `: ${fake.problems.join('; ')}` : ''}`);

		log('What the model was shown (the first request of each tool):');
		const shown = new Map<string, ToolSpec>();
		for (const r of fake.requests) for (const t of r.body.tools ?? []) if (!shown.has(t.function.name)) shown.set(t.function.name, t);
		for (const t of shown.values()) log(`    ${JSON.stringify(t.function)}`);
		log(`agent: ${passed} passed, ${failed.length} failed (n8n ${install.line.n8n}, ${((Date.now() - started) / 1000).toFixed(0)} s, of which ${((Date.now() - ready) / 1000).toFixed(0)} s with both n8n running)`);
		if (failed.length) throw new Error(`agent failed:\n${failed.map((f) => `  ${f}`).join('\n')}`);
	} catch (error) {
		const redact = (t: string) => (sandbox ? t.split(sandbox.token).join('<token>').split(sandbox.secret).join('<secret>') : t);
		for (const [i, server] of servers.entries()) process.stderr.write(`n8n ${i === 0 ? '' : 'with SSRF protection '}output (last lines):\n${redact(server.output().slice(-3000))}\n`);
		throw error;
	} finally {
		// For a look at what the model was shown: ONOFFICE_AGENT_REQUESTS=<file> keeps its requests.
		if (process.env.ONOFFICE_AGENT_REQUESTS && model) writeFileSync(process.env.ONOFFICE_AGENT_REQUESTS, JSON.stringify(model.requests, null, 2));
		for (const server of servers) await server.stop();
		for (const stop of stops.reverse()) await stop();
		if (work) rmSync(work, { recursive: true, force: true });
	}
}

/** The tool as the model was shown it: its name, description, and one string property per $fromAI key, all required. */
function checkToolSpec(tool: ToolSpec | undefined, nodeName: string, description: string, keys: Record<string, { description: string; type: string }>): void {
	const parameters = tool?.function.parameters;
	const properties = parameters?.properties ?? {};
	const expected = Object.fromEntries(Object.entries(keys).map(([key, k]) => [key, { type: k.type, description: k.description }]));
	const got = Object.fromEntries(Object.entries(properties).map(([key, p]) => [key, { type: p.type, description: p.description }]));
	check(
		!!tool && tool.function.description === description && same(Object.keys(got).sort(), Object.keys(expected).sort()) && Object.keys(expected).every((k) => same(got[k], expected[k])) &&
			same([...(parameters?.required ?? [])].sort(), Object.keys(expected).sort()),
		`tool "${toolName(nodeName)}": the model is shown ${description.length > 60 ? 'the description' : JSON.stringify(description)} and a schema of the $fromAI fields ${JSON.stringify(Object.keys(expected))}, each with its description, all required${tool ? '' : ' (the tool was not offered)'}`,
	);
}

function parse(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

type Credentials = Record<string, { id: string; name: string }>;

interface Setup {
	rest: N8nRest;
}

/** Signs in, creates the test's credentials for what the workflows name, imports the workflows and publishes them. */
async function setUp(server: N8nServer, urls: { onOffice: string; model: string }, sandbox: OnOfficeSandbox, workflows: (ids: Credentials) => Workflow[]): Promise<Setup> {
	const rest = new N8nRest(server.url, 'agent-test');
	await rest.signIn();
	const data: Record<string, { name: string; data: Record<string, unknown> }> = {
		onOfficeApi: { name: 'onOffice sandbox', data: { ...sandbox.credentials, customUrl: urls.onOffice } },
		openAiApi: { name: 'Fake model', data: { apiKey: 'sk-fake-model-key', url: urls.model } },
		httpBasicAuth: { name: 'Chat login', data: { ...CHAT_LOGIN } },
	};
	const ids: Credentials = {};
	for (const [type, credential] of Object.entries(data)) {
		const created = await rest.json<{ id: string; name: string }>('POST', '/rest/credentials', { name: credential.name, type, data: credential.data });
		ids[type] = { id: created.id, name: created.name };
	}
	for (const workflow of workflows(ids)) {
		const created = await rest.json<{ id: string; versionId: string }>('POST', '/rest/workflows', { ...workflow, id: undefined, active: false });
		await rest.publish(created);
	}
	return { rest };
}

interface Execution {
	status: string;
	chatInput: string;
	/** The execution as n8n stores it, for the secrets check. */
	text: string;
}

/** The executions n8n recorded, oldest first, with the chat message each started from. */
async function executions(rest: N8nRest, install: { bin: string }): Promise<Execution[]> {
	// n8n stores run data in the `flatted` format; its own copy reads it.
	const flatted = (await import(join(install.bin, '..', '..', '..', 'flatted', 'cjs', 'index.js'))) as { parse(text: string): any };
	const list = await rest.json<{ results: Array<{ id: string }> }>('GET', '/rest/executions?limit=50');
	const results: Execution[] = [];
	for (const summary of [...list.results].reverse()) {
		const full = await rest.json<{ status: string; data: string }>('GET', `/rest/executions/${summary.id}`);
		const data = typeof full.data === 'string' ? flatted.parse(full.data) : full.data;
		const trigger = data?.resultData?.runData?.['When chat message received']?.[0]?.data?.main?.[0]?.[0]?.json;
		results.push({ status: full.status, chatInput: String(trigger?.chatInput ?? ''), text: JSON.stringify(full) });
	}
	return results;
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
