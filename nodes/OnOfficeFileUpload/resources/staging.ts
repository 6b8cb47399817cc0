// Step 1 of uploadfile: a file's bytes sent in blocks to a temporary upload, checked against the size onOffice reports.
import { Base64Data, type BodyBuffer } from '../../../credentials/onOfficeSignature';
import { blockCount } from '../helpers/blocks';
import { sendAction } from '../transport';
import { buildAction } from '../transport/actions';
import { firstElements } from '../transport/envelope';
import { asNodeError, onOfficeApiError, onOfficeDetails } from '../transport/errors';
import type { OnOfficeContext, SendOptions } from '../transport/http';
import type { FileSource } from '../types';

export interface StagedUpload {
	tmpUploadId: string;
	filesize: number;
	blocks: number;
	restarts: number;
}

export interface UploadOptions {
	bytesPerBlock: number;
	send: Partial<SendOptions>;
	/** A smaller block size after HTTP 413, or undefined to give up. */
	smallerBlock?: (bytes: number) => number | undefined;
}

class SizeMismatch extends Error {}

/** How often a whole upload may start again after onOffice reported a size that does not add up, or a timeout. */
const MAX_RESTARTS = 2;

/**
 * Step 1 of uploadfile in blocks, as onOffice documents it: the first block without tmpUploadId, each next block
 * with it; each block is base64 on its own. After every block the cumulative `filesize` onOffice reports must be the
 * bytes sent so far; a block retried after a lost answer may have been appended twice, which shows there, and the
 * upload then starts again under a new tmpUploadId instead of ever linking a corrupt file.
 */
export async function stageContent(
	ctx: OnOfficeContext,
	source: FileSource,
	options: UploadOptions,
): Promise<StagedUpload> {
	let bytesPerBlock = options.bytesPerBlock;
	for (let restarts = 0; ; restarts++) {
		try {
			return { ...(await stageOnce(ctx, source, bytesPerBlock, options.send)), restarts };
		} catch (error) {
			if (onOfficeDetails(error)?.httpCode === 413 && options.smallerBlock) {
				const smaller = options.smallerBlock(bytesPerBlock);
				if (smaller !== undefined) {
					bytesPerBlock = smaller;
					continue;
				}
			}
			// A block that timed out may still be appended later, so the upload starts over under a new tmpUploadId.
			const timedOut = onOfficeDetails(error)?.timeout === true;
			if (!(error instanceof SizeMismatch) && !timedOut) throw asNodeError(ctx.getNode(), error);
			if (restarts >= MAX_RESTARTS) {
				if (timedOut) throw asNodeError(ctx.getNode(), error);
				throw onOfficeApiError(ctx.getNode(), {
					level: 'action',
					message: `${(error as Error).message}; the upload was started again ${restarts} time(s) and still did not add up, so nothing was linked. Run it again later`,
					doing: `uploading ${source.fileName}`,
				});
			}
		}
	}
}

async function stageOnce(
	ctx: OnOfficeContext,
	source: FileSource,
	bytesPerBlock: number,
	send: Partial<SendOptions>,
): Promise<Omit<StagedUpload, 'restarts'>> {
	const total = blockCount(source.size, bytesPerBlock);
	let tmpUploadId: string | undefined;
	let sent = 0;
	let index = 0;
	// One request body after the other, so they share one buffer (the credential writes each block's JSON into it).
	const bodyBuffer: BodyBuffer = {};
	for await (const block of source.blocks(bytesPerBlock)) {
		index += 1;
		const doing = `uploading block ${index} of ${total} of ${source.fileName}`;
		const data = new Base64Data(block, bodyBuffer);
		const action = buildAction(
			'do',
			'uploadfile',
			{ data, tmpUploadId },
			{ identifier: `block-${index}` },
		);
		// Only the first block may be retried after a timeout: it creates a new tmpUploadId either way.
		const { records } = await sendAction(ctx, action, {
			...send,
			doing,
			retryTimeouts: index === 1,
		});
		const elements = firstElements(records);
		const reportedId = typeof elements.tmpUploadId === 'string' ? elements.tmpUploadId : undefined;
		const filesize = Number(elements.filesize);
		sent += block.length;
		if (!reportedId) {
			throw onOfficeApiError(ctx.getNode(), {
				level: 'action',
				message: 'onOffice answered without a tmpUploadId',
				doing,
			});
		}
		if (tmpUploadId !== undefined && reportedId !== tmpUploadId) {
			throw new SizeMismatch(`onOffice switched to another temporary upload after block ${index}`);
		}
		if (filesize !== sent) {
			throw new SizeMismatch(
				`onOffice reported ${filesize} bytes after block ${index} of ${total}, but ${sent} were sent`,
			);
		}
		tmpUploadId = reportedId;
	}
	if (tmpUploadId === undefined || sent !== source.size) {
		throw new SizeMismatch(`read ${sent} of ${source.size} bytes of ${source.fileName}`);
	}
	return { tmpUploadId, filesize: sent, blocks: index };
}
