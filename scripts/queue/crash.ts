// Worker crashes in queue mode, for `npm run test:queue`: a worker SIGKILLed while it uploads (right after a file's
// final step, or in the middle of a file's blocks), with node version 2's default On Duplicate (Skip) and with Upload
// Anyway, in the two ways n8n 2.41.1 ends such executions:
//  (a) the worker comes back at once with its user folder, as a container's restart policy brings it back: at its
//      start it reads its own event log, marks the executions it was running *Crashed* and keeps their run data, so
//      Retry from the Executions list runs them again. What becomes of them later is recorded too.
//  (b) the worker stays down: a living worker's sweep fails the job once its lock ran out (n8n sets Bull's
//      maxStalledCount to 0), and the main, after rechecking for 30 s, records *Error* with the run data replaced by
//      that error, so Retry has nothing to run; sending the item again is the way.
// Beside it, n8n's node setting Retry On Fail after a final step onOffice refused. Every status is read through the
// REST API the Executions list uses, and which worker ran what from the workers' event logs (./workers).

import type { OnOfficeSandbox } from '../../test/sandbox/server';
import { MiB, sample, sha } from '../lib/bytes';
import { pollUntil, sleep } from '../lib/time';
import { executionList, runFromRest } from '../services/executions';
import type { N8nInstall } from '../services/n8n';
import type { N8nRest } from '../services/n8nRest';
import { sendFiles, uploadWebhookWorkflow } from '../services/uploadWebhook';
import type { BullTimings, QueueRecord } from './record';
import { ranBy, type Worker } from './workers';

/** n8n's Bull timings (ms), which users run with unless they set QUEUE_WORKER_*. */
const N8N_DEFAULTS: BullTimings = {
	lockDuration: 60_000,
	lockRenewTime: 10_000,
	stalledInterval: 30_000,
};
/** ONOFFICE_QUEUE_BULL_DEFAULTS=1 measures with n8n's own timings (a few minutes longer). */
export const WITH_N8N_DEFAULTS = process.env.ONOFFICE_QUEUE_BULL_DEFAULTS === '1';
/**
 * (a) The dead worker's lock must outlast its restart (the new process marks its executions crashed before it takes
 * jobs): 30 s, renewed every 5 s, leaves the restart 25 s.
 */
export const RESTART_TIMINGS: BullTimings = WITH_N8N_DEFAULTS
	? N8N_DEFAULTS
	: { lockDuration: 30_000, lockRenewTime: 5_000, stalledInterval: 5_000 };
/** (b) A dead worker is found within seconds of its lock running out. */
export const DOWN_TIMINGS: BullTimings = WITH_N8N_DEFAULTS
	? N8N_DEFAULTS
	: { lockDuration: 10_000, lockRenewTime: 2_500, stalledInterval: 5_000 };

export const bullEnv = (t: BullTimings): NodeJS.ProcessEnv => ({
	QUEUE_WORKER_LOCK_DURATION: String(t.lockDuration),
	QUEUE_WORKER_LOCK_RENEW_TIME: String(t.lockRenewTime),
	QUEUE_WORKER_STALLED_INTERVAL: String(t.stalledInterval),
});

/** The main's fixed recheck window for a stalled job (MAX_STALLED_COUNT_GRACE_WINDOW_MS in n8n 2.41.1). */
const GRACE_MS = 30_000;
const STALLED_MESSAGE = 'This execution failed to be processed too many times';

export interface QueueRig {
	install: N8nInstall;
	sandbox: OnOfficeSandbox;
	rest: N8nRest;
	/** The production webhook URL of a published workflow's path. */
	webhook(path: string): string;
	/** The running workers; worker 1 first. */
	workers: Worker[];
	/** Starts worker `index` again with its user folder and its settings (changed by `env`), after a stop or a kill. */
	restartWorker(index: number, env?: NodeJS.ProcessEnv): Promise<void>;
	check(condition: boolean, message: string): void;
	record: QueueRecord;
}

