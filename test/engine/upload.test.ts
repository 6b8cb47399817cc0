import { startSandbox } from '../sandbox/server';
import { fast, runWithFiles, runWithItems } from './workflows';
import { sample, sha } from '../../scripts/lib/bytes';
import { useSandbox } from '../sandbox/useSandbox';

const sandbox = useSandbox();

const blockRequests = () =>
	sandbox.requests.filter((r) => r.step === 'firstBlock' || r.step === 'block');

describe.each(['default', 'filesystem'] as const)('Upload File, binary mode %s', (binaryMode) => {
	test('a file spanning several blocks arrives byte-identical, each block a multiple of 3 bytes', async () => {
		const size = 3 * 1024 * 4 + 1000; // four full 3 KiB blocks and a short fifth
		const result = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'estate',
				relatedRecordId: 409,
				fileType: 'Grundriss',
				title: 'Erdgeschoss',
				options: { blockSize: 3, ...fast },
			},
			[
				{
					files: [
						{
							property: 'data',
							fileName: 'Grundriss EG – Übersicht.png',
							mimeType: 'image/png',
							size,
							seed: 'plan',
						},
					],
				},
			],
			{ binaryMode },
		);
		expect(result.error).toBeUndefined();
		const [out] = result.output('onOffice');
		const [file] = sandbox.files();
		expect(file).toMatchObject({
			module: 'estate',
			relatedRecordId: 409,
			art: 'Grundriss',
			title: 'Erdgeschoss',
			fileName: 'Grundriss EG – Übersicht.png',
			size,
			blocks: 5,
		});
		expect(file.sha256).toBe(sha(sample(size, 'plan')));
		expect(blockRequests().map((r) => r.actions[0].dataChars)).toEqual([
			4096, 4096, 4096, 4096, 1336,
		]);
		expect(out.json).toEqual({
			operation: 'uploadFile',
			module: 'estate',
			relatedRecordId: 409,
			binaryPropertyName: 'data',
			fileName: 'Grundriss EG – Übersicht.png',
			fileType: 'Grundriss',
			fileTypeChosenBy: 'chosen',
			title: 'Erdgeschoss',
			fileId: String(file.fileId),
			tmpUploadId: expect.any(String),
			filesize: size,
			blocks: 5,
		});
		expect(out.pairedItem).toEqual({ item: 0 });
		// Only the first block goes without tmpUploadId; step 2 carries no data.
		expect(sandbox.requests.map((r) => r.step)).toEqual([
			'firstBlock',
			'block',
			'block',
			'block',
			'block',
			'step2',
		]);
	});
});

test.each([
	['address', 7, {}],
	['agentsLog', 5, {}],
	['task', 9, {}],
])('Upload File to module %s sends no estate-only parameters', async (module, relatedRecordId) => {
	const result = await runWithFiles(
		sandbox,
		{ operation: 'uploadFile', module, relatedRecordId, options: fast },
		[
			{
				files: [
					{ property: 'data', fileName: 'vertrag.pdf', mimeType: 'application/pdf', size: 2000 },
				],
			},
		],
	);
	expect(result.error).toBeUndefined();
	expect(sandbox.files()).toMatchObject([
		{
			module,
			relatedRecordId,
			fileName: 'vertrag.pdf',
			size: 2000,
			art: undefined,
			title: undefined,
		},
	]);
	expect(Object.keys(sandbox.requests.at(-1)!.actions[0].parameters).sort()).toEqual([
		'file',
		'module',
		'relatedRecordId',
		'tmpUploadId',
	]);
});

test('estate options: free text, document attribute, position, publication rights and watermark (pictures only)', async () => {
	const result = await runWithFiles(
		sandbox,
		{
			operation: 'uploadFile',
			module: 'estate',
			relatedRecordId: 30,
			uploadAllBinaryProperties: true,
			fileType: 'auto',
			additionalFields: {
				freetext: 'Frei',
				documentAttribute: 'document_reservation_list',
				position: 0,
				setDefaultPublicationRights: true,
				applyWaterMark: true,
			},
			options: fast,
		},
		[
			{
				files: [
					{
						property: 'attachment_0',
						fileName: 'liste.pdf',
						mimeType: 'application/pdf',
						size: 100,
					},
				],
			},
		],
	);
	expect(result.error).toBeUndefined();
	expect(sandbox.requests.at(-1)!.actions[0].parameters).toEqual({
		Art: 'Dokument',
		documentAttribute: 'document_reservation_list',
		file: 'liste.pdf',
		freetext: 'Frei',
		module: 'estate',
		position: 0,
		relatedRecordId: 30,
		setDefaultPublicationRights: true,
		title: 'liste',
		tmpUploadId: expect.any(String),
	});
});

