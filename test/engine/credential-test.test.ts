// The credential's own "Test" button, run the way n8n runs it (RoutingNode, then the rules) against the sandbox.
import { startSandbox } from '../sandbox/server';
import { testCredential } from './harness';
import { useSandbox } from '../sandbox/useSandbox';

const sandbox = useSandbox({}, { resetBeforeEach: false });

test('correct token and secret: connection successful, and the test request was signed', async () => {
	expect(await testCredential(sandbox.credentials)).toEqual({
		status: 'OK',
		message: 'Connection successful!',
	});
	const last = sandbox.requests.at(-1)!;
	expect(last.actions[0]).toMatchObject({
		actionid: 'read',
		resourcetype: 'basicsettings',
		hmacValid: true,
		errorcode: 0,
	});
});

test('a wrong secret fails (HTTP 200 with per-action 137), naming the secret', async () => {
	const result = await testCredential({ ...sandbox.credentials, secret: 'x'.repeat(64) });
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/137.*The secret is wrong/);
	expect(result.message).not.toContain('x'.repeat(64));
});

test('a wrong secret also fails when onOffice answers 0 on top', async () => {
	const other = await startSandbox({ failedActionTopLevel: 0 });
	try {
		expect(
			(await testCredential({ ...other.credentials, secret: 'x'.repeat(64) })).message,
		).toMatch(/The secret is wrong/);
	} finally {
		await other.stop();
	}
});

test('a wrong token fails with the token hint', async () => {
	const result = await testCredential({ ...sandbox.credentials, token: 'y'.repeat(32) });
	expect(result).toEqual({
		status: 'Error',
		message: expect.stringMatching(/does not know this token \(22/),
	});
});

test('clock skew fails with the clock hint', async () => {
	const skewed = await startSandbox({ clockSkewSeconds: -300 });
	try {
		expect((await testCredential(skewed.credentials)).message).toMatch(/136.*clock/);
	} finally {
		await skewed.stop();
	}
});

test('an http endpoint that is not loopback fails before anything is sent', async () => {
	const before = sandbox.requests.length;
	const result = await testCredential({
		...sandbox.credentials,
		customUrl: 'http://example.com/api/stable/api.php',
	});
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/use https/);
	expect(sandbox.requests.length).toBe(before);
});

test('an API user that may not read the basic settings: the Test names that right', async () => {
	// onOffice documents no code for it; any refusal of the action makes the request's code 97 ("Error in action").
	sandbox.inject({ kind: 'actionError', code: 155, when: { resourcetype: 'basicsettings' } });
	const result = await testCredential(sandbox.credentials);
	expect(result).toEqual({
		status: 'Error',
		message:
			"onOffice accepted the credentials but refused the test request. Check the API user's rights (read basic settings).",
	});
});
