// How the transport maps every failure shape to an error a workflow builder can act on, through the real engine.
import { startSandbox, type OnOfficeSandbox } from '../sandbox/server';
import { logLines } from './harness';
import { fast, runWithFiles } from './workflows';
import { useSandbox } from '../sandbox/useSandbox';

const sandbox = useSandbox();

const upload = (options: Record<string, unknown> = {}) => ({
	operation: 'uploadFile',
	module: 'estate',
	relatedRecordId: 409,
	fileType: 'Foto',
	options: { ...fast, retries: 0, ...options },
});
const oneFile = [
	{ files: [{ property: 'data', fileName: 'a.jpg', mimeType: 'image/jpeg', size: 100 }] },
];

/** Runs the upload and returns the thrown error's message, description and everything serialisable about it. */
async function failure(
	target: OnOfficeSandbox,
	options: Record<string, unknown> = {},
	credentials: Record<string, unknown> = {},
) {
	const result = await runWithFiles(target, upload(options), oneFile, { credentials });
	const error = result.error as any;
	expect(error).toBeDefined();
	return {
		message: String(error.message),
		description: String(error.description ?? ''),
		httpCode: error.httpCode,
		error,
		all: JSON.stringify({
			error,
			messages: error.messages,
			stack: error.stack,
			cause: error.cause,
			context: error.context,
		}),
	};
}

function expectNoSecrets(text: string, target: OnOfficeSandbox = sandbox) {
	expect(text).not.toContain(target.token);
	expect(text).not.toContain(target.secret);
	expect(text).not.toMatch(/"hmac":|hmac=/);
}

test("HTTP 5xx with a proxy's HTML page: status, page text, no secrets", async () => {
	sandbox.inject({ kind: 'http', status: 502, times: 5 });
	const f = await failure(sandbox);
	expect(f.message).toBe(
		'Item 0: onOffice error while uploading block 1 of 1 of a.jpg: the server answered HTTP 502: "502 Bad Gateway nginx"',
	);
	expect(f.httpCode).toBe('502');
	expectNoSecrets(f.all);
});

test('retries are bounded: 3 retries mean 4 attempts, each signed with a fresh timestamp', async () => {
	sandbox.inject({ kind: 'http', status: 503, times: 10 });
	const f = await failure(sandbox, { retries: 3, retryDelay: 1 });
	expect(f.message).toMatch(/HTTP 503.*\(after 4 attempts\)/);
	expect(sandbox.requests).toHaveLength(4);
});

test('an answer that is not onOffice JSON (an HTML page with HTTP 200)', async () => {
	sandbox.inject({ kind: 'malformed', times: 5 });
	const f = await failure(sandbox);
	expect(f.message).toMatch(
		/the answer was not onOffice API JSON\. Check that the credential points at the onOffice API endpoint/,
	);
	expectNoSecrets(f.all);
});

test('JSON that is not an onOffice envelope', async () => {
	sandbox.inject({ kind: 'malformed', body: '{"ok":true}', times: 5 });
	expect((await failure(sandbox)).message).toMatch(/not onOffice API JSON/);
});

test("a top-level error (500/4 with no results) fails the request with onOffice's code", async () => {
	sandbox.inject({
		kind: 'malformed',
		times: 5,
		body: JSON.stringify({
			status: { code: 500, errorcode: 4, message: 'Invalid or malformed JSON' },
			response: { results: [] },
		}),
	});
	expect((await failure(sandbox)).message).toBe(
		'Item 0: onOffice error while uploading block 1 of 1 of a.jpg (onOffice code 4): Invalid or malformed JSON',
	);
});

test('a top-level errorcode given as a string (seen for syntax errors) is still an error', async () => {
	sandbox.inject({
		kind: 'malformed',
		times: 5,
		body: JSON.stringify({
			status: { code: 500, errorcode: 'Syntax error', message: 'Unknown error occured' },
			response: { results: [] },
		}),
	});
	expect((await failure(sandbox)).message).toBe(
		'Item 0: onOffice error while uploading block 1 of 1 of a.jpg: Unknown error occured',
	);
});

