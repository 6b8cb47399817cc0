// A long-running process a test starts next to n8n (Redis, PostgreSQL, Verdaccio, an n8n worker): its output kept
// for error messages, and a stop that ends it, waits for it and removes its temporary folder, safe to call twice.
import { spawn, type ChildProcess, type SpawnOptions } from 'child_process';
import { rmSync } from 'fs';

export interface Service {
	child: ChildProcess;
	/** Whether it still runs. */
	running(): boolean;
	output(): string;
	stop(): Promise<void>;
}

export function spawnService(command: string, args: string[], options: SpawnOptions & { removeOnStop?: string } = {}): Service {
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
	return { child, running, output: () => output, stop };
}
