import type { IHttpRequestOptions } from 'n8n-workflow';

import { OnOfficeApi } from '../../credentials/OnOfficeApi.credentials';
import { Base64Data, hmacV2, ONOFFICE_ACTION } from '../../credentials/onOfficeSignature';

const TOKEN = 'T'.repeat(32);
const SECRET = 'S'.repeat(64);
const credential = new OnOfficeApi();

function unsignedBody() {
	return {
		request: {
			actions: [
				{
					actionid: ONOFFICE_ACTION.do,
					resourceid: '',
					resourcetype: 'uploadfile',
					identifier: 'b1',
					parameters: { data: 'AAAA' },
				},
				{
					actionid: ONOFFICE_ACTION.do,
					resourceid: '',
					resourcetype: 'uploadfile',
					identifier: 'l1',
					parameters: {
						Art: 'Link',
						module: 'estate',
						relatedRecordId: 30,
						url: 'https://a.example',
					},
				},
				{
					actionid: ONOFFICE_ACTION.get,
					resourceid: 'estate',
					resourcetype: 'file',
					identifier: 'g1',
					parameters: { estateid: 30 },
				},
			],
		},
	};
}

describe('onOffice API credential', () => {
	test('authenticate signs every action of a multi-action body with one clock read', async () => {
		const before = Math.floor(Date.now() / 1000);
		const options: IHttpRequestOptions = {
			method: 'POST',
			url: '',
			body: unsignedBody(),
			json: true,
		};
		const signed = await credential.authenticate(
			{
				token: TOKEN,
				secret: SECRET,
				apiVersion: 'custom',
				customUrl: 'http://127.0.0.1:8089/api/stable/api.php',
			},
			options,
		);
		const after = Math.floor(Date.now() / 1000);
		const body = signed.body as {
			token: string;
			request: { actions: Array<Record<string, unknown>> };
		};
		expect(signed.url).toBe('http://127.0.0.1:8089/api/stable/api.php');
		expect(signed.headers).toEqual({ 'Content-Type': 'application/json' });
		expect(body.token).toBe(TOKEN);
		const timestamps = new Set(body.request.actions.map((a) => a.timestamp));
		expect(timestamps.size).toBe(1);
		const [timestamp] = [...timestamps] as number[];
		expect(Number.isInteger(timestamp)).toBe(true);
		expect(timestamp).toBeGreaterThanOrEqual(before);
		expect(timestamp).toBeLessThanOrEqual(after);
		for (const action of body.request.actions) {
			expect(action.hmac_version).toBe(2);
			expect(action.hmac).toBe(
				hmacV2(SECRET, {
					timestamp,
					token: TOKEN,
					resourcetype: String(action.resourcetype),
					actionid: String(action.actionid),
				}),
			);
		}
		// The secret is never sent.
		expect(JSON.stringify(signed)).not.toContain(SECRET);
	});

	test('a file block leaves the credential as the finished, signed JSON bytes', async () => {
		const bytes = Buffer.from('a block of a file, any bytes \u0000\u00ff');
		const unsigned = {
			request: {
				actions: [
					{
						actionid: ONOFFICE_ACTION.do,
						resourceid: '',
						resourcetype: 'uploadfile',
						identifier: 'block-1',
						parameters: { data: new Base64Data(bytes) },
					},
				],
			},
		};
		const signed = await credential.authenticate(
			{
				token: TOKEN,
				secret: SECRET,
				apiVersion: 'custom',
				customUrl: 'http://127.0.0.1:8089/api/stable/api.php',
			},
			{ method: 'POST', url: '', body: unsigned, json: true },
		);
		expect(Buffer.isBuffer(signed.body)).toBe(true);
		expect(signed.headers).toEqual({ 'Content-Type': 'application/json' });
		const body = JSON.parse((signed.body as Buffer).toString('utf8'));
		expect(body.token).toBe(TOKEN);
		const [action] = body.request.actions;
		expect(action.parameters).toEqual({ data: bytes.toString('base64') });
		expect(action.hmac).toBe(
			hmacV2(SECRET, {
				timestamp: action.timestamp,
				token: TOKEN,
				resourcetype: 'uploadfile',
				actionid: ONOFFICE_ACTION.do,
			}),
		);
		expect((signed.body as Buffer).toString('utf8')).not.toContain(SECRET);
	});

	test('a stable credential points at onOffice', async () => {
		const signed = await credential.authenticate(
			{ token: TOKEN, secret: SECRET, apiVersion: 'stable' },
			{ method: 'POST', url: '', body: unsignedBody() },
		);
		expect(signed.url).toBe('https://api.onoffice.de/api/stable/api.php');
	});

	test('http to a host that is not loopback is a clear error that names neither token nor secret', async () => {
		const promise = credential.authenticate(
			{
				token: TOKEN,
				secret: SECRET,
				apiVersion: 'custom',
				customUrl: 'http://onoffice.example.com/api.php',
			},
			{ method: 'POST', url: '', body: unsignedBody() },
		);
		await expect(promise).rejects.toThrow(
			/onOffice API credential: .*uses http on a host that is not this machine: use https/,
		);
		const error = (await promise.catch((e: Error) => e)) as Error;
		expect(JSON.stringify({ m: error.message, s: String(error.stack) })).not.toMatch(/T{32}|S{64}/);
	});

	test('a body without actions is refused', async () => {
		await expect(
			credential.authenticate(
				{ token: TOKEN, secret: SECRET },
				{ method: 'POST', url: '', body: { foo: 1 } },
			),
		).rejects.toThrow(/no onOffice actions to sign/);
	});

	test('fields: token and secret are password fields with length hints; custom URL only for custom', () => {
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.token.typeOptions).toEqual({ password: true });
		expect(byName.secret.typeOptions).toEqual({ password: true });
		expect(byName.token.hint).toMatch(/32 characters/);
		expect(byName.secret.hint).toMatch(/64 characters/);
		expect(byName.apiVersion.default).toBe('stable');
		expect(byName.customUrl.displayOptions).toEqual({ show: { apiVersion: ['custom'] } });
	});

	test('the description never carries a token or secret', () => {
		const text = JSON.stringify({ ...credential });
		expect(text).not.toMatch(/T{32}|S{64}/);
	});
});
