// Reading and searching estates and addresses as onOffice documents it, against the seeded records (seed.ts), and
// the API user without read rights.
import { call, doUpload, first, ONOFFICE_ACTION } from './client';
import { SEED_ESTATES, startSandbox, type OnOfficeSandbox } from './server';
import { useSandbox } from './useSandbox';

const sandbox = useSandbox();

const read = (
	resourcetype: 'estate' | 'address',
	parameters: Record<string, unknown>,
	resourceid = '',
) =>
	call(sandbox, [{ actionid: ONOFFICE_ACTION.read, resourcetype, resourceid, parameters }]).then(
		first,
	);
const search = (resourceid: 'estate' | 'address', parameters: Record<string, unknown>) =>
	call(sandbox, [
		{ actionid: ONOFFICE_ACTION.get, resourcetype: 'search', resourceid, parameters },
	]).then(first);
const ids = (answer: { result: any }) => answer.result.data.records.map((r: any) => r.id);
/** The record numbers an estate filter finds, in number order. */
const estatesWhere = async (filter: Record<string, unknown>) => {
	const answer = await read('estate', {
		data: ['Id'],
		filter,
		sortby: { Id: 'ASC' },
		listlimit: 500,
	});
	expect(answer.status).toEqual({ errorcode: 0, message: 'OK' });
	return ids(answer);
};
const errorOf = (answer: { status: { errorcode: number; message: string } }) => [
	answer.status.errorcode,
	answer.status.message,
];

