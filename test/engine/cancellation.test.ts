// A stop of the execution, the way n8n's Stop button does it: WorkflowExecute's run is cancelled, which aborts the
// signal the node gets from getExecutionCancelSignal(). Through the real engine and the sandbox over loopback: what
// was in flight is aborted, nothing is sent after the stop, a retry wait ends at once, a file whose blocks were sent
// is not linked, and the error says what the stop left behind.
import { onLogLine, type StartedRun, type WorkflowResult } from './harness';
import { type LoggedRequest } from '../sandbox/server';
import { runWithFiles, runWithItems, type FileItem } from './workflows';
import { useSandbox } from '../sandbox/useSandbox';

const sandbox = useSandbox();

// 10 000 bytes in 3 KiB blocks: 4 blocks per file. A timeout of 10 minutes: only an abort ends a held request
// within Jest's 60 seconds.
const files = (count: number): FileItem[] =>
	Array.from({ length: count }, (_, i) => ({
		json: { n: i },
		files: [
			{
				property: 'data',
				fileName: `foto-${i}.jpg`,
				mimeType: 'image/jpeg',
				size: 10_000,
				seed: `s${i}`,
			},
		],
	}));
const upload = (options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
	operation: 'uploadFile',
	module: 'estate',
	relatedRecordId: 409,
	fileType: 'Foto',
	options: { retries: 2, retryDelay: 10, timeout: 600, blockSize: 3, ...options },
	...extra,
});

interface Stop {
	onStart: (run: StartedRun) => void;
	/** How many requests the sandbox had seen when the run was stopped. */
	requestsAtStop?: number;
}

/** Stops the run as soon as `ready` holds (checked every few milliseconds while it runs). */
function stopWhen(ready: () => boolean): Stop {
	const stop: Stop = {
		onStart: (run) => {
			const poll = () => {
				if (!ready()) return void setTimeout(poll, 5);
				stop.requestsAtStop = sandbox.requests.length;
				run.cancel();
			};
			poll();
		},
	};
	return stop;
}

/** Stops the run from inside the node's own log call, `delayMs` after (or, with 0, during) the first matching line. */
function stopOnLog(pattern: RegExp, delayMs = 0): Stop & { unsubscribe: () => void } {
	const subscriptions: Array<() => void> = [];
	const stop: Stop & { unsubscribe: () => void } = {
		unsubscribe: () => subscriptions.forEach((unsubscribe) => unsubscribe()),
		onStart: (run) => {
			let done = false;
			const unsubscribe = onLogLine((line) => {
				if (done || !pattern.test(line.message)) return;
				done = true;
				const cancel = () => {
					stop.requestsAtStop = sandbox.requests.length;
					run.cancel();
				};
				if (delayMs === 0) cancel();
				else setTimeout(cancel, delayMs);
			});
			subscriptions.push(() => void unsubscribe());
		},
	};
	return stop;
}

const held = () => sandbox.requests.filter((r) => r.fault === 'hold');

/** A held request ends when the client closes it; the server sees that a moment after the run has returned. */
async function closed(requests: LoggedRequest[]): Promise<void> {
	for (let i = 0; i < 200 && requests.some((r) => r.closedByClient === undefined); i++)
		await new Promise((r) => setTimeout(r, 10));
}

function expectStopped(result: WorkflowResult, stop: Stop, message: string): void {
	expect(stop.requestsAtStop).toBeDefined();
	expect(result.error?.message).toBe(message);
	// The message says "canceled", so WorkflowExecute records the execution as canceled, not as failed.
	expect(result.run.status).toBe('canceled');
	// Nothing reached the sandbox after the stop.
	expect(sandbox.requests).toHaveLength(stop.requestsAtStop!);
}

const description = (result: WorkflowResult) =>
	String((result.error as { description?: unknown } | undefined)?.description);

