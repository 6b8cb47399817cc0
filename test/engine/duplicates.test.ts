// Running a workflow again: On Duplicate (Upload Anyway, Skip, Replace) for files and links, the title picture
// option, and the arrived-file check after a lost answer whatever the server's clock says. All through n8n-core's
// engine against the sandbox; what the sandbox holds afterwards is the proof.
import type { StoredFile } from '../sandbox/store';
import { fast, runWithFiles, runWithItems } from './workflows';
import { useSandbox } from '../sandbox/useSandbox';

const sandbox = useSandbox();
beforeEach(() => {
	sandbox.options.clockSkewSeconds = 0;
});

/** Files already on a record before the workflow runs, as an earlier upload would have left them. */
function seed(
	module: StoredFile['module'],
	relatedRecordId: number,
	files: Array<Partial<StoredFile> & { fileName: string }>,
): StoredFile[] {
	return files.map((f) => {
		const file: StoredFile = {
			fileId: sandbox.store.nextId(),
			module,
			relatedRecordId,
			position: 0,
			size: 100,
			sha256: 'seeded',
			blocks: 1,
			modified: sandbox.store.now() - 3600,
			...(module === 'estate' ? { art: 'Foto', title: f.fileName.replace(/\.[^.]+$/, '') } : {}),
			...f,
		};
		sandbox.store.place(file, undefined);
		return file;
	});
}

const requests = (resourcetype: string, actionid?: string) =>
	sandbox.requests.filter(
		(r) =>
			r.actions[0]?.resourcetype === resourcetype &&
			(!actionid || r.actions[0].actionid === actionid),
	);
/** A record's files in the order of its Files tab. */
const onTab = (relatedRecordId: number, module?: StoredFile['module']) =>
	sandbox
		.files({ relatedRecordId, ...(module ? { module } : {}) })
		.sort((a, b) => a.position - b.position);
const uploads = () => sandbox.requests.filter((r) => r.step === 'firstBlock');
const photo = (fileName: string, size = 100, seed = fileName) => ({
	property: 'data',
	fileName,
	mimeType: 'image/jpeg',
	size,
	seed,
});
const estateUpload = (extra: Record<string, unknown> = {}) => ({
	operation: 'uploadFile',
	module: 'estate',
	relatedRecordId: 409,
	fileType: 'Foto',
	options: fast,
	...extra,
});

