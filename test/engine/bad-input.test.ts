// Bad input, each case with the exact error it must produce: the item, the field, and what to do. With Continue On
// Fail the good item after it still runs, and every input item yields exactly one output item. A second pass runs
// every case again and scans everything the node produced for the token, the secret and any hmac sent.
import {
	startSandbox,
	type FaultRule,
	type OnOfficeSandbox,
	type SandboxOptions,
} from '../sandbox/server';
import { logLines } from './harness';
import type { FileSpec } from './nodes';
import { fast, runWithFiles, runWithItems } from './workflows';

interface Case {
	name: string;
	/** Upload params (files) or link params (items). */
	link?: boolean;
	params: Record<string, unknown>;
	/** The bad item; the good one is added after it. */
	bad: { json?: Record<string, unknown>; files?: FileSpec[] };
	credentials?: Record<string, unknown>;
	sandbox?: SandboxOptions;
	inject?: FaultRule[];
	/** Before the run, e.g. a file that already holds the document attribute. */
	prepare?: (sandbox: OnOfficeSandbox) => Promise<void>;
	message: string;
	description: RegExp;
	/** The error concerns the whole node (credential, server, options), so the good item fails too. */
	allFail?: boolean;
}

const jpg = (property = 'data', fileName = 'a.jpg', size = 100): FileSpec => ({
	property,
	fileName,
	mimeType: 'image/jpeg',
	size,
});
const estate = (extra: Record<string, unknown> = {}) => ({
	operation: 'uploadFile',
	module: 'estate',
	relatedRecordId: '={{ $json.estate ?? 409 }}',
	fileType: 'Foto',
	...extra,
	options: { ...fast, ...((extra.options as object) ?? {}) },
});
const link = (extra: Record<string, unknown> = {}) => ({
	operation: 'addLink',
	relatedRecordId: '={{ $json.estate ?? 2651 }}',
	url: '={{ $json.url ?? "https://tour.example/ok" }}',
	fileType: '={{ $json.type ?? "Link" }}',
	options: fast,
	...extra,
});

