// npm run test:mail: the e-mail job as users build it, end to end. A real IMAP server (Dovecot on loopback), the
// onOffice sandbox, and real n8n 2.41.1 running examples/email-attachments-to-estate.json as shipped, active, with
// n8n's own Email Trigger (IMAP). Real MIME messages are delivered once the trigger idles; the sandbox is checked
// byte for byte, and n8n's own execution data for the mail without an estate number.
import { createHash } from 'crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import { startSandbox } from '../../test/sandbox/server';
import { importIntoN8n, installN8n, root, run, userFolderWithPackage } from '../e2e/n8n';
import { startDovecot } from '../services/dovecot';
import { N8nRest } from '../services/n8nRest';
import { serverEnv, startN8n, type N8nServer } from '../services/n8nServer';
import { mime, sample, type Mail } from './messages';

const log = (line: string) => console.log(line);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let passed = 0;
function check(condition: boolean, message: string): void {
	if (!condition) throw new Error(`mail check failed: ${message}`);
	log(`ok  ${message}`);
	passed += 1;
}

const photo = sample(180_000, 'wohnzimmer');
const expose = sample(300_000, 'expose');
const plan = sample(420_000, 'grundriss');
const large = sample(9 * MiB + 12345, 'baubeschreibung');
const balcony = sample(64_000, 'balkon');

const mails: Record<string, Mail> = {
	documents: {
		subject: 'Objekt 409: Unterlagen Müller',
		attachments: [
			{ fileName: 'Wohnzimmer.jpg', mimeType: 'image/jpeg', bytes: photo, nameEncoding: 'plain' },
			{ fileName: 'Exposé Müller.pdf', mimeType: 'application/pdf', bytes: expose, nameEncoding: 'rfc2231' },
			{ fileName: 'Grundriss Erdgeschoß.pdf', mimeType: 'application/pdf', bytes: plan, nameEncoding: 'rfc2047' },
			{ fileName: 'winmail.dat', mimeType: 'application/ms-tnef', bytes: sample(6_000, 'tnef'), nameEncoding: 'plain' },
			{ fileName: 'Besichtigung.ics', mimeType: 'text/calendar', bytes: sample(3_000, 'ics'), nameEncoding: 'plain' },
			// Outlook attaches signature logos as image001.png.
			{ fileName: 'image001.png', mimeType: 'image/png', bytes: sample(4_000, 'logo'), nameEncoding: 'plain' },
		],
	},
	large: { subject: '#2651 Baubeschreibung', attachments: [{ fileName: 'Baubeschreibung.pdf', mimeType: 'application/pdf', bytes: large, nameEncoding: 'plain' }] },
	byId: { subject: 'ID 30 Balkon', attachments: [{ fileName: 'Balkon.jpg', mimeType: 'image/jpeg', bytes: balcony, nameEncoding: 'rfc2231' }] },
	noNumber: { subject: 'Fotos vom Termin', attachments: [{ fileName: 'Termin.jpg', mimeType: 'image/jpeg', bytes: sample(50_000, 'termin'), nameEncoding: 'plain' }] },
};
// The same documents again, forwarded with another subject form.
const forwarded: Mail = { ...mails.documents, subject: 'WG: Immobilie 409: Unterlagen Müller' };