/** The workflows these cases send to: node version 2, each upload taking two files per item (fields file0, file1). */
export function crashWorkflows(
	credential: { id: string; name: string },
	blockSizeKiB: number,
): Array<Record<string, unknown>> {
	const two = { credential, blockSizeKiB, files: 2 };
	const retryOnFail = { maxTries: 2, waitBetweenTriesMs: 1000 };
	return [
		// Version 2 with its defaults: On Duplicate Skip.
		uploadWebhookWorkflow({ ...two, version: 2, id: 'crashDefaults', path: 'crash-defaults' }),
		uploadWebhookWorkflow({
			...two,
			version: 2,
			id: 'crashAnyway',
			path: 'crash-anyway',
			onDuplicate: 'uploadAnyway',
		}),
		uploadWebhookWorkflow({
			...two,
			id: 'retryAnyway',
			path: 'retry-anyway',
			onDuplicate: 'uploadAnyway',
			retryOnFail,
		}),
		uploadWebhookWorkflow({
			...two,
			id: 'retrySkip',
			path: 'retry-skip',
			onDuplicate: 'skip',
			retryOnFail,
		}),
	];
}

const pdf = (name: string, size: number) => ({
	name,
	mimeType: 'application/pdf',
	bytes: sample(size, name),
});
type File = ReturnType<typeof pdf>;

async function until(
	condition: () => boolean | Promise<boolean>,
	timeoutMs: number,
	what: string,
): Promise<void> {
	if (!(await pollUntil(condition, timeoutMs, 100)))
		throw new Error(`queue: timed out after ${timeoutMs / 1000} s waiting until ${what}`);
}

/** How often each file is on the estate, by name; a copy with other bytes makes the count negative. */
function copies(sandbox: OnOfficeSandbox, estate: number, files: File[]): number[] {
	const stored = sandbox.files({ module: 'estate', relatedRecordId: estate });
	return files.map((f) => {
		const named = stored.filter((s) => s.fileName === f.name);
		return named.every((s) => s.sha256 === sha(f.bytes)) ? named.length : -named.length;
	});
}
const said = (files: File[], counts: number[]) =>
	files.map((f, i) => `${counts[i]} × ${f.name}`).join(', ');
/** The blocks and final steps (step 2) the sandbox received for these files. */
const uploadRequests = (sandbox: OnOfficeSandbox, files: File[]) =>
	sandbox.requests.filter(
		(r) =>
			r.step === 'firstBlock' ||
			r.step === 'block' ||
			r.actions.some((a) => a.step === 'step2' && files.some((f) => f.name === a.parameters.file)),
	).length;

interface CrashCase {
	what: string;
	/** The column of the page's table: On Duplicate. */
	onDuplicate: 'Skip' | 'Upload Anyway';
	/** The row: when the worker died. */
	when: 'right after a file was linked' | "in the middle of a file's blocks";
	path: string;
	estate: number;
	files: File[];
	/** The request the sandbox keeps unanswered: the worker is killed while it waits for it. */
	hold: { step: 'firstBlock' | 'block'; nth: number };
	/** Copies of each file on the estate when the worker dies, and once the item has run again. */
	atKill: number[];
	again: number[];
	executionId?: string;
	answer?: Promise<{ status: number; body: string }>;
}

/** The four cases of one outcome, with file names of their own (`tag`), so the counts of the two outcomes stay apart. */
function crashCases(tag: string): CrashCase[] {
	const afterFinal = {
		when: 'right after a file was linked' as const,
		hold: { step: 'firstBlock' as const, nth: 2 },
		atKill: [1, 0],
	};
	const middle = {
		when: "in the middle of a file's blocks" as const,
		hold: { step: 'block' as const, nth: 2 },
		atKill: [0, 0],
	};
	const two = (name: string, first = 70_000) => [
		pdf(`${tag} ${name} 1.pdf`, first),
		pdf(`${tag} ${name} 2.pdf`, 90_000),
	];
	return [
		{
			...afterFinal,
			onDuplicate: 'Skip' as const,
			path: 'crash-defaults',
			estate: 409,
			files: two('skip'),
			again: [1, 1],
		},
		// 2.5 MiB in 1 MiB blocks: the first file's block 3 of 3 is held.
		{
			...middle,
			onDuplicate: 'Skip' as const,
			path: 'crash-defaults',
			estate: 2651,
			files: two('skip middle', Math.round(2.5 * MiB)),
			again: [1, 1],
		},
		{
			...afterFinal,
			onDuplicate: 'Upload Anyway' as const,
			path: 'crash-anyway',
			estate: 30,
			files: two('anyway'),
			again: [2, 1],
		},
		{
			...middle,
			onDuplicate: 'Upload Anyway' as const,
			path: 'crash-anyway',
			estate: 3201,
			files: two('anyway middle', Math.round(2.5 * MiB)),
			again: [1, 1],
		},
	].map((k) => ({ ...k, what: `${k.onDuplicate}, killed ${k.when}` }));
}

