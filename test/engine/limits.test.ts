// Version 2's Limits, through n8n-core's engine against the sandbox: what the workflow's builder allows holds whatever
// a tool call asks (hosts, how many files and links one call files, publishing, link types), a refusal sends
// nothing and is an answer the model can read, and a limit filled by the model is refused.
import type { INodeParameters } from 'n8n-workflow';

import { useSandbox } from '../sandbox/useSandbox';
import type { FileItem } from './workflows';
import { fast, runWithFiles, runWithItems } from './workflows';

const sandbox = useSandbox();
const v2 = { typeVersion: 2 };
const asTool = { typeVersion: 2, tool: true };
const rl = (mode: string, value: string) => ({ __rl: true as const, mode, value });

const link = (extra: INodeParameters = {}): INodeParameters => ({
	operation: 'addLink',
	estate: rl('propertyNumber', 'PC910'),
	url: '={{ $json.url }}',
	fileType: '={{ $json.type ?? "Ogulo-Link" }}',
	onDuplicate: 'uploadAnyway',
	options: fast,
	...extra,
});
const upload = (extra: INodeParameters = {}): INodeParameters => ({
	operation: 'uploadFile',
	module: 'estate',
	estate: rl('propertyNumber', 'PC910'),
	onDuplicate: 'uploadAnyway',
	options: fast,
	...extra,
});
const files = (count: number): FileItem[] => [
	{
		files: Array.from({ length: count }, (_, i) => ({
			property: `attachment_${i}`,
			fileName: `foto-${i}.jpg`,
			mimeType: 'image/jpeg',
			size: 300,
			seed: `f${i}`,
		})),
	},
];

describe('Allowed Hosts: every run, before anything is sent', () => {
	test('a link on another host is refused, and nothing is sent (not even the lookup of the estate)', async () => {
		const result = await runWithItems(
			sandbox,
			link({ limits: { allowedHosts: '*.matterport.com, youtu.be' } }),
			[{ url: 'https://login-example.evil/PC910' }],
			v2,
		);
		expect(result.error?.message).toBe(
			'Item 0: the link https://login-example.evil/PC910 is on login-example.evil, which is not one of the Allowed Hosts (*.matterport.com, youtu.be), so nothing was sent',
		);
		expect(sandbox.requests).toEqual([]);
	});

	test('a link on an allowed host is added', async () => {
		const result = await runWithItems(
			sandbox,
			link({ limits: { allowedHosts: '*.matterport.com, youtu.be' } }),
			[{ url: 'https://my.matterport.com/show/?m=PC910' }],
			v2,
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.files().map((f) => [f.relatedRecordId, f.url])).toEqual([
			[409, 'https://my.matterport.com/show/?m=PC910'],
		]);
	});

	test('a file at a URL on another host is refused before it is downloaded', async () => {
		const result = await runWithItems(
			sandbox,
			upload({
				fileSource: 'url',
				fileUrl: 'http://127.0.0.1:9/expose.pdf',
				limits: { allowedHosts: 'files.example.com' },
			}),
			[{}],
			v2,
		);
		expect(result.error?.message).toBe(
			'Item 0: the file http://127.0.0.1:9/expose.pdf is on 127.0.0.1, which is not one of the Allowed Hosts (files.example.com), so nothing was sent',
		);
		expect(sandbox.requests).toEqual([]);
	});

	test('a pattern that is no host name says which', async () => {
		const result = await runWithItems(
			sandbox,
			link({ limits: { allowedHosts: 'youtu.be, https://vimeo.com/' } }),
			[{ url: 'https://youtu.be/x' }],
			v2,
		);
		expect(result.error?.message).toBe(
			'Item 0: "https://vimeo.com/" is not a host name or *. and a domain (e.g. youtu.be, *.matterport.com) (Limits > Allowed Hosts)',
		);
		expect(sandbox.requests).toEqual([]);
	});
});

