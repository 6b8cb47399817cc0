// `n8n start` on free loopback ports with this package installed, for the tests that need the running application
// (the editor in a browser, the mail trigger): waits until n8n is ready, sets up the owner, stops in a finally.
import { spawn, type ChildProcess } from 'child_process';

import { freePort } from '../lib/ports';
import { n8nEnv, type N8nInstall } from './n8n';
import { sleep } from '../lib/time';

export interface N8nServer {
	url: string;
	port: number;
	env: NodeJS.ProcessEnv;
	output(): string;
	stop(): Promise<void>;
}

/** The editor without what phones home or asks questions on first start. */
export const QUIET_EDITOR: NodeJS.ProcessEnv = {
	N8N_PERSONALIZATION_ENABLED: 'false',
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_SECURE_COOKIE: 'false',
};

/** The environment for `n8n start` and the CLI commands before it (imports), sharing one user folder. */
export function serverEnv(
	install: N8nInstall,
	home: string,
	extra: NodeJS.ProcessEnv = {},
): Promise<NodeJS.ProcessEnv> {
	return n8nEnv(install, home, { N8N_LOG_LEVEL: 'warn', ...extra });
}

export async function startN8n(install: N8nInstall, env: NodeJS.ProcessEnv): Promise<N8nServer> {
	const port = await freePort([Number(env.N8N_RUNNERS_BROKER_PORT)]);
	const child: ChildProcess = spawn(install.bin, ['start'], {
		env: { ...env, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1' },
	});
	let output = '';
	child.stdout!.on('data', (c) => (output += c));
	child.stderr!.on('data', (c) => (output += c));
	const url = `http://127.0.0.1:${port}`;
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('close', resolve));
		}
	};
	// While its database migrates, n8n answers every request with 200 "n8n is starting up"; readiness tells. n8n 1.x
	// is ready before its REST routes are registered: until then /rest/login answers 404 instead of 401.
	const ready = async () =>
		(await fetch(`${url}/healthz/readiness`).then(
			(r) => r.ok,
			() => false,
		)) &&
		(await fetch(`${url}/rest/login`).then(
			(r) => r.status !== 404,
			() => false,
		));
	for (let i = 0; i < 240; i++) {
		if (child.exitCode !== null) break;
		if (await ready()) return { url, port, env, output: () => output, stop };
		await sleep(500);
	}
	await stop();
	throw new Error(`n8n start did not become ready on ${url}:\n${output.slice(-3000)}`);
}
