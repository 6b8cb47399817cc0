// A webhook-triggered upload, as an agency wires a form or another system to onOffice: n8n's Webhook node takes
// the file as the request body (its name in Content-Disposition, the estate in the query), this package's node
// uploads it in blocks and the webhook answers with the node's output. Several files as one item come as a multipart
// form instead (fields file0, file1, …), uploaded in that order. Used where executions must start in a running n8n:
// the registry install (`npm run test:install`) and queue mode (`npm run test:queue`).

export const NODE_TYPE = 'n8n-nodes-onoffice-file-upload.onOfficeFileUpload';

export interface UploadWebhookOptions {
	id: string;
	path: string;
	credential: { id: string; name: string };
	/** KiB per block (the node's Block Size option). */
	blockSizeKiB?: number;
	/** The node's version: 1 (the default here) names the estate in Related Record ID, 2 in Estate (By ID). */
	version?: 1 | 2;
	/** The node's On Duplicate; unset, the node's default for its version. */
	onDuplicate?: 'uploadAnyway' | 'skip' | 'replace';
	/** Files per item, sent with `sendFiles`; unset, one file as the request body (`sendFile`). */
	files?: number;
	/** n8n's node settings Retry On Fail, Max. Tries and Wait Between Tries (ms). */
	retryOnFail?: { maxTries: number; waitBetweenTriesMs: number };
}

const fileField = (index: number) => `file${index}`;

export function uploadWebhookWorkflow(options: UploadWebhookOptions): Record<string, unknown> {
	return {
		id: options.id,
		name: `onOffice upload by webhook (${options.path})`,
		nodes: [
			{
				id: 'webhook',
				name: 'File arrives',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${options.id}-hook`,
				parameters: {
					httpMethod: 'POST',
					path: options.path,
					responseMode: 'lastNode',
					options: {},
				},
			},
			{
				id: 'upload',
				name: 'Upload to estate',
				type: NODE_TYPE,
				typeVersion: options.version ?? 1,
				position: [240, 0],
				credentials: { onOfficeApi: options.credential },
				...(options.retryOnFail
					? {
							retryOnFail: true,
							maxTries: options.retryOnFail.maxTries,
							waitBetweenTries: options.retryOnFail.waitBetweenTriesMs,
						}
					: {}),
				parameters: {
					operation: 'uploadFile',
					module: 'estate',
					...(options.version === 2
						? { estate: { __rl: true, mode: 'id', value: '={{ $json.query.estate }}' } }
						: { relatedRecordId: '={{ $json.query.estate }}' }),
					...(options.files
						? {
								binaryPropertyName: Array.from({ length: options.files }, (_, i) =>
									fileField(i),
								).join(','),
							}
						: {}),
					...(options.onDuplicate ? { onDuplicate: options.onDuplicate } : {}),
					title: '={{ $json.query.title }}',
					...(options.blockSizeKiB ? { options: { blockSize: options.blockSizeKiB } } : {}),
				},
			},
		],
		connections: {
			'File arrives': { main: [[{ node: 'Upload to estate', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** POSTs one file to the workflow's production webhook; resolves with the HTTP status and the answer. */
export async function sendFile(
	webhookUrl: string,
	file: { name: string; mimeType: string; bytes: Buffer; estate: number; title?: string },
	signal?: AbortSignal,
): Promise<{ status: number; body: string }> {
	const query = new URLSearchParams({
		estate: String(file.estate),
		title: file.title ?? file.name,
	});
	const response = await fetch(`${webhookUrl}?${query}`, {
		method: 'POST',
		headers: {
			'content-type': file.mimeType,
			'content-disposition': `attachment; filename="${file.name}"`,
		},
		body: file.bytes,
		signal,
	});
	return { status: response.status, body: await response.text() };
}

/** POSTs several files as one item (a multipart form, fields file0, file1, …) to a workflow made with `files`. */
export async function sendFiles(
	webhookUrl: string,
	item: {
		estate: number;
		title: string;
		files: Array<{ name: string; mimeType: string; bytes: Buffer }>;
	},
	signal?: AbortSignal,
): Promise<{ status: number; body: string }> {
	const query = new URLSearchParams({ estate: String(item.estate), title: item.title });
	const form = new FormData();
	item.files.forEach((file, i) =>
		form.append(fileField(i), new Blob([file.bytes], { type: file.mimeType }), file.name),
	);
	const response = await fetch(`${webhookUrl}?${query}`, { method: 'POST', body: form, signal });
	return { status: response.status, body: await response.text() };
}
