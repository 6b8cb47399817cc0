// Redis for n8n's queue mode: Debian's redis-server (installed when missing), on a free loopback port, with no
// persistence and its folder in a temporary directory. `stop()` ends it and removes the folder.
import { mkdtempSync } from 'fs';
import { connect } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

import { freePort } from '../lib/ports';
import { ensureDebianPackage } from './apt';
import { spawnService } from './process';
import { sleep } from '../lib/time';

export interface Redis {
	host: string;
	port: number;
	output(): string;
	stop(): Promise<void>;
}

/** PING over a fresh connection; resolves with whether Redis answered PONG. */
function ping(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		let answer = '';
		socket.setTimeout(1000, () => socket.destroy());
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk;
			if (answer.includes('\r\n')) socket.end();
		});
		socket.on('close', () => resolve(answer.startsWith('+PONG')));
		socket.on('error', () => resolve(false));
	});
}

export async function startRedis(): Promise<Redis> {
	ensureDebianPackage('redis-server', 'redis-server', "The queue-mode test (n8n's job queue)");
	const dir = mkdtempSync(join(tmpdir(), 'onoffice-redis-'));
	const port = await freePort();
	const { child, output, stop } = spawnService(
		'redis-server',
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--protected-mode',
			'yes',
		],
		{ cwd: dir, removeOnStop: dir },
	);
	for (let i = 0; i < 100; i++) {
		if (child.exitCode !== null) break;
		if (await ping(port)) return { host: '127.0.0.1', port, output, stop };
		await sleep(100);
	}
	await stop();
	throw new Error(`redis-server did not answer on 127.0.0.1:${port}:\n${output().slice(-2000)}`);
}
