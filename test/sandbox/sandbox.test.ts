import examples from '../fixtures/uploadfile-doc-examples.json';
import { call, doUpload, first, ONOFFICE_ACTION } from './client';
import { DEFAULT_SECRET, DEFAULT_TOKEN, startSandbox } from './server';
import { MiB, sha } from '../../scripts/lib/bytes';
import { useSandbox } from './useSandbox';

const sandbox = useSandbox();

const b64 = (text: string) => Buffer.from(text).toString('base64');

async function stage(data: Buffer): Promise<string> {
	const answer = await call(sandbox, [doUpload({ data: data.toString('base64') })]);
	return first(answer).elements.tmpUploadId;
}

describe('the File upload page, replayed', () => {
	test('example 1: step 1 returns a tmpUploadId and the decoded size; step 2 links the photo to estate 30', async () => {
		const step1 = examples.example1Step1Request as any;
		const a1 = await call(sandbox, [step1]);
		expect(a1.status).toBe(200);
		expect(a1.json.status).toEqual({ code: 200, errorcode: 0, message: 'OK' });
		const r1 = first(a1);
		// The page's response shows 9407 next to data that decodes to 4932 bytes; onOffice reports decoded bytes.
		expect(r1.elements).toEqual({
			filesize: 4932,
			tmpUploadId: expect.stringMatching(/^[0-9a-f-]{36}$/),
		});
		expect(r1.result.data.records[0]).toMatchObject({ id: 0, type: '' });
		expect(r1.result.resourceid).toBe('');

		const step2 = structuredClone(examples.example1Step2Request) as any;
		step2.parameters.tmpUploadId = r1.elements.tmpUploadId;
		const r2 = first(await call(sandbox, [step2]));
		expect(r2.status).toEqual({ errorcode: 0, message: 'OK' });
		expect(r2.elements).toEqual({
			filesize: 4932,
			tmpUploadId: r1.elements.tmpUploadId,
			fileId: expect.stringMatching(/^\d+$/),
			success: 'success',
		});
		const [file] = sandbox.files();
		expect(file).toMatchObject({
			module: 'estate',
			relatedRecordId: 30,
			fileName: 'JPEG_example_JPG_RIP_025.jpg',
			title: 'Titel',
			art: 'Foto',
			freetext: 'Freitext',
			documentAttribute: 'document_reservation_list',
			setDefaultPublicationRights: true,
			size: 4932,
			blocks: 1,
		});
		expect(file.sha256).toBe(sha(Buffer.from(step1.parameters.data, 'base64')));
	});

	test('example 2: module tmpUpload answers with cacheFileUuid, filesize 4880 and the identifier echoed', async () => {
		const a1 = await call(sandbox, [examples.example2Step1Request as any]);
		const r1 = first(a1);
		expect(r1.elements.filesize).toBe(4880);
		expect(r1.result.identifier).toBe('1');
		const step2 = structuredClone(examples.example2Step2Request) as any;
		step2.parameters.tmpUploadId = r1.elements.tmpUploadId;
		const a2 = await call(sandbox, [step2]);
		const documented = examples.example2Step2Response as any;
		expect(a2.json.status).toEqual(documented.status);
		const result = a2.json.response.results[0];
		const expected = documented.response.results[0];
		expect({ ...result, data: undefined }).toEqual({ ...expected, data: undefined });
		expect(result.data.meta).toEqual(expected.data.meta);
		expect(Object.keys(result.data.records[0].elements).sort()).toEqual(
			Object.keys(expected.data.records[0].elements).sort(),
		);
		expect(result.data.records[0].elements).toMatchObject({
			filesize: 4880,
			tmpUploadId: r1.elements.tmpUploadId,
			success: 'success',
		});
		expect(sandbox.store.cache).toHaveLength(1);
		expect(sandbox.files()).toHaveLength(0);
	});

	test('example 3: a link goes to estate 2651 in one call', async () => {
		const answer = first(await call(sandbox, [examples.example3LinkRequest as any]));
		expect(answer.status.errorcode).toBe(0);
		expect(answer.elements).toEqual({ fileId: expect.stringMatching(/^\d+$/), success: 'success' });
		expect(sandbox.files()[0]).toMatchObject({
			module: 'estate',
			relatedRecordId: 2651,
			art: 'Link',
			url: 'https://www.onoffice.de',
			title: 'onOffice Webseite',
		});
	});
});