describe('Max Files and Links per Tool Call', () => {
	test('a tool call asking for 25 files files none, and the model is told why', async () => {
		const result = await runWithFiles(
			sandbox,
			upload({ uploadAllBinaryProperties: true }),
			files(25),
			asTool,
		);
		expect(result.error).toBeUndefined();
		expect(result.output('onOffice').map((o) => o.json)).toEqual([
			{
				error:
					"this call asks for 25 files, and one call may file at most 20 (the node's Limits), so nothing was filed. Ask for at most 20 at a time, in several calls; only the workflow's builder can raise the limit.",
			},
		]);
		expect(sandbox.requests).toEqual([]);
	});

	test('the builder can raise it; and a run that is not a tool call has no such limit', async () => {
		const raised = await runWithFiles(
			sandbox,
			upload({ uploadAllBinaryProperties: true, limits: { maxPerToolCall: 30 } }),
			files(25),
			asTool,
		);
		expect(raised.output('onOffice')).toHaveLength(25);
		sandbox.reset();
		await runWithFiles(sandbox, upload({ uploadAllBinaryProperties: true }), files(25), v2);
		expect(sandbox.files()).toHaveLength(25);
	});

	test('links count one per item', async () => {
		const items = Array.from({ length: 3 }, (_, i) => ({ url: `https://youtu.be/${i}` }));
		const result = await runWithItems(
			sandbox,
			link({ limits: { maxPerToolCall: 2 } }),
			items,
			asTool,
		);
		expect(result.output('onOffice').map((o) => o.json.error)).toEqual(
			Array(3).fill(
				expect.stringMatching(/^this call asks for 3 links, and one call may file at most 2/),
			),
		);
		expect(sandbox.requests).toEqual([]);
	});
});

describe('what a tool call may publish', () => {
	const publishing = {
		additionalFields: { setDefaultPublicationRights: true },
		uploadAllBinaryProperties: true,
	};

	test('Set Default Publication Rights is refused in a tool call unless the Limits allow it', async () => {
		const refused = await runWithFiles(sandbox, upload(publishing), files(1), asTool);
		expect(refused.output('onOffice')[0].json.error).toMatch(
			/^a tool call may not publish: Set Default Publication Rights is on/,
		);
		expect(sandbox.requests).toEqual([]);
		const allowed = await runWithFiles(
			sandbox,
			upload({ ...publishing, limits: { toolCallsMayPublish: true } }),
			files(1),
			asTool,
		);
		expect(allowed.output('onOffice')[0].json.fileId).toBeDefined();
		expect(sandbox.files()).toEqual([
			expect.objectContaining({ setDefaultPublicationRights: true }),
		]);
	});

	test('the same for a link; and a workflow run that is no tool call publishes as set', async () => {
		const refused = await runWithItems(
			sandbox,
			link(publishing),
			[{ url: 'https://youtu.be/1' }],
			asTool,
		);
		expect(refused.output('onOffice')[0].json.error).toMatch(/^a tool call may not publish/);
		await runWithItems(sandbox, link(publishing), [{ url: 'https://youtu.be/1' }], v2);
		expect(sandbox.files()).toEqual([
			expect.objectContaining({ url: 'https://youtu.be/1', setDefaultPublicationRights: true }),
		]);
	});

	test('link types: a tool call may set only the ones the Limits allow', async () => {
		const result = await runWithItems(
			sandbox,
			link({ limits: { toolLinkTypes: ['Ogulo-Link', 'Film-Link'] } }),
			[
				{ url: 'https://youtu.be/1', type: 'Objekt-Link' },
				{ url: 'https://youtu.be/2', type: 'Film-Link' },
			],
			asTool,
		);
		expect(result.output('onOffice').map((o) => o.json.error ?? o.json.fileType)).toEqual([
			"a tool call may not set the link type Objekt-Link: the node's Limits allow Ogulo-Link, Film-Link, so nothing was sent. Use one of Ogulo-Link, Film-Link; only the workflow's builder can allow others.",
			'Film-Link',
		]);
		expect(sandbox.files().map((f) => f.art)).toEqual(['Film-Link']);
	});
});

test('Limits filled by the model ($fromAI) are refused: they would limit nothing', async () => {
	const result = await runWithItems(
		sandbox,
		link({ limits: { allowedHosts: "={{ $fromAI('hosts', 'hosts to allow', 'string') }}" } }),
		[{ url: 'https://youtu.be/1' }],
		asTool,
	);
	expect(result.output('onOffice')[0].json.error).toMatch(
		/^the Limits are filled by the model \(\$fromAI\), so they would limit nothing/,
	);
	expect(sandbox.requests).toEqual([]);
});
