import type { IDataObject } from 'n8n-workflow';

import { Base64Data, type BodyBuffer } from '../../../credentials/onOfficeSignature';
import { blockCount } from '../helpers/blocks';
import { sameFile, type RecordFile } from '../helpers/duplicates';
import { buildAction } from './actions';
import { asNodeError, onOfficeApiError, onOfficeDetails } from './errors';
import {
	firstElements,
	sendAction,
	sendActions,
	type ActionOutcome,
	type OnOfficeContext,
	type SendOptions,
} from './index';
import { stopDetails, withOutcome } from './stop';
import { canReadFiles, filesArrivedSince } from './recordFiles';

/** What a file upload needs to read: its size and a fresh block stream from the start. */
export interface UploadSource {
	fileName: string;
	size: number;
	/** Valid until the next block is asked for (see reuseBlocks). */
	blocks(bytesPerBlock: number): AsyncIterable<Buffer>;
}

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
	source: UploadSource,
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
			if (!(error instanceof SizeMismatch) && !timedOut) throw asNodeError(ctx.getNode(), error, options.send.itemIndex);
			if (restarts >= MAX_RESTARTS) {
				if (timedOut) throw asNodeError(ctx.getNode(), error, options.send.itemIndex);
				throw onOfficeApiError(
					ctx.getNode(),
					{
						level: 'action',
						message: `${(error as Error).message}; the upload was started again ${restarts} time(s) and still did not add up, so nothing was linked. Run it again later`,
						doing: `uploading ${source.fileName}`,
					},
					options.send.itemIndex,
				);
			}
		}
	}
}

async function stageOnce(
	ctx: OnOfficeContext,
	source: UploadSource,
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
		const action = buildAction('do', 'uploadfile', { data, tmpUploadId }, { identifier: `block-${index}` });
		// Only the first block may be retried after a timeout: it creates a new tmpUploadId either way.
		const { records } = await sendAction(ctx, action, { ...send, doing, retryTimeouts: index === 1 });
		const elements = firstElements(records);
		const reportedId = typeof elements.tmpUploadId === 'string' ? elements.tmpUploadId : undefined;
		const filesize = Number(elements.filesize);
		sent += block.length;
		if (!reportedId) {
			throw onOfficeApiError(ctx.getNode(), { level: 'action', message: 'onOffice answered without a tmpUploadId', doing }, send.itemIndex);
		}
		if (tmpUploadId !== undefined && reportedId !== tmpUploadId) {
			throw new SizeMismatch(`onOffice switched to another temporary upload after block ${index}`);
		}
		if (filesize !== sent) {
			throw new SizeMismatch(`onOffice reported ${filesize} bytes after block ${index} of ${total}, but ${sent} were sent`);
		}
		tmpUploadId = reportedId;
	}
	if (tmpUploadId === undefined || sent !== source.size) {
		throw new SizeMismatch(`read ${sent} of ${source.size} bytes of ${source.fileName}`);
	}
	return { tmpUploadId, filesize: sent, blocks: index };
}

export interface LinkedUpload {
	elements: IDataObject;
	/** True when the answer was lost and the result was found by reading the record's files. */
	recovered: boolean;
}

export interface FileTarget {
	module: string;
	relatedRecordId?: number;
	/** The step-2 parameters apart from tmpUploadId. */
	parameters: IDataObject;
	/** The ids on the record before the upload, where the execution read them (see ArrivalCheck). */
	knownBefore?: Set<number>;
}

export interface TransferredFile {
	staged: StagedUpload;
	linked: LinkedUpload;
}

const RECORD_MODULES = new Set(['estate', 'address', 'agentsLog', 'task']);

/**
 * A whole file: staged in blocks, then linked. onOffice reports the size of what it linked; should that differ from
 * what was sent (a late block from a timed-out request), the linked file is removed again and the file is sent
 * once more, so a record never keeps a corrupt copy.
 */
