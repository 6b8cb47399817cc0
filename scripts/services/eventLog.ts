// Which n8n process ran an execution, read where n8n stores it: every instance writes its event log into its own user
// folder (`.n8n/n8nEventLog.log` for a main, `n8nEventLog-worker.log` for a worker, rotated to `-1.log` … at each
// start), a JSON message a line. A process that ran a node of an execution logged `n8n.node.started` for it; a main
// that only put the execution on the queue logged no node event. The execution rows in the database do not say.
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/** The executions a node of which the n8n instance with this user folder ran (from its event log files). */
export function executionsRunIn(userFolder: string): Set<string> {
	const folder = join(userFolder, '.n8n');
	const ran = new Set<string>();
	if (!existsSync(folder)) return ran;
	for (const file of readdirSync(folder).filter((f) => /^n8nEventLog.*\.log$/.test(f))) {
		for (const line of readFileSync(join(folder, file), 'utf8').split('\n')) {
			if (!line.includes('"n8n.node.started"')) continue;
			try {
				const message = JSON.parse(line) as {
					eventName?: string;
					payload?: { executionId?: unknown };
				};
				if (
					message.eventName === 'n8n.node.started' &&
					message.payload?.executionId !== undefined
				) {
					ran.add(String(message.payload.executionId));
				}
			} catch {
				// A line cut by a kill in the middle of a write.
			}
		}
	}
	return ran;
}