describe('read estate', () => {
	const NODE_FIELDS = [
		'Id',
		'objektnr_extern',
		'strasse',
		'hausnummer',
		'plz',
		'ort',
		'objekttyp',
		'status',
	];

	test("the editor's list: the fields asked for, as strings, sorted by property number, every status, cntabsolute the total", async () => {
		const answer = await read('estate', {
			data: NODE_FIELDS,
			sortby: { objektnr_extern: 'ASC' },
			listlimit: 10,
			listoffset: 0,
		});
		expect(answer.status.errorcode).toBe(0);
		expect(answer.result.cacheable).toBe(true);
		expect(answer.result.data.meta).toEqual({ cntabsolute: 6 });
		expect(ids(answer)).toEqual([3201, 3202, 30, 2651, 3100, 409]);
		expect(answer.result.data.records[5]).toEqual({
			id: 409,
			type: 'estate',
			elements: {
				Id: '409',
				objektnr_extern: 'PC910',
				strasse: 'Musterstraße',
				hausnummer: '12',
				plz: '52064',
				ort: 'Aachen',
				objekttyp: 'einfamilienhaus',
				status: '1',
			},
		});
	});

	test('the lookup by property number: exact, without regard to case; the archived estate and both duplicates found', async () => {
		const lookup = (val: string) =>
			read('estate', {
				data: NODE_FIELDS,
				filter: { objektnr_extern: [{ op: '=', val }] },
				listlimit: 10,
			}).then(ids);
		expect(await lookup('PC910')).toEqual([409]);
		expect(await lookup('pc910')).toEqual([409]);
		expect(await lookup('PC91')).toEqual([]);
		expect(await lookup('PC800')).toEqual([3100]);
		expect(await lookup('DUP-7')).toEqual([3201, 3202]);
	});

	test.each([
		['=', 'status', 0, [3100]],
		['is', 'status', 0, [3100]],
		['>', 'wohnflaeche', 100, [409, 2651, 3100]],
		['<', 'wohnflaeche', 64, [3202]],
		['>=', 'wohnflaeche', 120, [409, 2651, 3100]],
		['<=', 'wohnflaeche', 64, [3201, 3202]],
		['!=', 'status', 1, [2651, 3100]],
		['<>', 'status', 1, [2651, 3100]],
		['between', 'wohnflaeche', [60, 80], [30, 3201]],
		['like', 'objektnr_extern', 'pc%1', [30, 2651]],
		['like', 'objektnr_extern', 'pc_0_', [30, 3100]],
		['not like', 'ort', 'aach%', [2651]],
		['in', 'objektnr_extern', ['PC101', 'pc800'], [30, 3100]],
		['not in', 'objekttyp', ['etage', 'dachgeschoss'], [409, 2651, 3100]],
		['=', 'ort', 'KÖLN', [2651]],
		['<', 'plz', '52063', [30, 2651, 3201]],
	])('operator %s on %s %j', async (op, name, val, expected) => {
		expect(await estatesWhere({ [name]: [{ op, val }] })).toEqual(expected);
	});

	test('conditions on several fields, and several on one field, are ANDed', async () => {
		expect(
			await estatesWhere({
				ort: [{ op: '=', val: 'aachen' }],
				status: [{ op: '=', val: 1 }],
				vermarktungsart: [{ op: '=', val: 'miete' }],
			}),
		).toEqual([30, 3201, 3202]);
		expect(
			await estatesWhere({
				wohnflaeche: [
					{ op: '>', val: 60 },
					{ op: '<', val: 100 },
				],
			}),
		).toEqual([30, 3201]);
		expect(
			await estatesWhere({ ort: [{ op: '=', val: 'Köln' }], status: [{ op: '=', val: 1 }] }),
		).toEqual([]);
	});

	test('listoffset pages through the matches; cntabsolute stays the total', async () => {
		const page = (listoffset: number) =>
			read('estate', {
				data: ['objektnr_extern'],
				sortby: { objektnr_extern: 'ASC' },
				listlimit: 4,
				listoffset,
			});
		const [one, two, three] = await Promise.all([page(0), page(4), page(8)]);
		expect(ids(one)).toEqual([3201, 3202, 30, 2651]);
		expect(ids(two)).toEqual([3100, 409]);
		expect(ids(three)).toEqual([]);
		for (const answer of [one, two, three]) expect(answer.result.data.meta.cntabsolute).toBe(6);
	});

	test('listlimit is 20 by default, 500 at most; 501 and 0 are refused', async () => {
		for (let i = 0; i < 20; i++)
			sandbox.store.estates.push({ ...SEED_ESTATES[0], id: 5000 + i, objektnr_extern: `X${i}` });
		const unlimited = await read('estate', { data: ['Id'] });
		expect(ids(unlimited)).toHaveLength(20);
		expect(unlimited.result.data.meta.cntabsolute).toBe(26);
		expect(ids(await read('estate', { data: ['Id'], listlimit: 500 }))).toHaveLength(26);
		expect(errorOf(await read('estate', { data: ['Id'], listlimit: 501 }))).toEqual([
			255,
			'Invalid value for parameter "listlimit"',
		]);
		expect(errorOf(await read('estate', { data: ['Id'], listlimit: 0 }))).toEqual([
			255,
			'Invalid value for parameter "listlimit"',
		]);
	});

	test('sortby as an object (several fields) or as a string with sortorder', async () => {
		const sorted = (parameters: Record<string, unknown>) =>
			read('estate', { data: ['Id'], ...parameters }).then(ids);
		const bySizeDown = [3100, 409, 2651, 30, 3201, 3202];
		expect(await sorted({ sortby: { wohnflaeche: 'DESC' } })).toEqual(bySizeDown);
		expect(await sorted({ sortby: 'wohnflaeche', sortorder: 'DESC' })).toEqual(bySizeDown);
		expect(await sorted({ sortby: 'wohnflaeche' })).toEqual([...bySizeDown].reverse());
		expect(await sorted({ sortby: { objekttyp: 'ASC', Id: 'DESC' } })).toEqual([
			3202, 409, 3201, 30, 2651, 3100,
		]);
	});

	test('unknown fields, operators and sort fields get their codes; a bad val is a filter error', async () => {
		expect(errorOf(await read('estate', { data: ['Id', 'kaufpreis'] }))).toEqual([
			141,
			'Unknown field: kaufpreis',
		]);
		expect(
			errorOf(await read('estate', { filter: { objektnummer: [{ op: '=', val: 'PC910' }] } })),
		).toEqual([145, 'Unknown field: objektnummer']);
		expect(
			errorOf(
				await read('estate', { filter: { objektnr_extern: [{ op: 'contains', val: 'PC' }] } }),
			),
		).toEqual([142, 'Unknown operator: contains']);
		expect(errorOf(await read('estate', { sortby: { kaufpreis: 'ASC' } }))).toEqual([
			212,
			'Unknown sort field.',
		]);
		expect(errorOf(await read('estate', { sortby: 'kaufpreis', sortorder: 'ASC' }))).toEqual([
			212,
			'Unknown sort field.',
		]);
		expect(
			(await read('estate', { filter: { wohnflaeche: [{ op: 'between', val: [60] }] } })).status
				.errorcode,
		).toBe(257);
		expect(
			(await read('estate', { filter: { Id: [{ op: 'in', val: 409 }] } })).status.errorcode,
		).toBe(257);
		expect((await read('estate', { sortby: { Id: 'UP' } })).status.errorcode).toBe(255);
	});

	test('a resourceid reads that one estate and ignores the filter', async () => {
		const answer = await read(
			'estate',
			{ data: ['objektnr_extern'], filter: { objektnr_extern: [{ op: '=', val: 'DUP-7' }] } },
			'409',
		);
		expect(answer.result.data.records).toEqual([
			{ id: 409, type: 'estate', elements: { objektnr_extern: 'PC910' } },
		]);
	});
});

