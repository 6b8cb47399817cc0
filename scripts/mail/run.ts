// npm run test:mail: the e-mail jobs as users build them, end to end. A real IMAP server (Dovecot on loopback, a
// mailbox for the agents and one for contacts), the onOffice sandbox, and real n8n 2.41.1 running
// examples/email-attachments-to-estate.json and examples/contact-documents-to-address.json as shipped, active, each
// with n8n's own Email Trigger (IMAP) on its mailbox. Real MIME messages are delivered once the triggers idle; the
// sandbox is checked byte for byte, and n8n's own execution data for the branches that upload nothing.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import { startSandbox } from '../../test/sandbox/server';
import { importIntoN8n, installN8n, root, run, userFolderWithPackage } from '../services/n8n';
import { startDovecot } from '../services/dovecot';
import { allItems, runsFromRest, type StoredRun } from '../services/executions';
import { N8nRest } from '../services/n8nRest';
import { serverEnv, startN8n, type N8nServer } from '../services/n8nServer';
import { SANDBOX_CREDENTIAL } from '../services/workflows';
import { encodedWord, mime, type Mail } from './messages';
import { MiB, sample, sha } from '../lib/bytes';
import { pollUntil, sleep } from '../lib/time';

const log = (line: string) => console.log(line);

let passed = 0;
const failed: string[] = [];
/** A failed check is reported and the test goes on, so that one failure does not hide the others; it fails at the end. */
function check(condition: boolean, message: string): void {
	if (!condition) {
		log(`FAIL ${message}`);
		failed.push(message.slice(0, 300));
		return;
	}
	log(`ok  ${message}`);
	passed += 1;
}

const photo = sample(180_000, 'wohnzimmer');
const expose = sample(300_000, 'expose');
const plan = sample(420_000, 'grundriss');
const large = sample(9 * MiB + 12345, 'baubeschreibung');
const balcony = sample(64_000, 'balkon');
const sitePlan = sample(48_000, 'lageplan');
const october = sample(150_000, 'gehalt-oktober');
const november = sample(160_000, 'gehalt-november');

/** The mailbox the agents forward to: the estate example reads it. */
const AGENTS = 'agent';
/** The mailbox contacts write to: the contact example reads it. */
const CONTACTS = 'contacts';

// Subjects in every form the estate example reads: property numbers (ImmoNr) and, as before, record numbers.
const estateMails: Record<string, Mail> = {
	documents: {
		subject: 'Objekt PC910: Unterlagen Müller',
		attachments: [
			{ fileName: 'Wohnzimmer.jpg', mimeType: 'image/jpeg', bytes: photo, nameEncoding: 'plain' },
			{
				fileName: 'Exposé Müller.pdf',
				mimeType: 'application/pdf',
				bytes: expose,
				nameEncoding: 'rfc2231',
			},
			{
				fileName: 'Grundriss Erdgeschoß.pdf',
				mimeType: 'application/pdf',
				bytes: plan,
				nameEncoding: 'rfc2047',
			},
			{
				fileName: 'winmail.dat',
				mimeType: 'application/ms-tnef',
				bytes: sample(6_000, 'tnef'),
				nameEncoding: 'plain',
			},
			{
				fileName: 'Besichtigung.ics',
				mimeType: 'text/calendar',
				bytes: sample(3_000, 'ics'),
				nameEncoding: 'plain',
			},
			// Outlook attaches signature logos as image001.png.
			{
				fileName: 'image001.png',
				mimeType: 'image/png',
				bytes: sample(4_000, 'logo'),
				nameEncoding: 'plain',
			},
		],
	},
	large: {
		subject: '#PC651 Baubeschreibung',
		attachments: [
			{
				fileName: 'Baubeschreibung.pdf',
				mimeType: 'application/pdf',
				bytes: large,
				nameEncoding: 'plain',
			},
		],
	},
	balcony: {
		subject: 'ImmoNr: PC101 Balkon',
		attachments: [
			{ fileName: 'Balkon.jpg', mimeType: 'image/jpeg', bytes: balcony, nameEncoding: 'rfc2231' },
		],
	},
	legacy: {
		subject: 'Immobilie 30: Lageplan',
		attachments: [
			{
				fileName: 'Lageplan.pdf',
				mimeType: 'application/pdf',
				bytes: sitePlan,
				nameEncoding: 'plain',
			},
		],
	},
	noNumber: {
		subject: 'Fotos vom Termin',
		attachments: [
			{
				fileName: 'Termin.jpg',
				mimeType: 'image/jpeg',
				bytes: sample(50_000, 'termin'),
				nameEncoding: 'plain',
			},
		],
	},
};
// The same documents again, forwarded with the estate's record number instead of its property number.
const forwarded: Mail = { ...estateMails.documents, subject: 'WG: #409 Unterlagen Müller' };

