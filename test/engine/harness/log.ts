// The log sink: everything the engine and the node log, kept for the secret-hygiene checks and passed to listeners.
export interface LogLine {
	level: string;
	message: string;
	metadata?: unknown;
}

/** Everything the engine and the node log during the tests, for the secret-hygiene checks. */
export const logLines: LogLine[] = [];

const logListeners = new Set<(line: LogLine) => void>();

/** Calls `listener` with every line as it is logged (synchronously, inside the node's call); returns the unsubscribe. */
export function onLogLine(listener: (line: LogLine) => void): () => void {
	logListeners.add(listener);
	return () => logListeners.delete(listener);
}

function log(line: LogLine): void {
	logLines.push(line);
	for (const listener of logListeners) listener(line);
}

export class CapturingLogger {
	scoped() {
		return this;
	}
	error(message: string, metadata?: unknown) {
		log({ level: 'error', message, metadata });
	}
	warn(message: string, metadata?: unknown) {
		log({ level: 'warn', message, metadata });
	}
	info(message: string, metadata?: unknown) {
		log({ level: 'info', message, metadata });
	}
	debug(message: string, metadata?: unknown) {
		log({ level: 'debug', message, metadata });
	}
}
