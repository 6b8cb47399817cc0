// Worker crashes in queue mode, for `npm run test:queue`: a worker SIGKILLed while it uploads (right after a file's
// final step, or in the middle of a file's blocks), what n8n records for those executions and when, what the
// Executions list's Retry then does, and what sending the files again leaves on the estate with On Duplicate Skip and
// with Upload Anyway. Beside it, n8n's node setting Retry On Fail after a final step onOffice refused.
//
// How n8n 2.41.1 finds a dead worker: the worker holds a Bull lock on each job (QUEUE_WORKER_LOCK_DURATION, renewed
// every QUEUE_WORKER_LOCK_RENEW_TIME); every QUEUE_WORKER_STALLED_INTERVAL a living worker sweeps the active jobs, and
// a job whose lock ran out fails at once (n8n sets Bull's maxStalledCount to 0). The main, waiting on the job, then
// rechecks the execution for 30 s while it is still "running" and records it as an error, with its run data replaced
// by that error: nothing is left for a retry to start from.

import type { OnOfficeSandbox } from '../../test/sandbox/server';
import { sample } from '../lib/bytes';
import type { N8nRest } from '../services/n8nRest';
import { sendFiles, uploadWebhookWorkflow } from '../services/uploadWebhook';
import { startedExecutions, type Worker } from './workers';
import { MiB, sha } from '../lib/bytes';
import { sleep } from '../lib/time';

/** n8n's Bull timings (ms), which users run with unless they set QUEUE_WORKER_*. */
const N8N_DEFAULTS = { lockDuration: 60_000, lockRenewTime: 10_000, stalledInterval: 30_000 };
/** This test's, so a dead worker is found in seconds; ONOFFICE_QUEUE_BULL_DEFAULTS=1 measures with n8n's (about 1 min longer). */
export const BULL_TIMINGS =
	process.env.ONOFFICE_QUEUE_BULL_DEFAULTS === '1'
		? N8N_DEFAULTS
		: { lockDuration: 10_000, lockRenewTime: 2_500, stalledInterval: 5_000 };
export const BULL_ENV: NodeJS.ProcessEnv = {
	QUEUE_WORKER_LOCK_DURATION: String(BULL_TIMINGS.lockDuration),
	QUEUE_WORKER_LOCK_RENEW_TIME: String(BULL_TIMINGS.lockRenewTime),
	QUEUE_WORKER_STALLED_INTERVAL: String(BULL_TIMINGS.stalledInterval),
};
/** The main's fixed recheck window for a stalled job (MAX_STALLED_COUNT_GRACE_WINDOW_MS in n8n 2.41.1). */
const GRACE_MS = 30_000;
const STALLED_MESSAGE = 'This execution failed to be processed too many times';

export interface QueueRig {
	sandbox: OnOfficeSandbox;
	rest: N8nRest;
	/** The production webhook URL of a published workflow's path. */
	webhook(path: string): string;
	/** The running workers; worker 1 first. */
	workers: Worker[];
	/** Starts worker `index` again with its settings and its user folder (after a stop or a kill). */
	restartWorker(index: number): Promise<void>;
	check(condition: boolean, message: string): void;
}