describe('Upload File, On Duplicate', () => {
	test('Upload Anyway (the default) uploads a second copy and reads nothing', async () => {
		seed('estate', 409, [{ fileName: 'flur.jpg' }]);
		const result = await runWithFiles(sandbox, estateUpload(), [{ files: [photo('flur.jpg')] }]);
		expect(result.error).toBeUndefined();
		expect(sandbox.files({ relatedRecordId: 409 }).map((f) => f.fileName)).toEqual([
			'flur.jpg',
			'flur.jpg',
		]);
		expect(requests('file', 'get')).toHaveLength(0);
	});

	test.each([
		['estate', 409],
		['address', 7],
	] as const)(
		'Skip on an %s: the same name and size is skipped with its fileId; another size is uploaded',
		async (module, id) => {
			const [old] = seed(module, id, [{ fileName: 'vertrag.pdf', size: 100 }]);
			const result = await runWithFiles(
				sandbox,
				{
					operation: 'uploadFile',
					module,
					relatedRecordId: id,
					fileType: 'Dokument',
					onDuplicate: 'skip',
					options: fast,
				},
				[
					{
						files: [
							{ property: 'data', fileName: 'vertrag.pdf', mimeType: 'application/pdf', size: 100 },
						],
					},
					{
						files: [
							{ property: 'data', fileName: 'vertrag.pdf', mimeType: 'application/pdf', size: 150 },
						],
					},
				],
			);
			expect(result.error).toBeUndefined();
			const [skipped, uploaded] = result.output('onOffice');
			const noun = module === 'estate' ? 'estate' : 'address';
			expect(skipped.json).toMatchObject({
				skipped: true,
				fileId: String(old.fileId),
				fileName: 'vertrag.pdf',
				reason: `${noun} ${id} already has "vertrag.pdf" with the same size (100 bytes) as file ${old.fileId} (On Duplicate: Skip)`,
			});
			expect(skipped.json).not.toHaveProperty('tmpUploadId');
			expect(uploaded.json.skipped).toBeUndefined();
			expect(sandbox.files({ relatedRecordId: id }).map((f) => f.size)).toEqual([100, 150]);
			expect(uploads()).toHaveLength(1);
			// The record was read once for both items.
			expect(requests('file', 'get')).toHaveLength(1);
		},
	);

	test('Skip: two items carrying the same attachment upload it once, also when they run at the same time', async () => {
		const attachment = {
			property: 'attachment_0',
			fileName: 'Grundriss.pdf',
			mimeType: 'application/pdf',
			size: 5000,
			seed: 'g',
		};
		const result = await runWithFiles(
			sandbox,
			estateUpload({
				uploadAllBinaryProperties: true,
				fileType: 'Dokument',
				onDuplicate: 'skip',
				options: { ...fast, concurrency: 2 },
			}),
			[{ files: [attachment] }, { files: [attachment] }],
		);
		expect(result.error).toBeUndefined();
		const out = result.output('onOffice').map((o) => o.json);
		const [stored] = sandbox.files({ relatedRecordId: 409 });
		expect(sandbox.files({ relatedRecordId: 409 })).toHaveLength(1);
		expect(out.filter((o) => o.skipped === true)).toEqual([
			expect.objectContaining({ fileId: String(stored.fileId) }),
		]);
		expect(out.filter((o) => o.skipped === undefined)).toEqual([
			expect.objectContaining({ fileId: String(stored.fileId) }),
		]);
	});

	test('Skip on a record with more than 100 files: every page is read, once per execution', async () => {
		seed(
			'estate',
			2651,
			Array.from({ length: 130 }, (_, i) => ({ fileName: `foto-${i}.jpg`, size: 100 + i })),
		);
		const result = await runWithFiles(
			sandbox,
			{ ...estateUpload({ relatedRecordId: 2651, onDuplicate: 'skip' }) },
			[
				{ files: [photo('foto-120.jpg', 220)] },
				{ files: [photo('foto-5.jpg', 105)] },
				{ files: [photo('foto-131.jpg', 100)] },
			],
		);
		expect(result.error).toBeUndefined();
		expect(result.output('onOffice').map((o) => o.json.skipped ?? false)).toEqual([
			true,
			true,
			false,
		]);
		const reads = requests('file', 'get');
		expect(reads.map((r) => r.actions[0].parameters.listoffset)).toEqual([0, 100]);
		expect(reads.every((r) => r.actions[0].parameters.listlimit === 100)).toBe(true);
		expect(sandbox.files({ relatedRecordId: 2651 })).toHaveLength(131);
	});

	test('Replace: the new file is linked first and takes over title, position and document attribute; then the old one goes', async () => {
		seed('estate', 409, [{ fileName: 'a.jpg' }, { fileName: 'b.jpg' }]);
		const [old] = seed('estate', 409, [
			{
				fileName: 'expose.pdf',
				size: 300,
				art: 'Expose',
				title: 'Exposé Musterstraße',
				documentAttribute: 'document_expose',
			},
		]);
		seed('estate', 409, [{ fileName: 'c.jpg' }]);
		expect(old.position).toBe(2);
		const result = await runWithFiles(
			sandbox,
			estateUpload({ fileType: 'Expose', onDuplicate: 'replace' }),
			[
				{
					files: [
						{
							property: 'data',
							fileName: 'expose.pdf',
							mimeType: 'application/pdf',
							size: 900,
							seed: 'new',
						},
					],
				},
			],
		);
		expect(result.error).toBeUndefined();
		const files = onTab(409);
		expect(files.map((f) => [f.fileName, f.size])).toEqual([
			['a.jpg', 100],
			['b.jpg', 100],
			['expose.pdf', 900],
			['c.jpg', 100],
		]);
		const replacement = files[2];
		expect(replacement).toMatchObject({
			title: 'Exposé Musterstraße',
			documentAttribute: 'document_expose',
			art: 'Expose',
			position: 2,
		});
		expect(result.output('onOffice')[0].json).toMatchObject({
			fileId: String(replacement.fileId),
			replacedFileId: String(old.fileId),
			title: 'Exposé Musterstraße',
		});
		// Order: link (without the attribute the old file still holds), remove the old file, then give the attribute.
		const order = sandbox.requests.map(
			(r) => r.step ?? `${r.actions[0].actionid} ${r.actions[0].resourcetype}`,
		);
		expect(order).toEqual([
			'get file',
			'firstBlock',
			'step2',
			'delete fileRelation',
			'modify fileRelation',
		]);
		expect(
			sandbox.requests.find((r) => r.step === 'step2')!.actions[0].parameters,
		).not.toHaveProperty('documentAttribute');
	});

	test('Replace with what the node sets: its own title and document attribute win, any size counts', async () => {
		const [old] = seed('estate', 30, [
			{ fileName: 'preise.pdf', size: 50, title: 'Alt', documentAttribute: 'document_price_list' },
		]);
		const result = await runWithFiles(
			sandbox,
			estateUpload({
				relatedRecordId: 30,
				fileType: 'Dokument',
				title: 'Preisliste 2026',
				onDuplicate: 'replace',
				additionalFields: { documentAttribute: 'document_reservation_list' },
			}),
			[
				{
					files: [
						{ property: 'data', fileName: 'preise.pdf', mimeType: 'application/pdf', size: 70 },
					],
				},
			],
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.files({ relatedRecordId: 30 })).toEqual([
			expect.objectContaining({
				fileName: 'preise.pdf',
				size: 70,
				title: 'Preisliste 2026',
				documentAttribute: 'document_reservation_list',
			}),
		]);
		expect(result.output('onOffice')[0].json.replacedFileId).toBe(String(old.fileId));
	});

	test('Replace on an address removes the old file after the new one is linked', async () => {
		const [old] = seed('address', 1, [{ fileName: 'ausweis.pdf', size: 10 }]);
		const result = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'address',
				relatedRecordId: 1,
				onDuplicate: 'replace',
				options: fast,
			},
			[
				{
					files: [
						{ property: 'data', fileName: 'ausweis.pdf', mimeType: 'application/pdf', size: 20 },
					],
				},
			],
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.files({ module: 'address', relatedRecordId: 1 }).map((f) => f.size)).toEqual([
			20,
		]);
		expect(result.output('onOffice')[0].json.replacedFileId).toBe(String(old.fileId));
	});

	test('Replace when the upload fails half-way: the old file stays and nothing is removed', async () => {
		const [old] = seed('estate', 409, [{ fileName: 'plan.pdf', size: 10 }]);
		sandbox.inject({ kind: 'http', status: 503, when: { step: 'block' }, times: 10 });
		const result = await runWithFiles(
			sandbox,
			estateUpload({
				fileType: 'Dokument',
				onDuplicate: 'replace',
				options: { ...fast, blockSize: 3 },
			}),
			[
				{
					files: [
						{ property: 'data', fileName: 'plan.pdf', mimeType: 'application/pdf', size: 9000 },
					],
				},
			],
			{ continueOnFail: true },
		);
		const [out] = result.output('onOffice');
		expect(out.json.error).toMatch(/HTTP 503/);
		expect(sandbox.files({ relatedRecordId: 409 })).toEqual([
			expect.objectContaining({ fileId: old.fileId, size: 10 }),
		]);
		expect(requests('fileRelation')).toHaveLength(0);
	});

	test('the choice is not offered for agents-log entries and tasks (no documented read): they upload as before', async () => {
		const result = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'task',
				relatedRecordId: 9,
				onDuplicate: 'skip',
				options: fast,
			},
			[{ files: [photo('notiz.jpg')] }, { files: [photo('notiz.jpg')] }],
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.files({ module: 'task', relatedRecordId: 9 })).toHaveLength(2);
		expect(requests('file', 'get')).toHaveLength(0);
	});
});

