// Node version 2 finds the record the way people name it: from the editor's list, by record number, by property
// number (ImmoNr) or by e-mail. Run through n8n-core's engine against the sandbox's seeded estates and contacts:
// every mode, each way a lookup fails (none, several, no read rights), one lookup per value for all items, and the
// safer defaults of version 2.

import { listSearch } from './harness';
import { fast, runWithFiles, runWithItems, type FileItem } from './workflows';
import { useSandbox } from '../sandbox/useSandbox';

const sandbox = useSandbox();

const v2 = { typeVersion: 2 };
const rl = (mode: string, value: string, cachedResultName?: string) => ({
	__rl: true as const,
	mode,
	value,
	...(cachedResultName ? { cachedResultName } : {}),
});
const file = (fileName: string, size = 2000, seed = fileName): FileItem => ({
	files: [
		{
			property: 'data',
			fileName,
			mimeType: fileName.endsWith('.pdf') ? 'application/pdf' : 'image/jpeg',
			size,
			seed,
		},
	],
});
/** The requests that looked a record up (reads and searches of estates and addresses). */
const lookups = () =>
	sandbox.requests.filter((r) =>
		r.actions.some(
			(a) =>
				(a.actionid === 'read' && ['estate', 'address'].includes(a.resourcetype)) ||
				a.resourcetype === 'search',
		),
	);
const fileReads = () =>
	sandbox.requests.filter((r) =>
		r.actions.some((a) => a.actionid === 'get' && a.resourcetype === 'file'),
	);

