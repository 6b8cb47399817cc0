// A run's result read from where n8n stores it, never from its log text: after `n8n execute` (no server runs) from
// its database, with the Node that n8n runs on (its built-in SQLite module); from a served n8n through its REST API.
// Both give the same StoredRun, so the demo and every test that runs a workflow read runs one way. n8n's log text is
// no place to read a run from: `n8n execute` prints the run among its log lines and ends its process before a busy
// machine has drained the pipe, which cuts a large run short.
import { execFile } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { N8nRest } from './n8nRest';
import { MiB } from '../lib/bytes';

type Json = Record<string, any>;
export type Item = { json: Json; binary?: Record<string, Json> };

/** One execution as n8n stored it. */
export interface StoredRun {
	id: string;
	workflowId: string;
	/** n8n's status: success, error, canceled, crashed, running, waiting, new. */
	status: string;
	/** How it started: cli (`n8n execute`), webhook, trigger, manual, retry, … */
	mode: string;
	/** Each node's first output, as the Executions list shows it. */
	nodes: Record<string, Item[]>;
	/** Each node's outputs in order (a Switch's branches, an error output). */
	outputs: Record<string, Item[][]>;
	/** The run's error, where it ended with one. */
	error?: { message: string; description?: string; node?: string };
	/** The run data (`resultData`, …), parsed. */
	data: Json;
	/** The execution as n8n stored it (its row, or the REST API's answer), as text: for the secrets checks. */
	stored: string;
}

/** The items of every output of a node together (what a Switch or an error output sent anywhere). */
export const allItems = (run: StoredRun, node: string): Item[] => (run.outputs[node] ?? []).flat();

/** n8n stores run data in the `flatted` format (references instead of repeats); its own copy reads it. */
function flattedOf(n8nBin: string): { parse(text: string): any } {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(join(n8nBin, '..', '..', '..', 'flatted', 'cjs', 'index.js'));
}

/** A stored execution (its row and its data column) as a StoredRun. */
export function storedRun(
	row: { id: unknown; workflowId: unknown; status: unknown; mode: unknown; data: unknown },
	flatted: { parse(text: string): any },
): StoredRun {
	const data = (typeof row.data === 'string' ? flatted.parse(row.data) : row.data) ?? {};
	const outputs: StoredRun['outputs'] = {};
	for (const [name, runs] of Object.entries<any>(data?.resultData?.runData ?? {})) {
		outputs[name] = (runs?.[0]?.data?.main ?? []).map((items: Item[] | null) => items ?? []);
	}
	const nodes = Object.fromEntries(
		Object.entries(outputs).map(([name, lists]) => [name, lists[0] ?? []]),
	);
	const error = data?.resultData?.error;
	return {
		id: String(row.id),
		workflowId: String(row.workflowId),
		status: String(row.status),
		mode: String(row.mode),
		nodes,
		outputs,
		...(error
			? {
					error: {
						message: String(error.message ?? ''),
						description: error.description ?? undefined,
						node: error.node?.name,
					},
				}
			: {}),
		data,
		stored: JSON.stringify(row),
	};
}

/** Node's own SQLite module (Node 22.13 and newer), run on the Node that n8n runs on: rows to a file, not to a pipe. */
const READ_ROWS = `
const { DatabaseSync } = require('node:sqlite');
const [file, out, afterId, workflowId] = process.argv.slice(1);
const db = new DatabaseSync(file);
const rows = db.prepare(
	'SELECT e.id AS id, e.workflowId AS workflowId, e.status AS status, e.mode AS mode, d.data AS data ' +
	'FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id ' +
	'WHERE CAST(e.id AS INTEGER) > ? AND (? = \\'\\' OR e.workflowId = ?) ORDER BY CAST(e.id AS INTEGER)'
).all(Number(afterId), workflowId, workflowId);
db.close();
require('fs').writeFileSync(out, JSON.stringify(rows));
`;

/** Where an n8n user folder keeps its SQLite database. */
export const databaseOf = (home: string) => join(home, '.n8n', 'database.sqlite');

/**
 * The executions in the SQLite database of the n8n user folder `home` with an id above `afterId` (of one workflow, if
 * given), oldest first. `install` gives the Node that n8n runs on and n8n's own `flatted`.
 */
export async function runsInDatabase(
	install: { bin: string; nodeBin: string },
	home: string,
	options: { afterId?: number; workflowId?: string } = {},
): Promise<StoredRun[]> {
	const work = mkdtempSync(join(tmpdir(), 'onoffice-runs-'));
	const out = join(work, 'rows.json');
	try {
		await new Promise<void>((resolve, reject) =>
			execFile(
				join(install.nodeBin, 'node'),
				[
					'--no-warnings',
					'-e',
					READ_ROWS,
					databaseOf(home),
					out,
					String(options.afterId ?? 0),
					options.workflowId ?? '',
				],
				{ maxBuffer: MiB },
				(error, _stdout, stderr) =>
					error
						? reject(
								new Error(
									`reading the executions in ${databaseOf(home)} failed: ${error.message}\n${stderr}`,
								),
							)
						: resolve(),
			),
		);
		const rows = JSON.parse(readFileSync(out, 'utf8')) as Array<Parameters<typeof storedRun>[0]>;
		const flatted = flattedOf(install.bin);
		return rows.map((row) => storedRun(row, flatted));
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

/** One execution of a served n8n, through its REST API (as the Executions list opens it). */
export async function runFromRest(
	rest: N8nRest,
	install: { bin: string },
	id: string,
): Promise<StoredRun> {
	const full = await rest.json<{
		id: string;
		workflowId: string;
		status: string;
		mode: string;
		data: unknown;
	}>('GET', `/rest/executions/${id}`);
	return storedRun({ ...full, id: full.id ?? id }, flattedOf(install.bin));
}

/** A line of the Executions list: no run data. */
export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
}

/** The Executions list of a served n8n (`GET /rest/executions`), newest first: at most `limit`, the newest ones. */
export async function executionList(rest: N8nRest, limit = 100): Promise<ExecutionSummary[]> {
	const page = await rest.json<{ results: ExecutionSummary[] } | ExecutionSummary[]>(
		'GET',
		`/rest/executions?limit=${limit}`,
	);
	return (Array.isArray(page) ? page : page.results)
		.map((e) => ({ ...e, id: String(e.id), workflowId: String(e.workflowId) }))
		.sort((a, b) => Number(b.id) - Number(a.id));
}

/** The executions of a served n8n with their run data, oldest first (at most `limit`, the newest ones). */
export async function runsFromRest(
	rest: N8nRest,
	install: { bin: string },
	limit = 100,
): Promise<StoredRun[]> {
	const runs: StoredRun[] = [];
	for (const { id } of (await executionList(rest, limit)).reverse())
		runs.push(await runFromRest(rest, install, id));
	return runs;
}