describe('title picture', () => {
	test('without the option a second Titelbild fails with 239 and a hint to the option', async () => {
		seed('estate', 409, [{ fileName: 'alt.jpg', art: 'Titelbild' }]);
		const result = await runWithFiles(sandbox, estateUpload({ fileType: 'Titelbild' }), [
			{ files: [photo('neu.jpg')] },
		]);
		expect(result.error?.message).toMatch(/onOffice code 239/);
		expect((result.error as { description?: string }).description).toMatch(
			/Replace Existing Title Picture/,
		);
	});

	test('Replace Existing Title Picture: the new one becomes Titelbild, the old one Foto, and neither is ever missing', async () => {
		const [old] = seed('estate', 409, [{ fileName: 'alt.jpg', art: 'Titelbild' }]);
		const result = await runWithFiles(
			sandbox,
			estateUpload({ fileType: 'Titelbild', additionalFields: { replaceTitlePicture: true } }),
			[{ files: [photo('neu.jpg')] }],
		);
		expect(result.error).toBeUndefined();
		const files = sandbox.files({ relatedRecordId: 409 });
		expect(files.map((f) => [f.fileName, f.art])).toEqual([
			['alt.jpg', 'Foto'],
			['neu.jpg', 'Titelbild'],
		]);
		expect(files[0].fileId).toBe(old.fileId);
		expect(sandbox.requests.find((r) => r.step === 'step2')!.actions[0].parameters.Art).toBe(
			'Foto',
		);
		expect(requests('fileRelation', 'modify').map((r) => r.actions[0].parameters)).toEqual([
			{ relationtype: 'estate', parentid: 409, fileId: files[1].fileId, Art: 'Titelbild' },
		]);
		expect(result.output('onOffice')[0].json).toMatchObject({
			fileType: 'Titelbild',
			madeTitlePicture: true,
		});
	});

	test('Replace of the title picture itself keeps the estate with a title picture throughout', async () => {
		seed('estate', 409, [{ fileName: 'titel.jpg', art: 'Titelbild', size: 10 }]);
		const result = await runWithFiles(
			sandbox,
			estateUpload({ fileType: 'Titelbild', onDuplicate: 'replace' }),
			[{ files: [photo('titel.jpg', 20)] }],
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.files({ relatedRecordId: 409 }).map((f) => [f.fileName, f.art, f.size])).toEqual(
			[['titel.jpg', 'Titelbild', 20]],
		);
	});
});