export async function transferFile(
	ctx: OnOfficeContext,
	source: UploadSource,
	target: FileTarget,
	options: UploadOptions,
): Promise<TransferredFile> {
	for (let attempt = 1; ; attempt++) {
		const staged = await stageContent(ctx, source, options);
		const where = target.relatedRecordId === undefined ? target.module : `${target.module} ${target.relatedRecordId}`;
		ctx.logger.debug(`onOffice: ${source.fileName} staged in ${staged.blocks} block(s) as temporary upload ${staged.tmpUploadId}; linking it to ${where}`);
		const linked = await linkStagedUpload(
			ctx,
			{ ...target.parameters, tmpUploadId: staged.tmpUploadId },
			{ module: target.module, relatedRecordId: target.relatedRecordId, fileName: source.fileName, size: source.size, knownBefore: target.knownBefore },
			options.send,
		);
		const reported = Number(linked.elements.filesize ?? source.size);
		if (reported === source.size) return { staged, linked };
		const doing = `linking ${source.fileName}`;
		const fileId = Number(linked.elements.fileId);
		if (!RECORD_MODULES.has(target.module) || !Number.isInteger(fileId) || attempt > 1) {
			throw onOfficeApiError(
				ctx.getNode(),
				{ level: 'action', message: `onOffice stored ${reported} bytes, but ${source.size} were sent; check the file in onOffice`, doing },
				options.send.itemIndex,
			);
		}
		const remove = buildAction('delete', 'fileRelation', { relationtype: target.module, parentid: target.relatedRecordId, fileId }, { identifier: 'remove' });
		try {
			await sendAction(ctx, remove, { ...options.send, doing: `removing the incomplete copy of ${source.fileName}` });
		} catch (error) {
			const stop = stopDetails(error);
			if (!stop) throw asNodeError(ctx.getNode(), error, options.send.itemIndex);
			throw withOutcome(
				ctx.getNode(),
				error,
				`${source.fileName} is on ${where} as file ${fileId} with ${reported} of ${source.size} bytes${stop.inFlight ? ' unless the removal went through' : ''}: remove it in onOffice and upload the file again`,
				options.send.itemIndex,
			);
		}
	}
}

/** What tells the file this step linked from the others on the record, should its answer be lost. */
export interface ArrivalCheck {
	module: string;
	relatedRecordId?: number;
	fileName: string;
	size: number;
	/** The ids on the record before this step, where the execution read them. */
	knownBefore?: Set<number>;
}

/**
 * Step 2: links a staged upload to a record (or to the tmpUpload cache). A tmpUploadId works once, so this is
 * never re-sent blindly: when the answer is lost, the record's files are read; a file that arrived is reported, and
 * only a file that verifiably did not arrive is linked again.
 */
export async function linkStagedUpload(
	ctx: OnOfficeContext,
	parameters: IDataObject,
	check: ArrivalCheck,
	send: Partial<SendOptions>,
): Promise<LinkedUpload> {
	const where = `${check.module}${check.relatedRecordId ? ` ${check.relatedRecordId}` : ''}`;
	const doing = `linking ${check.fileName} to ${where}`;
	const action = buildAction('do', 'uploadfile', parameters, { identifier: 'link' });
	const startedAtMs = Date.now();
	// Once the final step was sent and no answer read, a stop leaves the file's fate open: it may have been linked.
	let sent = false;
	try {
		for (let attempt = 1; attempt <= 2; attempt++) {
			try {
				const { records } = await sendAction(ctx, action, { ...send, retries: 0, doing });
				return { elements: firstElements(records) as IDataObject, recovered: attempt > 1 };
			} catch (error) {
				const details = onOfficeDetails(error);
				// An answer from onOffice (request or action level) is definite; only a lost answer is in doubt.
				if (details?.level !== 'http' || details.httpCode === 413) throw asNodeError(ctx.getNode(), error, send.itemIndex);
				sent = true;
				if (!canReadFiles(check.module) || check.relatedRecordId === undefined) {
					throw onOfficeApiError(
						ctx.getNode(),
						{
							...details,
							message: `${details.message}. The answer to the final step was lost and onOffice offers no way to read ${check.module} files back, so it was not sent again (a temporary upload works once). Look at the record in onOffice: if ${check.fileName} is missing, run the item again`,
						},
						send.itemIndex,
					);
				}
				const [found] = await filesArrivedSince(
					ctx,
					check.module,
					check.relatedRecordId,
					startedAtMs,
					(f) => sameFile(f, check.fileName, check.size),
					send,
					{ doing: `checking whether ${check.fileName} arrived`, knownBefore: check.knownBefore },
				);
				if (found) {
					return {
						elements: { fileId: String(found.fileId), tmpUploadId: parameters.tmpUploadId as string, filesize: check.size, success: 'success' },
						recovered: true,
					};
				}
				if (attempt === 2) throw asNodeError(ctx.getNode(), error, send.itemIndex);
			}
		}
	} catch (error) {
		const stop = stopDetails(error);
		if (!stop || !(sent || stop.inFlight)) throw asNodeError(ctx.getNode(), error, send.itemIndex);
		const outcome =
			check.module === 'tmpUpload'
				? `the final step had been sent, but its answer (the cacheFileUuid) never came: stage ${check.fileName} again`
				: `the final step had been sent, so onOffice may have linked ${check.fileName} all the same: look at ${where} before running the item again`;
		throw withOutcome(ctx.getNode(), error, outcome, send.itemIndex);
	}
	throw new Error('unreachable');
}