test('a stop while a block is in flight: the request is aborted, the file is not linked, the next item never starts', async () => {
	sandbox.inject({ kind: 'hold', when: { step: 'block' } });
	const stop = stopWhen(() => held().length === 1);
	const result = await runWithFiles(sandbox, upload(), files(2), { onStart: stop.onStart });
	expectStopped(
		result,
		stop,
		'Item 0: the execution was canceled while uploading block 2 of 4 of foto-0.jpg (its request was aborted); nothing was linked for foto-0.jpg',
	);
	await closed(held());
	expect(held()[0].closedByClient).toBe(true);
	expect(sandbox.requests.map((r) => r.step)).toEqual(['firstBlock', 'block']);
	expect(sandbox.files()).toEqual([]);
	expect(description(result)).toBe(
		'The workflow was stopped, so the node sent nothing more to onOffice. Nothing had been linked before the stop. Not started: item 1. Run the workflow again for what was not done; for estates and addresses, On Duplicate: Skip leaves the files that arrived alone.',
	);
});

test('a stop during a retry wait ends the wait at once: no further attempt, the run does not sit out the 10 minutes', async () => {
	sandbox.inject({ kind: 'http', status: 503, when: { step: 'firstBlock' } });
	// The node logs the retry just before it starts to wait; the stop comes 20 ms into the wait.
	const stop = stopOnLog(/trying again in 600000 ms/, 20);
	try {
		const result = await runWithFiles(
			sandbox,
			upload({ retries: 3, retryDelay: 600_000 }),
			files(1),
			{ onStart: stop.onStart },
		);
		expectStopped(
			result,
			stop,
			'Item 0: the execution was canceled while waiting to try uploading block 1 of 4 of foto-0.jpg again (attempt 2 of 4); nothing was linked for foto-0.jpg',
		);
	} finally {
		stop.unsubscribe();
	}
	expect(sandbox.requests.map((r) => r.httpStatus)).toEqual([503]);
	expect(sandbox.files()).toEqual([]);
});

test.each([
	[
		'Upload File',
		upload(),
		'linking foto-0.jpg to estate 409',
		'nothing was linked for foto-0.jpg',
	],
	[
		'Stage File',
		{ operation: 'stageFile', options: { retries: 2, retryDelay: 10, timeout: 600, blockSize: 3 } },
		'linking foto-0.jpg to tmpUpload',
		'foto-0.jpg was not staged',
	],
])(
	'%s: a stop after the last block and before the final step sends no final step',
	async (_name, parameters, doing, outcome) => {
		// Stopped inside the node's log call that comes between staging and linking: the signal is aborted before the
		// final step, which must therefore not be sent.
		const stop = stopOnLog(/foto-0\.jpg staged in 4 block\(s\)/);
		try {
			const result = await runWithFiles(sandbox, parameters, files(1), { onStart: stop.onStart });
			expectStopped(result, stop, `Item 0: the execution was canceled while ${doing}; ${outcome}`);
		} finally {
			stop.unsubscribe();
		}
		expect(sandbox.requests.map((r) => r.step)).toEqual(['firstBlock', 'block', 'block', 'block']);
		const [staged] = [...sandbox.store.tmpUploads.values()];
		expect(staged).toMatchObject({ size: 10_000, blocks: 4, used: false });
		expect(sandbox.files()).toEqual([]);
		expect(sandbox.store.cache).toEqual([]);
	},
);

test('a stop while the final step is in flight: aborted, not checked or sent again, and the error says it may have arrived', async () => {
	sandbox.inject({ kind: 'hold', when: { step: 'step2' } });
	const stop = stopWhen(() => held().length === 1);
	const result = await runWithFiles(sandbox, upload(), files(1), { onStart: stop.onStart });
	expectStopped(
		result,
		stop,
		'Item 0: the execution was canceled while linking foto-0.jpg to estate 409 (its request was aborted); the final step had been sent, so onOffice may have linked foto-0.jpg all the same: look at estate 409 before running the item again',
	);
	await closed(held());
	expect(held()[0].closedByClient).toBe(true);
	// A lost answer would otherwise be followed by reading the estate's files: not after a stop.
	expect(sandbox.requests.filter((r) => r.actions[0]?.actionid === 'get')).toEqual([]);
});

