// One measured run in its own process, so that its peak RSS and CPU time are its own. Prints one JSON line.
//   child.ts node|naive <bytes> <sandbox-url> <token> <secret> [blockSizeKiB]
//   child.ts minimal <bytes> <sandbox-url> <token> <secret> [blockSizeKiB]
//   child.ts url <bytes> <sandbox-url> <token> <secret> <file-url>: the node (version 2) with File Source "File at a URL"

import { createHmac } from 'crypto';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { open } from 'fs/promises';
import { Agent, request } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';

import {
	binaryStoragePath,
	chain,
	node,
	NODE_TYPE,
	registerNodeType,
	runWorkflow,
	useBinaryMode,
} from '../test/engine/harness';
import { patternStream, writePatternFile } from './file';
import { BinaryRefNode, NaiveUploadNode } from './nodes';
import { MiB } from '../scripts/lib/bytes';

const [mode, bytesArg, url, token, secret, extraArg] = process.argv.slice(2);
const size = Number(bytesArg);
const fileUrl = mode === 'url' ? extraArg : undefined;
const blockSizeKiB = Number((mode === 'url' ? undefined : extraArg) ?? 4096);

// Where the peak comes from: the largest heap and off-heap (Buffer) figures seen while the run goes.
const peaks = { heapTotalMiB: 0, externalMiB: 0, arrayBuffersMiB: 0 };
const sampler = setInterval(() => {
	const m = process.memoryUsage();
	peaks.heapTotalMiB = Math.max(peaks.heapTotalMiB, m.heapTotal / MiB);
	peaks.externalMiB = Math.max(peaks.externalMiB, m.external / MiB);
	peaks.arrayBuffersMiB = Math.max(peaks.arrayBuffersMiB, m.arrayBuffers / MiB);
}, 20);
sampler.unref();

/**
 * This process's peak RSS: VmHWM, which starts afresh with the program. getrusage's maxRSS does not: on Linux it keeps
 * what the parent process had when it forked us, so after the bench's own process grew (the sandbox took gigabytes)
 * every child reported at least that much.
 */
function peakRssKiB(): number {
	try {
		const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
		if (hwm) return Number(hwm[1]);
	} catch {
		// No /proc: getrusage's figure, with the caveat above.
	}
	return process.resourceUsage().maxRSS;
}

function report(result: Record<string, unknown>): void {
	const round = (n: number) => Math.round(n * 10) / 10;
	console.log(
		JSON.stringify({
			mode,
			size,
			maxRssMiB: peakRssKiB() / 1024,
			heapTotalMiB: round(peaks.heapTotalMiB),
			externalMiB: round(peaks.externalMiB),
			...result,
		}),
	);
}

/** The node downloading the file from a URL in blocks (nothing in n8n's binary storage) and uploading it. */
async function urlRun(): Promise<void> {
	await useBinaryMode('filesystem');
	const credentials = { onOfficeApi: { token, secret, apiVersion: 'custom', customUrl: url } };
	const start = node('test.start', {}, { name: 'Start' });
	const upload = node(
		NODE_TYPE,
		{
			operation: 'uploadFile',
			module: 'estate',
			estate: { __rl: true, mode: 'id', value: '409' },
			onDuplicate: 'uploadAnyway',
			fileType: 'Dokument',
			fileSource: 'url',
			fileUrl: fileUrl!,
			maxFileSize: 2048,
			options: { blockSize: blockSizeKiB, retries: 0 },
		},
		{ name: 'Upload', typeVersion: 2, credentials: { onOfficeApi: { id: '1', name: 'bench' } } },
	);
	const cpu0 = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	const result = await runWorkflow({
		nodes: [start, upload],
		connections: chain(start, upload),
		credentials,
		binaryMode: 'filesystem',
	});
	const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
	const cpu = process.cpuUsage(cpu0);
	const output = result.output('Upload')[0]?.json;
	if (result.error || output?.error) {
		report({
			ok: false,
			error: String(result.error?.message ?? output?.error).slice(0, 160),
			wallS,
		});
		return;
	}
	report({
		ok: true,
		output,
		wallS,
		cpuS: (cpu.user + cpu.system) / 1e6,
		userS: cpu.user / 1e6,
		sysS: cpu.system / 1e6,
	});
}