/** The workflows these cases send to; each upload node takes two files per item (multipart fields file0, file1). */
export function crashWorkflows(
	credential: { id: string; name: string },
	blockSizeKiB: number,
): Array<Record<string, unknown>> {
	const two = { credential, blockSizeKiB, files: 2 };
	const retryOnFail = { maxTries: 2, waitBetweenTriesMs: 1000 };
	return [
		uploadWebhookWorkflow({
			...two,
			id: 'crashAnyway',
			path: 'crash-anyway',
			onDuplicate: 'uploadAnyway',
		}),
		uploadWebhookWorkflow({ ...two, id: 'crashSkip', path: 'crash-skip', onDuplicate: 'skip' }),
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

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
	for (const end = Date.now() + timeoutMs; !condition(); await sleep(100)) {
		if (Date.now() > end)
			throw new Error(`queue: timed out after ${timeoutMs / 1000} s waiting until ${what}`);
	}
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
/** The final steps (step 2) the sandbox received for these files. */
const finalSteps = (sandbox: OnOfficeSandbox, files: File[]) =>
	sandbox.requests
		.flatMap((r) => r.actions)
		.filter((a) => a.step === 'step2' && files.some((f) => f.name === a.parameters.file));

interface CrashCase {
	what: string;
	path: string;
	estate: number;
	files: File[];
	/** The request the sandbox keeps unanswered: the worker is killed while it waits for it. */
	hold: { step: 'firstBlock' | 'block'; nth: number };
	/** Copies of each file on the estate when the worker dies, and after the item is sent again. */
	atKill: number[];
	afterResend: number[];
	executionId?: string;
	answer?: Promise<{ status: number; body: string }>;
}

/** Three uploads killed with their worker; what n8n records; the Executions list's Retry; the files sent again. */
export async function workerCrash(rig: QueueRig): Promise<void> {
	const { sandbox, rest, check } = rig;
	const cases: CrashCase[] = [
		{
			what: 'Upload Anyway, killed right after the first file was linked',
			path: 'crash-anyway',
			estate: 30,
			files: [pdf('Crash anyway 1.pdf', 70_000), pdf('Crash anyway 2.pdf', 90_000)],
			hold: { step: 'firstBlock', nth: 2 },
			atKill: [1, 0],
			afterResend: [2, 1],
		},
		{
			what: 'Skip, killed right after the first file was linked',
			path: 'crash-skip',
			estate: 409,
			files: [pdf('Crash skip 1.pdf', 70_000), pdf('Crash skip 2.pdf', 90_000)],
			hold: { step: 'firstBlock', nth: 2 },
			atKill: [1, 0],
			afterResend: [1, 1],
		},
		{
			what: 'Skip, killed in the middle of a file (its block 3 of 3 held)',
			path: 'crash-skip',
			estate: 2651,
			files: [
				pdf('Crash skip middle 1.pdf', Math.round(2.5 * MiB)),
				pdf('Crash skip middle 2.pdf', 50_000),
			],
			hold: { step: 'block', nth: 2 },
			atKill: [0, 0],
			afterResend: [1, 1],
		},
	];

	// Worker 2 is stopped while the uploads start, so all three run on worker 1; it is back before the kill: a living
	// worker sweeps for stalled jobs, as where one of several workers dies and is not replaced at once.
	await rig.workers[1].stop();
	const held = () => sandbox.requests.filter((r) => r.fault === 'hold');
	for (const k of cases) {
		const holds = held().length;
		const mark = rig.workers[0].output().length;
		sandbox.inject({ kind: 'hold', when: k.hold });
		k.answer = sendFiles(
			rig.webhook(k.path),
			{ estate: k.estate, title: k.what, files: k.files },
			AbortSignal.timeout(180_000),
		).catch((error: Error) => ({ status: 0, body: error.message }));
		await until(() => held().length > holds, 60_000, `${k.what}: the held request arrives`);
		[k.executionId] = startedExecutions(rig.workers[0].output().slice(mark));
	}
	const ids = cases.map((k) => k.executionId!);
	const atKill = cases.map((k) => copies(sandbox, k.estate, k.files));
	check(
		ids.every(Boolean) && cases.every((k, i) => atKill[i].join() === k.atKill.join()),
		`three uploads run on worker 1 (executions ${ids.join(', ')}), each waiting on a held request: ` +
			cases.map((k, i) => `${k.what}: ${said(k.files, atKill[i])}`).join('; '),
	);
	await rig.restartWorker(1);

	const killedAt = Date.now();
	await rig.workers[0].kill();
	const since = () => (Date.now() - killedAt) / 1000;
	await until(
		() => held().every((r) => r.closedByClient !== undefined),
		5_000,
		'the held requests are closed',
	);
	check(
		held().length === cases.length && held().every((r) => r.closedByClient && r.httpStatus === 0),
		`worker 1 SIGKILLed with its task runner: its ${held().length} held requests were closed by the dying process, none carried out`,
	);

	// What the Executions list shows, polled through the REST API it uses, until n8n has decided on all three.
	const seen = new Map<string, Array<{ status: string; at: number }>>(ids.map((id) => [id, []]));
	const settled = (id: string) =>
		['error', 'crashed', 'success', 'canceled'].includes(seen.get(id)!.at(-1)?.status ?? '');
	const bound = BULL_TIMINGS.lockDuration + BULL_TIMINGS.stalledInterval + GRACE_MS + 20_000;
	const watching = (async () => {
		while (!ids.every(settled) && Date.now() - killedAt < bound) {
			for (const id of ids.filter((i) => !settled(i))) {
				const { status } = await rest.json<{ status: string }>('GET', `/rest/executions/${id}`);
				if (seen.get(id)!.at(-1)?.status !== status) seen.get(id)!.push({ status, at: since() });
			}
			await sleep(500);
		}
	})();
	watching.catch(() => undefined); // awaited below; a failure must not end the process before the cleanup
	await retryOnFail(rig);
	await watching;
	const history = ids
		.map(
			(id) =>
				`${id}: ${seen
					.get(id)!
					.map((s) => `${s.status} at ${s.at.toFixed(1)} s`)
					.join(', ')}`,
		)
		.join('; ');
	const decidedAt = ids.map((id) => seen.get(id)!.at(-1)!.at);
	const earliest = (BULL_TIMINGS.lockDuration - BULL_TIMINGS.lockRenewTime + GRACE_MS) / 1000 - 1;
	const latest = (BULL_TIMINGS.lockDuration + BULL_TIMINGS.stalledInterval + GRACE_MS) / 1000 + 10;
	const stored = await Promise.all(
		ids.map((id) => rest.json<{ status: string; data: string }>('GET', `/rest/executions/${id}`)),
	);
	check(
		stored.every((e) => e.status === 'error' && String(e.data).includes(STALLED_MESSAGE)) &&
			ids.every((id) => seen.get(id)!.every((s) => ['running', 'error'].includes(s.status))),
		`n8n records the killed executions as error ("${STALLED_MESSAGE} …"), never as crashed, ${decidedAt.map((t) => t.toFixed(1)).join(' s, ')} s after the kill: ` +
			`the lock ran out (${BULL_TIMINGS.lockDuration / 1000} s, renewed every ${BULL_TIMINGS.lockRenewTime / 1000} s), worker 2's sweep (every ${BULL_TIMINGS.stalledInterval / 1000} s) failed the jobs, the main rechecked ${GRACE_MS / 1000} s (${history})`,
	);
	check(
		decidedAt.every((t) => t >= earliest && t <= latest),
		`the error came between ${earliest} s and ${latest} s after the kill, as the lock, the sweep and the main's recheck add up`,
	);
	const answers = await Promise.all(cases.map((k) => k.answer!));
	check(
		answers.every((a) => a.status === 500),
		`the webhook callers got HTTP ${answers.map((a) => `${a.status} ${a.body.slice(0, 60)}`).join('; ')}`,
	);

	// Worker 1 comes back with its user folder, as a restarted container does. Back before the main decided, its event
	// log recovery would have shown the three as crashed until the lock ran out; now it leaves them as they are.
	await rig.restartWorker(0);
	const afterRestart = await Promise.all(
		ids.map((id) => rest.json<{ status: string }>('GET', `/rest/executions/${id}`)),
	);
	check(
		afterRestart.every((e) => e.status === 'error'),
		`worker 1 started again with its user folder (and event log); n8n still lists the three as ${afterRestart.map((e) => e.status).join(', ')}`,
	);

	// The Executions list's Retry: "Retry with original workflow" sends no body, "with currently saved workflow"
	// sends loadWorkflow. The stored execution kept only the error, so the retry has no node left to run.
	const stepsBefore = finalSteps(
		sandbox,
		cases.flatMap((k) => k.files),
	).length;
	const blocksBefore = sandbox.requests.filter(
		(r) => r.step === 'firstBlock' || r.step === 'block',
	).length;
	const retries = await Promise.all(
		cases.map((k, i) =>
			rest.json<{ id: string; status: string; retryOf: string }>(
				'POST',
				`/rest/executions/${k.executionId}/retry`,
				i === 1 ? { loadWorkflow: true } : undefined,
			),
		),
	);
	const afterRetry = cases.map((k) => copies(sandbox, k.estate, k.files));
	const byWorkers = new Set(rig.workers.flatMap((w) => startedExecutions(w.output())));
	check(
		retries.every(
			(r, i) => r.status === 'error' && String(r.retryOf) === ids[i] && byWorkers.has(r.id),
		) &&
			cases.every((k, i) => afterRetry[i].join() === k.atKill.join()) &&
			finalSteps(
				sandbox,
				cases.flatMap((k) => k.files),
			).length === stepsBefore &&
			sandbox.requests.filter((r) => r.step === 'firstBlock' || r.step === 'block').length ===
				blocksBefore,
		`Retry from the Executions list (POST /rest/executions/<id>/retry, with the original and with the saved workflow) runs nothing: the retries ${retries.map((r) => `${r.id} ended ${r.status}`).join(', ')} on a worker, ` +
			`no block or final step was sent, the estates still hold ${cases.map((k, i) => said(k.files, afterRetry[i])).join('; ')}`,
	);

	// What does recover: the same item sent again (the form, the import, the Webhook caller retrying).
	const resent = await Promise.all(
		cases.map((k) =>
			sendFiles(rig.webhook(k.path), { estate: k.estate, title: k.what, files: k.files }),
		),
	);
	for (const [i, k] of cases.entries()) {
		const after = copies(sandbox, k.estate, k.files);
		check(
			resent[i].status === 200 && after.join() === k.afterResend.join(),
			`${k.what}, then sent again: HTTP ${resent[i].status}, the estate holds ${said(k.files, after)}`,
		);
	}
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
		const second = finalSteps(sandbox, [run.files[1]]);
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
