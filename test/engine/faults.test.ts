// The fault matrix: every fault an unattended night can bring, through the node in the real engine. For each:
// every file arrives exactly once and byte-identical (or its item reports a clear error), the other items are not
// affected, every attempt is signed, and the number of attempts is bounded.

import { startSandbox, type FaultRule } from '../sandbox/server';
import { fast, runWithFiles, runWithItems } from './workflows';
import { sample, sha } from '../../scripts/lib/bytes';
import { sleep } from '../../scripts/lib/time';
import { useSandbox } from '../sandbox/useSandbox';

const sandbox = useSandbox();

const SIZES = [10_000, 7_000, 12_500];
const items = SIZES.map((size, i) => ({
	json: { n: i },
	files: [
		{ property: 'data', fileName: `foto-${i}.jpg`, mimeType: 'image/jpeg', size, seed: `f${i}` },
	],
}));
const upload = (options: Record<string, unknown> = {}) => ({
	operation: 'uploadFile',
	module: 'estate',
	relatedRecordId: 409,
	fileType: 'Foto',
	options: { ...fast, retries: 3, blockSize: 3, ...options },
});

function expectAllArrivedOnce() {
	const files = sandbox.files();
	expect(files.map((f) => [f.fileName, f.size, f.sha256])).toEqual(
		SIZES.map((size, i) => [`foto-${i}.jpg`, size, sha(sample(size, `f${i}`))]),
	);
}

function expectSignedAndBounded(maxRequests: number) {
	for (const request of sandbox.requests)
		for (const action of request.actions) expect(action.hmacValid).toBe(true);
	expect(sandbox.requests.length).toBeLessThanOrEqual(maxRequests);
}

// 3 files: 4 + 3 + 5 blocks and 3 step-2 requests = 15 requests without faults.
const CLEAN_REQUESTS = 15;

test.each<[string, FaultRule, number]>([
	['HTTP 502 on the first block', { kind: 'http', status: 502, when: { step: 'firstBlock' } }, 1],
	['HTTP 503 on a middle block', { kind: 'http', status: 503, when: { step: 'block', nth: 4 } }, 1],
	[
		'HTTP 503 twice in a row on a block',
		{ kind: 'http', status: 503, when: { step: 'block', nth: 2 }, times: 2 },
		2,
	],
	['HTTP 429 on a block', { kind: 'http', status: 429, when: { step: 'block', nth: 3 } }, 1],
	['a connection reset mid-upload', { kind: 'drop', when: { step: 'block', nth: 5 } }, 1],
	[
		'HTTP 502 on step 2 (not carried out): checked, then linked once',
		{ kind: 'http', status: 502, when: { step: 'step2', nth: 2 } },
		2,
	],
])('%s: every file arrives exactly once, byte-identical', async (_name, fault, extraRequests) => {
	sandbox.inject(fault);
	const result = await runWithFiles(sandbox, upload(), items);
	expect(result.error).toBeUndefined();
	expectAllArrivedOnce();
	expect(result.output('onOffice').map((o) => o.pairedItem)).toEqual([
		{ item: 0 },
		{ item: 1 },
		{ item: 2 },
	]);
	expectSignedAndBounded(CLEAN_REQUESTS + extraRequests + 1);
});

test('an answer lost after step 2 was carried out: reported from the record, linked exactly once', async () => {
	sandbox.inject({ kind: 'lostAnswer', when: { step: 'step2', nth: 2 } });
	const result = await runWithFiles(sandbox, upload(), items);
	expect(result.error).toBeUndefined();
	expectAllArrivedOnce();
	const out = result.output('onOffice');
	expect(out.map((o) => Boolean(o.json.recoveredAfterLostAnswer))).toEqual([false, true, false]);
	expect(out[1].json.fileId).toBe(String(sandbox.files()[1].fileId));
	expect(sandbox.requests.filter((r) => r.step === 'step2')).toHaveLength(3);
});

test('an answer lost after a middle block was appended: the size shows it, the upload restarts, no corrupt file', async () => {
	sandbox.inject({ kind: 'lostAnswer', when: { step: 'block', nth: 2 } });
	const result = await runWithFiles(sandbox, upload(), items);
	expect(result.error).toBeUndefined();
	expectAllArrivedOnce();
	expect(result.output('onOffice').map((o) => o.json.restarts ?? 0)).toEqual([1, 0, 0]);
});