test('every binary property of an item: photos as Foto, PDFs as Dokument, one output item each paired to the input', async () => {
	const result = await runWithFiles(
		sandbox,
		{
			operation: 'uploadFile',
			module: 'estate',
			relatedRecordId: 2651,
			uploadAllBinaryProperties: true,
			fileType: 'auto',
			options: fast,
		},
		[
			{
				json: { subject: 'Fotos' },
				files: [
					{
						property: 'attachment_0',
						fileName: 'wohnzimmer.jpg',
						mimeType: 'image/jpeg',
						size: 500,
						seed: '0',
					},
					{
						property: 'attachment_1',
						fileName: 'expose.pdf',
						mimeType: 'application/pdf',
						size: 700,
						seed: '1',
					},
					{
						property: 'attachment_2',
						fileName: 'küche.png',
						mimeType: 'image/png',
						size: 300,
						seed: '2',
					},
				],
			},
			{
				json: { subject: 'Plan' },
				files: [
					{
						property: 'attachment_0',
						fileName: 'plan.pdf',
						mimeType: 'application/pdf',
						size: 10,
						seed: '3',
					},
				],
			},
		],
	);
	expect(result.error).toBeUndefined();
	expect(sandbox.files().map((f) => [f.fileName, f.art, f.sha256])).toEqual([
		['wohnzimmer.jpg', 'Foto', sha(sample(500, '0'))],
		['expose.pdf', 'Dokument', sha(sample(700, '1'))],
		['küche.png', 'Foto', sha(sample(300, '2'))],
		['plan.pdf', 'Dokument', sha(sample(10, '3'))],
	]);
	expect(result.output('onOffice').map((o) => [o.json.binaryPropertyName, o.pairedItem])).toEqual([
		['attachment_0', { item: 0 }],
		['attachment_1', { item: 0 }],
		['attachment_2', { item: 0 }],
		['attachment_0', { item: 1 }],
	]);
});

test('a comma-separated list of binary properties uploads each; the file name option renames', async () => {
	const result = await runWithFiles(
		sandbox,
		{
			operation: 'uploadFile',
			module: 'address',
			relatedRecordId: 1,
			binaryPropertyName: 'a, b',
			options: {
				...fast,
				fileName: '={{ $binary.a.fileName === "x.txt" ? "umbenannt-ä.txt" : "" }}',
			},
		},
		[
			{
				files: [
					{ property: 'a', fileName: 'x.txt', mimeType: 'text/plain', size: 5 },
					{ property: 'b', fileName: 'y.txt', mimeType: 'text/plain', size: 6 },
					{ property: 'c', fileName: 'z.txt', mimeType: 'text/plain', size: 7 },
				],
			},
		],
	);
	expect(result.error).toBeUndefined();
	expect(sandbox.files().map((f) => [f.fileName, f.size])).toEqual([
		['umbenannt-ä.txt', 5],
		['umbenannt-ä.txt', 6],
	]);
});

test('Stage File uploads into the tmpUpload cache and returns the cacheFileUuid', async () => {
	const result = await runWithFiles(
		sandbox,
		{ operation: 'stageFile', options: { ...fast, blockSize: 3 } },
		[
			{
				files: [
					{
						property: 'data',
						fileName: 'entwurf.pdf',
						mimeType: 'application/pdf',
						size: 7000,
						seed: 's',
					},
				],
			},
		],
		{ binaryMode: 'filesystem' },
	);
	expect(result.error).toBeUndefined();
	const [staged] = sandbox.store.cache;
	expect(staged).toMatchObject({
		fileName: 'entwurf.pdf',
		size: 7000,
		blocks: 3,
		sha256: sha(sample(7000, 's')),
	});
	expect(result.output('onOffice').map((o) => o.json)).toEqual([
		{
			operation: 'stageFile',
			module: 'tmpUpload',
			binaryPropertyName: 'data',
			fileName: 'entwurf.pdf',
			cacheFileUuid: staged.cacheFileUuid,
			tmpUploadId: staged.tmpUploadId,
			filesize: 7000,
			blocks: 3,
		},
	]);
	expect(sandbox.files()).toHaveLength(0);
});

