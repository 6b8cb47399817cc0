// `npm run sandbox` as a person runs it: it prints what to paste into n8n, and that endpoint answers.
import { spawn } from 'child_process';
import { join } from 'path';

import { call } from './client';
import type { OnOfficeSandbox } from './server';

test('the sandbox command prints the credential values and the seeded records, and serves them', async () => {
	const token = 'clitoken0123456789abcdefABCDEFGH';
	const secret = 's'.repeat(64);
	const child = spawn(
		process.execPath,
		[join(__dirname, '../../node_modules/tsx/dist/cli.mjs'), join(__dirname, 'cli.ts')],
		{
			env: {
				...process.env,
				ONOFFICE_SANDBOX_PORT: '0',
				ONOFFICE_SANDBOX_TOKEN: token,
				ONOFFICE_SANDBOX_SECRET: secret,
				ONOFFICE_SANDBOX_READ_RIGHTS: '0',
			},
		},
	);
	try {
		const printed = await new Promise<string>((resolve, reject) => {
			let out = '';
			child.stdout.on('data', (chunk) => {
				out += chunk;
				if (out.includes('Stop with Ctrl+C')) resolve(out);
			});
			child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)));
		});
		expect(printed).toContain(`Token:        ${token}`);
		expect(printed).toContain(`Secret:       ${secret}`);
		expect(printed).toContain('API Version:  Custom URL');
		expect(printed).toMatch(/409\s+PC910\s+Musterstraße 12, 52064 Aachen\s+active/);
		expect(printed).toMatch(
			/7\s+Max Mustermann\s+max\.mustermann@example\.com, max@mustermann-bau\.example/,
		);
		expect(printed).toContain('Read rights:    off');
		const url = /Custom URL:\s+(http:\/\/127\.0\.0\.1:\d+\/api\/stable\/api\.php)/.exec(
			printed,
		)![1];
		const target = { url, token, secret } as unknown as OnOfficeSandbox;
		const answer = await call(target, [
			{
				actionid: 'urn:onoffice-de-ns:smart:2.5:smartml:action:read',
				resourcetype: 'impressum',
				parameters: {},
			},
		]);
		expect(answer.json.response.results[0].status.errorcode).toBe(0);
		const estates = await call(target, [
			{
				actionid: 'urn:onoffice-de-ns:smart:2.5:smartml:action:read',
				resourcetype: 'estate',
				parameters: { data: ['Id'] },
			},
		]);
		expect(estates.json.response.results[0].data).toEqual({
			meta: { cntabsolute: 0 },
			records: [],
		});
	} finally {
		child.kill('SIGTERM');
	}
});