const cases: Case[] = [
	{
		name: 'missing binary property',
		params: estate(),
		bad: { files: [] },
		message:
			'Item 0 has no binary property "data" (field "Input Binary Field"); it has no binary data at all',
		description: /It has no binary data at all: the node before this one must output a file/,
	},
	{
		name: 'misspelled binary property',
		params: estate({ binaryPropertyName: '={{ $json.prop ?? "data" }}' }),
		bad: { json: { prop: 'atachment_0' }, files: [jpg('attachment_0')] },
		message:
			'Item 0 has no binary property "atachment_0" (field "Input Binary Field"); it has "attachment_0"',
		description:
			/Its binary properties are: attachment_0\. Enter one of them, or turn on "Upload All Binary Properties"\./,
	},
	{
		name: 'no binary at all with Upload All Binary Properties',
		params: estate({ uploadAllBinaryProperties: true }),
		bad: { files: [] },
		message: 'Item 0 has no binary data to upload',
		description: /the node before this one must output a file/,
	},
	{
		name: 'an empty (0-byte) file',
		params: estate(),
		bad: { files: [jpg('data', 'leer.jpg', 0)] },
		message: 'Item 0: the file "leer.jpg" in binary property "data" is empty (0 bytes)',
		description: /onOffice does not store empty files/,
	},
	{
		name: 'record id empty',
		params: estate(),
		bad: { json: { estate: '' } },
		message: 'Item 0: the field "Related Record ID" is empty',
		description: /Enter the record number of the estate the file belongs to/,
	},
	{
		name: 'record id zero',
		params: estate(),
		bad: { json: { estate: 0 } },
		message: 'Item 0: the field "Related Record ID" must be a positive whole number, got 0',
		description: /record number \(Datensatznummer\)/,
	},
	{
		name: 'record id negative',
		params: estate(),
		bad: { json: { estate: -3 } },
		message: 'Item 0: the field "Related Record ID" must be a positive whole number, got -3',
		description: /not a customer number/,
	},
	{
		name: 'record id not numeric',
		params: estate(),
		bad: { json: { estate: 'Musterstraße 1' } },
		message:
			'Item 0: the field "Related Record ID" must be a positive whole number, got "Musterstraße 1"',
		description: /record number/,
	},
	{
		name: 'record id with decimals',
		params: estate(),
		bad: { json: { estate: 409.5 } },
		message: 'Item 0: the field "Related Record ID" must be a positive whole number, got 409.5',
		description: /record number/,
	},
	{
		name: 'estate not found',
		params: estate(),
		bad: { json: { estate: 4711 } },
		message:
			'Item 0: onOffice error while linking a.jpg to estate 4711 (onOffice code 293): Unknown estate record id. Record may not exist or the permission rights are not set accordingly for this action.',
		description: /No estate with this record number is visible to the API user/,
	},
	{
		name: 'address not found',
		params: { ...estate(), module: 'address', relatedRecordId: '={{ $json.estate ?? 7 }}' },
		bad: { json: { estate: 99 } },
		message:
			'Item 0: onOffice error while linking a.jpg to address 99 (onOffice code 292): Unknown address record id. Record may not exist or the permission rights are not set accordingly for this action.',
		description: /not the customer number/,
	},
	{
		name: 'estate upload without file type',
		params: estate({ fileType: '={{ $json.type ?? "Foto" }}' }),
		bad: { json: { type: '' } },
		message: 'Item 0: the field "File Type" is empty, and onOffice needs one for estate files',
		description: /Choose a file type such as Foto or Dokument, or "Automatic"/,
	},
	{
		name: 'unknown file type',
		params: estate({ fileType: '={{ $json.type ?? "Foto" }}' }),
		bad: { json: { type: 'Bild' } },
		message: 'Item 0: "Bild" is not an onOffice file type (field "File Type")',
		description: /Use one of: Anzeigen, Banner/,
	},
	{
		name: 'a link type used for a file',
		params: estate({ fileType: '={{ $json.type ?? "Foto" }}' }),
		bad: { json: { type: 'Ogulo-Link' } },
		message:
			'Item 0: "Ogulo-Link" is a link type and cannot be used for an uploaded file (field "File Type")',
		description: /Use the Add Link operation for links/,
	},
	{
		name: 'a file type used for a link',
		link: true,
		params: link(),
		bad: { json: { type: 'Grundriss' } },
		message: 'Item 0: "Grundriss" is a file type and cannot be used for a link (field "Link Type")',
		description:
			/Use one of: Film-Link, Link, Objekt-Link, Ogulo-Link\. To upload a file, use the Upload File operation\./,
	},
	{
		name: 'url missing',
		link: true,
		params: link(),
		bad: { json: { url: '' } },
		message: 'Item 0: the field "URL" is empty',
		description: /starting with https:\/\//,
	},
	{
		name: 'url not http(s)',
		link: true,
		params: link(),
		bad: { json: { url: 'ftp://files.example/tour' } },
		message:
			'Item 0: the field "URL" must be an http or https address, got "ftp://files.example/tour"',
		description: /open in a browser/,
	},
	{
		name: 'javascript: url',
		link: true,
		params: link(),
		bad: { json: { url: 'javascript:alert(document.cookie)' } },
		message:
			'Item 0: the field "URL" must be an http or https address, got "javascript:alert(document.cookie)"',
		description: /web address/,
	},
	{
		name: 'a link to an estate that does not exist',
		link: true,
		params: link(),
		bad: { json: { estate: 5 } },
		message:
			'Item 0: onOffice error while adding the link https://tour.example/ok (onOffice code 293): Unknown estate record id. Record may not exist or the permission rights are not set accordingly for this action.',
		description: /No estate with this record number/,
	},
	{
		name: 'unknown document attribute',
		params: estate({ additionalFields: { documentAttribute: '={{ $json.attr ?? "" }}' } }),
		bad: { json: { attr: 'document_floorplan' } },
		message:
			'Item 0: onOffice error while linking a.jpg to estate 409 (onOffice code 77): Invalid singleselect key: document_floorplan',
		description: /pick one from the Document Attribute list/,
	},
	{
		name: 'document attribute already used',
		params: estate({
			relatedRecordId: 30,
			additionalFields: { documentAttribute: '={{ $json.attr ?? "" }}' },
		}),
		bad: { json: { attr: 'document_expose' } },
		prepare: async (s) =>
			void (await uploadDirect(s, { Art: 'Expose', documentAttribute: 'document_expose' })),
		message:
			'Item 0: onOffice error while linking a.jpg to estate 30 (onOffice code 161): Document attribute exists',
		description: /each attribute once per estate/,
	},
	{
		name: 'second title picture',
		params: estate({ relatedRecordId: 30, fileType: '={{ $json.type ?? "Foto" }}' }),
		bad: { json: { type: 'Titelbild' } },
		prepare: async (s) => void (await uploadDirect(s, { Art: 'Titelbild' })),
		message:
			'Item 0: onOffice error while linking a.jpg to estate 30 (onOffice code 239): Upload failed. Estate already has a title picture.',
		description: /upload this one as Foto/,
	},
	{
		name: 'file name option with a path separator',
		params: estate({ options: { fileName: '={{ $json.name ?? "" }}' } }),
		bad: { json: { name: 'Fotos/Garten.jpg' } },
		message:
			'Item 0: the file name "Fotos/Garten.jpg" contains a path separator (option "File Name")',
		description: /plain file name/,
	},
	{
		name: 'file name option with a backslash',
		params: estate({ options: { fileName: '={{ $json.name ?? "" }}' } }),
		bad: { json: { name: 'C:\\Bilder\\a.jpg' } },
		message:
			'Item 0: the file name "C:\\Bilder\\a.jpg" contains a path separator (option "File Name")',
		description: /without folders/,
	},
	{
		name: 'file name over 255 bytes',
		params: estate(),
		bad: { files: [jpg('data', `${'Ü'.repeat(130)}.jpg`)] },
		message:
			'Item 0: the file name is 264 bytes long; onOffice allows 255 (file name of binary property "data")',
		description: /Shorten the file name/,
	},
	{
		name: 'block size 0',
		params: estate({ options: { blockSize: 0 } }),
		bad: {},
		allFail: true,
		message: 'Item 0: the option "Block Size (KiB)" must be a number from 3 to 65536, got 0',
		description: /default \(4096 KiB\)/,
	},
	{
		name: 'block size not a number',
		params: estate({ options: { blockSize: '={{ "viel" }}' } }),
		bad: {},
		allFail: true,
		message: 'Item 0: the option "Block Size (KiB)" must be a number from 3 to 65536, got "viel"',
		description: /lower it/,
	},
	{
		name: 'block size above the limit',
		params: estate({ options: { blockSize: 100000 } }),
		bad: {},
		allFail: true,
		message: 'Item 0: the option "Block Size (KiB)" must be a number from 3 to 65536, got 100000',
		description: /default/,
	},
	{
		name: 'custom endpoint over http on a non-loopback host',
		params: estate(),
		bad: {},
		allFail: true,
		credentials: { customUrl: 'http://crm.example.com/api/stable/api.php' },
		message:
			'Item 0: onOffice error while uploading block 1 of 1 of a.jpg: onOffice API credential: The field "Custom URL" ("http://crm.example.com") uses http on a host that is not this machine: use https (plain http is only accepted for 127.0.0.1, localhost or [::1])',
		description: /Open the onOffice API credential and correct the field named above/,
	},
	{
		name: 'wrong token',
		params: estate(),
		bad: {},
		allFail: true,
		credentials: { token: 'A'.repeat(32) },
		message:
			'Item 0: onOffice error while uploading block 1 of 1 of a.jpg (onOffice code 22): Not authenticated',
		description: /copy it again from the API user/,
	},
	{
		name: 'wrong secret',
		params: estate(),
		bad: {},
		allFail: true,
		credentials: { secret: 'B'.repeat(64) },
		message:
			'Item 0: onOffice error while uploading block 1 of 1 of a.jpg (onOffice code 137): The HMAC is invalid.',
		description: /the secret \(64 characters\) or the token \(32 characters\)/,
	},
	{
		name: 'clock skew',
		params: estate(),
		bad: {},
		allFail: true,
		sandbox: { clockSkewSeconds: 3600 },
		message:
			'Item 0: onOffice error while uploading block 1 of 1 of a.jpg (onOffice code 136): Your timestamp is too old or your server time is wrong.',
		description: /synchronise it \(NTP\)/,
	},
	{
		name: 'a malformed JSON answer',
		params: estate({ options: { retries: 0 } }),
		bad: {},
		allFail: true,
		inject: [{ kind: 'malformed', body: '{"status": {"code": 200,', times: 10 }],
		message:
			'Item 0: onOffice error while uploading block 1 of 1 of a.jpg: the answer was not onOffice API JSON. Check that the credential points at the onOffice API endpoint (…/api.php), not a web page or proxy',
		description: /API Version.*Custom URL/,
	},
	{
		name: 'an HTML error page from a proxy',
		params: estate({ options: { retries: 1 } }),
		bad: {},
		allFail: true,
		inject: [
			{
				kind: 'http',
				status: 502,
				body: '<html><head><title>502</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx/1.24</center></body></html>',
				times: 10,
			},
		],
		message:
			'Item 0: onOffice error while uploading block 1 of 1 of a.jpg: the server answered HTTP 502: "502 502 Bad Gateway nginx/1.24" (after 2 attempts)',
		description: /a proxy in front of it, is failing \(tried 2 time\(s\)\)/,
	},
];