describe('authentication', () => {
	const probe = {
		actionid: ONOFFICE_ACTION.read,
		resourcetype: 'impressum',
		parameters: { data: ['firma'] },
	};

	test('a correct signature reads the imprint; the answer is cacheable', async () => {
		const r = first(await call(sandbox, [probe]));
		expect(r.status.errorcode).toBe(0);
		expect(r.result.cacheable).toBe(true);
		expect(r.result.data.records[0]).toMatchObject({ id: 'impressum', type: null });
	});

	test('a wrong secret is 137 on the action, with 97 on top by default', async () => {
		const a = await call(sandbox, [probe], { secret: 'x'.repeat(64) });
		expect(a.json.status).toEqual({ code: 200, errorcode: 97, message: 'Error in action' });
		expect(first(a).status).toEqual({ errorcode: 137, message: 'The HMAC is invalid.' });
		expect(first(a).result.data).toEqual([]);
		expect(first(a).result.cacheable).toBe(false);
	});

	test('the other documented shape: 137 on the action with 0 on top', async () => {
		const other = await startSandbox({ failedActionTopLevel: 0 });
		try {
			const a = await call(other, [probe], { secret: 'x'.repeat(64) });
			expect(a.json.status).toEqual({ code: 200, errorcode: 0, message: 'OK' });
			expect(first(a).status.errorcode).toBe(137);
		} finally {
			await other.stop();
		}
	});

	test('an unknown token is 400/22 on top with no results', async () => {
		const a = await call(sandbox, [probe], { token: 'y'.repeat(32) });
		expect(a.status).toBe(200);
		expect(a.json).toEqual({
			status: { code: 400, errorcode: 22, message: 'Not authenticated' },
			response: { results: [] },
		});
	});

	test('the timestamp window is ±120 s (136 outside)', async () => {
		const now = Math.floor(Date.now() / 1000);
		expect(first(await call(sandbox, [probe], { timestamp: now - 110 })).status.errorcode).toBe(0);
		expect(first(await call(sandbox, [probe], { timestamp: now + 110 })).status.errorcode).toBe(0);
		expect(first(await call(sandbox, [probe], { timestamp: now - 130 })).status.errorcode).toBe(
			136,
		);
		expect(first(await call(sandbox, [probe], { timestamp: now + 130 })).status.errorcode).toBe(
			136,
		);
	});

	test("a clock that is off moves the timestamp window, the Date header and the files' modified time alike", async () => {
		sandbox.options.clockSkewSeconds = -100;
		try {
			const now = Math.floor(Date.now() / 1000);
			// A client 100 s ahead of this server is inside the window; one on the server's own time too.
			expect(
				first(await call(sandbox, [probe], { timestamp: now - 100 + 110 })).status.errorcode,
			).toBe(0);
			expect(
				first(await call(sandbox, [probe], { timestamp: now - 100 + 130 })).status.errorcode,
			).toBe(136);
			const answer = await call(sandbox, [probe]);
			expect(Math.abs(Date.parse(answer.date!) / 1000 - (now - 100))).toBeLessThanOrEqual(2);
			const tmpUploadId = await stage(Buffer.from('abc'));
			await call(sandbox, [
				doUpload({
					tmpUploadId,
					module: 'estate',
					relatedRecordId: 30,
					file: 'a.txt',
					Art: 'Dokument',
				}),
			]);
			expect(Math.abs(sandbox.files()[0].modified - (now - 100))).toBeLessThanOrEqual(2);
		} finally {
			sandbox.options.clockSkewSeconds = 0;
		}
	});

	test('the signature covers timestamp, resourcetype and actionid but not parameters', async () => {
		const tamper = (change: (a: any) => void) => ({
			tamper: (b: any) => change(b.request.actions[0]),
		});
		expect(
			first(
				await call(
					sandbox,
					[probe],
					tamper((a) => (a.timestamp += 1)),
				),
			).status.errorcode,
		).toBe(137);
		expect(
			first(
				await call(
					sandbox,
					[probe],
					tamper((a) => (a.resourcetype = 'basicsettings')),
				),
			).status.errorcode,
		).toBe(137);
		expect(
			first(
				await call(
					sandbox,
					[probe],
					tamper((a) => (a.parameters = { data: ['ort'] })),
				),
			).status.errorcode,
		).toBe(0);
		expect(
			first(
				await call(
					sandbox,
					[probe],
					tamper((a) => delete a.hmac_version),
				),
			).status.errorcode,
		).toBe(137);
		expect(
			first(
				await call(
					sandbox,
					[probe],
					tamper((a) => (a.hmac_version = '2')),
				),
			).status.errorcode,
		).toBe(0);
	});

	test('a reused signature is accepted inside the window (no nonce), and x-www-form-urlencoded bodies are read as JSON', async () => {
		const fixed = Math.floor(Date.now() / 1000);
		expect(first(await call(sandbox, [probe], { timestamp: fixed })).status.errorcode).toBe(0);
		expect(
			first(
				await call(sandbox, [probe], {
					timestamp: fixed,
					contentType: 'application/x-www-form-urlencoded',
				}),
			).status.errorcode,
		).toBe(0);
	});

	test('the defaults are a 32-character token and a 64-character secret', () => {
		expect(DEFAULT_TOKEN).toHaveLength(32);
		expect(DEFAULT_SECRET).toHaveLength(64);
	});

	test('structure errors are answered on top', async () => {
		expect((await call(sandbox, [], { raw: '{not json' })).json.status).toEqual({
			code: 500,
			errorcode: 4,
			message: 'Invalid or malformed JSON',
		});
		expect(
			(await call(sandbox, [], { raw: JSON.stringify({ request: { actions: [] } }) })).json.status
				.errorcode,
		).toBe(13);
		expect(
			(await call(sandbox, [], { raw: JSON.stringify({ token: 'a' }) })).json.status.errorcode,
		).toBe(14);
		expect(
			(await call(sandbox, [], { raw: JSON.stringify({ token: 'a', request: {} }) })).json.status
				.errorcode,
		).toBe(15);
	});

	test('unknown resource types are refused per action', async () => {
		const r = first(
			await call(sandbox, [
				{ actionid: ONOFFICE_ACTION.do, resourcetype: 'fileUpload', parameters: {} },
			]),
		);
		expect(r.status.errorcode).toBe(25);
	});
});