describe('Upload File, version 2: the record', () => {
	test('By Property Number: the estate with that ImmoNr, whatever the case, looked up once', async () => {
		const result = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'estate',
				estate: rl('propertyNumber', '={{ $json.immonr }}'),
				options: fast,
			},
			[
				{ ...file('Grundriss EG.pdf'), json: { immonr: 'PC910' } },
				{ ...file('Wohnzimmer.jpg'), json: { immonr: ' pc910 ' } },
			],
			v2,
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.files().map((f) => [f.relatedRecordId, f.fileName, f.art])).toEqual([
			[409, 'Grundriss EG.pdf', 'Grundriss'],
			[409, 'Wohnzimmer.jpg', 'Foto'],
		]);
		expect(lookups()).toHaveLength(1);
		expect(lookups()[0].actions[0].parameters.filter).toEqual({
			objektnr_extern: [{ op: '=', val: 'PC910' }],
		});
		const out = result.output('onOffice').map((o) => o.json);
		expect(out[0]).toMatchObject({
			relatedRecordId: 409,
			foundBy: {
				mode: 'propertyNumber',
				value: 'PC910',
				label: 'PC910 · Musterstraße 12, 52064 Aachen · Einfamilienhaus (409)',
			},
		});
		// Version 2 types by name by default.
		expect(out.map((o) => [o.fileType, o.fileTypeChosenBy])).toEqual([
			['Grundriss', 'file name (Grundriss)'],
			['Foto', 'MIME type image/jpeg'],
		]);
	});

	test('By E-Mail: the contact with that address among any of its e-mail entries; "Name <address>" works', async () => {
		const result = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'address',
				address: rl('email', '={{ $json.from }}'),
				options: fast,
			},
			[
				{
					...file('Gehaltsnachweis.pdf'),
					json: { from: 'Max Mustermann <MAX@mustermann-bau.example>' },
				},
				{ ...file('Ausweis.pdf'), json: { from: 'max.mustermann@example.com' } },
			],
			v2,
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.files().map((f) => [f.module, f.relatedRecordId, f.fileName])).toEqual([
			['address', 7, 'Gehaltsnachweis.pdf'],
			['address', 7, 'Ausweis.pdf'],
		]);
		// Two different addresses of one contact: two lookups, each the address search with every e-mail entry.
		expect(
			lookups().map((r) => [
				r.actions[0].resourceid,
				r.actions[0].parameters.input,
				r.actions[0].parameters.includecontactdata,
			]),
		).toEqual([
			['address', 'max@mustermann-bau.example', true],
			['address', 'max.mustermann@example.com', true],
		]);
		expect(result.output('onOffice')[0].json.foundBy).toEqual({
			mode: 'email',
			value: 'max@mustermann-bau.example',
			label: 'Max Mustermann · max@mustermann-bau.example (7)',
		});
	});

	test('By E-Mail matches whole addresses only: a search hit inside a longer address is not the contact', async () => {
		const result = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'address',
				address: rl('email', 'mustermann@example.com'),
				options: fast,
			},
			[file('a.pdf')],
			{ ...v2, continueOnFail: true },
		);
		expect(sandbox.files()).toEqual([]);
		expect(result.output('onOffice')[0].json.error).toBe(
			'Item 0: no contact has the e-mail address mustermann@example.com (field "Address", By E-Mail)',
		);
	});

	test('From List and By ID: the number as chosen, nothing looked up; Upload Anyway reads nothing at all', async () => {
		const result = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'estate',
				estate: rl(
					'list',
					'2651',
					'PC651 · Musterstraße 3, 50667 Köln · Reihenhaus · inactive (2651)',
				),
				onDuplicate: 'uploadAnyway',
				options: fast,
			},
			[file('a.jpg')],
			v2,
		);
		expect(result.error).toBeUndefined();
		const byId = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'estate',
				estate: rl('id', '={{ $json.n }}'),
				onDuplicate: 'uploadAnyway',
				options: fast,
			},
			[{ ...file('b.jpg'), json: { n: 30 } }],
			v2,
		);
		expect(byId.error).toBeUndefined();
		expect(sandbox.files().map((f) => [f.relatedRecordId, f.fileName])).toEqual([
			[2651, 'a.jpg'],
			[30, 'b.jpg'],
		]);
		expect(lookups()).toEqual([]);
		expect(fileReads()).toEqual([]);
		expect(result.output('onOffice')[0].json.foundBy).toEqual({
			mode: 'list',
			value: '2651',
			label: 'PC651 · Musterstraße 3, 50667 Köln · Reihenhaus · inactive (2651)',
		});
		expect(byId.output('onOffice')[0].json.foundBy).toEqual({ mode: 'id', value: '30' });
	});

	test('agents-log entries and tasks keep the record number', async () => {
		const result = await runWithFiles(
			sandbox,
			{ operation: 'uploadFile', module: 'task', relatedRecordId: '9', options: fast },
			[file('aufgabe.pdf')],
			v2,
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.files().map((f) => [f.module, f.relatedRecordId])).toEqual([['task', 9]]);
		expect(result.output('onOffice')[0].json.foundBy).toBeUndefined();
	});

	test('On Duplicate is Skip by default: the same run again uploads nothing', async () => {
		const parameters = {
			operation: 'uploadFile',
			module: 'estate',
			estate: rl('propertyNumber', 'PC910'),
			options: fast,
		};
		await runWithFiles(sandbox, parameters, [file('Exposé.pdf', 3000)], v2);
		const again = await runWithFiles(sandbox, parameters, [file('Exposé.pdf', 3000)], v2);
		expect(sandbox.files()).toHaveLength(1);
		expect(again.output('onOffice')[0].json).toMatchObject({
			skipped: true,
			fileType: 'Expose',
			relatedRecordId: 409,
		});
	});
});

