// A file at a URL as a source of blocks: downloaded through n8n's own request helper (so n8n's SSRF protection and
// proxy settings apply), read block by block into one reused buffer, never held whole. Every read of the blocks is
// a fresh download, as a restarted upload needs.
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MiB, reuseBlocks } from '../helpers/blocks';
import { describeHttpFailure } from '../transport/http';
import { executionSignal, stoppedError } from '../transport/stop';
import type { FileSource, PendingFile } from '../types';

export interface DownloadOptions {
	/** Larger files are refused before anything is uploaded. */
	maxBytes: number;
	timeoutMs: number;
}

/** The file is larger than allowed: `size` says by how much, as far as it is known ("3.0 MiB", "more than 2 MiB"). */
export class FileTooLarge extends Error {
	constructor(
		readonly url: string,
		readonly size: string,
		readonly maxBytes: number,
	) {
		super(`the file at ${url} is ${size}, more than ${Math.round(maxBytes / MiB)} MiB`);
	}
}

/** The file at `url`, to be opened (and measured) when its turn comes. */
export function urlFile(
	ctx: IExecuteFunctions,
	url: string,
	options: DownloadOptions,
): PendingFile {
	const describe = `the file at ${url}`;
	return { describe, open: () => openUrlFile(ctx, url, options, describe) };
}

interface Response {
	body: AsyncIterable<Buffer> & { destroy?: () => void };
	headers: Record<string, string | string[] | undefined>;
}

const header = (response: Response, name: string) => {
	const value = response.headers[name];
	return Array.isArray(value) ? value[0] : value;
};

/** `attachment; filename*=UTF-8''Expos%C3%A9.pdf` or `filename="Exposé.pdf"`, else the URL's last path segment. */
export function fileNameFrom(disposition: string | undefined, url: string): string {
	const encoded = disposition && /filename\*\s*=\s*[^']*'[^']*'([^;]+)/i.exec(disposition);
	if (encoded) {
		try {
			return decodeURIComponent(encoded[1].trim().replace(/^"|"$/g, ''));
		} catch {
			// A malformed name falls through to the plain one.
		}
	}
	const plain = disposition && /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
	if (plain) return (plain[2] ?? plain[1]).trim();
	const segment = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/**
 * Opens the file at `url`: one request for its headers (its name, type and size; the body is not read), or, where
 * the server does not say the size, that request's body read to count the bytes (stopped at the limit, not kept).
 * The blocks are then a fresh download each time they are read.
 */
async function openUrlFile(
	ctx: IExecuteFunctions,
	url: string,
	options: DownloadOptions,
	describe: string,
): Promise<FileSource> {
	const tooLarge = (size: string) => new FileTooLarge(url, size, options.maxBytes);
	const first = await download(ctx, url, options, 'looking at');
	const mimeType =
		(header(first, 'content-type') ?? 'application/octet-stream')
			.split(';')[0]
			.trim()
			.toLowerCase() || 'application/octet-stream';
	const fileName = fileNameFrom(header(first, 'content-disposition'), url);
	const declared = Number(header(first, 'content-length'));
	let size: number;
	if (Number.isSafeInteger(declared) && declared >= 0) {
		first.body.destroy?.();
		if (declared > options.maxBytes) throw tooLarge(`${(declared / MiB).toFixed(1)} MiB`);
		size = declared;
	} else {
		// No size from the server: this response's body counted, stopped at the limit (and the bytes are not kept).
		size = 0;
		for await (const chunk of first.body) {
			size += chunk.length;
			if (size > options.maxBytes) {
				first.body.destroy?.();
				throw tooLarge(`more than ${Math.round(options.maxBytes / MiB)} MiB`);
			}
		}
	}
	return {
		fileName,
		mimeType,
		size,
		origin: { url },
		describe,
		blocks: (bytesPerBlock) => ({
			[Symbol.asyncIterator]: async function* () {
				const response = await download(ctx, url, options, 'downloading');
				let read = 0;
				try {
					for await (const block of reuseBlocks(
						response.body,
						Math.max(1, Math.min(bytesPerBlock, size || 1)),
					)) {
						read += block.length;
						// More than the server said: the upload checks the total, so stop here rather than read on.
						if (read > size) break;
						yield block;
					}
				} finally {
					response.body.destroy?.();
				}
			},
		}),
	};
}

/** One GET of the file as a stream, through n8n's request helper; a failure is an item error that says why. */
async function download(
	ctx: IExecuteFunctions,
	url: string,
	options: DownloadOptions,
	doing: string,
): Promise<Response> {
	const node = ctx.getNode();
	const signal = executionSignal(ctx);
	if (signal?.aborted) throw stoppedError(node, { doing: `${doing} ${url}`, inFlight: false });
	try {
		const response = (await ctx.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'stream',
			returnFullResponse: true,
			timeout: options.timeoutMs,
			...(signal ? { abortSignal: signal } : {}),
		})) as Response;
		return response;
	} catch (error) {
		if (signal?.aborted) throw stoppedError(node, { doing: `${doing} ${url}`, inFlight: true });
		const failure = describeHttpFailure(error);
		const why =
			failure.status !== undefined
				? `the server answered HTTP ${failure.status}`
				: failure.code
					? `the request failed (${failure.code.toLowerCase()})`
					: (error as Error).message;
		throw new NodeOperationError(node, `the file at ${url} could not be downloaded: ${why}`, {
			description:
				"Check that the URL is the file itself (not a page about it) and that n8n may reach its host: n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED) refuses private and local addresses unless they are allowed.",
		});
	}
}