describe('Add Link', () => {
	const links = (n: number) =>
		Array.from({ length: n }, (_, i) => ({
			estate: i % 2 ? 409 : 2651,
			url: `https://tour.example/${i}`,
			name: `Tour ${i}`,
		}));
	const linkParams = (options: Record<string, unknown> = {}) => ({
		operation: 'addLink',
		relatedRecordId: '={{ $json.estate }}',
		url: '={{ $json.url }}',
		fileType: 'Ogulo-Link',
		title: '={{ $json.name }}',
		options: { ...fast, ...options },
	});

	test('N links go in ceil(N / batch size) requests, results matched back to their items', async () => {
		const result = await runWithItems(sandbox, linkParams({ batchSize: 3 }), links(7));
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.map((r) => r.actions.length)).toEqual([3, 3, 1]);
		expect(sandbox.files().map((f) => [f.relatedRecordId, f.url, f.art, f.title])).toEqual(
			links(7).map((l) => [l.estate, l.url, 'Ogulo-Link', l.name]),
		);
		const out = result.output('onOffice');
		expect(out).toHaveLength(7);
		out.forEach((o, i) => {
			expect(o.pairedItem).toEqual({ item: i });
			expect(o.json).toMatchObject({
				operation: 'addLink',
				relatedRecordId: links(7)[i].estate,
				url: links(7)[i].url,
				fileType: 'Ogulo-Link',
			});
			expect(o.json.fileId).toBe(
				String(sandbox.files().find((f) => f.url === links(7)[i].url)!.fileId),
			);
		});
	});

	test('a per-action error fails only its item (Continue On Fail: one output per input)', async () => {
		sandbox.inject({
			kind: 'actionError',
			code: 262,
			parameter: { url: 'https://tour.example/2' },
		});
		const result = await runWithItems(sandbox, linkParams(), links(4), { continueOnFail: true });
		const out = result.output('onOffice');
		expect(out).toHaveLength(4);
		expect(out.map((o) => Boolean(o.json.error))).toEqual([false, false, true, false]);
		expect(out[2].json.error).toMatch(/onOffice code 262/);
		expect(out[2].json.description).toMatch(/write rights for estates/);
		expect(sandbox.files()).toHaveLength(3);
	});
});