describe('the arrived-file check after a lost answer, with the server clock off', () => {
	test.each([-110, 110])(
		'server clock %i s off: the file that arrived is found, an older copy is not taken for it',
		async (skew) => {
			sandbox.options.clockSkewSeconds = skew;
			// An older copy with the same name and size, stored 90 s before by the server's clock.
			const [older] = seed('estate', 409, [
				{ fileName: 'scan.pdf', size: 400, modified: sandbox.store.now() - 90 },
			]);
			sandbox.inject({ kind: 'lostAnswer', when: { step: 'step2' } });
			const result = await runWithFiles(sandbox, estateUpload({ fileType: 'Dokument' }), [
				{
					files: [
						{ property: 'data', fileName: 'scan.pdf', mimeType: 'application/pdf', size: 400 },
					],
				},
			]);
			expect(result.error).toBeUndefined();
			const files = sandbox.files({ relatedRecordId: 409 });
			expect(files).toHaveLength(2);
			const [out] = result.output('onOffice');
			expect(out.json).toMatchObject({
				recoveredAfterLostAnswer: true,
				fileId: String(files[1].fileId),
			});
			expect(out.json.fileId).not.toBe(String(older.fileId));
			// Linked once: the check read the record instead of sending step 2 again.
			expect(sandbox.requests.filter((r) => r.step === 'step2')).toHaveLength(1);
		},
	);

	test('the same for links: a lost answer with the server 110 s behind is recognised, nothing is added twice', async () => {
		sandbox.options.clockSkewSeconds = -110;
		sandbox.inject({ kind: 'lostAnswer', when: { step: 'link' } });
		const result = await runWithItems(
			sandbox,
			{
				operation: 'addLink',
				relatedRecordId: '={{ $json.estate }}',
				url: '={{ $json.url }}',
				fileType: 'Link',
				options: fast,
			},
			[
				{ estate: 409, url: 'https://example.com/a' },
				{ estate: 30, url: 'https://example.com/b' },
			],
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.files().filter((f) => f.url)).toHaveLength(2);
		expect(result.output('onOffice').map((o) => o.json.recoveredAfterLostAnswer)).toEqual([
			true,
			true,
		]);
	});
});