/** The execution ids n8n lists as running now. */
/**
 * The Executions list's Retry for each case, alternately "with original workflow" (no body) and "with currently
 * saved workflow" (loadWorkflow).
 */
function retryFromTheList(
	rest: N8nRest,
	cases: CrashCase[],
): Promise<Array<{ id: string; status: string; retryOf: string }>> {
	return Promise.all(
		cases.map((k, i) =>
			rest.json<{ id: string; status: string; retryOf: string }>(
				'POST',
				`/rest/executions/${k.executionId}/retry`,
				i % 2 ? { loadWorkflow: true } : undefined,
			),
		),
	);
}

async function running(rest: N8nRest): Promise<string[]> {
	return (await executionList(rest)).filter((e) => e.status === 'running').map((e) => e.id);
}

/** Starts the cases one after another on worker 1 (worker 2 stopped), each until its held request arrives. */
async function startOnWorker1(rig: QueueRig, cases: CrashCase[]): Promise<void> {
	const { sandbox, rest, check } = rig;
	await rig.workers[1].stop();
	const held = () =>
		sandbox.requests.filter((r) => r.fault === 'hold' && r.closedByClient === undefined);
	const known = new Set(await running(rest));
	for (const k of cases) {
		const holds = held().length;
		sandbox.inject({ kind: 'hold', when: k.hold });
		k.answer = sendFiles(
			rig.webhook(k.path),
			{ estate: k.estate, title: k.what, files: k.files },
			AbortSignal.timeout(300_000),
		).catch((error: Error) => ({ status: 0, body: error.message }));
		await until(() => held().length > holds, 60_000, `${k.what}: the held request arrives`);
		await until(
			async () => (await running(rest)).some((id) => !known.has(id)),
			10_000,
			`${k.what}: n8n lists its execution as running`,
		);
		k.executionId = (await running(rest)).find((id) => !known.has(id));
		known.add(k.executionId!);
	}
	const atKill = cases.map((k) => copies(sandbox, k.estate, k.files));
	check(
		cases.every((k, i) => atKill[i].join() === k.atKill.join() && k.executionId !== undefined),
		`${cases.length} uploads run on worker 1 (executions ${cases.map((k) => k.executionId).join(', ')}), each waiting on a held request: ` +
			cases.map((k, i) => `${k.what}: ${said(k.files, atKill[i])}`).join('; '),
	);
}

/** Each execution's statuses as the Executions list shows them, with the seconds since `from` each one appeared. */
class StatusWatch {
	readonly seen = new Map<string, Array<{ status: string; at: number }>>();

	constructor(
		private readonly rest: N8nRest,
		ids: string[],
		private readonly from: number,
	) {
		for (const id of ids) this.seen.set(id, []);
	}

	async poll(): Promise<void> {
		for (const [id, history] of this.seen) {
			const { status } = await this.rest.json<{ status: string }>('GET', `/rest/executions/${id}`);
			if (history.at(-1)?.status !== status)
				history.push({ status, at: (Date.now() - this.from) / 1000 });
		}
	}

	/** Polls every 250 ms until `done` holds for every execution or `ms` have passed since `from`. */
	async until(done: (status: string) => boolean, ms: number): Promise<void> {
		while (Date.now() - this.from < ms) {
			await this.poll();
			if ([...this.seen.values()].every((h) => done(h.at(-1)?.status ?? ''))) return;
			await sleep(250);
		}
	}

