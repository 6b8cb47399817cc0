// The child processes of the dev loop (n8n, tsc) run detached, each as the leader of a process group of its own, so
// that Ctrl+C reaches only the loop and it stops them in order: their output line by line, a stop, a last-resort kill.
import type { ChildProcess } from 'child_process';

import { sleep } from '../lib/time';

/** Calls `onLine` for every line the child prints on stdout or stderr. */
export function lines(child: ChildProcess, onLine: (line: string) => void): void {
	for (const stream of [child.stdout!, child.stderr!]) {
		let rest = '';
		stream.setEncoding('utf8');
		stream.on('data', (chunk: string) => {
			const parts = (rest + chunk).split('\n');
			rest = parts.pop()!;
			for (const part of parts) onLine(part.replace(/\r$/, ''));
		});
		stream.on('end', () => rest && onLine(rest));
	}
}

function alive(child: ChildProcess): boolean {
	return child.exitCode === null && child.signalCode === null;
}

/** Signals a child's whole process group (it was started detached, as its group's leader): n8n's task runner too. */
export function killGroup(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
	if (!child?.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is gone.
	}
}

/** SIGTERM to the process, then SIGKILL to its group after `graceMs` or once it has ended and left something behind. */
export async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
	if (alive(child)) {
		const closed = new Promise((resolve) => child.once('close', resolve));
		child.kill('SIGTERM');
		const timer = sleep(graceMs);
		await Promise.race([closed, timer]);
	}
	killGroup(child, 'SIGKILL');
}
