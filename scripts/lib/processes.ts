// The processes of this machine as /proc shows them: who descends from whom, so a test can kill a process with all
// it started (as a crash does) or check that nothing was left running.
import { readdirSync, readFileSync } from 'fs';

export interface ProcessInfo {
	pid: number;
	/** The start time (field 22 of /proc/<pid>/stat), so that a reused pid is not taken for the old one. */
	start: string;
	command: string;
}

/** Every live process with its parent. Zombies are left out: they run nothing and wait for their parent to reap them. */
export function processTable(): Map<number, ProcessInfo & { ppid: number }> {
	const table = new Map<number, ProcessInfo & { ppid: number }>();
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			// The command (field 2) is in parentheses and may hold spaces; the fields after it are plain.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (fields[0] === 'Z') continue;
			table.set(Number(pid), {
				pid: Number(pid),
				ppid: Number(fields[1]),
				start: fields[19],
				command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
			});
		} catch {
			// Ended meanwhile.
		}
	}
	return table;
}

/** Every process below `pid` right now, parents before their children. */
export function descendants(pid: number): ProcessInfo[] {
	const table = processTable();
	const found: ProcessInfo[] = [];
	const queue = [pid];
	while (queue.length) {
		const parent = queue.shift()!;
		for (const info of table.values()) {
			if (info.ppid !== parent) continue;
			found.push({ pid: info.pid, start: info.start, command: info.command });
			queue.push(info.pid);
		}
	}
	return found;
}

/** The processes whose environment holds `name=value` (all that a run started with it, however detached). */
export function processesWithEnv(name: string, value: string): number[] {
	const needle = `${name}=${value}\0`;
	const found: number[] = [];
	for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
		try {
			if (
				`${readFileSync(`/proc/${pid}/environ`, 'latin1')}\0`.includes(needle) &&
				Number(pid) !== process.pid
			)
				found.push(Number(pid));
		} catch {
			// Ended, or not ours to read.
		}
	}
	return found;
}