describe('Add Link, On Duplicate', () => {
	const linkParams = (onDuplicate: string) => ({
		operation: 'addLink',
		relatedRecordId: '={{ $json.estate }}',
		url: '={{ $json.url }}',
		fileType: 'Ogulo-Link',
		title: '={{ $json.title ?? "" }}',
		onDuplicate,
		options: fast,
	});

	test('Skip: a link to the same URL (scheme and host in any case, trailing slash or not) and a repeated item are skipped', async () => {
		const [old] = seed('estate', 409, [
			{ fileName: '', url: 'HTTPS://Tour.Example.com/409/Rundgang/', art: 'Ogulo-Link', size: 0 },
		]);
		const result = await runWithItems(sandbox, linkParams('skip'), [
			{ estate: 409, url: 'https://tour.example.com/409/Rundgang' },
			{ estate: 409, url: 'https://tour.example.com/409/rundgang' },
			{ estate: 30, url: 'https://tour.example.com/30/x' },
			{ estate: 30, url: 'https://tour.example.com/30/x/' },
		]);
		expect(result.error).toBeUndefined();
		const out = result.output('onOffice').map((o) => o.json);
		expect(out.map((o) => o.skipped ?? false)).toEqual([true, false, false, true]);
		expect(out[0]).toMatchObject({
			fileId: String(old.fileId),
			reason: expect.stringMatching(
				/estate 409 already has a link to HTTPS:\/\/Tour\.Example\.com\/409\/Rundgang\/ as file \d+/,
			),
		});
		expect(out[3].reason).toMatch(/item 2 of this run adds the same link to estate 30/);
		// The path keeps its case: /rundgang is another page.
		expect(
			sandbox
				.files()
				.filter((f) => f.url)
				.map((f) => f.url),
		).toEqual([
			'HTTPS://Tour.Example.com/409/Rundgang/',
			'https://tour.example.com/409/rundgang',
			'https://tour.example.com/30/x',
		]);
	});

	test('Replace: the new link takes over title and position, then the old one is removed', async () => {
		seed('estate', 2651, [{ fileName: 'a.jpg' }]);
		const [old] = seed('estate', 2651, [
			{
				fileName: '',
				url: 'https://video.example.com/2651',
				art: 'Film-Link',
				title: 'Drohnenflug',
				size: 0,
			},
		]);
		seed('estate', 2651, [{ fileName: 'b.jpg' }]);
		const result = await runWithItems(sandbox, linkParams('replace'), [
			{ estate: 2651, url: 'https://video.example.com/2651/' },
		]);
		expect(result.error).toBeUndefined();
		const files = onTab(2651);
		expect(files.map((f) => [f.url ?? f.fileName, f.art, f.title])).toEqual([
			['a.jpg', 'Foto', 'a'],
			['https://video.example.com/2651/', 'Ogulo-Link', 'Drohnenflug'],
			['b.jpg', 'Foto', 'b'],
		]);
		expect(result.output('onOffice')[0].json).toMatchObject({
			replacedFileId: String(old.fileId),
			title: 'Drohnenflug',
		});
	});
});
