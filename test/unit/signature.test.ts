import {
	hmacV2,
	ONOFFICE_ACTION,
	resolveEndpoint,
	signRequestBody,
} from '../../credentials/onOfficeSignature';

// Known-answer vectors: the first two come from onOffice's official PHP SDK tests, the rest from
// shared/reference/onoffice-api.md §2.2. Fixed strings, never recomputed here.
const VECTORS: Array<[string, string, number, string, string, string]> = [
	['mgjIQkNRnaqggVzy9cZW', 'yOJobbhGLXdp90XxvxedFhH7073L9U', 123456789, 'estateCategories', ONOFFICE_ACTION.get, 'dsvg3r4AFcQXges0MZ+3auzQVfnEB39pLkKSgmm9Wvg='],
	['testtoken', 'testsecret', 1646228220, 'calendar', ONOFFICE_ACTION.read, 'w6ifKMmAdJoKhu0vl2twvfP+ltyOTQ7LqLpvsZkOnlg='],
	['dX5hkIIU6W', 'dhY8h7FeU9', 123456789, 'estateCategories', ONOFFICE_ACTION.get, 'F9OXyaJv7p+bLkwGDGV7ZUmfYgjH2E24zpsxY5/nVDk='],
	['t0ken', 's3cret', 1700000000, 'uploadfile', ONOFFICE_ACTION.do, 'i5GAaVGpFxfrqiPBKAe8mJVSi3lI9xkd7g97Fxulco0='],
	['t0ken', 's3cret', 1700000000, 'file', ONOFFICE_ACTION.get, 'gAwvVA3rOJSofQHuJnzhqswlzv+o3yi/RHpR86HeQi0='],
	['t0ken', 's3cret', 1700000000, 'fields', ONOFFICE_ACTION.get, 'g95QqXpUIjiiLKHe1Ax6V2arrLaJ5eAlE+QImvvbumA='],
	['t0ken', 's3cret', 1700000000, 'impressum', ONOFFICE_ACTION.read, 'l9gJa32eNvCXREbFAx3s4YSxbpCSjblya1Ys8EEdzOA='],
	['t0ken', 's3cret', 1700000000, 'basicsettings', ONOFFICE_ACTION.read, 'ATMlVLu3A2LFSWZM/UqEn2UHGk+9WI3uo1J1AEPkNrw='],
	['t0ken', 's3cret', 1700000000, 'fileRelation', ONOFFICE_ACTION.delete, 'kWQr9QddV53nIVB6KIZFJmUZcxksB/NuZE1doUzCRWE='],
	['t0ken', 's3cret', 1700000000, 'fileRelation', ONOFFICE_ACTION.modify, 'F461Vn/nXcKq1VVPKIVNyuhprhknhpZxHwQaPAWge5I='],
];

describe('HMAC v2 signer', () => {
	test.each(VECTORS)('token %s, secret %s, ts %d, %s', (token, secret, timestamp, resourcetype, actionid, expected) => {
		expect(hmacV2(secret, { timestamp, token, resourcetype, actionid })).toBe(expected);
	});

	test('the action id is part of the signature: uploadfile signed as get is a different value', () => {
		const asGet = hmacV2('s3cret', { timestamp: 1700000000, token: 't0ken', resourcetype: 'uploadfile', actionid: ONOFFICE_ACTION.get });
		expect(asGet).toBe('N1A4szljkQnh1DrJchKpGSDuRpYTTuXsnCTTdPPipQ0=');
		expect(asGet).not.toBe('i5GAaVGpFxfrqiPBKAe8mJVSi3lI9xkd7g97Fxulco0=');
	});

	test('signRequestBody signs every action with one timestamp and puts the token on top', () => {
		const body = {
			request: {
				actions: [
					{ actionid: ONOFFICE_ACTION.do, resourceid: '', resourcetype: 'uploadfile', identifier: 'a', parameters: { data: 'aGVsbG8=' } },
					{ actionid: ONOFFICE_ACTION.get, resourceid: 'estate', resourcetype: 'file', identifier: 'b', parameters: { estateid: 30 } },
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

describe('endpoint resolution', () => {
	test.each([
		['stable', undefined, 'https://api.onoffice.de/api/stable/api.php'],
		['latest', undefined, 'https://api.onoffice.de/api/latest/api.php'],
		[undefined, undefined, 'https://api.onoffice.de/api/stable/api.php'],
		['custom', 'https://proxy.example.com/api/stable/api.php', 'https://proxy.example.com/api/stable/api.php'],
		['custom', 'http://127.0.0.1:8089/api/stable/api.php', 'http://127.0.0.1:8089/api/stable/api.php'],
		['custom', 'http://localhost:8089/api/latest/api.php', 'http://localhost:8089/api/latest/api.php'],
		['custom', 'http://[::1]:8089/api/stable/api.php', 'http://[::1]:8089/api/stable/api.php'],
		['custom', 'http://127.1.2.3/api.php', 'http://127.1.2.3/api.php'],
	])('%s %s -> %s', (version, custom, expected) => {
		expect(resolveEndpoint(version, custom)).toEqual({ url: expected });
	});

	test.each([
		['custom', 'http://api.onoffice.de/api/stable/api.php', /uses http on a host that is not this machine: use https/],
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