describe('Upload File, version 2: when the record cannot be found', () => {
	const run = (estate: ReturnType<typeof rl>, items: FileItem[] = [file('a.pdf')]) =>
		runWithFiles(
			sandbox,
			{ operation: 'uploadFile', module: 'estate', estate, options: fast },
			items,
			{ ...v2, continueOnFail: true },
		);

	test('no match: the value, the lookup and that missing read rights look the same', async () => {
		const result = await run(rl('propertyNumber', 'PC911'));
		const [out] = result.output('onOffice');
		expect(out.json.error).toBe(
			'Item 0: no estate has the property number (ImmoNr) "PC911" (field "Estate", By Property Number)',
		);
		expect(out.json.description).toMatch(
			/match must be exact.*may not be allowed to read it.*check its rights/,
		);
		expect(sandbox.files()).toEqual([]);
	});

	test('several matches: every candidate with its record number, and nothing uploaded', async () => {
		const [out] = (await run(rl('propertyNumber', 'DUP-7'))).output('onOffice');
		expect(out.json.error).toBe(
			'Item 0: 2 estates have the property number (ImmoNr) "DUP-7" (field "Estate", By Property Number): DUP-7 · Am Markt 7, 52062 Aachen · Etage (3201); DUP-7 · Bahnhofstraße 20, 52064 Aachen · Dachgeschoss (3202)',
		);
		expect(out.json.description).toMatch(/does not guess.*By ID/);
		expect(sandbox.files()).toEqual([]);
	});

	test('an archived estate is found like any other, and says so', async () => {
		const result = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'estate',
				estate: rl('propertyNumber', 'PC800'),
				options: fast,
			},
			[file('Kaufvertrag.pdf')],
			v2,
		);
		expect(result.error).toBeUndefined();
		expect(result.output('onOffice')[0].json.foundBy).toMatchObject({
			label: 'PC800 · Lindenweg 7, 52066 Aachen · Zweifamilienhaus · archived (3100)',
		});
	});

	test('a value that cannot name a record fails before anything is sent', async () => {
		const [bad, empty] = (
			await run(rl('id', '={{ $json.n }}'), [
				{ ...file('a.pdf'), json: { n: 'PC910' } },
				{ ...file('b.pdf'), json: { n: '' } },
			])
		).output('onOffice');
		expect(bad.json.error).toMatch(
			/^Item 0: the field "Estate": By ID needs the estate's record number, a positive whole number, got "PC910"/,
		);
		expect(bad.json.description).toMatch(/choose By Property Number/);
		expect(empty.json.error).toBe('Item 1: the field "Estate": no estate is given (By ID)');
		expect(sandbox.requests).toEqual([]);
	});

	test('Continue On Fail: one output item per input item, the found ones uploaded', async () => {
		const out = (
			await run(
				rl('propertyNumber', '={{ $json.immonr }}'),
				['PC910', 'PC911', 'DUP-7', 'PC101'].map((immonr, i) => ({
					...file(`f${i}.pdf`),
					json: { immonr },
				})),
			)
		).output('onOffice');
		expect(out.map((o) => [o.pairedItem, o.json.relatedRecordId ?? o.json.error])).toEqual([
			[{ item: 0 }, 409],
			[{ item: 1 }, expect.stringMatching(/^Item 1: no estate has/)],
			[{ item: 2 }, expect.stringMatching(/^Item 2: 2 estates have/)],
			[{ item: 3 }, 30],
		]);
	});
});

describe('an API user that may upload but not read', () => {
	beforeEach(() => {
		sandbox.options.readRights = false;
	});

	test('By Property Number: the error says the API user can read no estates, and names By ID', async () => {
		const [out] = (
			await runWithFiles(
				sandbox,
				{
					operation: 'uploadFile',
					module: 'estate',
					estate: rl('propertyNumber', 'PC910'),
					options: fast,
				},
				[file('a.pdf')],
				{ ...v2, continueOnFail: true },
			)
		).output('onOffice');
		expect(out.json.error).toBe(
			'Item 0: no estate with the property number (ImmoNr) "PC910" can be found: the API user can read no estates at all (field "Estate", By Property Number)',
		);
		expect(out.json.description).toMatch(
			/lacks the right to read estates.*By ID, which needs no read/,
		);
	});

	test('By E-Mail: the same for addresses', async () => {
		const [out] = (
			await runWithFiles(
				sandbox,
				{
					operation: 'uploadFile',
					module: 'address',
					address: rl('email', 'jonas.becker@example.com'),
					options: fast,
				},
				[file('a.pdf')],
				{ ...v2, continueOnFail: true },
			)
		).output('onOffice');
		expect(out.json.error).toMatch(/can read no addresses at all/);
	});

	test("Skip needs to read the record's files: refused, the error names Upload Anyway; Upload Anyway by record ID works", async () => {
		const [refused] = (
			await runWithFiles(
				sandbox,
				{ operation: 'uploadFile', module: 'estate', estate: rl('id', '409'), options: fast },
				[file('a.pdf')],
				{ ...v2, continueOnFail: true },
			)
		).output('onOffice');
		expect(refused.json.error).toMatch(/reading the files of estate 409 \(onOffice code 149\)/);
		expect(refused.json.description).toMatch(
			/On Duplicate \(Skip, Replace\) reads the estate's files.*On Duplicate: Upload Anyway, which reads nothing/,
		);
		expect(sandbox.files()).toEqual([]);
		const anyway = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'estate',
				estate: rl('id', '409'),
				onDuplicate: 'uploadAnyway',
				options: fast,
			},
			[file('a.pdf')],
			v2,
		);
		expect(anyway.error).toBeUndefined();
		expect(sandbox.files().map((f) => f.relatedRecordId)).toEqual([409]);
	});
});