async function uploadDirect(
	sandbox: OnOfficeSandbox,
	parameters: { Art: string; documentAttribute?: string },
) {
	const result = await runWithFiles(
		sandbox,
		{
			operation: 'uploadFile',
			module: 'estate',
			relatedRecordId: 30,
			fileType: parameters.Art,
			additionalFields: parameters.documentAttribute
				? { documentAttribute: parameters.documentAttribute }
				: {},
			options: fast,
		},
		[{ files: [jpg('data', 'vorher.pdf')] }],
	);
	expect(result.error).toBeUndefined();
	sandbox.requests.length = 0;
}

async function runCase(c: Case, sandbox: OnOfficeSandbox) {
	await c.prepare?.(sandbox);
	if (c.inject) sandbox.inject(...c.inject);
	const good = c.link ? { json: {} } : { json: {}, files: [jpg('data', 'gut.jpg')] };
	const bad = c.link
		? { json: c.bad.json ?? {} }
		: { json: c.bad.json ?? {}, files: c.bad.files ?? [jpg()] };
	const options = { continueOnFail: true, credentials: c.credentials };
	return c.link
		? runWithItems(sandbox, c.params as any, [bad.json, good.json], options)
		: runWithFiles(sandbox, c.params as any, [bad as any, good as any], options);
}