export interface LinkRequest {
	relatedRecordId: number;
	url: string;
	parameters: IDataObject;
	/** The ids on the estate before the request, where the execution read them (see ArrivalCheck). */
	knownBefore?: Set<number>;
}

/**
 * Link uploads of many items in one request: one action each, answered independently. A lost answer is checked by
 * reading the estates' files; links that arrived are reported, the others are sent once more.
 */
export async function addLinks(
	ctx: OnOfficeContext,
	links: LinkRequest[],
	send: Partial<SendOptions>,
): Promise<ActionOutcome[]> {
	const actions = links.map((link, i) =>
		buildAction('do', 'uploadfile', link.parameters, { identifier: `link-${i}` }),
	);
	const startedAtMs = Date.now();
	// Once the batch was sent and no answer read, a stop leaves its links' fate open: they may have been added.
	let sent = false;
	const inDoubt = (error: unknown) => {
		const stop = stopDetails(error);
		if (!stop || !(sent || stop.inFlight)) return error;
		const estates = [...new Set(links.map((l) => l.relatedRecordId))].join(', ');
		return withOutcome(ctx.getNode(), error, `the request with ${links.length} link(s) had been sent, so onOffice may have added them all the same: look at estate ${estates} before running these items again`);
	};
	try {
		return await sendActions(ctx, actions, { ...send, retries: 0, doing: `adding ${links.length} link(s)` });
	} catch (error) {
		const details = onOfficeDetails(error);
		if (details?.level !== 'http' || details.httpCode === 413) throw asNodeError(ctx.getNode(), inDoubt(error));
		sent = true;
		return await recoverLinks(ctx, links, actions, startedAtMs, send).catch((later: unknown) => {
			throw inDoubt(later);
		});
	}
}

/** After a lost answer: links that arrived are reported, the others are sent once more. */
async function recoverLinks(
	ctx: OnOfficeContext,
	links: LinkRequest[],
	actions: ReturnType<typeof buildAction>[],
	startedAtMs: number,
	send: Partial<SendOptions>,
): Promise<ActionOutcome[]> {
	const arrived = await linksThatArrived(ctx, links, startedAtMs, send);
	const missing = links.map((_, i) => i).filter((i) => arrived[i] === undefined);
	const resent = missing.length
		? await sendActions(ctx, missing.map((i) => actions[i]), { ...send, retries: 0, doing: `adding ${missing.length} link(s) again` })
		: [];
	return links.map((_, i): ActionOutcome => {
		const fileId = arrived[i];
		if (fileId !== undefined) {
			return { ok: true, total: null, records: [{ id: 0, type: '', elements: { fileId: String(fileId), success: 'success', recovered: true } }] };
		}
		return resent[missing.indexOf(i)];
	});
}

async function linksThatArrived(
	ctx: OnOfficeContext,
	links: LinkRequest[],
	startedAtMs: number,
	send: Partial<SendOptions>,
): Promise<Array<number | undefined>> {
	const byEstate = new Map<number, RecordFile[]>();
	for (const estateId of new Set(links.map((l) => l.relatedRecordId))) {
		let files: RecordFile[] = [];
		try {
			files = await filesArrivedSince(ctx, 'estate', estateId, startedAtMs, (f) => f.url !== undefined, send, {
				doing: `checking the links of estate ${estateId}`,
				knownBefore: links.find((l) => l.relatedRecordId === estateId)?.knownBefore,
			});
		} catch (error) {
			// An estate whose files onOffice refuses to list (e.g. unknown, 293): its links are sent again and get
			// their own answer. A request that failed outright leaves the links in doubt: stop.
			if (onOfficeDetails(error)?.level !== 'action') throw asNodeError(ctx.getNode(), error);
		}
		byEstate.set(estateId, files);
	}
	const claimed = new Set<number>();
	return links.map((link) => {
		const hit = (byEstate.get(link.relatedRecordId) ?? []).find((f) => f.url === link.url && !claimed.has(f.fileId));
		if (hit) claimed.add(hit.fileId);
		return hit?.fileId;
	});
}