describe('Add Link, version 2', () => {
	test('a sheet naming estates by ImmoNr: one lookup and one file read per estate, links in batches, Skip by default', async () => {
		const rows = Array.from({ length: 30 }, (_, i) => ({
			immonr: ['PC910', 'pc101', 'PC651'][i % 3],
			url: `https://tour.example.com/${i}`,
			title: `Tour ${i}`,
		}));
		const parameters = {
			operation: 'addLink',
			estate: rl('propertyNumber', '={{ $json.immonr }}'),
			url: '={{ $json.url }}',
			title: '={{ $json.title }}',
			fileType: 'Ogulo-Link',
			options: { batchSize: 50, ...fast },
		};
		const first = await runWithItems(sandbox, parameters, rows, v2);
		expect(first.error).toBeUndefined();
		expect(lookups()).toHaveLength(3);
		expect(fileReads()).toHaveLength(3);
		const writes = sandbox.requests.filter((r) => r.step === 'link');
		expect(writes).toHaveLength(1);
		expect(
			sandbox
				.files()
				.map((f) => f.relatedRecordId)
				.sort((a, b) => a - b),
		).toEqual([...Array(10).fill(30), ...Array(10).fill(409), ...Array(10).fill(2651)]);
		expect(first.output('onOffice')[1].json).toMatchObject({
			relatedRecordId: 30,
			foundBy: { mode: 'propertyNumber', value: 'pc101' },
		});
		sandbox.requests.length = 0;
		const second = await runWithItems(sandbox, parameters, rows, v2);
		expect(second.output('onOffice').every((o) => o.json.skipped === true)).toBe(true);
		expect(sandbox.files()).toHaveLength(30);
		expect(sandbox.requests.filter((r) => r.step === 'link')).toEqual([]);
	});

	test('an unknown ImmoNr fails its row only', async () => {
		const out = (
			await runWithItems(
				sandbox,
				{
					operation: 'addLink',
					estate: rl('propertyNumber', '={{ $json.immonr }}'),
					url: 'https://tour.example.com/x',
					options: fast,
				},
				[{ immonr: 'PC910' }, { immonr: 'nope' }],
				{ ...v2, continueOnFail: true },
			)
		).output('onOffice');
		expect(out.map((o) => o.json.relatedRecordId ?? o.json.error)).toEqual([
			409,
			'Item 1: no estate has the property number (ImmoNr) "nope" (field "Estate", By Property Number)',
		]);
	});
});