async function main(): Promise<void> {
	const started = Date.now();
	const install = await installN8n();
	const dovecot = await startDovecot();
	const sandbox = await startSandbox();
	let work: string | undefined;
	let server: N8nServer | undefined;
	try {
		const folder = userFolderWithPackage();
		work = folder.work;
		const env = await serverEnv(install, folder.home);
		const workflowsDir = join(work, 'workflows');
		mkdirSync(workflowsDir);
		const example = JSON.parse(readFileSync(join(root, 'examples', 'email-attachments-to-estate.json'), 'utf8'));
		writeFileSync(join(workflowsDir, 'mail.json'), JSON.stringify(example));
		writeFileSync(
			join(work, 'credentials.json'),
			JSON.stringify([
				{ id: 'onofficeSandbox', name: 'onOffice sandbox', type: 'onOfficeApi', data: sandbox.credentials },
				{ id: 'imapMailbox', name: 'IMAP mailbox', type: 'imap', data: { user: dovecot.user, password: dovecot.password, host: dovecot.host, port: dovecot.port, secure: false, allowUnauthorizedCerts: false } },
			]),
		);
		await importIntoN8n(install, env, join(work, 'credentials.json'), workflowsDir);
		const publish = await run(install.bin, ['publish:workflow', `--id=${example.id}`], env);
		if (publish.code !== 0) throw new Error(`n8n publish:workflow failed:\n${publish.stdout}\n${publish.stderr}`);

		server = await startN8n(install, { ...env, N8N_SECURE_COOKIE: 'false' });
		const n8nOutput = server.output;
		const base = server.url;
		log(`Ports (127.0.0.1, chosen free): IMAP ${dovecot.port}, onOffice sandbox ${new URL(sandbox.url).port}, n8n ${server.port}, n8n task broker ${env.N8N_RUNNERS_BROKER_PORT}.`);
		// A freshly started trigger fetches only mail that arrives after it connected: deliver once it idles.
		await waitFor(async () => dovecot.idling(), 90, "n8n's Email Trigger to connect and idle on the mailbox", () => `${n8nOutput().slice(-2000)}\n${dovecot.log().slice(-2000)}`);
		log('The Email Trigger idles on the mailbox; delivering four mails.');
		const t0 = Date.now();
		for (const [key, mail] of Object.entries(mails)) dovecot.deliver(mime(mail, key));

		const filesOf = (estate: number) => sandbox.files({ module: 'estate', relatedRecordId: estate });
		await waitFor(async () => filesOf(409).length >= 3 && filesOf(2651).length >= 1 && filesOf(30).length >= 1, 120, 'the attachments to arrive in onOffice', () => n8nOutput().slice(-3000));
		await sleep(3000);
		log(`The attachments arrived ${((Date.now() - t0) / 1000).toFixed(1)} s after delivery.`);
		const table = (estate: number) => filesOf(estate).map((f) => [f.fileName, f.art, f.size, f.sha256]);
		check(
			JSON.stringify(table(409)) ===
				JSON.stringify([
					['Wohnzimmer.jpg', 'Foto', photo.length, sha(photo)],
					['Exposé Müller.pdf', 'Expose', expose.length, sha(expose)],
					['Grundriss Erdgeschoß.pdf', 'Grundriss', plan.length, sha(plan)],
				]),
			`estate 409 (subject "Objekt 409: …") holds the photo, the exposé (RFC 2231 name) and the floor plan (RFC 2047 name), byte for byte, typed by name: ${JSON.stringify(table(409).map((r) => r.slice(0, 3)))}`,
		);
		const [big] = filesOf(2651);
		check(filesOf(2651).length === 1 && big.sha256 === sha(large) && big.blocks === 3, `estate 2651 (subject "#2651 …") holds the ${(large.length / MiB).toFixed(1)} MiB attachment, sent in ${big?.blocks} blocks, byte for byte`);
		check(JSON.stringify(table(30)) === JSON.stringify([['Balkon.jpg', 'Foto', balcony.length, sha(balcony)]]), 'estate 30 (subject "ID 30 …") holds its photo, byte for byte');
		const names = sandbox.files().map((f) => f.fileName);
		check(!names.some((n) => ['winmail.dat', 'Besichtigung.ics', 'image001.png', 'Termin.jpg'].includes(n)), 'winmail.dat, the invitation and the signature logo were left out by the filter, and the mail without an estate number uploaded nothing');

		// The same mail once more: the estate is read, nothing is uploaded.
		const before = { files: sandbox.files().length, requests: sandbox.requests.length };
		dovecot.deliver(mime(forwarded, 'forwarded'));
		await waitFor(async () => sandbox.requests.length > before.requests, 90, 'the forwarded mail to be processed', () => n8nOutput().slice(-3000));
		await sleep(4000);
		const sent = sandbox.requests.slice(before.requests);
		check(sandbox.files().length === before.files && sent.every((r) => r.actions[0].resourcetype === 'file'), `the same mail forwarded again ("WG: Immobilie 409: …") added nothing: ${sent.length} request(s), all reading the estate's files`);

		const runs = await executions(base, install, n8nOutput());
		const noNumber = runs.find((r) => r.nodes['No estate number']);
		const item = noNumber?.nodes['No estate number']?.[0];
		check(
			item?.subject === 'Fotos vom Termin' && /names no estate number/.test(String(item.problem)) && JSON.stringify(item.attachments) === JSON.stringify(['Termin.jpg']),
			`the mail without an estate number ended in "No estate number" with one clear item: ${JSON.stringify(item)}`,
		);
		const skippedRun = runs.find((r) => r.nodes['Upload attachments to estate']?.some((o) => o.skipped === true));
		const outputs = skippedRun?.nodes['Upload attachments to estate'] ?? [];
		check(
			outputs.filter((o) => o.skipped === true).length === 3 && outputs.filter((o) => o.leftOut === true).length === 3,
			`the forwarded mail's execution reports 3 files skipped and 3 left out: ${JSON.stringify(outputs.map((o) => [o.fileName, o.skipped ?? o.leftOut ?? false]))}`,
		);
		// The trigger hands over what one fetch finds as one execution, so four mails may share one.
		const mailsSeen = runs.reduce((n, r) => n + (r.nodes['Email Trigger (IMAP)']?.length ?? 0), 0);
		check(mailsSeen === 5 && runs.every((r) => r.status === 'success'), `the trigger handed over each of the 5 mails once, in ${runs.length} successful execution(s): ${JSON.stringify(runs.map((r) => r.status))}`);
		const secrets = [sandbox.token, sandbox.secret, dovecot.password];
		check(!secrets.some((s) => n8nOutput().includes(s)), "n8n's log holds neither the onOffice token and secret nor the mailbox password");
		log(`mail: ${passed} passed, 0 failed (${((Date.now() - started) / 1000).toFixed(0)} s)`);
	} finally {
		if (server) await server.stop();
		await sandbox.stop();
		await dovecot.stop();
		if (work) rmSync(work, { recursive: true, force: true });
	}
}