// A tenant applicant who is contact 21, and a sender who is no contact.
const STRANGER = 'lea.schaefer@example.net';
const contactMails: Record<string, Mail> = {
	payslips: {
		from: 'Jonas Becker <jonas.becker@example.com>',
		subject: 'Bewerbung Theaterstraße 5: Gehaltsabrechnungen',
		attachments: [
			{
				fileName: 'Gehaltsabrechnung Oktober.pdf',
				mimeType: 'application/pdf',
				bytes: october,
				nameEncoding: 'rfc2231',
			},
			{
				fileName: 'Gehaltsabrechnung November.pdf',
				mimeType: 'application/pdf',
				bytes: november,
				nameEncoding: 'rfc2047',
			},
			{
				fileName: 'image001.png',
				mimeType: 'image/png',
				bytes: sample(4_000, 'signature'),
				nameEncoding: 'plain',
			},
		],
	},
	stranger: {
		from: `${encodedWord('Lea Schäfer')} <${STRANGER}>`,
		subject: 'Bewerbung',
		attachments: [
			{
				fileName: 'Gehaltsabrechnung.pdf',
				mimeType: 'application/pdf',
				bytes: sample(70_000, 'fremd'),
				nameEncoding: 'plain',
			},
		],
	},
};

const BY_IMMONR = 'Upload attachments to estate by ImmoNr';
const BY_RECORD_NUMBER = 'Upload attachments to estate by record number';
const TO_CONTACT = 'Upload documents to the contact';