describe('retries and lost answers', () => {
	test('a 5xx on a middle block is retried, re-signed, and the file still arrives byte-identical', async () => {
		sandbox.inject({ kind: 'http', status: 503, when: { step: 'block', nth: 2 } });
		const result = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'estate',
				relatedRecordId: 409,
				fileType: 'Foto',
				options: { ...fast, blockSize: 3 },
			},
			[
				{
					files: [
						{ property: 'data', fileName: 'a.jpg', mimeType: 'image/jpeg', size: 12000, seed: 'r' },
					],
				},
			],
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.files()).toHaveLength(1);
		expect(sandbox.files()[0]).toMatchObject({
			size: 12000,
			sha256: sha(sample(12000, 'r')),
			blocks: 4,
		});
		expect(sandbox.requests.map((r) => r.httpStatus)).toEqual([200, 200, 503, 200, 200, 200]);
		expect(sandbox.requests.every((r) => r.fault || r.actions.every((a) => a.hmacValid))).toBe(
			true,
		);
	});

	test('a block whose answer was lost after it was appended is detected by its size and the upload restarts cleanly', async () => {
		sandbox.inject({ kind: 'lostAnswer', when: { step: 'block', nth: 1 } });
		const result = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'estate',
				relatedRecordId: 409,
				fileType: 'Foto',
				options: { ...fast, blockSize: 3 },
			},
			[
				{
					files: [
						{ property: 'data', fileName: 'a.jpg', mimeType: 'image/jpeg', size: 9000, seed: 'l' },
					],
				},
			],
		);
		expect(result.error).toBeUndefined();
		const [file] = sandbox.files();
		expect(sandbox.files()).toHaveLength(1);
		expect(file).toMatchObject({ size: 9000, sha256: sha(sample(9000, 'l')) });
		expect(result.output('onOffice')[0].json.restarts).toBe(1);
	});

	test('a lost step-2 answer: the record is read, the file is reported, and it exists exactly once', async () => {
		sandbox.inject({ kind: 'lostAnswer', when: { step: 'step2' } });
		const result = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'estate',
				relatedRecordId: 409,
				fileType: 'Expose',
				options: fast,
			},
			[
				{
					files: [
						{ property: 'data', fileName: 'expose.pdf', mimeType: 'application/pdf', size: 3000 },
					],
				},
			],
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.files()).toHaveLength(1);
		const [out] = result.output('onOffice');
		expect(out.json).toMatchObject({
			fileId: String(sandbox.files()[0].fileId),
			recoveredAfterLostAnswer: true,
		});
		expect(sandbox.requests.filter((r) => r.step === 'step2')).toHaveLength(1);
	});

	test('a step-2 request that never arrived is sent again after the record shows it missing', async () => {
		sandbox.inject({ kind: 'drop', when: { step: 'step2' } });
		const result = await runWithFiles(
			sandbox,
			{ operation: 'uploadFile', module: 'address', relatedRecordId: 1, options: fast },
			[
				{
					files: [
						{ property: 'data', fileName: 'ausweis.pdf', mimeType: 'application/pdf', size: 300 },
					],
				},
			],
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.files()).toHaveLength(1);
		expect(sandbox.requests.filter((r) => r.step === 'step2')).toHaveLength(2);
	});

	test('a lost step-2 answer for a task is reported, never re-sent', async () => {
		sandbox.inject({ kind: 'lostAnswer', when: { step: 'step2' } });
		const result = await runWithFiles(
			sandbox,
			{ operation: 'uploadFile', module: 'task', relatedRecordId: 9, options: fast },
			[{ files: [{ property: 'data', fileName: 'notiz.txt', mimeType: 'text/plain', size: 30 }] }],
			{ continueOnFail: true },
		);
		const [out] = result.output('onOffice');
		expect(out.json.error).toMatch(
			/offers no way to read task files back, so it was not sent again/,
		);
		expect(sandbox.files()).toHaveLength(1);
		expect(sandbox.requests.filter((r) => r.step === 'step2')).toHaveLength(1);
	});

	test('HTTP 413 halves the block size automatically and the file arrives', async () => {
		const limited = await startSandbox({ maxRequestBytes: 20_000 });
		try {
			const result = await runWithFiles(
				limited,
				{
					operation: 'uploadFile',
					module: 'estate',
					relatedRecordId: 409,
					fileType: 'Foto',
					options: { ...fast, blockSize: 24 },
				},
				[
					{
						files: [
							{
								property: 'data',
								fileName: 'big.jpg',
								mimeType: 'image/jpeg',
								size: 40_000,
								seed: 'b',
							},
						],
					},
				],
			);
			expect(result.error).toBeUndefined();
			expect(limited.files()[0]).toMatchObject({ size: 40_000, sha256: sha(sample(40_000, 'b')) });
			expect(limited.requests.filter((r) => r.httpStatus === 413).length).toBeGreaterThan(0);
		} finally {
			await limited.stop();
		}
	});
});