async function waitFor(condition: () => Promise<boolean>, seconds: number, what: string, context: () => string): Promise<void> {
	const deadline = Date.now() + seconds * 1000;
	while (Date.now() < deadline) {
		if (await condition()) return;
		await sleep(500);
	}
	throw new Error(`timed out after ${seconds} s waiting for ${what}:\n${context()}`);
}

interface Execution {
	status: string;
	nodes: Record<string, Array<Record<string, unknown>>>;
}

/** The workflow's executions as n8n stored them, read through its REST API as the owner. */
async function executions(base: string, install: { bin: string }, output: string): Promise<Execution[]> {
	const rest = new N8nRest(base, 'mail');
	await rest.signIn().catch((error: Error) => {
		throw new Error(`${error.message}\n${output.slice(-1000)}`);
	});
	// n8n stores run data in the `flatted` format; its own copy reads it.
	const flatted = (await import(join(install.bin, '..', '..', '..', 'flatted', 'cjs', 'index.js'))) as { parse(text: string): any };
	const list = await rest.json('GET', '/rest/executions?limit=50');
	const results: Execution[] = [];
	for (const summary of list.results ?? list) {
		const full = await rest.json('GET', `/rest/executions/${summary.id}`);
		const data = typeof full.data === 'string' ? flatted.parse(full.data) : full.data;
		const nodes: Execution['nodes'] = {};
		for (const [name, runs] of Object.entries<any>(data?.resultData?.runData ?? {})) {
			nodes[name] = (runs?.[0]?.data?.main ?? []).flat().map((i: { json: Record<string, unknown> }) => i?.json ?? {});
		}
		results.push({ status: full.status, nodes });
	}
	return results;
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
