// What npm run test:agent (scripts/agent/run.ts) checks, conversation by conversation, in the n8n instances it
// started: what onOffice stored, what the model was shown and received, the chat answers, the executions n8n
// recorded, and that the token and secret appear nowhere. A failed check is reported and counted, and the test goes on.

// With its extension: beside it lies OnOfficeFileUpload.node.json, the codex, which tsx would load instead.
import { OnOfficeFileUpload } from '../../nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.ts';
import type { OnOfficeSandbox } from '../../test/sandbox/server';
import type { N8nInstall } from '../services/n8n';
import type { N8nServer } from '../services/n8nServer';
import {
	CHAT_LOGIN,
	certificate,
	EVIL_LINK,
	expose,
	floorPlan,
	mails,
	sitePlan,
	TOUR,
	type Case,
	type Cases,
} from './cases';
import { sendChat, type ChatReply } from './chat';
import { textOf, type FakeModel, type ModelRequest, type ToolSpec } from '../services/fakeModel';
import type { FileServer } from '../services/fileServer';
import { runsFromRest } from '../services/executions';
import { chatInputOf, type Setup } from './n8nSetup';
import {
	chatUrl,
	fromAiKeys,
	MAIL_PATH,
	streams,
	toolName,
	URL_TOOL,
	urlWorkflow,
} from './workflows';
import { sha } from '../lib/bytes';
import type { Workflow } from '../services/workflows';

const log = (line: string) => console.log(line);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The checks passed and failed so far, for the run's last line. */
export const tally = { passed: 0, failed: [] as string[] };