test('an envelope without a result for the action', async () => {
	sandbox.inject({
		kind: 'malformed',
		times: 5,
		body: JSON.stringify({
			status: { code: 200, errorcode: 0, message: 'OK' },
			response: { results: [] },
		}),
	});
	expect((await failure(sandbox)).message).toBe(
		'Item 0: onOffice error while uploading block 1 of 1 of a.jpg: onOffice sent no result for this action',
	);
});

test('a wrong token: the top-level 400/22 with its hint', async () => {
	const f = await failure(sandbox, {}, { token: 'W'.repeat(32) });
	expect(f.message).toBe(
		'Item 0: onOffice error while uploading block 1 of 1 of a.jpg (onOffice code 22): Not authenticated',
	);
	expect(f.description).toMatch(/copy it again from the API user.*32 characters/);
	expect(f.all).not.toContain('W'.repeat(32));
	expectNoSecrets(f.all);
});

test.each([[97], [0]] as const)(
	'a wrong secret: per-action 137 under top-level %d, with the lengths hint',
	async (top) => {
		const target = await startSandbox({ failedActionTopLevel: top });
		try {
			const f = await failure(target, {}, { secret: 'Z'.repeat(64) });
			expect(f.message).toBe(
				'Item 0: onOffice error while uploading block 1 of 1 of a.jpg (onOffice code 137): The HMAC is invalid.',
			);
			expect(f.description).toMatch(/secret \(64 characters\) or the token \(32 characters\)/);
			expect(f.all).not.toContain('Z'.repeat(64));
			expectNoSecrets(f.all, target);
		} finally {
			await target.stop();
		}
	},
);

test('clock skew: 136 with the NTP hint', async () => {
	const skewed = await startSandbox({ clockSkewSeconds: 600 });
	try {
		const f = await failure(skewed);
		expect(f.message).toMatch(/\(onOffice code 136\): Your timestamp is too old/);
		expect(f.description).toMatch(/clock .* synchronise it \(NTP\)/);
	} finally {
		await skewed.stop();
	}
});

test.each([
	[129, /works once/],
	[161, /document attribute/],
	[167, /parameter onOffice requires is missing/],
	[213, /file name/],
	[239, /title picture/],
	[261, /write rights for addresses/],
	[262, /write rights for estates/],
	[292, /No address with this record number/],
	[293, /No estate with this record number/],
])('per-action error %d on step 2 carries its hint', async (code, hint) => {
	sandbox.inject({ kind: 'actionError', code, when: { step: 'step2' } });
	const f = await failure(sandbox);
	expect(f.message).toMatch(
		new RegExp(
			`^Item 0: onOffice error while linking a\\.jpg to estate 409 \\(onOffice code ${code}\\): `,
		),
	);
	expect(f.description).toMatch(hint);
	expectNoSecrets(f.all);
});

test('a connection dropped on every attempt: plain words, bounded attempts', async () => {
	sandbox.inject({ kind: 'drop', times: 10 });
	const f = await failure(sandbox, { retries: 2, retryDelay: 1 });
	expect(f.message).toBe(
		'Item 0: onOffice error while uploading block 1 of 1 of a.jpg: the connection was closed before onOffice answered (after 3 attempts)',
	);
	expect(sandbox.requests).toHaveLength(3);
});

test('nothing listening: connection refused', async () => {
	const gone = await startSandbox();
	await gone.stop();
	const f = await failure(gone);
	expect(f.message).toMatch(/nothing answered at the endpoint \(connection refused\)/);
});

test('a custom http endpoint that is not loopback is refused before anything is sent', async () => {
	const f = await failure(
		sandbox,
		{},
		{ customUrl: 'http://onoffice.example.com/api/stable/api.php' },
	);
	expect(f.message).toMatch(
		/onOffice API credential: The field "Custom URL" \("http:\/\/onoffice.example.com"\) uses http on a host that is not this machine: use https/,
	);
	expect(sandbox.requests).toHaveLength(0);
});

test('nothing the engine logged carries the token or the secret', () => {
	// The engine logs every failed node execution with its error; the errors above must have reached the log.
	expect(logLines.filter((l) => l.message.includes('onOffice error')).length).toBeGreaterThan(5);
	expectNoSecrets(JSON.stringify(logLines));
});