describe('read address', () => {
	test("the editor's list: sorted by surname, id always there as a number, Email the main address", async () => {
		const answer = await read('address', {
			data: ['Vorname', 'Name', 'Firma', 'Email'],
			sortby: 'Name',
			sortorder: 'ASC',
			listlimit: 100,
			listoffset: 0,
		});
		expect(answer.status.errorcode).toBe(0);
		expect(answer.result.data.meta.cntabsolute).toBe(5);
		expect(ids(answer)).toEqual([21, 1, 7, 12, 13]);
		expect(answer.result.data.records[2]).toEqual({
			id: 7,
			type: 'address',
			elements: {
				id: 7,
				Vorname: 'Max',
				Name: 'Mustermann',
				Firma: '',
				Email: 'max.mustermann@example.com',
			},
		});
	});

	test('paging with listoffset; recordids; KdNr and Status', async () => {
		const page = await read('address', {
			data: ['Name'],
			sortby: 'Name',
			sortorder: 'DESC',
			listlimit: 2,
			listoffset: 2,
		});
		expect(ids(page)).toEqual([7, 1]);
		expect(page.result.data.meta.cntabsolute).toBe(5);
		const some = await read('address', { data: ['KdNr', 'Status'], recordids: [1, 7] });
		expect(some.result.data.records.map((r: any) => r.elements)).toEqual([
			{ id: 1, KdNr: '1001', Status: '1' },
			{ id: 7, KdNr: '1007', Status: '1' },
		]);
		expect(ids(await read('address', { filter: { KdNr: [{ op: '=', val: 1021 }] } }))).toEqual([
			21,
		]);
	});

	test('the pseudo-field email reads every entry as email__<entryId> and filters on any of them; Email only the main one', async () => {
		const max = await read('address', { data: ['Email', 'email'], recordids: [7] });
		expect(max.elements).toEqual({
			id: 7,
			Email: 'max.mustermann@example.com',
			email__71: 'max.mustermann@example.com',
			email__72: 'max@mustermann-bau.example',
		});
		const where = (name: string, val: string) =>
			read('address', { data: ['Name'], filter: { [name]: [{ op: '=', val }] } }).then(ids);
		expect(await where('Email', 'familie.schmidt@example.com')).toEqual([13]);
		expect(await where('email', 'familie.schmidt@example.com')).toEqual([12, 13]);
		expect(await where('Email', 'max@mustermann-bau.example')).toEqual([]);
		expect(await where('email', 'MAX@mustermann-bau.example')).toEqual([7]);
	});

	test('sortby is a string here: an object is refused; unknown fields get their codes', async () => {
		expect((await read('address', { sortby: { Name: 'ASC' } })).status.errorcode).toBe(255);
		expect(errorOf(await read('address', { sortby: 'Nachname', sortorder: 'ASC' }))).toEqual([
			212,
			'Unknown sort field.',
		]);
		expect(errorOf(await read('address', { data: ['Telefon9'] }))).toEqual([
			141,
			'Unknown field: Telefon9',
		]);
		expect(errorOf(await read('address', { filter: { mail: [{ op: '=', val: 'x' }] } }))).toEqual([
			145,
			'Unknown field: mail',
		]);
	});
});

