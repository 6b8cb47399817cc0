// For npm run test:e2e (scripts/e2e/run.ts): the credential test and the node types in a started n8n, not `n8n execute`.
import type { OnOfficeSandbox } from '../../test/sandbox/server';
import { N8nRest } from '../services/n8nRest';
import { startN8n, type N8nServer } from '../services/n8nServer';
import { SANDBOX_CREDENTIAL } from '../services/workflows';
import { expect } from './checks';
import type { N8nInstall } from '../services/n8n';

const log = (line: string) => console.log(line);

/**
 * The credential's Test button in the real application: starts n8n, sets up an owner, logs in and calls
 * POST /rest/credentials/test with the right secret, a wrong secret and a wrong token. Returns n8n's output.
 */
export async function credentialTestInN8n(
	install: N8nInstall,
	env: NodeJS.ProcessEnv,
	sandbox: OnOfficeSandbox,
): Promise<string> {
	const redact = (text: string) =>
		text.split(sandbox.token).join('<token>').split(sandbox.secret).join('<secret>');
	let server: N8nServer;
	try {
		server = await startN8n(install, { ...env, N8N_SECURE_COOKIE: 'false', N8N_LOG_LEVEL: 'warn' });
	} catch (error) {
		throw new Error(redact((error as Error).message));
	}
	log(
		`    n8n start for the credential test on 127.0.0.1:${server.port} (task broker ${env.N8N_RUNNERS_BROKER_PORT})`,
	);
	const output = () => server.output();
	try {
		const rest = new N8nRest(server.url, 'e2e');
		await rest.signIn().catch((error: Error) => {
			throw new Error(
				`e2e check failed: ${error.message}; n8n printed:\n${redact(output().slice(-2000))}`,
			);
		});
		const test = (data: Record<string, unknown>) =>
			rest.json<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: { ...SANDBOX_CREDENTIAL, data: { ...sandbox.credentials, ...data } },
			});
		const right = await test({});
		expect(right.status === 'OK', `the right credentials test OK, got ${JSON.stringify(right)}`);
		const wrongSecret = await test({ secret: 'w'.repeat(64) });
		expect(
			wrongSecret.status === 'Error' && /137.*secret is wrong/.test(wrongSecret.message),
			`a wrong secret fails the test, got ${JSON.stringify(wrongSecret)}`,
		);
		const wrongToken = await test({ token: 'w'.repeat(32) });
		expect(
			wrongToken.status === 'Error' && /does not know this token/.test(wrongToken.message),
			`a wrong token fails the test, got ${JSON.stringify(wrongToken)}`,
		);
		expect(
			!JSON.stringify([right, wrongSecret, wrongToken]).includes('w'.repeat(32)),
			'no credential value in the test results',
		);
		// What the editor offers: the node in both versions, and its variant for the AI Agent's tools.
		const types = await rest.json<
			Array<{ name: string; version: number | number[]; displayName: string; outputs?: unknown }>
		>('GET', '/types/nodes.json');
		const ours = types.filter((t) => t.name.startsWith('n8n-nodes-onoffice-file-upload.'));
		const node = ours.find((t) => t.name.endsWith('.onOfficeFileUpload'));
		const tool = ours.find((t) => t.name.endsWith('.onOfficeFileUploadTool'));
		expect(
			JSON.stringify([node?.version].flat()) === '[1,2]',
			`n8n offers the node in versions 1 and 2, got ${JSON.stringify(node?.version)}`,
		);
		expect(
			tool?.displayName === 'onOffice File Upload Tool' &&
				JSON.stringify(tool.outputs) === '["ai_tool"]',
			`n8n offers "onOffice File Upload Tool" to the AI Agent, got ${JSON.stringify(tool && { name: tool.name, displayName: tool.displayName, outputs: tool.outputs })}`,
		);
		return output();
	} finally {
		await server.stop();
	}
}
