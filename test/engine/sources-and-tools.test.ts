// Where an upload's files come from besides the item's binary fields (node version 2's File Source: the files another
// node holds, a file at a URL), and the node as an AI agent's tool: n8n runs it as a type of its own ("…Tool"), and
// every item then yields JSON the model can read, a failure included. Run through n8n-core's engine against the
// sandbox, with a loopback file server for the URL source.
import { createServer, type Server } from 'http';

import type { INode, INodeParameters } from 'n8n-workflow';

import { chain, node, NODE_TYPE, runWorkflow } from './harness';
import type { FileSpec } from './nodes';
import { fast, TOOL_TYPE } from './workflows';
import { sample, sha } from '../../scripts/lib/bytes';
import { listenOnLoopback } from '../../scripts/lib/ports';
import { useSandbox } from '../sandbox/useSandbox';

const sandbox = useSandbox();
let files: Server;
let filesOrigin: string;
/** Requests the file server answered, with their paths. */
const served: string[] = [];

beforeAll(async () => {
	// /<size>/<name>: pattern bytes of that size; ?chunked leaves out Content-Length; /missing: 404.
	files = createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		served.push(url.pathname);
		const [, size, name] = url.pathname.split('/');
		if (!name) {
			res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>');
			return;
		}
		const body = sample(Number(size), name);
		const type = name.endsWith('.pdf')
			? 'application/pdf'
			: name.endsWith('.png')
				? 'image/png'
				: 'application/octet-stream';
		const headers: Record<string, string> = { 'Content-Type': type };
		if (url.searchParams.has('disposition'))
			headers['Content-Disposition'] =
				`attachment; filename*=UTF-8''${encodeURIComponent('Exposé Südstadt.pdf')}`;
		if (!url.searchParams.has('chunked')) headers['Content-Length'] = String(body.length);
		res.writeHead(200, headers);
		// In pieces, as a network would deliver them.
		for (let offset = 0; offset < body.length; offset += 50_000)
			res.write(body.subarray(offset, offset + 50_000));
		res.end();
	});
	filesOrigin = `http://127.0.0.1:${await listenOnLoopback(files)}`;
});
afterAll(async () => {
	await new Promise((resolve) => files.close(resolve));
});
beforeEach(() => {
	served.length = 0;
});

const rl = (mode: string, value: string) => ({ __rl: true as const, mode, value });

interface Flow {
	/** The node whose files another node reads (a chat or e-mail trigger stands in). */
	holder?: Array<{ json?: Record<string, unknown>; files: FileSpec[] }>;
	/** The items the onOffice node gets (an agent's input item with the tool's arguments, for a tool run). */
	input: Array<Record<string, unknown>>;
	parameters: INodeParameters;
	tool?: boolean;
	continueOnFail?: boolean;
}