async function main(): Promise<void> {
	const started = Date.now();
	const install = await installN8n();
	const dovecot = await startDovecot([AGENTS, CONTACTS]);
	const sandbox = await startSandbox();
	let work: string | undefined;
	let server: N8nServer | undefined;
	try {
		const folder = userFolderWithPackage();
		work = folder.work;
		const env = await serverEnv(install, folder.home);
		const workflowsDir = join(work, 'workflows');
		mkdirSync(workflowsDir);
		const estateExample = JSON.parse(
			readFileSync(join(root, 'examples', 'email-attachments-to-estate.json'), 'utf8'),
		);
		const contactExample = JSON.parse(
			readFileSync(join(root, 'examples', 'contact-documents-to-address.json'), 'utf8'),
		);
		writeFileSync(join(workflowsDir, 'estate.json'), JSON.stringify(estateExample));
		writeFileSync(join(workflowsDir, 'contact.json'), JSON.stringify(contactExample));
		const mailbox = (user: string) => ({
			user,
			password: dovecot.password,
			host: dovecot.host,
			port: dovecot.port,
			secure: false,
			allowUnauthorizedCerts: false,
		});
		writeFileSync(
			join(work, 'credentials.json'),
			JSON.stringify([
				{ ...SANDBOX_CREDENTIAL, data: sandbox.credentials },
				{
					id: estateExample.nodes.find(isTrigger).credentials.imap.id,
					name: 'IMAP mailbox',
					type: 'imap',
					data: mailbox(AGENTS),
				},
				{
					id: contactExample.nodes.find(isTrigger).credentials.imap.id,
					name: 'IMAP mailbox for contacts',
					type: 'imap',
					data: mailbox(CONTACTS),
				},
			]),
		);
		await importIntoN8n(install, env, join(work, 'credentials.json'), workflowsDir);
		for (const example of [estateExample, contactExample]) {
			const publish = await run(install.bin, ['publish:workflow', `--id=${example.id}`], env);
			if (publish.code !== 0)
				throw new Error(
					`n8n publish:workflow ${example.id} failed:\n${publish.stdout}\n${publish.stderr}`,
				);
		}

		server = await startN8n(install, { ...env, N8N_SECURE_COOKIE: 'false' });
		const n8nOutput = server.output;
		const base = server.url;
		log(
			`Ports (127.0.0.1, chosen free): IMAP ${dovecot.port}, onOffice sandbox ${new URL(sandbox.url).port}, n8n ${server.port}, n8n task broker ${env.N8N_RUNNERS_BROKER_PORT}.`,
		);
		// A freshly started trigger fetches only mail that arrives after it connected: deliver once both idle.
		await waitFor(
			async () => dovecot.idling(AGENTS) && dovecot.idling(CONTACTS),
			90,
			"both examples' Email Triggers to connect and idle on their mailboxes",
			() => `${n8nOutput().slice(-2000)}\n${dovecot.log().slice(-2000)}`,
		);
		log(
			`Both Email Triggers idle; delivering ${Object.keys(estateMails).length} mails to the agents' mailbox and ${Object.keys(contactMails).length} to the contacts' mailbox.`,
		);
		const t0 = Date.now();
		for (const [key, mail] of Object.entries(estateMails)) dovecot.deliver(mime(mail, key), AGENTS);
		for (const [key, mail] of Object.entries(contactMails))
			dovecot.deliver(mime(mail, key), CONTACTS);

		const filesOf = (module: 'estate' | 'address', record: number) =>
			sandbox.files({ module, relatedRecordId: record });
		await waitFor(
			async () =>
				filesOf('estate', 409).length >= 3 &&
				filesOf('estate', 2651).length >= 1 &&
				filesOf('estate', 30).length >= 2 &&
				filesOf('address', 21).length >= 2,
			120,
			'the attachments to arrive in onOffice',
			() => n8nOutput().slice(-3000),
		);
		await sleep(3000);
		log(`The attachments arrived ${((Date.now() - t0) / 1000).toFixed(1)} s after delivery.`);
		const table = (module: 'estate' | 'address', record: number) =>
			filesOf(module, record).map((f) => [f.fileName, f.art ?? '', f.size, f.sha256]);
		check(
			same(table('estate', 409), [
				['Wohnzimmer.jpg', 'Foto', photo.length, sha(photo)],
				['Exposé Müller.pdf', 'Expose', expose.length, sha(expose)],
				['Grundriss Erdgeschoß.pdf', 'Grundriss', plan.length, sha(plan)],
			]),
			`estate 409 (subject "Objekt PC910: …", found by its property number) holds the photo, the exposé (RFC 2231 name) and the floor plan (RFC 2047 name), byte for byte, typed by name: ${JSON.stringify(table('estate', 409).map((r) => r.slice(0, 3)))}`,
		);
		const big = filesOf('estate', 2651);
		check(
			big.length === 1 && big[0].sha256 === sha(large) && big[0].blocks === 3,
			`estate 2651 (subject "#PC651 …") holds the ${(large.length / MiB).toFixed(1)} MiB attachment, sent in ${big[0]?.blocks} blocks, byte for byte`,
		);
		// The two mails for estate 30 may go through either upload first.
		const thirty = table('estate', 30).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
		check(
			same(thirty, [
				['Balkon.jpg', 'Foto', balcony.length, sha(balcony)],
				['Lageplan.pdf', 'Lageplan', sitePlan.length, sha(sitePlan)],
			]),
			`estate 30 holds the photo of "ImmoNr: PC101 …" and the site plan of "Immobilie 30: …" (its record number), byte for byte: ${JSON.stringify(thirty.map((r) => r.slice(0, 3)))}`,
		);
		check(
			same(table('address', 21), [
				['Gehaltsabrechnung Oktober.pdf', '', october.length, sha(october)],
				['Gehaltsabrechnung November.pdf', '', november.length, sha(november)],
			]),
			`contact 21 (a mail from jonas.becker@example.com, found by e-mail) holds both pay slips (RFC 2231 and RFC 2047 names), byte for byte: ${JSON.stringify(table('address', 21).map((r) => r.slice(0, 3)))}`,
		);
		const names = sandbox.files().map((f) => f.fileName);
		check(
			sandbox.files().length === 8 &&
				!names.some((n) =>
					[
						'winmail.dat',
						'Besichtigung.ics',
						'image001.png',
						'Termin.jpg',
						'Gehaltsabrechnung.pdf',
					].includes(n),
				),
			`winmail.dat, the invitation and the signature logos were left out by the filters; the mail without an estate number and the mail from a stranger uploaded nothing: ${JSON.stringify(names)}`,
		);

		// The same mail once more: the estate is read, nothing is uploaded.
		const before = { files: sandbox.files().length, requests: sandbox.requests.length };
		dovecot.deliver(mime(forwarded, 'forwarded'), AGENTS);
		await waitFor(
			async () => sandbox.requests.length > before.requests,
			90,
			'the forwarded mail to be processed',
			() => n8nOutput().slice(-3000),
		);
		await sleep(4000);
		const sent = sandbox.requests.slice(before.requests);
		check(
			sandbox.files().length === before.files &&
				sent.every((r) => r.actions[0].resourcetype === 'file'),
			`the same mail forwarded again ("WG: #409 …", the record number this time) added nothing: ${sent.length} request(s), all reading the estate's files`,
		);

		const rest = new N8nRest(base, 'mail');
		await rest.signIn().catch((error: Error) => {
			throw new Error(`${error.message}\n${n8nOutput().slice(-1000)}`);
		});
		const runs = await runsFromRest(rest, install, 50);
		// A node's items, every output together (a Switch's branches, an error output), as their JSON.
		const of = (run: StoredRun, node: string): Json[] => allItems(run, node).map((i) => i.json);
		const estateRuns = runs.filter((r) => r.workflowId === estateExample.id);
		const contactRuns = runs.filter((r) => r.workflowId === contactExample.id);
		const item = estateRuns.map((r) => of(r, 'No estate number')).find((list) => list.length)?.[0];
		check(
			item?.subject === 'Fotos vom Termin' &&
				/names no estate number/.test(String(item.problem)) &&
				same(item.attachments, ['Termin.jpg']),
			`the mail without an estate number ended in "No estate number" with one clear item: ${JSON.stringify(item)}`,
		);
		const foundByImmoNr = estateRuns
			.flatMap((r) => of(r, BY_IMMONR))
			.filter((o) => o.fileId !== undefined)
			.map((o) => [o.relatedRecordId, (o.foundBy as Json)?.mode, (o.foundBy as Json)?.value]);
		check(
			same(uniqueSorted(foundByImmoNr), [
				[30, 'propertyNumber', 'PC101'],
				[409, 'propertyNumber', 'PC910'],
				[2651, 'propertyNumber', 'PC651'],
			]),
			`"${BY_IMMONR}" found the estates 409, 2651 and 30 by their property numbers: ${JSON.stringify(foundByImmoNr)}`,
		);
		const byRecord = estateRuns.flatMap((r) => of(r, BY_RECORD_NUMBER));
		const skipped = byRecord.filter((o) => o.skipped === true);
		check(
			byRecord.some(
				(o) => o.fileName === 'Lageplan.pdf' && o.relatedRecordId === 30 && o.fileId !== undefined,
			) &&
				skipped.length === 3 &&
				skipped.every((o) => o.relatedRecordId === 409) &&
				byRecord.filter((o) => o.leftOut === true).length === 3,
			`"${BY_RECORD_NUMBER}" uploaded the site plan to estate 30 and reported the forwarded mail's 3 files skipped and 3 left out: ${JSON.stringify(byRecord.map((o) => [o.fileName, o.relatedRecordId, o.skipped ?? o.leftOut ?? false]))}`,
		);
		// The trigger hands over what one fetch finds as one execution, so several mails may share one.
		const mailsIn = (list: StoredRun[]) =>
			list.reduce((n, r) => n + of(r, 'Email Trigger (IMAP)').length, 0);
		check(
			mailsIn(estateRuns) === 6 && estateRuns.every((r) => r.status === 'success'),
			`the estate example's trigger handed over each of the 6 mails once, in ${estateRuns.length} successful execution(s): ${JSON.stringify(estateRuns.map((r) => r.status))}`,
		);

		const uploads = contactRuns.flatMap((r) => of(r, TO_CONTACT));
		const regular = contactRuns.flatMap((r) =>
			(r.outputs[TO_CONTACT]?.[0] ?? []).map((i) => i.json),
		);
		const notContact = contactRuns.flatMap((r) => of(r, 'Sender is not a contact'));
		check(
			notContact.length === 1 &&
				String(notContact[0].from).includes(STRANGER) &&
				new RegExp(`no contact has the e-mail address ${STRANGER.replace(/\./g, '\\.')}`).test(
					String(notContact[0].reason),
				),
			`the mail from ${STRANGER}, who is no contact, left "${TO_CONTACT}" by its error output and ended in "Sender is not a contact" with one clear item: that node got ${JSON.stringify(notContact)}; "${TO_CONTACT}" output ${JSON.stringify(uploads)}`,
		);
		const slips = filesOf('address', 21);
		check(
			regular.length === 3 &&
				same(
					regular
						.filter((o) => o.fileId !== undefined)
						.map((o) => [
							o.fileId,
							o.relatedRecordId,
							(o.foundBy as Json)?.mode,
							(o.foundBy as Json)?.value,
						]),
					slips.map((f) => [String(f.fileId), 21, 'email', 'jonas.becker@example.com']),
				) &&
				regular.some((o) => o.fileName === 'image001.png' && o.leftOut === true),
			`"${TO_CONTACT}"'s regular output: contact 21 found by the sender's address for both pay slips, the signature logo left out, nothing else: ${JSON.stringify(regular.map((o) => [o.fileName, o.relatedRecordId, o.fileId ?? o.leftOut ?? o.error]))}`,
		);
		check(
			mailsIn(contactRuns) === 2 && contactRuns.every((r) => r.status === 'success'),
			`the contact example's trigger handed over each of the 2 mails once, in ${contactRuns.length} successful execution(s): ${JSON.stringify(contactRuns.map((r) => r.status))}`,
		);
		const secrets = [sandbox.token, sandbox.secret, dovecot.password];
		check(
			!secrets.some((s) => n8nOutput().includes(s)),
			"n8n's log holds neither the onOffice token and secret nor the mailbox password",
		);
		log(
			`mail: ${passed} passed, ${failed.length} failed (${((Date.now() - started) / 1000).toFixed(0)} s)`,
		);
		if (failed.length) throw new Error(`mail failed:\n${failed.map((f) => `  ${f}`).join('\n')}`);
	} finally {
		if (server) await server.stop();
		await sandbox.stop();
		await dovecot.stop();
		if (work) rmSync(work, { recursive: true, force: true });
	}
}

type Json = Record<string, unknown>;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const uniqueSorted = (rows: unknown[][]) =>
	[...new Set(rows.map((r) => JSON.stringify(r)))]
		.sort()
		.map((r) => JSON.parse(r) as unknown[])
		.sort((a, b) => Number(a[0]) - Number(b[0]));
const isTrigger = (node: { type: string }) => node.type === 'n8n-nodes-base.emailReadImap';

async function waitFor(
	condition: () => Promise<boolean>,
	seconds: number,
	what: string,
	context: () => string,
): Promise<void> {
	if (await pollUntil(condition, seconds * 1000, 500)) return;
	throw new Error(`timed out after ${seconds} s waiting for ${what}:\n${context()}`);
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