	last = (id: string) => this.seen.get(id)!.at(-1)!;
	history = (id: string) =>
		this.seen
			.get(id)!
			.map((s) => `${s.status} at ${s.at.toFixed(1)} s`)
			.join(', ');
}

/** Both outcomes of a killed worker, then Retry On Fail. */
export async function workerCrash(rig: QueueRig): Promise<void> {
	await restartedAtOnce(rig);
	await staysDown(rig);
}

/** (a) Killed and started again at once, with its user folder. */
async function restartedAtOnce(rig: QueueRig): Promise<void> {
	const { sandbox, rest, check, record, install } = rig;
	const t = RESTART_TIMINGS;
	const cases = crashCases('Restarted');
	await rig.restartWorker(0, bullEnv(t));
	await startOnWorker1(rig, cases);
	const ids = cases.map((k) => k.executionId!);

	const killedAt = Date.now();
	await rig.workers[0].kill();
	await rig.restartWorker(0);
	const readyS = (Date.now() - killedAt) / 1000;
	const watch = new StatusWatch(rest, ids, killedAt);
	await watch.until((s) => s !== 'running', (readyS + 10) * 1000);
	check(
		readyS < (t.lockDuration - t.lockRenewTime) / 1000,
		`worker 1 SIGKILLed and started again with its user folder: ready ${readyS.toFixed(1)} s after the kill, before its lock (${t.lockDuration / 1000} s, renewed every ${t.lockRenewTime / 1000} s) could run out`,
	);
	const stored = await Promise.all(ids.map((id) => runFromRest(rest, install, id)));
	check(
		ids.every((id) => watch.last(id).status === 'crashed') &&
			stored.every(
				(run, i) =>
					cases[i].files.every((f) => JSON.stringify(run.data).includes(f.name)) &&
					!run.stored.includes(STALLED_MESSAGE),
			),
		`n8n marks the four executions Crashed as the worker starts (it reads its own event log), keeping their run data (the webhook's item with both files): ` +
			ids.map((id) => `${id}: ${watch.history(id)}`).join('; '),
	);

	// The Executions list's Retry while they are Crashed.
	sandbox.clearFaults();
	const retriedAt = (Date.now() - killedAt) / 1000;
	const retries = await retryFromTheList(rest, cases);
	const afterRetry = cases.map((k) => copies(sandbox, k.estate, k.files));
	const onWorker = ranBy(rig.workers[0]);
	check(
		retries.every(
			(r, i) =>
				r.status === 'success' && String(r.retryOf) === ids[i] && onWorker.has(String(r.id)),
		) && cases.every((k, i) => afterRetry[i].join() === k.again.join()),
		`Retry from the Executions list while they are Crashed (${retriedAt.toFixed(1)} s after the kill; with the original and with the saved workflow) runs each item again on a worker and succeeds: ` +
			cases.map((k, i) => `${k.what}: ${said(k.files, afterRetry[i])}`).join('; '),
	);

	// What the crashed executions become afterwards, once their jobs' locks run out and the main hears of it.
	const bound = t.lockDuration + t.stalledInterval + GRACE_MS + 15_000;
	await watch.until((s) => s !== 'running' && s !== 'crashed', bound);
	const finals = ids.map((id) => watch.last(id));
	const answers = await Promise.all(cases.map((k) => k.answer!));
	record.outcome('a', {
		timings: t,
		readyS,
		retriedAtS: retriedAt,
		cases: cases.map((k, i) => ({
			what: k.what,
			onDuplicate: k.onDuplicate,
			when: k.when,
			history: watch.seen.get(ids[i])!,
			afterRetry: afterRetry[i],
			files: k.files.map((f) => f.name),
			answer: answers[i].status,
		})),
	});
	const endedAs = (await Promise.all(ids.map((id) => runFromRest(rest, install, id)))).map(
		(run) => run.error?.message ?? '',
	);
	const retriesNow = await Promise.all(
		retries.map((r) => rest.json<{ status: string }>('GET', `/rest/executions/${r.id}`)),
	);
	check(
		finals.every((f) => f.status === 'error') &&
			endedAs.every((m) => m.includes(STALLED_MESSAGE)) &&
			retriesNow.every((r) => r.status === 'success') &&
			finals.every((f) => f.at <= (t.lockDuration + t.stalledInterval) / 1000 + 5),
		`later, when the jobs' locks run out, the main records the originals as Error ("${STALLED_MESSAGE} …") at once, without its 30 s recheck: ` +
			ids.map((id) => `${id}: ${watch.history(id)}`).join('; ') +
			`; the webhook callers got HTTP ${answers.map((a) => a.status).join(', ')}; the retries stay successful`,
	);
}

