// A long-running process a test starts next to n8n (Redis, PostgreSQL, Verdaccio, an n8n worker): its output kept
// for error messages, and a stop that ends it, waits for it and removes its temporary folder, safe to call twice; a
// kill that ends it with its descendants the way a crash does.
import { spawn, type ChildProcess, type SpawnOptions } from 'child_process';
import { rmSync } from 'fs';

import { descendants } from '../lib/processes';

export interface Service {
	child: ChildProcess;
	/** Whether it still runs. */
	running(): boolean;
	output(): string;
	stop(): Promise<void>;
	/** SIGKILL to the process and all its descendants at once, as a crash or an out-of-memory kill ends them; resolves once it is gone. */
	kill(): Promise<void>;
}

export function spawnService(
	command: string,
	args: string[],
	options: SpawnOptions & { removeOnStop?: string } = {},
): Service {
	const { removeOnStop, ...spawnOptions } = options;
	const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout!.on('data', (c) => (output += c));
	child.stderr!.on('data', (c) => (output += c));
	child.on('error', (error) => (output += `\n${command}: ${error.message}\n`));
	const running = () => child.exitCode === null && child.signalCode === null;
	const stop = async () => {
		if (running()) {
			const closed = new Promise((resolve) => child.once('close', resolve));
			child.kill('SIGTERM');
			await closed;
		}
		if (removeOnStop) rmSync(removeOnStop, { recursive: true, force: true });
	};
	const kill = async () => {
		if (!running()) return;
		const closed = new Promise((resolve) => child.once('close', resolve));
		for (const pid of [child.pid!, ...descendants(child.pid!).map((d) => d.pid)]) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// Ended on its own meanwhile.
			}
		}
		await closed;
	};
	return { child, running, output: () => output, stop, kill };
}
