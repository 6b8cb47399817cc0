// What `npm run test:queue` measured, as the pages quote it: the statuses n8n showed after a worker was killed and
// when (both outcomes), the copies on the estates, and each worker's peak memory. Printed at the end of every run;
// `-- --record` also writes it into bench/RESULTS-queue.md, under the settings it was measured with, where the pages'
// figures come from (as the benchmarks' come from bench/RESULTS.md).
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { join } from 'path';

/** A worker's Bull settings (QUEUE_WORKER_*), in ms. */
export interface BullTimings {
	lockDuration: number;
	lockRenewTime: number;
	stalledInterval: number;
}

interface CaseRecord {
	what: string;
	onDuplicate: string;
	when: string;
	history: Array<{ status: string; at: number }>;
	files: string[];
	answer: number;
	afterRetry?: number[];
	afterResend?: number[];
}

interface OutcomeRecord {
	timings: BullTimings;
	readyS?: number;
	retriedAtS?: number;
	cases: CaseRecord[];
}

const RESULTS = join(__dirname, '..', '..', 'bench', 'RESULTS-queue.md');
const s = (ms: number) => `${ms / 1000} s`;
const timingText = (t: BullTimings) =>
	`lock ${s(t.lockDuration)}, renewed every ${s(t.lockRenewTime)}, stalled-job check every ${s(t.stalledInterval)}`;
const historyText = (h: CaseRecord['history']) =>
	h.map((x) => `${x.status} at ${x.at.toFixed(1)} s`).join(' → ');
const counts = (files: string[], n: number[] | undefined) =>
	(n ?? []).map((c, i) => `${c} × ${files[i].replace(/^\S+ /, '')}`).join(', ');

export class QueueRecord {
	private readonly outcomes: Partial<Record<'a' | 'b', OutcomeRecord>> = {};
	private readonly lines: string[] = [];

	constructor(
		private readonly settings: string,
		private readonly n8nVersion: string,
	) {}

	outcome(kind: 'a' | 'b', record: OutcomeRecord): void {
		this.outcomes[kind] = record;
	}

	/** A line measured elsewhere in the run (the concurrent uploads, each worker's peak memory). */
	note(line: string): void {
		this.lines.push(line);
	}

	markdown(): string {
		const out = [
			`## ${this.settings}`,
			'',
			`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run test:queue\` on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, n8n ${this.n8nVersion} (one main, two workers, Redis, PostgreSQL). Seconds count from the SIGKILL of the worker.`,
			'',
		];
		const a = this.outcomes.a;
		if (a) {
			out.push(
				`### Killed and started again at once, with its user folder (${timingText(a.timings)})`,
				'',
				`The worker was ready again ${a.readyS!.toFixed(1)} s after the kill; Retry was pressed at ${a.retriedAtS!.toFixed(1)} s.`,
				'',
			);
			out.push(
				'| Case | Statuses in the Executions list | After Retry while Crashed | Webhook caller |',
				'|---|---|---|---|',
			);
			for (const k of a.cases)
				out.push(
					`| ${k.what} | ${historyText(k.history)} | ${counts(k.files, k.afterRetry)} | HTTP ${k.answer} |`,
				);
			out.push('');
		}
		const b = this.outcomes.b;
		if (b) {
			out.push(`### Killed and left down, another worker alive (${timingText(b.timings)})`, '');
			out.push(
				'| Case | Statuses in the Executions list | Retry | After sending the item again | Webhook caller |',
				'|---|---|---|---|---|',
			);
			for (const k of b.cases)
				out.push(
					`| ${k.what} | ${historyText(k.history)} | runs nothing | ${counts(k.files, k.afterResend)} | HTTP ${k.answer} |`,
				);
			out.push('');
		}
		if (this.lines.length)
			out.push('### The rest of the run', '', ...this.lines.map((l) => `- ${l}`), '');
		return out.join('\n');
	}

	/** Replaces this settings' section of bench/RESULTS-queue.md (the other settings' section stays). */
	write(): string {
		const head =
			"# Queue mode: what `npm run test:queue` measured\n\nWritten by `npm run test:queue -- --record` (n8n's own Bull timings: `ONOFFICE_QUEUE_BULL_DEFAULTS=1 npm run test:queue -- --record`). One run each: the machine is shared, so the seconds vary from run to run; the order of events and the statuses do not.\n";
		const old = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : head;
		const sections = old.split(/^(?=## )/m);
		const kept = sections
			.slice(1)
			.filter((section) => !section.startsWith(`## ${this.settings}\n`));
		writeFileSync(
			RESULTS,
			[head, ...kept.map((k) => k.trimEnd() + '\n'), this.markdown()]
				.join('\n')
				.replace(/\n{3,}/g, '\n\n'),
		);
		return RESULTS;
	}
}