/** (b) Killed and left down, while another worker lives. */
async function staysDown(rig: QueueRig): Promise<void> {
	const { sandbox, rest, check, record } = rig;
	const t = DOWN_TIMINGS;
	const cases = crashCases('Down');
	await rig.restartWorker(0, bullEnv(t));
	await startOnWorker1(rig, cases);
	const ids = cases.map((k) => k.executionId!);
	const heldBefore = new Set(sandbox.requests.filter((r) => r.fault === 'hold'));
	// Worker 2 is back before the kill: a living worker sweeps for stalled jobs, as where one of several dies.
	await rig.restartWorker(1);

	const killedAt = Date.now();
	await rig.workers[0].kill();
	const held = sandbox.requests.filter((r) => r.fault === 'hold' && !heldBefore.has(r));
	await until(
		() => held.every((r) => r.closedByClient !== undefined),
		5_000,
		'the held requests are closed',
	);
	check(
		held.every((r) => r.closedByClient && r.httpStatus === 0),
		`worker 1 SIGKILLed with its task runner: its ${held.length} held requests were closed by the dying process, none carried out`,
	);

	const watch = new StatusWatch(rest, ids, killedAt);
	const bound = t.lockDuration + t.stalledInterval + GRACE_MS + 20_000;
	const watching = watch.until((s) => s !== 'running', bound);
	watching.catch(() => undefined); // awaited below; a failure must not end the process before the cleanup
	await retryOnFail(rig);
	await watching;
	const decidedAt = ids.map((id) => watch.last(id).at);
	const earliest = (t.lockDuration - t.lockRenewTime + GRACE_MS) / 1000 - 1;
	const latest = (t.lockDuration + t.stalledInterval + GRACE_MS) / 1000 + 10;
	const stored = await Promise.all(ids.map((id) => runFromRest(rest, rig.install, id)));
	check(
		stored.every(
			(run) => run.status === 'error' && (run.error?.message ?? '').includes(STALLED_MESSAGE),
		) &&
			ids.every((id) => watch.seen.get(id)!.every((s) => ['running', 'error'].includes(s.status))),
		`left down, n8n records the killed executions as Error ("${STALLED_MESSAGE} …"), never as Crashed: ` +
			`the lock ran out (${t.lockDuration / 1000} s, renewed every ${t.lockRenewTime / 1000} s), worker 2's sweep (every ${t.stalledInterval / 1000} s) failed the jobs, the main rechecked for ${GRACE_MS / 1000} s (${ids.map((id) => `${id}: ${watch.history(id)}`).join('; ')})`,
	);
	check(
		decidedAt.every((s) => s >= earliest && s <= latest),
		`the Error came between ${earliest} s and ${latest} s after the kill, as the lock, the sweep and the main's recheck add up (${decidedAt.map((s) => s.toFixed(1)).join(' s, ')} s)`,
	);
	const answers = await Promise.all(cases.map((k) => k.answer!));
	check(
		answers.every((a) => a.status === 500),
		`the webhook callers got HTTP ${answers.map((a) => `${a.status} ${a.body.slice(0, 60)}`).join('; ')}`,
	);

	// Worker 1 comes back with its user folder once the main has decided: its recovery leaves them as they are.
	await rig.restartWorker(0);
	const afterRestart = await Promise.all(
		ids.map((id) => rest.json<{ status: string }>('GET', `/rest/executions/${id}`)),
	);
	check(
		afterRestart.every((e) => e.status === 'error'),
		`worker 1 started again later with its user folder (and event log); n8n still lists them as ${afterRestart.map((e) => e.status).join(', ')}`,
	);

	// The Executions list's Retry now: the stored execution kept only the error, so the retry has no node left to run.
	const before = cases.map((k) => uploadRequests(sandbox, k.files));
	const retries = await retryFromTheList(rest, cases);
	const afterRetry = cases.map((k) => copies(sandbox, k.estate, k.files));
	check(
		retries.every((r, i) => r.status === 'error' && String(r.retryOf) === ids[i]) &&
			cases.every(
				(k, i) =>
					afterRetry[i].join() === k.atKill.join() &&
					uploadRequests(sandbox, k.files) === before[i],
			),
		`Retry from the Executions list (with the original and with the saved workflow) runs nothing now: the retries ${retries.map((r) => `${r.id} ended ${r.status}`).join(', ')}, ` +
			`no block or final step was sent, the estates still hold ${cases.map((k, i) => said(k.files, afterRetry[i])).join('; ')}`,
	);

	// What does recover: the same item sent again (the form, the import, the Webhook caller retrying).
	const resent = await Promise.all(
		cases.map((k) =>
			sendFiles(rig.webhook(k.path), { estate: k.estate, title: k.what, files: k.files }),
		),
	);
	const afterResend = cases.map((k) => copies(sandbox, k.estate, k.files));
	for (const [i, k] of cases.entries()) {
		check(
			resent[i].status === 200 && afterResend[i].join() === k.again.join(),
			`${k.what}, then sent again: HTTP ${resent[i].status}, the estate holds ${said(k.files, afterResend[i])}`,
		);
	}
	record.outcome('b', {
		timings: t,
		cases: cases.map((k, i) => ({
			what: k.what,
			onDuplicate: k.onDuplicate,
			when: k.when,
			history: watch.seen.get(ids[i])!,
			afterResend: afterResend[i],
			files: k.files.map((f) => f.name),
			answer: answers[i].status,
		})),
	});
	sandbox.clearFaults();
}

