// The memory case in the real n8n application: `n8n execute` of a workflow that reads a file from disk into n8n's
// filesystem binary storage (Read/Write Files from Disk) and uploads it with this package's node, tiny against big.
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';

import type { OnOfficeSandbox } from '../test/sandbox/server';
import {
	importIntoN8n,
	installN8n,
	n8nEnv,
	run,
	userFolderWithPackage,
} from '../scripts/services/n8n';
import { writePatternFile } from './file';

export interface RealN8nRun {
	size: number;
	/** Peak RSS of the workflow that only reads the file into n8n's binary storage. */
	readOnlyPeakRssMiB: number;
	/** Peak RSS of the workflow that reads the file and uploads it with this node. */
	peakRssMiB: number;
	wallS: number;
}

function uploadWorkflow(id: string, path: string, upload: boolean) {
	const nodes = [
		{
			id: 't',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'r',
			name: 'Read file',
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1.1,
			position: [220, 0],
			parameters: { operation: 'read', fileSelector: path, options: {} },
		},
		{
			id: 'u',
			name: 'Upload',
			type: 'n8n-nodes-onoffice-file-upload.onOfficeFileUpload',
			typeVersion: 1,
			position: [440, 0],
			credentials: { onOfficeApi: { id: 'onofficeBench', name: 'onOffice sandbox' } },
			parameters: {
				operation: 'uploadFile',
				module: 'estate',
				relatedRecordId: 409,
				fileType: 'Dokument',
				options: {},
			},
		},
	];
	return {
		id,
		name: `bench: ${upload ? 'read and upload' : 'read'} ${path}`,
		nodes: upload ? nodes : nodes.slice(0, 2),
		connections: {
			Start: { main: [[{ node: 'Read file', type: 'main', index: 0 }]] },
			...(upload ? { 'Read file': { main: [[{ node: 'Upload', type: 'main', index: 0 }]] } } : {}),
		},
		settings: {},
	};
}

/**
 * Per size, two `n8n execute` runs, each its own process (peak RSS = its VmHWM): the file only read into n8n's binary
 * storage, and read and uploaded. The difference is what the upload adds on top of n8n handling the file at all.
 */
export async function realN8nUploads(
	sandbox: OnOfficeSandbox,
	sizes: number[],
): Promise<RealN8nRun[]> {
	const install = await installN8n();
	const { work, home } = userFolderWithPackage();
	try {
		const files = join(work, 'files');
		const workflows = join(work, 'workflows');
		mkdirSync(files);
		mkdirSync(workflows);
		for (const size of sizes) {
			const path = join(files, `bench-${size}.bin`);
			await writePatternFile(path, size);
			writeFileSync(
				join(workflows, `bench-${size}.json`),
				JSON.stringify(uploadWorkflow(`onofficeBench${size}`, path, true)),
			);
			writeFileSync(
				join(workflows, `read-${size}.json`),
				JSON.stringify(uploadWorkflow(`onofficeRead${size}`, path, false)),
			);
		}
		writeFileSync(
			join(work, 'credentials.json'),
			JSON.stringify([
				{
					id: 'onofficeBench',
					name: 'onOffice sandbox',
					type: 'onOfficeApi',
					data: sandbox.credentials,
				},
			]),
		);
		// Log level info, as in the e2e run: at warn, n8n 2.41.1's `n8n execute` segfaults while exiting in about 4 of
		// 10 first runs on a fresh database (a V8 allocation in a thread during teardown, after "Execution was
		// successful"); at info it did not in any run here. The workflow result is the same either way.
		const env = await n8nEnv(install, home, {
			N8N_RESTRICT_FILE_ACCESS_TO: files,
			N8N_LOG_LEVEL: 'info',
		});
		await importIntoN8n(install, env, join(work, 'credentials.json'), workflows);
		const runs: RealN8nRun[] = [];
		for (const size of sizes) {
			const readOnly = await run(install.bin, ['execute', `--id=onofficeRead${size}`], env);
			if (readOnly.code !== 0)
				throw new Error(
					`n8n execute of reading ${size} bytes failed (exit ${readOnly.code}${readOnly.signal ? `, ${readOnly.signal}` : ''}):\n${readOnly.stdout.slice(-2000)}\n${readOnly.stderr.slice(-2000)}`,
				);
			sandbox.reset();
			const t0 = Date.now();
			const result = await run(install.bin, ['execute', `--id=onofficeBench${size}`], env);
			const [stored] = sandbox.files();
			if (result.code !== 0 || stored?.size !== size) {
				throw new Error(
					`n8n execute of a ${size}-byte upload failed (exit ${result.code}${result.signal ? `, ${result.signal}` : ''}, stored ${stored?.size ?? 'nothing'}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`,
				);
			}
			runs.push({
				size,
				readOnlyPeakRssMiB: readOnly.peakRssMiB,
				peakRssMiB: result.peakRssMiB,
				wallS: (Date.now() - t0) / 1000,
			});
		}
		return runs;
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}