describe("the editor's list", () => {
	test('estates with nothing typed: every estate in ImmoNr order, as a person recognises it', async () => {
		const { results, paginationToken } = await listSearch('listEstates', sandbox.credentials);
		expect(results.map((r) => r.name)).toEqual([
			'DUP-7 · Am Markt 7, 52062 Aachen · Etage (3201)',
			'DUP-7 · Bahnhofstraße 20, 52064 Aachen · Dachgeschoss (3202)',
			'PC101 · Theaterstraße 5, 52062 Aachen · Etage (30)',
			'PC651 · Musterstraße 3, 50667 Köln · Reihenhaus · inactive (2651)',
			'PC800 · Lindenweg 7, 52066 Aachen · Zweifamilienhaus · archived (3100)',
			'PC910 · Musterstraße 12, 52064 Aachen · Einfamilienhaus (409)',
		]);
		expect(results.map((r) => r.value)).toEqual(['3201', '3202', '30', '2651', '3100', '409']);
		expect(paginationToken).toBeUndefined();
	});

	test('the list pages as the user scrolls: 100 at a time', async () => {
		for (let i = 0; i < 150; i++) {
			sandbox.store.estates.push({
				...sandbox.store.estates[1],
				id: 5000 + i,
				objektnr_extern: `X${String(i).padStart(3, '0')}`,
			});
		}
		const first = await listSearch('listEstates', sandbox.credentials);
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('100');
		const second = await listSearch(
			'listEstates',
			sandbox.credentials,
			undefined,
			first.paginationToken,
		);
		expect(second.results).toHaveLength(56);
		expect(second.paginationToken).toBeUndefined();
		expect(new Set([...first.results, ...second.results].map((r) => r.value)).size).toBe(156);
	});

	test("typing runs onOffice's quick search: street and house number narrow it to one estate", async () => {
		expect(
			(await listSearch('listEstates', sandbox.credentials, 'Musterstraße')).results
				.map((r) => r.value)
				.sort(),
		).toEqual(['2651', '409']);
		expect(
			(await listSearch('listEstates', sandbox.credentials, 'Musterstraße 12')).results.map(
				(r) => r.name,
			),
		).toEqual(['PC910 · Musterstraße 12, 52064 Aachen · Einfamilienhaus (409)']);
	});

	test('contacts: name, company and the e-mail that matched, with the record number', async () => {
		expect(
			(await listSearch('listAddresses', sandbox.credentials, 'familie.schmidt')).results.map(
				(r) => r.name,
			),
		).toEqual([
			'Anna Schmidt · familie.schmidt@example.com (12)',
			'Bernd Schmidt · familie.schmidt@example.com (13)',
		]);
		const all = await listSearch('listAddresses', sandbox.credentials);
		expect(all.results.map((r) => r.name)).toContain(
			'Erika Musterfrau · Musterfrau Immobilien GmbH · erika.musterfrau@musterfrau-immobilien.example (1)',
		);
	});

	test('without read rights the list says so instead of showing nothing', async () => {
		sandbox.options.readRights = false;
		await expect(listSearch('listEstates', sandbox.credentials)).rejects.toThrow(
			'The API user can read no estates',
		);
		await expect(listSearch('listAddresses', sandbox.credentials)).rejects.toThrow(
			'The API user can read no addresses',
		);
	});

	test('without read rights a typed search says so too; with them, a search that finds nothing is an empty list', async () => {
		sandbox.options.readRights = false;
		await expect(listSearch('listEstates', sandbox.credentials, 'PC910')).rejects.toThrow(
			'The API user can read no estates',
		);
		await expect(listSearch('listAddresses', sandbox.credentials, 'schmidt')).rejects.toThrow(
			'The API user can read no addresses',
		);
		sandbox.options.readRights = true;
		expect(
			(await listSearch('listEstates', sandbox.credentials, 'Nirgendwostraße')).results,
		).toEqual([]);
	});

	test('without a credential it asks for one', async () => {
		await expect(listSearch('listEstates', undefined)).rejects.toThrow(
			/Choose an onOffice API credential first/,
		);
	});
});

describe('On Error: Continue (using error output)', () => {
	test("a record that cannot be found goes to the error output with the input item's fields; the files that arrived stay on the regular output", async () => {
		const { chain, node, runWorkflow, NODE_TYPE } = await import('./harness');
		const start = node('test.start', {}, { name: 'Start' });
		const mails = node(
			'test.binaryFiles',
			{
				items: JSON.stringify([
					{
						json: { from: 'Jonas Becker <jonas.becker@example.com>', subject: 'Gehaltsnachweise' },
						files: [
							{
								property: 'attachment_0',
								fileName: 'Oktober.pdf',
								mimeType: 'application/pdf',
								size: 3000,
								seed: 'o',
							},
						],
					},
					{
						json: { from: 'lea@example.net', subject: 'Unterlagen' },
						files: [
							{
								property: 'attachment_0',
								fileName: 'x.pdf',
								mimeType: 'application/pdf',
								size: 3000,
								seed: 'x',
							},
						],
					},
				]),
			},
			{ name: 'Mails' },
		);
		const upload = node(
			NODE_TYPE,
			{
				operation: 'uploadFile',
				module: 'address',
				address: rl('email', '={{ $json.from }}'),
				uploadAllBinaryProperties: true,
				options: fast,
			},
			{
				name: 'onOffice',
				typeVersion: 2,
				onError: 'continueErrorOutput',
				credentials: { onOfficeApi: { id: '1', name: 'sandbox' } },
			},
		);
		const nodes = [start, mails, upload];
		const result = await runWorkflow({
			nodes,
			connections: chain(...nodes),
			credentials: { onOfficeApi: sandbox.credentials },
		});
		expect(result.error).toBeUndefined();
		const [regular, failed] = result.run.data.resultData.runData.onOffice[0].data!.main;
		expect(regular!.map((o) => [o.json.fileName, o.json.relatedRecordId])).toEqual([
			['Oktober.pdf', 21],
		]);
		expect(failed!.map((o) => o.json)).toEqual([
			{
				from: 'lea@example.net',
				subject: 'Unterlagen',
				error:
					'Item 1: no contact has the e-mail address lea@example.net (field "Address", By E-Mail)',
				message: expect.stringMatching(/^Check the address in onOffice/),
			},
		]);
	});
});