describe('the estate quick search (get search, resourceid estate)', () => {
	const quick = (input: string, more: Record<string, unknown> = {}) =>
		search('estate', { input, sortby: 'objektnr_extern', sortorder: 'ASC', ...more });

	test('by property number: the documented record shape, cntabsolute null', async () => {
		const answer = await quick('PC910');
		expect(answer.status.errorcode).toBe(0);
		expect(answer.result.data).toEqual({
			meta: { cntabsolute: null },
			records: [
				{
					id: 409,
					type: 'estate',
					elements: {
						externalestateno: 'PC910',
						zipcode: '52064',
						city: 'Aachen',
						street: 'Musterstraße',
						houseno: '12',
						owner: 'Max Mustermann',
						type: 'Einfamilienhaus',
					},
				},
			],
		});
	});

	test.each([
		['Musterstraße', [2651, 409]],
		['Musterstraße 12', [409]],
		['musterstraße 3', [2651]],
		['Köln', [2651]],
		['Mustermann', [3100, 409]],
		['Max Mustermann', [3100, 409]],
		['Anna Schmidt', [2651]],
		['PC800', [3100]],
		['DUP-7', [3201, 3202]],
		['Aachen Musterstraße', [409]],
		['Hamburg', []],
	])(
		'"%s" finds %j (words ANDed; street, house number, city, ImmoNr, owner)',
		async (input, expected) => {
			expect(ids(await quick(input))).toEqual(expected);
		},
	);

	test('sortby takes the documented fields only; input may not be empty', async () => {
		expect(ids(await quick('Aachen', { sortby: 'strasse', sortorder: 'DESC' }))).toEqual([
			30, 409, 3100, 3202, 3201,
		]);
		expect(errorOf(await quick('Aachen', { sortby: 'wohnflaeche' }))).toEqual([
			212,
			'Unknown sort field.',
		]);
		expect(errorOf(await quick('  '))).toEqual([167, 'Missing parameter "input"']);
	});

	test('the filter parameter narrows it', async () => {
		expect(ids(await quick('Mustermann', { filter: { status: [{ op: '=', val: 1 }] } }))).toEqual([
			409,
		]);
	});

	test('with searchMatch "prefix" a word matches only the start of a field', async () => {
		expect(ids(await quick('straße'))).toEqual([3202, 30, 2651, 409]);
		sandbox.options.searchMatch = 'prefix';
		try {
			expect(ids(await quick('straße'))).toEqual([]);
			expect(ids(await quick('Muster'))).toEqual([30, 2651, 3100, 409]);
		} finally {
			sandbox.options.searchMatch = 'contains';
		}
	});
});

describe('the address search (get search, resourceid address)', () => {
	const find = (input: unknown, more: Record<string, unknown> = {}) =>
		search('address', { input, ...more });

	test('by name: the documented record shape; emailaddress holds every e-mail entry', async () => {
		const answer = await find('Mustermann');
		expect(answer.result.data.records).toEqual([
			{
				id: 7,
				type: 'address',
				elements: {
					customerno: 1007,
					surname: 'Mustermann',
					firstname: 'Max',
					company: '',
					addressDescription: 'Max Mustermann',
					emailaddress: ['max.mustermann@example.com', 'max@mustermann-bau.example'],
					primaryEmail: 'max.mustermann@example.com',
				},
			},
		]);
	});

	test.each([
		['Max Mustermann', [7]],
		['schmidt', [12, 13]],
		['Anna Schmidt', [12]],
		['Immobilien', [1]],
		['1021', [21]],
		['jonas.becker@example.com', [21]],
	])(
		'"%s" finds %j (first name, surname, company, customer number, default e-mail; words ANDed)',
		async (input, expected) => {
			expect(ids(await find(input))).toEqual(expected);
		},
	);

	test('without includecontactdata only the default e-mail counts; with it every e-mail and phone entry', async () => {
		expect(ids(await find('familie.schmidt@example.com'))).toEqual([13]);
		expect(ids(await find('familie.schmidt@example.com', { includecontactdata: true }))).toEqual([
			12, 13,
		]);
		expect(ids(await find('max@mustermann-bau.example'))).toEqual([]);
		expect(ids(await find('max@mustermann-bau.example', { includecontactdata: true }))).toEqual([
			7,
		]);
		expect(ids(await find('5550123'))).toEqual([]);
		expect(ids(await find('5550123', { includecontactdata: true }))).toEqual([21]);
	});

	test('input is mandatory and not empty; listlimit and casesensitive apply', async () => {
		for (const input of [undefined, '', '   '])
			expect(errorOf(await find(input))).toEqual([167, 'Missing parameter "input"']);
		expect(ids(await find('Schmidt', { listlimit: 1 }))).toEqual([12]);
		expect(ids(await find('SCHMIDT'))).toEqual([12, 13]);
		expect(ids(await find('SCHMIDT', { casesensitive: true }))).toEqual([]);
		expect(ids(await find('Schmidt', { casesensitive: true }))).toEqual([12, 13]);
	});
});