test('a stop while On Duplicate reads the record: aborted, no block is sent', async () => {
	sandbox.inject({ kind: 'hold', when: { resourcetype: 'file' } });
	const stop = stopWhen(() => held().length === 1);
	const result = await runWithFiles(sandbox, upload({}, { onDuplicate: 'skip' }), files(1), {
		onStart: stop.onStart,
	});
	expectStopped(
		result,
		stop,
		'Item 0: the execution was canceled while reading the files of estate 409 (its request was aborted); nothing was linked for foto-0.jpg',
	);
	expect(sandbox.requests).toHaveLength(1);
	expect(sandbox.store.tmpUploads.size).toBe(0);
});

test('Concurrency: a stop ends every item in flight at once and starts no other', async () => {
	// The second block of each of the three items running at once is held.
	sandbox.inject({ kind: 'hold', when: { step: 'block' }, times: 3 });
	const stop = stopWhen(() => held().length === 3);
	const result = await runWithFiles(sandbox, upload({ concurrency: 3 }), files(5), {
		onStart: stop.onStart,
	});
	expectStopped(
		result,
		stop,
		'Item 0: the execution was canceled while uploading block 2 of 4 of foto-0.jpg (its request was aborted); nothing was linked for foto-0.jpg',
	);
	await closed(held());
	expect(held().map((r) => r.closedByClient)).toEqual([true, true, true]);
	expect(sandbox.requests.map((r) => r.step).sort()).toEqual([
		'block',
		'block',
		'block',
		'firstBlock',
		'firstBlock',
		'firstBlock',
	]);
	expect(sandbox.files()).toEqual([]);
	expect(description(result)).toContain(
		'Stopped as well: item 1, the execution was canceled while uploading block 2 of 4 of foto-1.jpg (its request was aborted); nothing was linked for foto-1.jpg; item 2, the execution was canceled while uploading block 2 of 4 of foto-2.jpg (its request was aborted); nothing was linked for foto-2.jpg.',
	);
	expect(description(result)).toContain('Not started: items 3, 4.');
});

test('Continue On Fail: a stop still ends the node with the stop, and names the file that stays linked', async () => {
	// Item 0 goes through; the second block of item 1 is held.
	sandbox.inject({ kind: 'hold', when: { step: 'block', nth: 4 } });
	const stop = stopWhen(() => held().length === 1);
	const result = await runWithFiles(sandbox, upload(), files(3), {
		onStart: stop.onStart,
		continueOnFail: true,
	});
	expectStopped(
		result,
		stop,
		'Item 1: the execution was canceled while uploading block 2 of 4 of foto-1.jpg (its request was aborted); nothing was linked for foto-1.jpg',
	);
	const [linked] = sandbox.files();
	expect(sandbox.files()).toHaveLength(1);
	expect(linked.fileName).toBe('foto-0.jpg');
	expect(description(result)).toContain(
		`Done before the stop, and still in onOffice: foto-0.jpg (item 0) on estate 409 as file ${linked.fileId}.`,
	);
	expect(description(result)).toContain('Not started: item 2.');
	// The stop is not turned into an error item of the node's output.
	expect(result.output('onOffice').filter((o) => 'error' in o.json)).toEqual([]);
});

test('Add Link: a stop while a batch is in flight: aborted, no check or resend, the error says the links may have arrived', async () => {
	sandbox.inject({ kind: 'hold', when: { step: 'link' } });
	const stop = stopWhen(() => held().length === 1);
	const result = await runWithItems(
		sandbox,
		{
			operation: 'addLink',
			relatedRecordId: 409,
			url: '={{ $json.url }}',
			fileType: 'Link',
			options: { batchSize: 2, retries: 2, retryDelay: 10, timeout: 600 },
		},
		[0, 1, 2].map((i) => ({ url: `https://t.example/${i}` })),
		{ onStart: stop.onStart },
	);
	expectStopped(
		result,
		stop,
		'Item 0: the execution was canceled while adding 2 link(s) (its request was aborted); the request with 2 link(s) had been sent, so onOffice may have added them all the same: look at estate 409 before running these items again',
	);
	await closed(held());
	expect(held()[0].closedByClient).toBe(true);
	// The third link is never started, as an upload that has not started when the workflow is stopped.
	expect(sandbox.requests).toHaveLength(1);
	expect(description(result)).toContain('Not started: item 2.');
});
