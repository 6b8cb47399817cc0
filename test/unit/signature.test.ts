import {
	hmacV2,
	ONOFFICE_ACTION,
	resolveEndpoint,
	signRequestBody,
	Base64Data,
	serializeRequestBody,
	type BodyBuffer,
} from '../../credentials/onOfficeSignature';

// Known-answer vectors: the first two come from onOffice's official PHP SDK tests, the rest from
// shared/reference/onoffice-api.md §2.2. Fixed strings, never recomputed here.
const VECTORS: Array<[string, string, number, string, string, string]> = [
	[
		'mgjIQkNRnaqggVzy9cZW',
		'yOJobbhGLXdp90XxvxedFhH7073L9U',
		123456789,
		'estateCategories',
		ONOFFICE_ACTION.get,
		'dsvg3r4AFcQXges0MZ+3auzQVfnEB39pLkKSgmm9Wvg=',
	],
	[
		'testtoken',
		'testsecret',
		1646228220,
		'calendar',
		ONOFFICE_ACTION.read,
		'w6ifKMmAdJoKhu0vl2twvfP+ltyOTQ7LqLpvsZkOnlg=',
	],
	[
		'dX5hkIIU6W',
		'dhY8h7FeU9',
		123456789,
		'estateCategories',
		ONOFFICE_ACTION.get,
		'F9OXyaJv7p+bLkwGDGV7ZUmfYgjH2E24zpsxY5/nVDk=',
	],
	[
		't0ken',
		's3cret',
		1700000000,
		'uploadfile',
		ONOFFICE_ACTION.do,
		'i5GAaVGpFxfrqiPBKAe8mJVSi3lI9xkd7g97Fxulco0=',
	],
	[
		't0ken',
		's3cret',
		1700000000,
		'file',
		ONOFFICE_ACTION.get,
		'gAwvVA3rOJSofQHuJnzhqswlzv+o3yi/RHpR86HeQi0=',
	],
	[
		't0ken',
		's3cret',
		1700000000,
		'fields',
		ONOFFICE_ACTION.get,
		'g95QqXpUIjiiLKHe1Ax6V2arrLaJ5eAlE+QImvvbumA=',
	],
	[
		't0ken',
		's3cret',
		1700000000,
		'impressum',
		ONOFFICE_ACTION.read,
		'l9gJa32eNvCXREbFAx3s4YSxbpCSjblya1Ys8EEdzOA=',
	],
	[
		't0ken',
		's3cret',
		1700000000,
		'basicsettings',
		ONOFFICE_ACTION.read,
		'ATMlVLu3A2LFSWZM/UqEn2UHGk+9WI3uo1J1AEPkNrw=',
	],
	[
		't0ken',
		's3cret',
		1700000000,
		'fileRelation',
		ONOFFICE_ACTION.delete,
		'kWQr9QddV53nIVB6KIZFJmUZcxksB/NuZE1doUzCRWE=',
	],
	[
		't0ken',
		's3cret',
		1700000000,
		'fileRelation',
		ONOFFICE_ACTION.modify,
		'F461Vn/nXcKq1VVPKIVNyuhprhknhpZxHwQaPAWge5I=',
	],
];

describe('HMAC v2 signer', () => {
	test.each(VECTORS)(
		'token %s, secret %s, ts %d, %s',
		(token, secret, timestamp, resourcetype, actionid, expected) => {
			expect(hmacV2(secret, { timestamp, token, resourcetype, actionid })).toBe(expected);
		},
	);

	test('the action id is part of the signature: uploadfile signed as get is a different value', () => {
		const asGet = hmacV2('s3cret', {
			timestamp: 1700000000,
			token: 't0ken',
			resourcetype: 'uploadfile',
			actionid: ONOFFICE_ACTION.get,
		});
		expect(asGet).toBe('N1A4szljkQnh1DrJchKpGSDuRpYTTuXsnCTTdPPipQ0=');
		expect(asGet).not.toBe('i5GAaVGpFxfrqiPBKAe8mJVSi3lI9xkd7g97Fxulco0=');
	});

	test('signRequestBody signs every action with one timestamp and puts the token on top', () => {
		const body = {
			request: {
				actions: [
					{
						actionid: ONOFFICE_ACTION.do,
						resourceid: '',
						resourcetype: 'uploadfile',
						identifier: 'a',
						parameters: { data: 'aGVsbG8=' },
					},
					{
						actionid: ONOFFICE_ACTION.get,
						resourceid: 'estate',
						resourcetype: 'file',
						identifier: 'b',
						parameters: { estateid: 30 },
					},
				],
			},
		};
		const signed = signRequestBody(body, 't0ken', 's3cret', 1700000000);
		expect(signed.token).toBe('t0ken');
		expect(signed.request.actions.map((a) => [a.timestamp, a.hmac_version, a.hmac])).toEqual([
			[1700000000, 2, 'i5GAaVGpFxfrqiPBKAe8mJVSi3lI9xkd7g97Fxulco0='],
			[1700000000, 2, 'gAwvVA3rOJSofQHuJnzhqswlzv+o3yi/RHpR86HeQi0='],
		]);
		expect(signed.request.actions[0].parameters).toEqual({ data: 'aGVsbG8=' });
		// The input is left alone: a retry can sign the same unsigned body again.
		expect((body.request.actions[0] as Record<string, unknown>).hmac).toBeUndefined();
	});
});