test('a block slower than the timeout: not retried in place (it may still land), the upload starts over', async () => {
	sandbox.inject({ kind: 'delay', delayMs: 2500, when: { step: 'block', nth: 2 } });
	const result = await runWithFiles(sandbox, upload({ timeout: 1 }), items.slice(0, 1));
	expect(result.error).toBeUndefined();
	await sleep(2000); // let the slow request land on its abandoned upload
	const [file] = sandbox.files();
	expect(sandbox.files()).toHaveLength(1);
	expect(file).toMatchObject({ size: SIZES[0], sha256: sha(sample(SIZES[0], 'f0')) });
	expect(result.output('onOffice')[0].json.restarts).toBe(1);
});

test('a stray block that lands just before step 2: the wrong-size file is removed and the file sent again', async () => {
	sandbox.inject({ kind: 'lateBlock', when: { step: 'step2' } });
	const result = await runWithFiles(sandbox, upload(), items.slice(0, 1));
	expect(result.error).toBeUndefined();
	expect(sandbox.files()).toHaveLength(1);
	expect(sandbox.files()[0]).toMatchObject({ size: SIZES[0], sha256: sha(sample(SIZES[0], 'f0')) });
	const removals = sandbox.requests.filter((r) => r.actions[0]?.actionid === 'delete');
	expect(removals).toHaveLength(1);
	expect(result.output('onOffice')[0].json.fileId).toBe(String(sandbox.files()[0].fileId));
});

test('re-signed: a retry a second later carries a newer timestamp and a different, valid hmac', async () => {
	sandbox.inject({ kind: 'http', status: 503, when: { step: 'firstBlock' } });
	const result = await runWithFiles(sandbox, upload({ retryDelay: 1100 }), items.slice(0, 1));
	expect(result.error).toBeUndefined();
	const [failed, retried] = sandbox.requests;
	expect(failed.httpStatus).toBe(503);
	expect(failed.actions).toHaveLength(0); // the fault answered before the actions were read
	expect(retried.actions[0].hmacValid).toBe(true);
	expect(Number(retried.actions[0].timestamp)).toBeGreaterThan(Math.floor(failed.at / 1000));
});

test('a fault that never ends: bounded attempts, a clear error for that item only (Continue On Fail)', async () => {
	sandbox.inject({ kind: 'http', status: 503, when: { step: 'firstBlock', nth: 2 }, times: 100 });
	const result = await runWithFiles(sandbox, upload({ retries: 2 }), items, {
		continueOnFail: true,
	});
	const out = result.output('onOffice');
	expect(out).toHaveLength(3);
	expect(out[0].json.fileName).toBe('foto-0.jpg');
	expect(out[1].json.error).toBe(
		'Item 1: onOffice error while uploading block 1 of 3 of foto-1.jpg: the server answered HTTP 503: "503 Service Unavailable nginx" (after 3 attempts)',
	);
	expect(out[1].json.description).toMatch(/failing \(tried 3 time\(s\)\)\. Try again later/);
	// The fault keeps hitting every first block from the second on, so item 2 fails the same way.
	expect(out[2].json.error).toMatch(/^Item 2: /);
	expect(sandbox.requests.filter((r) => r.httpStatus === 503)).toHaveLength(6);
	expect(sandbox.files().map((f) => f.fileName)).toEqual(['foto-0.jpg']);
});

test('a per-action error in a batch of links fails only that link', async () => {
	sandbox.inject({ kind: 'actionError', code: 293, parameter: { url: 'https://t.example/1' } });
	const result = await runWithItems(
		sandbox,
		{
			operation: 'addLink',
			relatedRecordId: 2651,
			url: '={{ $json.url }}',
			fileType: 'Link',
			options: fast,
		},
		[0, 1, 2].map((i) => ({ url: `https://t.example/${i}` })),
		{ continueOnFail: true },
	);
	const out = result.output('onOffice');
	expect(out.map((o) => o.json.error ?? o.json.url)).toEqual([
		'https://t.example/0',
		'Item 1: onOffice error while adding the link https://t.example/1 (onOffice code 293): Unknown estate record id. Record may not exist or the permission rights are not set accordingly for this action.',
		'https://t.example/2',
	]);
	expect(sandbox.requests).toHaveLength(1);
});