describe('an API user without read rights', () => {
	const stage = async () =>
		first(await call(sandbox, [doUpload({ data: Buffer.from('payslip').toString('base64') })]))
			.elements.tmpUploadId;

	async function expectNothingReadable(target: OnOfficeSandbox): Promise<void> {
		const run = (
			actionid: string,
			resourcetype: string,
			resourceid: string,
			parameters: Record<string, unknown>,
		) => call(target, [{ actionid, resourcetype, resourceid, parameters }]).then(first);
		const estates = await run(ONOFFICE_ACTION.read, 'estate', '', { data: ['Id'], listlimit: 1 });
		const addresses = await run(ONOFFICE_ACTION.read, 'address', '', {
			data: ['Name'],
			listlimit: 1,
		});
		expect([estates.status.errorcode, estates.result.data]).toEqual([
			0,
			{ meta: { cntabsolute: 0 }, records: [] },
		]);
		expect([addresses.status.errorcode, addresses.result.data]).toEqual([
			0,
			{ meta: { cntabsolute: 0 }, records: [] },
		]);
		for (const [resourceid, input] of [
			['estate', 'PC910'],
			['address', 'Mustermann'],
		]) {
			const found = await run(ONOFFICE_ACTION.get, 'search', resourceid, { input });
			expect([found.status.errorcode, found.result.data.records]).toEqual([0, []]);
		}
		const estateFiles = await run(ONOFFICE_ACTION.get, 'file', 'estate', { estateid: 409 });
		expect(errorOf(estateFiles)).toEqual([149, 'No read permission for this estate']);
		expect(
			(await run(ONOFFICE_ACTION.get, 'file', 'address', { addressid: 7 })).status.errorcode,
		).toBe(292);
	}

	test('reads and searches find nothing, get file is refused, uploads still work; reset gives the right back', async () => {
		sandbox.options.readRights = false;
		await expectNothingReadable(sandbox);
		const step2 = await call(sandbox, [
			doUpload({
				tmpUploadId: await stage(),
				module: 'address',
				relatedRecordId: 21,
				file: 'payslip.pdf',
			}),
		]);
		expect(first(step2).status.errorcode).toBe(0);
		expect(sandbox.files({ module: 'address', relatedRecordId: 21 })).toHaveLength(1);
		sandbox.reset();
		expect(
			ids(await read('estate', { data: ['Id'], filter: { Id: [{ op: '=', val: 409 }] } })),
		).toEqual([409]);
	});

	test('as a start option', async () => {
		const withoutRights = await startSandbox({ readRights: false });
		try {
			await expectNothingReadable(withoutRights);
			withoutRights.reset();
			await expectNothingReadable(withoutRights);
		} finally {
			await withoutRights.stop();
		}
	});

	test('through the inspection route, shown in the state with the records', async () => {
		const post = (body: string) =>
			fetch(`${sandbox.origin}/__sandbox/rights`, { method: 'POST', body });
		expect((await post('{"read": "no"}')).status).toBe(400);
		expect(await (await post('{"read": false}')).json()).toEqual({
			ok: true,
			rights: { read: false },
		});
		await expectNothingReadable(sandbox);
		const state = (await (await fetch(`${sandbox.origin}/__sandbox/state`)).json()) as any;
		expect(state.rights).toEqual({ read: false });
		expect(state.records.estate.map((e: any) => e.objektnr_extern)).toEqual([
			'PC101',
			'PC910',
			'PC651',
			'PC800',
			'DUP-7',
			'DUP-7',
		]);
		expect(state.records.address.find((a: any) => a.id === 7).emails).toHaveLength(2);
		expect(state.records).toMatchObject({ agentsLog: [5], task: [9] });
	});
});