/** A failed check is reported and the test goes on, so that one failure does not hide the others; it fails at the end. */
function check(condition: boolean, message: string): void {
	if (!condition) {
		log(`FAIL ${message}`);
		tally.failed.push(message.slice(0, 400));
		return;
	}
	log(`ok  ${message}`);
	tally.passed += 1;
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

/** What the conversations run against: the services and the two n8n (SSRF protection off and on), set up. */
export interface Rig {
	install: N8nInstall;
	sandbox: OnOfficeSandbox;
	fake: FakeModel;
	files: FileServer;
	cases: Cases;
	example: Workflow;
	mailExample: Workflow;
	plain: N8nServer;
	ssrf: N8nServer;
	plainSetup: Setup;
	ssrfSetup: Setup;
	servers: N8nServer[];
}

/** Every conversation in turn, each checked as it ends; then the executions and the secrets. */
export async function checkConversations({
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
}: Rig): Promise<void> {
	const replies: ChatReply[] = [];
	const executionTexts: string[] = [];
	const exampleUrl = chatUrl(plain.url, example);
	// The test's own workflow as published (its credentials aside): the chat address and the tool's $fromAI fields.
	const urlTest = urlWorkflow({
		openAiApi: { id: '', name: '' },
		onOfficeApi: { id: '', name: '' },
	});

	const converse = async (base: string, workflow: Workflow, c: Case): Promise<Conversation> => {
		const streaming = streams(workflow);
		const reply = await sendChat(chatUrl(base, workflow), c.message, {
			streaming,
			files: c.files,
			auth: workflow === example ? CHAT_LOGIN : undefined,
			timeoutMs: 60_000,
		});
		replies.push(reply);
		const requests = fake.requests.filter((r) => r.script === c.message);
		const tool = requests[0]?.body.tools?.find((t) => t.function?.name === c.tool);
		const content = textOf(requests[1]?.body.messages.filter((m) => m.role === 'tool').pop());
		const result = parse(content);
		const label = `"${c.message}"`;
		check(
			reply.status === 200 &&
				!reply.problem &&
				same(
					requests.map((r) => [r.answered, r.stream]),
					[
						['toolCall', streaming],
						['text', streaming],
					],
				),
			`${label}: HTTP ${reply.status}; the model was asked twice, ${streaming ? 'streaming' : 'not streaming'} (${JSON.stringify(requests.map((r) => [r.answered, r.stream]))})${reply.problem ? `; ${reply.problem}` : ''}`,
		);
		check(
			content !== '' && reply.answer === `${c.reply} ${content}`,
			`${label}: the chat answer is the model's, quoting the tool result it received: ${JSON.stringify(reply.answer.slice(0, 400))}`,
		);
		if (streaming)
			check(
				reply.types.includes('begin') &&
					reply.types.includes('item') &&
					reply.types[reply.types.length - 1] === 'end',
				`${label}: the answer came as an NDJSON stream (${reply.types.join(', ')})`,
			);
		return { reply, requests, tool, content, result };
	};
	const onlyItem = (result: unknown) =>
		Array.isArray(result) && result.length === 1
			? (result[0] as Record<string, unknown>)
			: undefined;

	// The example's chat is public, behind its login.
	const wrong = await fetch(exampleUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ action: 'sendMessage', sessionId: 'x', chatInput: 'hello' }),
	});
	check(
		wrong.status === 401,
		`the example's public chat refuses a message without its login (HTTP ${wrong.status})`,
	);

	// 1. A link, added once; and what the model is shown: the example's two tools, their descriptions, their schemas.
	const link = await converse(plain.url, example, cases.link);
	const offered = link.requests[0]?.body.tools ?? [];
	check(
		same(offered.map((t) => t.function.name).sort(), [
			'Add_link_to_estate',
			'File_attachments_on_estate',
		]),
		`the model is offered the example's two tools: ${JSON.stringify(offered.map((t) => t.function.name))}`,
	);
	for (const node of example.nodes.filter((n) => n.type.endsWith('onOfficeFileUploadTool')))
		checkToolSpec(
			offered.find((t) => t.function.name === toolName(node.name)),
			node.name,
			String(node.parameters.toolDescription),
			fromAiKeys(node),
		);
	const links = () =>
		sandbox.files({ module: 'estate', relatedRecordId: 409 }).filter((f) => f.url !== undefined);
	const added = onlyItem(link.result);
	check(
		links().length === 1 &&
			links()[0].url === TOUR &&
			links()[0].art === 'Ogulo-Link' &&
			links()[0].title === '360° tour',
		`estate 409 (PC910) holds the tour link once, as the model named it: ${JSON.stringify(links().map((f) => [f.url, f.art, f.title]))}`,
	);
	check(
		!!added &&
			same(Object.keys(added).sort(), [
				'fileId',
				'fileType',
				'module',
				'operation',
				'record',
				'relatedRecordId',
				'title',
				'url',
			]) &&
			added.fileId === String(links()[0]?.fileId) &&
			added.relatedRecordId === 409 &&
			/^PC910 · .*\(409\)$/.test(String(added.record)) &&
			added.url === TOUR,
		`the model received the link's file ID and the estate: ${link.content}`,
	);
	// OpenAI's reasoning models (the example's gpt-5-mini) take the system message as role "developer".
	const system = (c: Conversation) =>
		textOf(c.requests[0]?.body.messages.find((m) => m.role === 'system' || m.role === 'developer'));
	check(
		system(link).endsWith('Files attached to this message: none'),
		`the system message tells the model that no files came with the message: …${JSON.stringify(system(link).slice(-60))}`,
	);
	const again = await converse(plain.url, example, cases.linkAgain);
	const skipped = onlyItem(again.result);
	check(
		links().length === 1 &&
			skipped?.skipped === true &&
			skipped.fileId === String(links()[0]?.fileId) &&
			/already has a link/.test(String(skipped.reason)),
		`the same link a second time adds nothing (On Duplicate: Skip), and the model is told why: ${again.content}`,
	);

	// 2. A chat attachment, filed on the estate the model names by ImmoNr: only the file it names.
	const before409 = sandbox.files({ module: 'estate', relatedRecordId: 409 }).length;
	const attachment = await converse(plain.url, example, cases.attachment);
	const filed = sandbox
		.files({ module: 'estate', relatedRecordId: 409 })
		.filter((f) => f.url === undefined);
	const uploaded = onlyItem(attachment.result);
	check(
		filed.length === 1 &&
			filed[0].fileName === expose.name &&
			filed[0].sha256 === sha(expose.bytes) &&
			filed[0].size === expose.bytes.length &&
			filed[0].art === 'Expose' &&
			sandbox.files({ module: 'estate', relatedRecordId: 409 }).length === before409 + 1,
		`estate 409 holds the attached exposé byte for byte, typed Expose by its name, and not the floor plan the model left out: ${JSON.stringify(filed.map((f) => [f.fileName, f.art, f.size]))}`,
	);
	check(
		!!uploaded &&
			uploaded.fileId === String(filed[0]?.fileId) &&
			uploaded.fileName === expose.name &&
			uploaded.sourceNode === 'When chat message received' &&
			/^PC910 · .*\(409\)$/.test(String(uploaded.record)),
		`the model received the file's ID, its name and the estate: ${attachment.content}`,
	);
	check(
		system(attachment).endsWith(
			`Files attached to this message: ${expose.name}, ${floorPlan.name}`,
		),
		`the system message lists the attachments for the model: …${JSON.stringify(system(attachment).slice(-80))}`,
	);
	const everythingSent = JSON.stringify(fake.requests);
	check(
		![expose, floorPlan].some((f) =>
			everythingSent.includes(f.bytes.toString('base64').slice(0, 64)),
		),
		'the attachments themselves were not sent to the model (Automatically Passthrough Binary Images off; a tool gets no binary)',
	);

	// 3. A file at a URL, filed byte for byte; the tool description n8n builds by itself (Set Automatically).
	const url = await converse(plain.url, urlTest, cases.url);
	const urlNode = urlTest.nodes.find((n) => n.name === URL_TOOL)!;
	checkToolSpec(
		url.tool,
		URL_TOOL,
		new OnOfficeFileUpload().description.description,
		fromAiKeys(urlNode),
	);
	const onPC651 = sandbox.files({ module: 'estate', relatedRecordId: 2651 });
	const fromUrl = onPC651[0];
	check(
		onPC651.length === 1 &&
			fromUrl.fileName === 'Energieausweis PC651.pdf' &&
			fromUrl.sha256 === sha(certificate.bytes) &&
			fromUrl.size === certificate.bytes.length &&
			fromUrl.art === 'Energieausweis',
		`estate 2651 (PC651) holds the file from ${files.url(certificate.path)} byte for byte, named after the URL, typed Energieausweis: ${JSON.stringify(onPC651.map((f) => [f.fileName, f.art, f.size]))}`,
	);
	const fromUrlResult = onlyItem(url.result);
	check(
		!!fromUrlResult &&
			fromUrlResult.fileId === String(fromUrl?.fileId) &&
			fromUrlResult.url === files.url(certificate.path) &&
			/^PC651 · .*\(2651\)$/.test(String(fromUrlResult.record)),
		`the model received the file's ID, the URL and the estate: ${url.content}`,
	);

	// 4. An unknown ImmoNr: the model gets the node's error as the tool result, answers with it, and the run succeeds.
	const filesBefore = sandbox.files().length;
	const unknown = await converse(plain.url, urlTest, cases.unknown);
	const error = onlyItem(unknown.result);
	check(
		!!error &&
			same(Object.keys(error), ['error']) &&
			String(error.error).startsWith('no estate has the property number (ImmoNr) "PC999"') &&
			unknown.reply.answer.includes('PC999'),
		`the model received the error as the tool result and answered with it: ${unknown.content}`,
	);
	const downloads = files.requests.filter((r) => r.path === sitePlan.path).length;
	check(
		sandbox.files().length === filesBefore && downloads === 0,
		`nothing was uploaded for the unknown ImmoNr, and the file was not even downloaded (${downloads} requests): the estate is looked up first`,
	);

	// The e-mail example: three mails of one fetch (the third one below), two naming their estate in their text; each tool call files its own
	// mail's attachments, read from the trigger's items (the model passes no files): the photo by name, leaving out
	// the logo, and for the other mail every attachment (File Names empty).
	const answer = await fetch(`${plain.url}/webhook/${MAIL_PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			mails: mails.map((m) => ({
				...m,
				attachments: m.attachments.map((a) => ({
					fileName: a.fileName,
					mimeType: a.mimeType,
					data: a.bytes.toString('base64'),
				})),
			})),
		}),
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
		const stored = sandbox
			.files({ module: 'estate', relatedRecordId: estate })
			.filter((f) => f.fileName === file.fileName);
		check(
			answer.status === 200 &&
				same(
					requests.map((r) => r.answered),
					['toolCall', 'text'],
				) &&
				Array.isArray(outputs) &&
				(outputs[i] as { output?: string })?.output === `${c.reply} ${content}`,
			`mail "${mail.subject}": HTTP ${answer.status}; the model was asked twice and the agent's answer quotes the tool result: ${JSON.stringify((outputs as Array<{ output?: string }> | undefined)?.[i]?.output ?? answerText.slice(0, 300))}`,
		);
		check(
			prompt.includes(`From: ${mail.from}`) &&
				prompt.includes(`Attachments: ${mail.attachments.map((a) => a.fileName).join(', ')}`) &&
				prompt.includes(mail.textPlain),
			`mail "${mail.subject}": the model read the sender, the subject, the names of the attachments and the text: ${JSON.stringify(prompt.slice(0, 160))}…`,
		);
		check(
			stored.length === 1 &&
				stored[0].sha256 === sha(file.bytes) &&
				!!item &&
				item.fileId === String(stored[0].fileId) &&
				item.sourceNode === 'Email Trigger (IMAP)',
			`mail "${mail.subject}": ${file.fileName} is on estate ${estate} byte for byte, read from this mail's own item, and the model got its file ID: ${content}`,
		);
	}
	check(
		sandbox.files().every((f) => f.fileName !== 'image001.png'),
		'the signature logo the model left out was not uploaded',
	);
	// The mail from outside whose text steers the model: the scripted model does what it says, the node's Limits
	// refuse both calls before anything is sent, the run succeeds, and the model is told why.
	const injected = mails[2];
	const steered = fake.requests.filter((r) => r.script === cases.mailInjected.message);
	const toolAnswers = (steered.at(-1)?.body.messages ?? [])
		.filter((m) => m.role === 'tool')
		.map(textOf);
	const [linkRefusal, filesRefusal] = toolAnswers.map((t) =>
		String(onlyItem(parse(t))?.error ?? ''),
	);
	check(
		same(
			steered.map((r) => r.answered),
			['toolCall', 'toolCall', 'text'],
		) &&
			linkRefusal.startsWith(
				`the link ${EVIL_LINK} is on login-example.evil, which is not one of the Allowed Hosts`,
			) &&
			filesRefusal.startsWith('this call asks for 25 files, and one call may file at most 20'),
		`mail "${injected.subject}" tells the model to put ${EVIL_LINK} on every estate as Objekt-Link and to file all 25 scans; the scripted model does both, and the node refuses both: ${JSON.stringify(toolAnswers.map((t) => t.slice(0, 140)))}`,
	);
	check(
		!sandbox
			.files()
			.some(
				(f) =>
					(f.url ?? '').includes('login-example.evil') ||
					injected.attachments.some((a) => a.fileName === f.fileName),
			) &&
			!sandbox.requests.some((r) =>
				r.actions.some(
					(a) =>
						String(a.parameters.url ?? '').includes('login-example.evil') ||
						String(a.parameters.file ?? '').startsWith('Scan '),
				),
			),
		'nothing of it was sent to onOffice: no link to login-example.evil, none of the 25 scans',
	);
	check(
		Array.isArray(outputs) &&
			(outputs[2] as { output?: string })?.output ===
				`${cases.mailInjected.reply} ${toolAnswers.join(' ')}`,
		`the agent's answer for that mail quotes both refusals, so whoever reads it learns why: ${JSON.stringify((outputs as Array<{ output?: string }> | undefined)?.[2]?.output ?? '').slice(0, 300)}`,
	);
	checkToolSpec(
		fake.requests
			.find((r) => r.script === cases.mailBalcony.message)
			?.body.tools?.find((t) => t.function.name === 'File_attachments_on_estate'),
		mailTool.name,
		String(mailTool.parameters.toolDescription),
		fromAiKeys(mailTool),
	);

	const plainRuns = await runsFromRest(plainSetup.rest, install, 50);
	executionTexts.push(...plainRuns.map((r) => r.stored));
	check(
		plainRuns.length === 6 && plainRuns.every((r) => r.status === 'success'),
		`n8n recorded the 5 chats and the mail run as successful executions, the unknown ImmoNr's too: ${JSON.stringify(plainRuns.map((r) => [chatInputOf(r).slice(0, 30), r.status]))}`,
	);

	// 6. SSRF protection on, only localhost allowed: the File URL on 127.0.0.1 is refused and the model is told.
	const requestsBefore = files.requests.length;
	const refused = await converse(ssrf.url, urlTest, cases.refused);
	const refusal = onlyItem(refused.result);
	check(
		!!refusal &&
			same(Object.keys(refusal), ['error']) &&
			String(refusal.error).startsWith(
				`the file at ${files.url(sitePlan.path)} could not be downloaded: The request was blocked because it resolves to a restricted IP address`,
			),
		`with SSRF protection on, the File URL on 127.0.0.1 was refused and the model received why: ${refused.content}`,
	);
	const reached = files.requests
		.slice(requestsBefore)
		.filter((r) => r.host.startsWith('127.0.0.1'));
	const sitePlans = () =>
		sandbox
			.files({ module: 'estate', relatedRecordId: 30 })
			.filter((f) => f.fileName === 'Lageplan PC101.pdf');
	check(
		reached.length === 0 && sitePlans().length === 0,
		`the refused download never reached the file server (${reached.length} requests), and nothing was uploaded`,
	);
	const allowed = await converse(ssrf.url, urlTest, cases.allowed);
	const onPC101 = sitePlans();
	check(
		onPC101.length === 1 &&
			onPC101[0].sha256 === sha(sitePlan.bytes) &&
			onlyItem(allowed.result)?.fileId === String(onPC101[0].fileId),
		`the same file through localhost (allowed) is filed on estate 30 (PC101) byte for byte, with the model, the sandbox and the file server all reached as localhost under SSRF protection: ${allowed.content}`,
	);
	const ssrfRuns = await runsFromRest(ssrfSetup.rest, install, 50);
	executionTexts.push(...ssrfRuns.map((r) => r.stored));
	check(
		ssrfRuns.length === 2 && ssrfRuns.every((r) => r.status === 'success'),
		`the SSRF instance recorded both chats as successful executions: ${JSON.stringify(ssrfRuns.map((r) => r.status))}`,
	);

	// 7. Nothing secret anywhere: n8n's output, what the model was shown, the chat answers, the executions.
	const secrets = [sandbox.token, sandbox.secret];
	const places: Array<[string, string]> = [
		["n8n's output", servers.map((s) => s.output()).join('\n')],
		['what the model was shown', JSON.stringify(fake.requests)],
		['the chat answers', replies.map((r) => r.body).join('\n')],
		["n8n's execution data", executionTexts.join('\n')],
	];
	for (const [where, text] of places)
		check(
			!secrets.some((s) => text.includes(s)),
			`${where} holds neither the onOffice token nor the secret (${text.length} characters)`,
		);
	check(
		!servers.some((s) => s.output().includes(CHAT_LOGIN.password)),
		"n8n's output does not hold the chat login's password",
	);
	check(
		fake.problems.length === 0,
		`the fake model had nothing to complain about${fake.problems.length ? `: ${fake.problems.join('; ')}` : ''}`,
	);
}

/** The tool as the model was shown it: its name, description, and one string property per $fromAI key, all required. */
function checkToolSpec(
	tool: ToolSpec | undefined,
	nodeName: string,
	description: string,
	keys: Record<string, { description: string; type: string }>,
): void {
	const parameters = tool?.function.parameters;
	const properties = parameters?.properties ?? {};
	const expected = Object.fromEntries(
		Object.entries(keys).map(([key, k]) => [key, { type: k.type, description: k.description }]),
	);
	const got = Object.fromEntries(
		Object.entries(properties).map(([key, p]) => [
			key,
			{ type: p.type, description: p.description },
		]),
	);
	check(
		!!tool &&
			tool.function.description === description &&
			same(Object.keys(got).sort(), Object.keys(expected).sort()) &&
			Object.keys(expected).every((k) => same(got[k], expected[k])) &&
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