test('a link batch whose answer was lost: links that arrived are reported, none twice', async () => {
	sandbox.inject({ kind: 'lostAnswer', when: { step: 'link' } });
	const result = await runWithItems(
		sandbox,
		{
			operation: 'addLink',
			relatedRecordId: '={{ $json.estate }}',
			url: '={{ $json.url }}',
			fileType: 'Link',
			options: fast,
		},
		[0, 1, 2, 3].map((i) => ({ estate: i % 2 ? 409 : 30, url: `https://t.example/${i}` })),
	);
	expect(result.error).toBeUndefined();
	expect(
		sandbox
			.files()
			.map((f) => f.url)
			.sort(),
	).toEqual([0, 1, 2, 3].map((i) => `https://t.example/${i}`));
	expect(result.output('onOffice').every((o) => o.json.recoveredAfterLostAnswer === true)).toBe(
		true,
	);
});

test('a link batch that never reached onOffice is sent again once', async () => {
	sandbox.inject({ kind: 'drop', when: { step: 'link' } });
	const result = await runWithItems(
		sandbox,
		{
			operation: 'addLink',
			relatedRecordId: 409,
			url: '={{ $json.url }}',
			fileType: 'Film-Link',
			options: fast,
		},
		[0, 1].map((i) => ({ url: `https://v.example/${i}` })),
	);
	expect(result.error).toBeUndefined();
	expect(sandbox.files()).toHaveLength(2);
	expect(sandbox.requests.filter((r) => r.step === 'link')).toHaveLength(2);
});

test("HTTP 413 because the block size is above the server's limit: smaller blocks, the file arrives", async () => {
	const limited = await startSandbox({ maxRequestBytes: 50_000 });
	try {
		const result = await runWithFiles(
			limited,
			upload({ blockSize: 96 }),
			items.slice(0, 1).map((i) => ({ ...i, files: [{ ...i.files[0], size: 200_000 }] })),
		);
		expect(result.error).toBeUndefined();
		expect(limited.files()[0]).toMatchObject({ size: 200_000, sha256: sha(sample(200_000, 'f0')) });
		expect(limited.requests.filter((r) => r.httpStatus === 413)).toHaveLength(2); // 96 -> 48 -> 24 KiB fits
	} finally {
		await limited.stop();
	}
});

test('HTTP 413 even at the smallest block: a clear error that says to lower the block size', async () => {
	const tiny = await startSandbox({ maxRequestBytes: 1_000 });
	try {
		const result = await runWithFiles(tiny, upload({ blockSize: 3 }), items.slice(0, 1));
		expect(result.error?.message).toBe(
			'Item 0: onOffice error while uploading block 1 of 4 of foto-0.jpg: the request was too large for the server (HTTP 413). Lower the Block Size option',
		);
		expect((result.error as any).description).toMatch(/Set the Block Size option lower/);
	} finally {
		await tiny.stop();
	}
});

/** How long after the refused request the node sent its next one, in ms (by the sandbox's clock of arrival). */
function waitAfterRefusal(status: number): number {
	const refused = sandbox.requests.findIndex((r) => r.httpStatus === status);
	expect(refused).toBeGreaterThanOrEqual(0);
	return sandbox.requests[refused + 1].at - sandbox.requests[refused].at;
}

describe("Retry-After: a server that says when to come back is waited for, at most the node's Timeout", () => {
	test.each<[string, number, () => string, number]>([
		['429 with seconds', 429, () => '2', 1900],
		['503 with an HTTP date', 503, () => new Date(Date.now() + 3000).toUTCString(), 1000],
	])(
		'%s: the retry comes no sooner than asked, and the file arrives once',
		async (_, status, retryAfter, atLeastMs) => {
			sandbox.inject({
				kind: 'http',
				status,
				headers: { 'Retry-After': retryAfter() },
				when: { step: 'block', nth: 1 },
			});
			// A back-off of 10 ms of its own: only the header can make the node wait seconds.
			const result = await runWithFiles(sandbox, upload({ retryDelay: 10 }), items.slice(0, 1));
			expect(result.error).toBeUndefined();
			expect(waitAfterRefusal(status)).toBeGreaterThanOrEqual(atLeastMs);
			expect(sandbox.files().map((f) => [f.fileName, f.sha256])).toEqual([
				['foto-0.jpg', sha(sample(SIZES[0], 'f0'))],
			]);
		},
	);

	test('an hour asked for waits the Timeout (2 s here), not the hour', async () => {
		sandbox.inject({
			kind: 'http',
			status: 429,
			headers: { 'Retry-After': '3600' },
			when: { step: 'block', nth: 1 },
		});
		const result = await runWithFiles(
			sandbox,
			upload({ retryDelay: 10, timeout: 2 }),
			items.slice(0, 1),
		);
		expect(result.error).toBeUndefined();
		expect(waitAfterRefusal(429)).toBeGreaterThanOrEqual(1900);
		expect(sandbox.files()).toHaveLength(1);
	});
});
