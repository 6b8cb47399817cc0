// The main job, end to end, without an onOffice account: an e-mail-like item with three attachments goes through
// n8n's execution engine (n8n-core) into the onOffice File Upload node, which uploads them in blocks to the bundled
// sandbox; then a link batch. Prints what arrived where.
import { rmSync } from 'fs';

import { binaryStoragePath } from '../test/engine/harness';
import { startSandbox } from '../test/sandbox/server';
import { runWithFiles, runWithItems } from '../test/engine/workflows';

async function main(): Promise<void> {
	const sandbox = await startSandbox();
	try {
		const upload = await runWithFiles(
			sandbox,
			{
				operation: 'uploadFile',
				module: 'estate',
				relatedRecordId: 409,
				uploadAllBinaryProperties: true,
				fileType: 'auto',
				options: { blockSize: 64 },
			},
			[
				{
					json: { subject: 'Neue Fotos für Objekt 409' },
					files: [
						{
							property: 'attachment_0',
							fileName: 'Wohnzimmer.jpg',
							mimeType: 'image/jpeg',
							size: 150_000,
							seed: 'a',
						},
						{
							property: 'attachment_1',
							fileName: 'Grundriss Erdgeschoß.pdf',
							mimeType: 'application/pdf',
							size: 420_000,
							seed: 'b',
						},
						{
							property: 'attachment_2',
							fileName: 'Küche.png',
							mimeType: 'image/png',
							size: 90_000,
							seed: 'c',
						},
					],
				},
			],
			{ binaryMode: 'filesystem' },
		);
		if (upload.error) throw upload.error;
		const links = await runWithItems(
			sandbox,
			{
				operation: 'addLink',
				relatedRecordId: '={{ $json.estate }}',
				url: '={{ $json.url }}',
				fileType: 'Ogulo-Link',
				title: '={{ $json.title }}',
			},
			[
				{ estate: 2651, url: 'https://tour.example/2651', title: 'Virtueller Rundgang' },
				{ estate: 409, url: 'https://tour.example/409', title: 'Rundgang 409' },
			],
		);
		if (links.error) throw links.error;
		console.log(
			`onOffice sandbox at ${sandbox.url}: ${sandbox.requests.length} signed requests, all HMACs valid: ${sandbox.requests.every((r) => r.actions.every((a) => a.hmacValid))}`,
		);
		console.log('What arrived:');
		for (const f of sandbox.files()) {
			const what = f.url
				? `${f.art} ${f.url}`
				: `${f.art} "${f.fileName}" ${f.size} bytes in ${f.blocks} blocks, sha256 ${f.sha256.slice(0, 12)}…`;
			console.log(`  ${f.module} ${f.relatedRecordId}, file ${f.fileId}: ${what}`);
		}
		console.log('Node output:');
		for (const item of [...upload.output('onOffice'), ...links.output('onOffice')])
			console.log(`  ${JSON.stringify(item.json)}`);
	} finally {
		await sandbox.stop();
		const stored = binaryStoragePath();
		if (stored) rmSync(stored, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