describe('request bodies with file blocks', () => {
	const action = (identifier: string, parameters: Record<string, unknown>) => ({
		actionid: ONOFFICE_ACTION.do,
		resourceid: '',
		resourcetype: 'uploadfile',
		identifier,
		parameters,
		timestamp: 1700000000,
		hmac_version: 2 as const,
		hmac: 'h',
	});
	const bytes = (n: number, seed = 7) =>
		Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256));

	test('a body without Base64Data stays the object it was', () => {
		const body = {
			token: 't',
			request: { actions: [action('a', { data: 'aGVsbG8=', tmpUploadId: 'x' })] },
		};
		expect(serializeRequestBody(body)).toBe(body);
	});

	test.each([0, 1, 2, 3, 4, 49151, 49152, 49153, 3 * 49152 + 2, 200_000])(
		'%d bytes become exactly the JSON that JSON.stringify gives for their base64 string',
		(n) => {
			const raw = bytes(n);
			const body = {
				token: 't',
				request: {
					actions: [
						action('block-1', { data: new Base64Data(raw), tmpUploadId: 'ü "x" \\ \u2028' }),
					],
				},
			};
			const out = serializeRequestBody(body);
			expect(Buffer.isBuffer(out)).toBe(true);
			const expected = JSON.stringify({
				token: 't',
				request: {
					actions: [
						action('block-1', { data: raw.toString('base64'), tmpUploadId: 'ü "x" \\ \u2028' }),
					],
				},
			});
			expect((out as Buffer).toString('utf8')).toBe(expected);
			// JSON.stringify of the unserialised body gives the same text (toJSON is the base64 string).
			expect(JSON.stringify(body)).toBe(expected);
		},
	);

	test('several blocks in one request, in other actions and next to text that looks like a marker', () => {
		const a = bytes(10, 1);
		const b = bytes(11, 2).subarray(3);
		const body = {
			token: 't',
			request: {
				actions: [
					action('x', { data: new Base64Data(a), file: 'onoffice-base64-0' }),
					action('y', { title: '"onoffice-base64-1"' }),
					action('z', { data: new Base64Data(new Uint8Array(b)), other: new Base64Data(a) }),
				],
			},
		};
		const parsed = JSON.parse((serializeRequestBody(body) as Buffer).toString('utf8'));
		expect(parsed.request.actions.map((x: { parameters: unknown }) => x.parameters)).toEqual([
			{ data: a.toString('base64'), file: 'onoffice-base64-0' },
			{ title: '"onoffice-base64-1"' },
			{ data: b.toString('base64'), other: a.toString('base64') },
		]);
		// The input is left alone: a retry serialises the same body again.
		expect(body.request.actions[0].parameters.data).toBeInstanceOf(Base64Data);
	});

	test('the blocks of one file share one body buffer: it is allocated once and grows only when a block needs more', () => {
		const lent: BodyBuffer = {};
		const send = (raw: Buffer) =>
			serializeRequestBody({
				token: 't',
				request: { actions: [action('b', { data: new Base64Data(raw, lent) })] },
			}) as Buffer;
		const first = send(bytes(3000));
		const memory = lent.buffer!.buffer;
		expect(first.toString()).toContain(bytes(3000).toString('base64'));
		const second = send(bytes(3000, 9));
		expect(second.buffer).toBe(memory);
		expect(second.toString()).toContain(bytes(3000, 9).toString('base64'));
		const smaller = send(bytes(30, 5));
		expect(smaller.buffer).toBe(memory);
		expect(JSON.parse(smaller.toString()).request.actions[0].parameters.data).toBe(
			bytes(30, 5).toString('base64'),
		);
		send(bytes(6000));
		expect(lent.buffer!.buffer).not.toBe(memory);
	});
});

describe('endpoint resolution', () => {
	test.each([
		['stable', undefined, 'https://api.onoffice.de/api/stable/api.php'],
		['latest', undefined, 'https://api.onoffice.de/api/latest/api.php'],
		[undefined, undefined, 'https://api.onoffice.de/api/stable/api.php'],
		[
			'custom',
			'https://proxy.example.com/api/stable/api.php',
			'https://proxy.example.com/api/stable/api.php',
		],
		[
			'custom',
			'http://127.0.0.1:8089/api/stable/api.php',
			'http://127.0.0.1:8089/api/stable/api.php',
		],
		[
			'custom',
			'http://localhost:8089/api/latest/api.php',
			'http://localhost:8089/api/latest/api.php',
		],
		['custom', 'http://[::1]:8089/api/stable/api.php', 'http://[::1]:8089/api/stable/api.php'],
		['custom', 'http://127.1.2.3/api.php', 'http://127.1.2.3/api.php'],
	])('%s %s -> %s', (version, custom, expected) => {
		expect(resolveEndpoint(version, custom)).toEqual({ url: expected });
	});

	test.each([
		[
			'custom',
			'http://api.onoffice.de/api/stable/api.php',
			/uses http on a host that is not this machine: use https/,
		],
		['custom', 'http://192.168.1.10/api.php', /uses http on a host that is not this machine/],
		['custom', 'http://127.0.0.1.evil.com/api.php', /uses http on a host that is not this machine/],
		['custom', '', /"Custom URL" is empty/],
		['custom', 'not a url', /is not a valid URL/],
		['custom', 'ftp://127.0.0.1/api.php', /must be an https URL/],
		['beta', undefined, /"API Version" has an unknown value "beta"/],
	])('%s %s is refused', (version, custom, message) => {
		const result = resolveEndpoint(version, custom);
		expect('error' in result && result.error).toMatch(message);
	});
});