test('the suite has at least 25 cases', () => {
	expect(cases.length).toBeGreaterThanOrEqual(25);
});

describe.each(cases)('$name', (c) => {
	let sandbox: OnOfficeSandbox;
	beforeEach(async () => {
		sandbox = await startSandbox(c.sandbox);
	});
	afterEach(async () => sandbox.stop());

	test('errors with its text and, with Continue On Fail, leaves the next item alone', async () => {
		const result = await runCase(c, sandbox);
		expect(result.error).toBeUndefined();
		const out = result.output('onOffice');
		expect(out).toHaveLength(2);
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(out[0].json.error).toBe(c.message);
		expect(String(out[0].json.description ?? '')).toMatch(c.description);
		if (c.allFail) {
			expect(String(out[1].json.error)).toMatch(/^Item 1: /);
		} else {
			expect(out[1].json.error).toBeUndefined();
			expect(out[1].json.fileId).toEqual(expect.stringMatching(/^\d+$/));
		}
	});
});

test('secret hygiene: every case again, and nothing the node produced holds the token, the secret or an hmac', async () => {
	const produced: string[] = [];
	const secrets = new Set<string>();
	let signedActions = 0;
	for (const c of cases) {
		const sandbox = await startSandbox(c.sandbox);
		try {
			const logStart = logLines.length;
			const result = await runCase(c, sandbox);
			const credentials = { ...sandbox.credentials, ...(c.credentials ?? {}) };
			secrets.add(String(credentials.token));
			secrets.add(String(credentials.secret));
			for (const r of sandbox.requests) {
				for (const a of r.actions) {
					if (!a.hmac) continue;
					secrets.add(a.hmac);
					signedActions++;
				}
			}
			produced.push(JSON.stringify(result.output('onOffice')));
			produced.push(JSON.stringify(result.run.data.resultData));
			produced.push(JSON.stringify(logLines.slice(logStart)));
			const errors = result.output('onOffice').filter((o) => o.json.error);
			produced.push(...errors.map((o) => `${o.json.error} ${o.json.description ?? ''}`));
		} finally {
			await sandbox.stop();
		}
	}
	// The scan must be looking at something: signed requests were sent (one hmac per second, resource and action)
	// and real errors produced.
	expect([...secrets].filter((s) => s.length === 44).length).toBeGreaterThan(1);
	expect(signedActions).toBeGreaterThan(40);
	const everything = produced.join('\n');
	expect(everything).toContain('onOffice code 137');
	for (const secret of secrets) expect(everything.includes(secret)).toBe(false);
});