/** Retry On Fail (2 tries): the second file's final step fails once with an onOffice error, so n8n runs the node again. */
async function retryOnFail(rig: QueueRig): Promise<void> {
	const { sandbox, check } = rig;
	const runs = [
		{
			what: 'Skip',
			path: 'retry-skip',
			estate: 409,
			files: [pdf('Retry skip 1.pdf', 60_000), pdf('Retry skip 2.pdf', 80_000)],
			expected: [1, 1],
		},
		{
			what: 'Upload Anyway',
			path: 'retry-anyway',
			estate: 30,
			files: [pdf('Retry anyway 1.pdf', 60_000), pdf('Retry anyway 2.pdf', 80_000)],
			expected: [2, 1],
		},
	];
	for (const run of runs)
		sandbox.inject({
			kind: 'actionError',
			code: 129,
			when: { step: 'step2' },
			parameter: { file: run.files[1].name },
		});
	const answers = await Promise.all(
		runs.map((run) =>
			sendFiles(rig.webhook(run.path), { estate: run.estate, title: run.what, files: run.files }),
		),
	);
	for (const [i, run] of runs.entries()) {
		const second = sandbox.requests
			.flatMap((r) => r.actions)
			.filter((a) => a.step === 'step2' && a.parameters.file === run.files[1].name);
		const counts = copies(sandbox, run.estate, run.files);
		// The webhook answers with the node's first output item: the first file, as the second try saw it.
		const first = JSON.parse(answers[i].body || '{}') as { skipped?: boolean };
		check(
			answers[i].status === 200 &&
				second.map((a) => a.errorcode).join() === '129,0' &&
				counts.join() === run.expected.join() &&
				first.skipped === (run.what === 'Skip' ? true : undefined),
			`Retry On Fail with ${run.what}: ${run.files[1].name}'s final step refused once (error 129), the node ran again and the webhook answered ${answers[i].status}; ` +
				`the estate holds ${said(run.files, counts)}${first.skipped ? ' (the second try skipped the first file)' : ''}`,
		);
	}
}