async function engineRun(target: 'node' | 'naive'): Promise<void> {
	await useBinaryMode('filesystem');
	registerNodeType('bench.binaryRef', new BinaryRefNode());
	registerNodeType('bench.naiveUpload', new NaiveUploadNode());
	const stored = await Container.get(BinaryDataService).store(
		{ type: 'execution', workflowId: 'bench', executionId: String(Date.now()) },
		patternStream(size),
		{ data: '', mimeType: 'application/octet-stream', fileName: 'bench.bin' },
	);
	const credentials = { onOfficeApi: { token, secret, apiVersion: 'custom', customUrl: url } };
	const start = node('test.start', {}, { name: 'Start' });
	const ref = node('bench.binaryRef', { binary: JSON.stringify(stored) }, { name: 'File' });
	const upload =
		target === 'node'
			? node(
					NODE_TYPE,
					{
						operation: 'uploadFile',
						module: 'estate',
						relatedRecordId: 409,
						fileType: 'Dokument',
						options: { blockSize: blockSizeKiB, retries: 0 },
					},
					{ name: 'Upload', credentials: { onOfficeApi: { id: '1', name: 'bench' } } },
				)
			: node(
					'bench.naiveUpload',
					{},
					{ name: 'Upload', credentials: { onOfficeApi: { id: '1', name: 'bench' } } },
				);
	// No forced gc() here: n8n never calls one, and one forced collection right before the run was seen to put V8
	// into a full collection every second block for the whole upload (3 to 4 times the CPU), in this bench only.
	const cpu0 = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	const result = await runWorkflow({
		nodes: [start, ref, upload],
		connections: chain(start, ref, upload),
		credentials,
		binaryMode: 'filesystem',
	});
	const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
	const cpu = process.cpuUsage(cpu0);
	if (result.error) {
		report({
			ok: false,
			error: result.error.message.slice(0, 160),
			wallS,
			cpuS: (cpu.user + cpu.system) / 1e6,
			userS: cpu.user / 1e6,
			sysS: cpu.system / 1e6,
		});
		return;
	}
	report({
		ok: true,
		output: result.output('Upload')[0]?.json,
		wallS,
		cpuS: (cpu.user + cpu.system) / 1e6,
		userS: cpu.user / 1e6,
		sysS: cpu.system / 1e6,
	});
}

/** The floor: read the file in blocks, base64-encode, sign, POST; no n8n around it. */
async function minimal(): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'onoffice-bench-'));
	const file = join(dir, 'bench.bin');
	await writePatternFile(file, size);
	const agent = new Agent({ keepAlive: true });
	const target = new URL(url);
	const post = (parameters: Record<string, unknown>) => {
		const timestamp = Math.floor(Date.now() / 1000);
		const actionid = 'urn:onoffice-de-ns:smart:2.5:smartml:action:do';
		const hmac = createHmac('sha256', secret)
			.update(`${timestamp}${token}uploadfile${actionid}`)
			.digest('base64');
		const body = JSON.stringify({
			token,
			request: {
				actions: [
					{
						actionid,
						resourceid: '',
						resourcetype: 'uploadfile',
						identifier: '1',
						timestamp,
						hmac,
						hmac_version: 2,
						parameters,
					},
				],
			},
		});
		return new Promise<any>((resolve, reject) => {
			const req = request(
				{
					agent,
					hostname: target.hostname,
					port: target.port,
					path: target.pathname,
					method: 'POST',
					headers: {
						'Content-Type': 'application/json',
						'Content-Length': Buffer.byteLength(body),
					},
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c) => chunks.push(c));
					res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
				},
			);
			req.on('error', reject);
			req.end(body);
		});
	};
	const bytesPerBlock = Math.floor((blockSizeKiB * 1024) / 3) * 3;
	const cpu0 = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	let tmpUploadId: string | undefined;
	const handle = await open(file, 'r');
	for (let position = 0; position < size; position += bytesPerBlock) {
		const block = Buffer.allocUnsafe(Math.min(bytesPerBlock, size - position));
		await handle.read(block, 0, block.length, position);
		const answer = await post({
			data: block.toString('base64'),
			...(tmpUploadId ? { tmpUploadId } : {}),
		});
		tmpUploadId = answer.response.results[0].data.records[0].elements.tmpUploadId;
	}
	await post({
		Art: 'Dokument',
		file: 'minimal.bin',
		module: 'estate',
		relatedRecordId: 409,
		tmpUploadId,
	});
	const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
	const cpu = process.cpuUsage(cpu0);
	await handle.close();
	agent.destroy();
	rmSync(dir, { recursive: true, force: true });
	report({
		ok: true,
		wallS,
		cpuS: (cpu.user + cpu.system) / 1e6,
		userS: cpu.user / 1e6,
		sysS: cpu.system / 1e6,
	});
}

(mode === 'minimal' ? minimal() : mode === 'url' ? urlRun() : engineRun(mode as 'node' | 'naive'))
	.catch((error) => report({ ok: false, error: String(error?.message ?? error).slice(0, 160) }))
	.finally(() => {
		const stored = binaryStoragePath();
		if (stored) rmSync(stored, { recursive: true, force: true });
	});