describe('uploadfile', () => {
	test('blocks append under one tmpUploadId with a cumulative filesize; each block decodes on its own', async () => {
		const parts = [Buffer.from('abc'), Buffer.from('defghi'), Buffer.from('jk')];
		const r1 = first(await call(sandbox, [doUpload({ data: parts[0].toString('base64') })]));
		const id = r1.elements.tmpUploadId;
		const r2 = first(
			await call(sandbox, [doUpload({ data: parts[1].toString('base64'), tmpUploadId: id })]),
		);
		const r3 = first(
			await call(sandbox, [doUpload({ data: parts[2].toString('base64'), tmpUploadId: id })]),
		);
		expect([r1.elements.filesize, r2.elements.filesize, r3.elements.filesize]).toEqual([3, 9, 11]);
		expect([r2.elements.tmpUploadId, r3.elements.tmpUploadId]).toEqual([id, id]);
		const done = first(
			await call(sandbox, [
				doUpload({ tmpUploadId: id, module: 'address', relatedRecordId: 7, file: 'notes.txt' }),
			]),
		);
		expect(done.elements).toMatchObject({ filesize: 11, success: 'success' });
		expect(sandbox.files()[0]).toMatchObject({
			blocks: 3,
			size: 11,
			sha256: sha(Buffer.concat(parts)),
			content: Buffer.concat(parts),
		});
	});

	test('a block that is not complete base64 on its own is refused', async () => {
		// Splitting "YWJjZA==" (abcd) in the middle of a 4-character group gives two blocks that are not base64.
		expect(first(await call(sandbox, [doUpload({ data: 'YWJjZ' })])).status.errorcode).toBe(255);
		expect(first(await call(sandbox, [doUpload({ data: 12 })])).status.errorcode).toBe(236);
		expect(first(await call(sandbox, [doUpload({ data: 'YW=j' })])).status.errorcode).toBe(255);
		expect(first(await call(sandbox, [doUpload({ data: 'YWJj\nZA==' })])).status.errorcode).toBe(
			255,
		);
		// Large blocks are checked too (a 6 MiB block is about 8 million characters).
		const big = Buffer.alloc(6 * MiB, 7);
		expect(
			first(await call(sandbox, [doUpload({ data: big.toString('base64') })])).elements.filesize,
		).toBe(big.length);
	});

	test('data together with step-2 parameters is only a block: nothing is linked', async () => {
		const r = first(
			await call(sandbox, [
				doUpload({
					data: b64('hello'),
					module: 'estate',
					relatedRecordId: 409,
					Art: 'Foto',
					file: 'a.jpg',
				}),
			]),
		);
		expect(r.elements).toEqual({ filesize: 5, tmpUploadId: expect.any(String) });
		expect(sandbox.files()).toHaveLength(0);
	});

	test('a tmpUploadId works once (129), and an unknown one is 129 too', async () => {
		const id = await stage(Buffer.from('hello'));
		const link = { tmpUploadId: id, module: 'task', relatedRecordId: 9, file: 'a.txt' };
		expect(first(await call(sandbox, [doUpload(link)])).status.errorcode).toBe(0);
		expect(first(await call(sandbox, [doUpload(link)])).status.errorcode).toBe(129);
		expect(
			first(await call(sandbox, [doUpload({ ...link, tmpUploadId: 'nope' })])).status.errorcode,
		).toBe(129);
		expect(
			first(await call(sandbox, [doUpload({ data: b64('x'), tmpUploadId: id })])).status.errorcode,
		).toBe(129);
	});

	test.each([
		['estate', 409, 0],
		['address', 1, 0],
		['agentsLog', 5, 0],
		['task', 9, 0],
		['estate', 999, 293],
		['address', 999, 292],
		['agentsLog', 999, 80],
		['task', 999, 80],
	])('module %s record %d -> %d', async (module, relatedRecordId, code) => {
		const id = await stage(Buffer.from('hello'));
		const params: Record<string, unknown> = {
			tmpUploadId: id,
			module,
			relatedRecordId,
			file: 'a.pdf',
		};
		if (module === 'estate') params.Art = 'Dokument';
		expect(first(await call(sandbox, [doUpload(params)])).status.errorcode).toBe(code);
	});

	test('estate files need a valid Art and a file name; estate-only parameters are refused elsewhere', async () => {
		const go = async (params: Record<string, unknown>) =>
			first(
				await call(sandbox, [doUpload({ tmpUploadId: await stage(Buffer.from('x')), ...params })]),
			).status;
		expect(await go({ module: 'estate', relatedRecordId: 409, file: 'a.jpg' })).toEqual({
			errorcode: 167,
			message: 'Missing parameter "Art"',
		});
		expect(
			(await go({ module: 'estate', relatedRecordId: 409, file: 'a.jpg', Art: 'Bild' })).errorcode,
		).toBe(162);
		expect(
			(await go({ module: 'estate', relatedRecordId: 409, file: 'a.jpg', Art: 'Link' })).errorcode,
		).toBe(162);
		expect((await go({ module: 'estate', relatedRecordId: 409, Art: 'Foto' })).errorcode).toBe(114);
		expect(
			(await go({ module: 'address', relatedRecordId: 1, file: 'a.jpg', Art: 'Foto' })).errorcode,
		).toBe(144);
		expect(
			(await go({ module: 'task', relatedRecordId: 9, file: 'a.jpg', title: 'T' })).errorcode,
		).toBe(144);
		expect(
			(await go({ module: 'Estate', relatedRecordId: 409, file: 'a.jpg', Art: 'Foto' })).errorcode,
		).toBe(163);
		expect(
			(await go({ module: 'estate', relatedRecordId: 'abc', file: 'a.jpg', Art: 'Foto' }))
				.errorcode,
		).toBe(228);
		expect(
			(await go({ module: 'estate', relatedRecordId: '409', file: 'a.jpg', Art: 'Foto' }))
				.errorcode,
		).toBe(0);
	});

	test.each([
		['dir/a.jpg', 213],
		['dir\\a.jpg', 213],
		['a\nb.jpg', 213],
		['', 114],
		[`${'ä'.repeat(128)}.jpg`, 213],
		[`${'ä'.repeat(125)}.jpg`, 0],
		['Grundriss Erdgeschoß – Übersicht.pdf', 0],
	])('file name %j -> %d', async (file, code) => {
		const id = await stage(Buffer.from('x'));
		expect(
			first(
				await call(sandbox, [
					doUpload({ tmpUploadId: id, module: 'address', relatedRecordId: 1, file }),
				]),
			).status.errorcode,
		).toBe(code);
	});

	test('a document attribute once per estate (161), unknown attributes refused; one title picture per estate (239)', async () => {
		const link = async (params: Record<string, unknown>, estate = 409) =>
			first(
				await call(sandbox, [
					doUpload({
						tmpUploadId: await stage(Buffer.from('x')),
						module: 'estate',
						relatedRecordId: estate,
						file: 'a.pdf',
						...params,
					}),
				]),
			).status.errorcode;
		expect(await link({ Art: 'Expose', documentAttribute: 'document_expose' })).toBe(0);
		expect(await link({ Art: 'Expose', documentAttribute: 'document_expose' })).toBe(161);
		expect(await link({ Art: 'Expose', documentAttribute: 'document_expose' }, 30)).toBe(0);
		expect(await link({ Art: 'Expose', documentAttribute: 'document_unknown' })).toBe(77);
		expect(await link({ Art: 'Titelbild' })).toBe(0);
		expect(await link({ Art: 'Titelbild' })).toBe(239);
		expect(await link({ Art: 'Titelbild' }, 2651)).toBe(0);
	});

	test('position puts a file at its place; without it the file goes last', async () => {
		for (const [name, position] of [
			['a', undefined],
			['b', undefined],
			['c', 0],
		] as const) {
			const id = await stage(Buffer.from(name));
			await call(sandbox, [
				doUpload({
					tmpUploadId: id,
					module: 'estate',
					relatedRecordId: 409,
					file: `${name}.jpg`,
					Art: 'Foto',
					position,
				}),
			]);
		}
		expect(sandbox.store.filesOf('estate', 409).map((f) => f.fileName)).toEqual([
			'c.jpg',
			'a.jpg',
			'b.jpg',
		]);
	});

	test('links: estate only, link types only, http(s) only', async () => {
		const link = async (params: Record<string, unknown>) =>
			first(
				await call(sandbox, [
					doUpload({
						module: 'estate',
						relatedRecordId: 2651,
						Art: 'Film-Link',
						url: 'https://video.example/1',
						...params,
					}),
				]),
			).status.errorcode;
		expect(await link({})).toBe(0);
		expect(await link({ module: 'address', relatedRecordId: 1 })).toBe(163);
		expect(await link({ Art: 'Foto' })).toBe(162);
		expect(await link({ url: 'javascript:alert(1)' })).toBe(255);
		expect(await link({ relatedRecordId: 4 })).toBe(293);
	});

	test('several actions in one request are answered independently, in order, matched by identifier', async () => {
		const answer = await call(sandbox, [
			doUpload(
				{ module: 'estate', relatedRecordId: 2651, Art: 'Link', url: 'https://a.example' },
				'x',
			),
			doUpload(
				{ module: 'estate', relatedRecordId: 4, Art: 'Link', url: 'https://b.example' },
				'y',
			),
			doUpload(
				{ module: 'estate', relatedRecordId: 30, Art: 'Link', url: 'https://c.example' },
				'z',
			),
		]);
		expect(answer.json.status.errorcode).toBe(97);
		expect(
			answer.json.response.results.map((r: any) => [r.identifier, r.status.errorcode]),
		).toEqual([
			['x', 0],
			['y', 293],
			['z', 0],
		]);
		expect(sandbox.files().map((f) => f.url)).toEqual(['https://a.example', 'https://c.example']);
	});
});