/** start -> [holder "When chat message received"] -> items -> onOffice (as a node of version 2, or as a tool). */
async function run(flow: Flow) {
	const start = node('test.start', {}, { name: 'Start' });
	const holder = flow.holder
		? [
				node(
					'test.binaryFiles',
					{ items: JSON.stringify(flow.holder) },
					{ name: 'When chat message received' },
				),
			]
		: [];
	const input = node('test.items', { items: JSON.stringify(flow.input) }, { name: 'Agent input' });
	const onOffice: INode = node(flow.tool ? TOOL_TYPE : NODE_TYPE, flow.parameters, {
		name: 'onOffice',
		typeVersion: 2,
		credentials: { onOfficeApi: { id: '1', name: 'onOffice sandbox' } },
		...(flow.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	});
	const nodes = [start, ...holder, input, onOffice];
	const result = await runWorkflow({
		nodes,
		connections: chain(...nodes),
		credentials: { onOfficeApi: sandbox.credentials },
	});
	return { result, out: result.output('onOffice').map((o) => o.json) };
}

const upload = (extra: INodeParameters): INodeParameters => ({
	operation: 'uploadFile',
	module: 'estate',
	estate: rl('id', '409'),
	onDuplicate: 'uploadAnyway',
	options: fast,
	...extra,
});

describe('File Source: the files another node holds', () => {
	const chat = [
		{
			json: { sessionId: 's1', chatInput: 'Das Exposé für PC910' },
			files: [
				{
					property: 'data0',
					fileName: 'Exposé.pdf',
					mimeType: 'application/pdf',
					size: 7000,
					seed: 'expose',
				},
				{
					property: 'data1',
					fileName: 'Grundriss.png',
					mimeType: 'image/png',
					size: 5000,
					seed: 'plan',
				},
			],
		},
	];

	test('the files chosen by name (case does not matter) arrive byte-identical, and the output says where they came from', async () => {
		const { result, out } = await run({
			holder: chat,
			input: [{}],
			parameters: upload({
				fileSource: 'node',
				sourceNode: 'When chat message received',
				fileNames: 'grundriss.PNG',
			}),
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.files().map((f) => [f.relatedRecordId, f.fileName, f.sha256])).toEqual([
			[409, 'Grundriss.png', sha(sample(5000, 'plan'))],
		]);
		expect(out).toEqual([
			expect.objectContaining({
				sourceNode: 'When chat message received',
				binaryPropertyName: 'data1',
				fileName: 'Grundriss.png',
				relatedRecordId: 409,
			}),
		]);
	});

	test('empty File Names: all of them', async () => {
		await run({
			holder: chat,
			input: [{}],
			parameters: upload({ fileSource: 'node', sourceNode: 'When chat message received' }),
		});
		expect(sandbox.files().map((f) => f.fileName)).toEqual(['Exposé.pdf', 'Grundriss.png']);
	});

	test('a name it does not hold: the error lists the names it holds', async () => {
		const { out } = await run({
			holder: chat,
			input: [{}],
			parameters: upload({
				fileSource: 'node',
				sourceNode: 'When chat message received',
				fileNames: 'vertrag.pdf',
			}),
			continueOnFail: true,
		});
		expect(out[0].error).toBe(
			'Item 0: node "When chat message received" holds no file named "vertrag.pdf" (field "File Names"); it holds Exposé.pdf, Grundriss.png',
		);
		expect(sandbox.files()).toEqual([]);
	});

	test('a node that is not there, or holds no files', async () => {
		const missing = await run({
			holder: chat,
			input: [{}],
			parameters: upload({ fileSource: 'node', sourceNode: 'Chat' }),
			continueOnFail: true,
		});
		expect(missing.out[0].error).toBe(
			'Item 0: there is no node "Chat" in this workflow (field "Node")',
		);
		const none = await run({
			holder: [{ json: { a: 1 }, files: [] }],
			input: [{}],
			parameters: upload({ fileSource: 'node', sourceNode: 'When chat message received' }),
			continueOnFail: true,
		});
		expect(none.out[0].error).toMatch(
			/^Item 0: node "When chat message received" holds no files for this item/,
		);
	});

	test("several items (mails): the one whose JSON the input item carries, as an agent's tool call does", async () => {
		const mails = [1, 2].map((n) => ({
			json: { subject: `Mail ${n}`, from: `a${n}@example.com` },
			files: [
				{
					property: 'attachment_0',
					fileName: `anlage-${n}.pdf`,
					mimeType: 'application/pdf',
					size: 3000,
					seed: `m${n}`,
				},
			],
		}));
		const { out } = await run({
			holder: mails,
			input: [
				{
					subject: 'Mail 2',
					from: 'a2@example.com',
					propertyNumber: 'PC910',
					toolCallId: 'call_1',
				},
			],
			parameters: upload({ fileSource: 'node', sourceNode: 'When chat message received' }),
		});
		expect(out.map((o) => o.fileName)).toEqual(['anlage-2.pdf']);
		const unclear = await run({
			holder: mails,
			input: [{ something: 'else' }],
			parameters: upload({ fileSource: 'node', sourceNode: 'When chat message received' }),
			continueOnFail: true,
		});
		// The items cannot be told apart: n8n's own pairing decides (here: the first input item pairs with the first).
		expect(unclear.out.map((o) => o.fileName ?? o.error)).toEqual(['anlage-1.pdf']);
	});
});

describe('File Source: a file at a URL', () => {
	test('downloaded in blocks and arriving byte-identical, with its name and type from the URL', async () => {
		const size = 300_000;
		const { result, out } = await run({
			input: [{}],
			parameters: upload({
				fileSource: 'url',
				fileUrl: `${filesOrigin}/${size}/Grundriss%20EG.pdf`,
				options: { ...fast, blockSize: 30 },
			}),
		});
		expect(result.error).toBeUndefined();
		const [file] = sandbox.files();
		expect(file).toMatchObject({
			fileName: 'Grundriss EG.pdf',
			art: 'Grundriss',
			size,
			sha256: sha(sample(size, 'Grundriss%20EG.pdf')),
		});
		expect(file.blocks).toBe(Math.ceil(size / (30 * 1024 - ((30 * 1024) % 3))));
		expect(out).toEqual([
			expect.objectContaining({
				url: `${filesOrigin}/${size}/Grundriss%20EG.pdf`,
				fileName: 'Grundriss EG.pdf',
				fileType: 'Grundriss',
			}),
		]);
	});

	test('without Content-Length: the first response is counted, then the file is read once more to upload it', async () => {
		await run({
			input: [{}],
			parameters: upload({ fileSource: 'url', fileUrl: `${filesOrigin}/120000/plan.png?chunked` }),
		});
		expect(sandbox.files()).toEqual([
			expect.objectContaining({
				fileName: 'plan.png',
				size: 120000,
				sha256: sha(sample(120000, 'plan.png')),
			}),
		]);
		expect(served.filter((p) => p === '/120000/plan.png')).toHaveLength(2);
	});

	test("the server's name (Content-Disposition) and the File Name option", async () => {
		await run({
			input: [{}],
			parameters: upload({ fileSource: 'url', fileUrl: `${filesOrigin}/4000/x.pdf?disposition` }),
		});
		await run({
			input: [{}],
			parameters: upload({
				fileSource: 'url',
				fileUrl: `${filesOrigin}/4000/x.pdf`,
				options: { ...fast, fileName: 'Lageplan.pdf' },
			}),
		});
		expect(sandbox.files().map((f) => [f.fileName, f.art])).toEqual([
			['Exposé Südstadt.pdf', 'Expose'],
			['Lageplan.pdf', 'Lageplan'],
		]);
	});

	test('too large, not found, not a URL, left out by the File Filter: each says so, nothing uploaded', async () => {
		const big = await run({
			input: [{}],
			parameters: upload({
				fileSource: 'url',
				fileUrl: `${filesOrigin}/3145728/big.pdf`,
				maxFileSize: 2,
			}),
			continueOnFail: true,
		});
		expect(big.out[0].error).toBe(
			`Item 0: the file at ${filesOrigin}/3145728/big.pdf is 3.0 MiB, more than the 2 MiB the option "Max File Size (MiB)" allows`,
		);
		const bigChunked = await run({
			input: [{}],
			parameters: upload({
				fileSource: 'url',
				fileUrl: `${filesOrigin}/3145728/big.pdf?chunked`,
				maxFileSize: 2,
			}),
			continueOnFail: true,
		});
		expect(bigChunked.out[0].error).toMatch(/is more than 2 MiB, more than the 2 MiB/);
		const missing = await run({
			input: [{}],
			parameters: upload({ fileSource: 'url', fileUrl: `${filesOrigin}/missing` }),
			continueOnFail: true,
		});
		expect(missing.out[0].error).toBe(
			`Item 0: the file at ${filesOrigin}/missing could not be downloaded: the server answered HTTP 404`,
		);
		const notUrl = await run({
			input: [{}],
			parameters: upload({ fileSource: 'url', fileUrl: 'ftp://example.com/a.pdf' }),
			continueOnFail: true,
		});
		expect(notUrl.out[0].error).toBe(
			'Item 0: the field "File URL" must be an http or https address, got "ftp://example.com/a.pdf"',
		);
		const filtered = await run({
			input: [{}],
			parameters: upload({
				fileSource: 'url',
				fileUrl: `${filesOrigin}/4000/photo.png`,
				options: { ...fast, fileFilter: { rules: { onlyTypes: 'application/pdf' } } },
			}),
		});
		expect(filtered.out).toEqual([
			expect.objectContaining({
				url: `${filesOrigin}/4000/photo.png`,
				leftOut: true,
				reason: expect.stringMatching(/Only File Types/),
			}),
		]);
		expect(sandbox.files()).toEqual([]);
	});

	test('Skip: the same file from the same URL again is skipped by name and size', async () => {
		const parameters = upload({
			fileSource: 'url',
			fileUrl: `${filesOrigin}/9000/Exposé.pdf`,
			onDuplicate: 'skip',
		});
		await run({ input: [{}], parameters });
		const again = await run({ input: [{}], parameters });
		expect(sandbox.files()).toHaveLength(1);
		expect(again.out[0]).toMatchObject({ skipped: true });
	});
});

describe("as an AI agent's tool", () => {
	test('Add Link: a short result the model can act on', async () => {
		const { result, out } = await run({
			tool: true,
			input: [
				{
					chatInput: 'Put the tour on PC910',
					propertyNumber: 'PC910',
					url: 'https://tour.example.com/PC910',
					toolCallId: 'call_1',
				},
			],
			parameters: {
				operation: 'addLink',
				estate: rl('propertyNumber', '={{ $json.propertyNumber }}'),
				url: '={{ $json.url }}',
				fileType: 'Ogulo-Link',
				title: '360° Rundgang',
				options: fast,
			},
		});
		expect(result.error).toBeUndefined();
		const [link] = sandbox.files();
		expect(out).toEqual([
			{
				operation: 'addLink',
				module: 'estate',
				relatedRecordId: 409,
				url: 'https://tour.example.com/PC910',
				fileType: 'Ogulo-Link',
				title: '360° Rundgang',
				fileId: String(link.fileId),
				record: 'PC910 · Musterstraße 12, 52064 Aachen · Einfamilienhaus (409)',
			},
		]);
	});

	test('a failure is an item with the error and what to do, not an error of the run (Continue On Fail or not)', async () => {
		const { result, out } = await run({
			tool: true,
			input: [{ propertyNumber: 'PC911', url: 'https://tour.example.com/x', toolCallId: 'call_1' }],
			parameters: {
				operation: 'addLink',
				estate: rl('propertyNumber', '={{ $json.propertyNumber }}'),
				url: '={{ $json.url }}',
				options: fast,
			},
		});
		expect(result.error).toBeUndefined();
		expect(out).toEqual([
			{
				error: expect.stringMatching(
					/^no estate has the property number \(ImmoNr\) "PC911" \(field "Estate", By Property Number\)\. Check the property number/,
				),
			},
		]);
		const notALink = await run({
			tool: true,
			input: [{ url: 'tour PC910' }],
			parameters: {
				operation: 'addLink',
				estate: rl('id', '409'),
				url: '={{ $json.url }}',
				options: fast,
			},
		});
		expect(notALink.result.error).toBeUndefined();
		expect(notALink.out).toEqual([
			{
				error: expect.stringMatching(
					/^the field "URL" must be an http or https address, got "tour PC910"\. onOffice links open in a browser/,
				),
			},
		]);
		expect(sandbox.files()).toEqual([]);
	});

	test("Upload File from the chat's files: uploaded, and the model gets no upload bookkeeping", async () => {
		const { out } = await run({
			tool: true,
			holder: [
				{
					json: { sessionId: 's1', chatInput: 'Grundriss für PC910' },
					files: [
						{
							property: 'data0',
							fileName: 'Grundriss EG.pdf',
							mimeType: 'application/pdf',
							size: 6000,
							seed: 'g',
						},
					],
				},
			],
			input: [
				{
					sessionId: 's1',
					chatInput: 'Grundriss für PC910',
					propertyNumber: 'PC910',
					fileNames: 'Grundriss EG.pdf',
					toolCallId: 'call_1',
				},
			],
			parameters: {
				operation: 'uploadFile',
				module: 'estate',
				estate: rl('propertyNumber', '={{ $json.propertyNumber }}'),
				fileSource: 'node',
				sourceNode: 'When chat message received',
				fileNames: '={{ $json.fileNames }}',
				options: fast,
			},
		});
		const [file] = sandbox.files();
		expect(file).toMatchObject({
			relatedRecordId: 409,
			fileName: 'Grundriss EG.pdf',
			art: 'Grundriss',
			sha256: sha(sample(6000, 'g')),
		});
		expect(out).toEqual([
			{
				operation: 'uploadFile',
				module: 'estate',
				relatedRecordId: 409,
				fileName: 'Grundriss EG.pdf',
				sourceNode: 'When chat message received',
				fileType: 'Grundriss',
				title: 'Grundriss EG',
				fileId: String(file.fileId),
				record: 'PC910 · Musterstraße 12, 52064 Aachen · Einfamilienhaus (409)',
			},
		]);
	});

	test('a file the conversation does not hold: the model is told which it holds', async () => {
		const { result, out } = await run({
			tool: true,
			holder: [
				{
					json: { chatInput: 'x' },
					files: [
						{
							property: 'data0',
							fileName: 'a.pdf',
							mimeType: 'application/pdf',
							size: 100,
							seed: 'a',
						},
					],
				},
			],
			input: [{ chatInput: 'x', fileNames: 'b.pdf' }],
			parameters: upload({
				fileSource: 'node',
				sourceNode: 'When chat message received',
				fileNames: '={{ $json.fileNames }}',
			}),
		});
		expect(result.error).toBeUndefined();
		expect(out).toEqual([
			{
				error:
					'node "When chat message received" holds no file named "b.pdf" (field "File Names"); it holds a.pdf. Use one of the names it holds, or leave File Names empty to upload all of them.',
			},
		]);
	});

	test('nothing the model reads holds the token or the secret', async () => {
		const { out } = await run({
			tool: true,
			input: [{ url: 'https://tour.example.com/1' }],
			parameters: {
				operation: 'addLink',
				estate: rl('id', '409'),
				url: '={{ $json.url }}',
				options: fast,
			},
		});
		const text = JSON.stringify(out);
		expect(text).not.toContain(sandbox.token);
		expect(text).not.toContain(sandbox.secret);
	});
});