describe('input errors', () => {
	const estate = {
		operation: 'uploadFile',
		module: 'estate',
		relatedRecordId: 409,
		fileType: 'Foto',
		options: fast,
	};
	const jpg = [
		{ files: [{ property: 'data', fileName: 'a.jpg', mimeType: 'image/jpeg', size: 10 }] },
	];

	test('a missing binary property names the ones the item has', async () => {
		const result = await runWithFiles(sandbox, { ...estate, binaryPropertyName: 'attachment' }, [
			{
				files: [{ property: 'attachment_0', fileName: 'a.jpg', mimeType: 'image/jpeg', size: 10 }],
			},
		]);
		expect(result.error?.message).toBe(
			'Item 0 has no binary property "attachment" (field "Input Binary Field"); it has "attachment_0"',
		);
		expect((result.error as any).description).toMatch(/Its binary properties are: attachment_0/);
		expect(sandbox.requests).toHaveLength(0);
	});

	test.each([
		[0, /must be a positive whole number, got 0/],
		[-5, /must be a positive whole number, got -5/],
		['={{ "abc" }}', /must be a positive whole number, got "abc"/],
		['={{ "" }}', /the field "Related Record ID" is empty/],
	])('record id %j', async (relatedRecordId, message) => {
		const result = await runWithFiles(sandbox, { ...estate, relatedRecordId }, jpg);
		expect(result.error?.message).toMatch(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('an estate upload with an empty file type, a link type for a file, and a file type for a link', async () => {
		expect(
			(await runWithFiles(sandbox, { ...estate, fileType: '={{ "" }}' }, jpg)).error?.message,
		).toMatch(/Item 0: the field "File Type" is empty/);
		expect(
			(await runWithFiles(sandbox, { ...estate, fileType: '={{ "Link" }}' }, jpg)).error?.message,
		).toMatch(/"Link" is a link type and cannot be used for an uploaded file/);
		expect(
			(
				await runWithItems(
					sandbox,
					{
						operation: 'addLink',
						relatedRecordId: 409,
						url: 'https://a.example',
						fileType: '={{ "Foto" }}',
					},
					[{}],
				)
			).error?.message,
		).toMatch(/"Foto" is a file type and cannot be used for a link/);
	});

	test.each([['ftp://x.example/a'], ['javascript:alert(1)'], ['={{ "" }}']])(
		'a link URL %j is refused before anything is sent',
		async (url) => {
			const result = await runWithItems(
				sandbox,
				{ operation: 'addLink', relatedRecordId: 409, url, fileType: 'Link' },
				[{}],
			);
			expect(result.error?.message).toMatch(
				/Item 0: the field "URL" (must be an http or https address|is empty)/,
			);
			expect(sandbox.requests).toHaveLength(0);
		},
	);

	test('Continue On Fail: every input item yields exactly one output item, in order', async () => {
		const result = await runWithFiles(
			sandbox,
			{ ...estate, relatedRecordId: '={{ $json.estate }}' },
			[
				{
					json: { estate: 409 },
					files: [{ property: 'data', fileName: 'a.jpg', mimeType: 'image/jpeg', size: 10 }],
				},
				{
					json: { estate: 0 },
					files: [{ property: 'data', fileName: 'b.jpg', mimeType: 'image/jpeg', size: 10 }],
				},
				{
					json: { estate: 4711 },
					files: [{ property: 'data', fileName: 'c.jpg', mimeType: 'image/jpeg', size: 10 }],
				},
				{
					json: { estate: 30 },
					files: [{ property: 'other', fileName: 'd.jpg', mimeType: 'image/jpeg', size: 10 }],
				},
				{
					json: { estate: 30 },
					files: [{ property: 'data', fileName: 'e.jpg', mimeType: 'image/jpeg', size: 10 }],
				},
			],
			{ continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		const out = result.output('onOffice');
		expect(out.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(out.map((o) => (o.json.error ? 'error' : o.json.fileName))).toEqual([
			'a.jpg',
			'error',
			'error',
			'error',
			'e.jpg',
		]);
		expect(out[1].json.error).toMatch(
			/Item 1: the field "Related Record ID" must be a positive whole number/,
		);
		expect(out[2].json).toMatchObject({
			onOfficeCode: 293,
			error: expect.stringMatching(/onOffice code 293/),
		});
		expect(out[3].json.error).toMatch(/Item 3 has no binary property "data"/);
		expect(sandbox.files().map((f) => f.fileName)).toEqual(['a.jpg', 'e.jpg']);
	});

	test('without Continue On Fail the first failing item stops the node with its item index', async () => {
		const result = await runWithFiles(
			sandbox,
			{ ...estate, relatedRecordId: '={{ $json.estate }}' },
			[
				{
					json: { estate: 0 },
					files: [{ property: 'data', fileName: 'a.jpg', mimeType: 'image/jpeg', size: 10 }],
				},
				{
					json: { estate: 409 },
					files: [{ property: 'data', fileName: 'b.jpg', mimeType: 'image/jpeg', size: 10 }],
				},
			],
		);
		expect(result.error?.message).toMatch(/^Item 0:/);
		expect((result.error as any).context?.itemIndex).toBe(0);
		expect(sandbox.files()).toHaveLength(0);
	});
});