describe('reading and changing files', () => {
	async function upload(
		module: string,
		record: number,
		file: string,
		extra: Record<string, unknown> = {},
	) {
		const id = await stage(Buffer.from(`content of ${file}`));
		const r = first(
			await call(sandbox, [
				doUpload({ tmpUploadId: id, module, relatedRecordId: record, file, ...extra }),
			]),
		);
		return Number(r.elements.fileId);
	}
	const getFile = (resourceid: string, parameters: Record<string, unknown>) =>
		call(sandbox, [
			{ actionid: ONOFFICE_ACTION.get, resourcetype: 'file', resourceid, parameters },
		]);

	test("get file lists an estate's files with originalname, size and content only for one file", async () => {
		const a = await upload('estate', 409, 'a.jpg', { Art: 'Foto', title: 'A' });
		await upload('estate', 409, 'b.pdf', { Art: 'Dokument' });
		const list = first(await getFile('estate', { estateid: 409 }));
		expect(list.result.data.meta.cntabsolute).toBe(2);
		expect(
			list.result.data.records.map((r: any) => [
				r.type,
				r.elements.originalname,
				r.elements.type,
				r.elements.category,
			]),
		).toEqual([
			['file', 'a.jpg', 'Foto', 'external'],
			['file', 'b.pdf', 'Dokument', 'internal'],
		]);
		expect(list.result.data.records[0].elements.content).toBeUndefined();
		const one = first(await getFile('estate', { estateid: '409', fileid: a }));
		expect(Buffer.from(one.elements.content, 'base64').toString()).toBe('content of a.jpg');
		expect(first(await getFile('estate', { estateid: 409, fileid: 1 })).status.errorcode).toBe(127);
		expect(first(await getFile('estate', { estateid: 409, listlimit: 101 })).status.errorcode).toBe(
			255,
		);
		expect(first(await getFile('estate', { estateid: 5 })).status.errorcode).toBe(293);
	});

	test('get file for addresses has no title', async () => {
		await upload('address', 7, 'ausweis.pdf');
		const list = first(await getFile('address', { addressid: 7 }));
		expect(list.elements).toMatchObject({
			originalname: 'ausweis.pdf',
			fileSize: 'content of ausweis.pdf'.length,
		});
		expect(list.elements.title).toBeUndefined();
	});

	test('get fields of module file lists the document attributes, as keys or with labels', async () => {
		const plain = first(
			await call(sandbox, [
				{
					actionid: ONOFFICE_ACTION.get,
					resourcetype: 'fields',
					parameters: { modules: ['file'] },
				},
			]),
		);
		expect(plain.elements.documentAttributes.permittedvalues).toContain(
			'document_reservation_list',
		);
		const labelled = first(
			await call(sandbox, [
				{
					actionid: ONOFFICE_ACTION.get,
					resourcetype: 'fields',
					parameters: { modules: ['file'], labels: true },
				},
			]),
		);
		expect(labelled.elements.documentAttributes.permittedvalues.document_reservation_list).toBe(
			'Reservierungsliste',
		);
	});

	test('read basicsettings answers the API availability probe', async () => {
		const r = first(
			await call(sandbox, [
				{
					actionid: ONOFFICE_ACTION.read,
					resourcetype: 'basicsettings',
					parameters: { data: { basicData: { characteristicsCi: ['color'] } } },
				},
			]),
		);
		expect(r.elements.basicData.characteristicsCi.color).toMatch(/^#/);
	});

	test('modify and delete fileRelation', async () => {
		const a = await upload('estate', 30, 'a.jpg', { Art: 'Titelbild' });
		const b = await upload('estate', 30, 'b.jpg', { Art: 'Foto' });
		const modify = (parameters: Record<string, unknown>) =>
			call(sandbox, [
				{
					actionid: ONOFFICE_ACTION.modify,
					resourcetype: 'fileRelation',
					parameters: { relationtype: 'estate', parentid: 30, ...parameters },
				},
			]);
		expect(first(await modify({ fileId: b, Art: 'Titelbild', title: 'New' })).elements).toEqual({
			success: 'success',
		});
		expect(sandbox.files().map((f) => [f.fileId, f.art])).toEqual([
			[a, 'Foto'],
			[b, 'Titelbild'],
		]);
		const del = (parameters: Record<string, unknown>) =>
			call(sandbox, [
				{ actionid: ONOFFICE_ACTION.delete, resourcetype: 'fileRelation', parameters },
			]);
		expect(
			first(await del({ relationtype: 'estate', parentid: 30, fileId: a })).status.errorcode,
		).toBe(0);
		expect(
			first(await del({ relationtype: 'estate', parentid: 30, fileId: a })).status.errorcode,
		).toBe(168);
		expect(sandbox.files().map((f) => f.fileId)).toEqual([b]);
	});
});

describe('limits, faults and inspection', () => {
	test('a body over the limit gets HTTP 413 without being carried out', async () => {
		const small = await startSandbox({ maxRequestBytes: 1000 });
		try {
			const a = await call(small, [doUpload({ data: Buffer.alloc(900).toString('base64') })]).catch(
				(e) => ({ status: -1, error: e }),
			);
			expect(a.status).toBe(413);
			expect(small.store.tmpUploads.size).toBe(0);
		} finally {
			await small.stop();
		}
	});

	test('an injected 5xx answers HTML and does nothing; the next request goes through', async () => {
		sandbox.inject({ kind: 'http', status: 503, when: { step: 'firstBlock' } });
		const a = await call(sandbox, [doUpload({ data: b64('x') })]);
		expect(a.status).toBe(503);
		expect(a.text).toMatch(/<html>/);
		expect(sandbox.store.tmpUploads.size).toBe(0);
		expect((await call(sandbox, [doUpload({ data: b64('x') })])).status).toBe(200);
	});

	test('a dropped connection does nothing; a lost answer is carried out', async () => {
		sandbox.inject({ kind: 'drop', when: { step: 'firstBlock' } });
		await expect(call(sandbox, [doUpload({ data: b64('x') })])).rejects.toThrow();
		expect(sandbox.store.tmpUploads.size).toBe(0);
		sandbox.inject({ kind: 'lostAnswer', when: { step: 'firstBlock' } });
		await expect(call(sandbox, [doUpload({ data: b64('x') })])).rejects.toThrow();
		expect(sandbox.store.tmpUploads.size).toBe(1);
	});

	test('faults hit the nth matching request only, and per-action errors hit only the matching action', async () => {
		sandbox.inject({ kind: 'http', status: 502, when: { step: 'block', nth: 2 } });
		const id = await stage(Buffer.from('a'));
		const statuses = [];
		for (let i = 0; i < 3; i++)
			statuses.push((await call(sandbox, [doUpload({ data: b64('b'), tmpUploadId: id })])).status);
		expect(statuses).toEqual([200, 502, 200]);
		sandbox.inject({ kind: 'actionError', code: 262, parameter: { url: 'https://b.example' } });
		const answer = await call(sandbox, [
			doUpload(
				{ module: 'estate', relatedRecordId: 2651, Art: 'Link', url: 'https://a.example' },
				'a',
			),
			doUpload(
				{ module: 'estate', relatedRecordId: 2651, Art: 'Link', url: 'https://b.example' },
				'b',
			),
		]);
		expect(answer.json.response.results.map((r: any) => r.status.errorcode)).toEqual([0, 262]);
	});

	test('latency delays every answer', async () => {
		const slow = await startSandbox({ latencyMs: 150 });
		try {
			const started = Date.now();
			await call(slow, [doUpload({ data: b64('x') })]);
			expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		} finally {
			await slow.stop();
		}
	});

	test('the request log records signatures and sizes, never the token or the data', async () => {
		await call(sandbox, [doUpload({ data: b64('secret file content') })]);
		const [entry] = sandbox.requests;
		expect(entry.actions[0]).toMatchObject({
			actionid: 'do',
			resourcetype: 'uploadfile',
			step: 'firstBlock',
			hmacValid: true,
			dataChars: 28,
			errorcode: 0,
		});
		const text = JSON.stringify(sandbox.requests);
		expect(text).not.toContain(sandbox.token);
		expect(text).not.toContain(b64('secret file content'));
	});

	test('the HTTP inspection routes show state and take faults', async () => {
		await call(sandbox, [examples.example3LinkRequest as any]);
		const state = (await (await fetch(`${sandbox.origin}/__sandbox/state`)).json()) as any;
		expect(state.files).toHaveLength(1);
		const requests = (await (await fetch(`${sandbox.origin}/__sandbox/requests`)).json()) as any;
		expect(requests).toHaveLength(1);
		await fetch(`${sandbox.origin}/__sandbox/faults`, {
			method: 'POST',
			body: JSON.stringify({ kind: 'http', status: 500 }),
		});
		expect((await call(sandbox, [examples.example3LinkRequest as any])).status).toBe(500);
		await fetch(`${sandbox.origin}/__sandbox/reset`, { method: 'POST' });
		expect(sandbox.files()).toHaveLength(0);
	});
});
