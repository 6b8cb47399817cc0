// Step 2 of uploadfile: a staged upload linked to a record, and what is done when the answer to that is lost.
import type { IDataObject } from 'n8n-workflow';

import { sameFile } from '../helpers/duplicates';
import { sendAction } from '../transport';
import { buildAction } from '../transport/actions';
import { firstElements } from '../transport/envelope';
import { asNodeError, onOfficeApiError, onOfficeDetails } from '../transport/errors';
import type { OnOfficeContext, SendOptions } from '../transport/http';
import { stopDetails, withOutcome } from '../transport/stop';
import type { FileSource } from '../types';
import { canReadFiles, filesArrivedSince } from './recordFiles';
import { stageContent, type StagedUpload, type UploadOptions } from './staging';

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
	source: FileSource,
	target: FileTarget,
	options: UploadOptions,
): Promise<TransferredFile> {
	for (let attempt = 1; ; attempt++) {
		const staged = await stageContent(ctx, source, options);
		const where =
			target.relatedRecordId === undefined
				? target.module
				: `${target.module} ${target.relatedRecordId}`;
		ctx.logger.debug(
			`onOffice: ${source.fileName} staged in ${staged.blocks} block(s) as temporary upload ${staged.tmpUploadId}; linking it to ${where}`,
		);
		const linked = await linkStagedUpload(
			ctx,
			{ ...target.parameters, tmpUploadId: staged.tmpUploadId },
			{
				module: target.module,
				relatedRecordId: target.relatedRecordId,
				fileName: source.fileName,
				size: source.size,
				knownBefore: target.knownBefore,
			},
			options.send,
		);
		const reported = Number(linked.elements.filesize ?? source.size);
		if (reported === source.size) return { staged, linked };
		const doing = `linking ${source.fileName}`;
		const fileId = Number(linked.elements.fileId);
		if (!RECORD_MODULES.has(target.module) || !Number.isInteger(fileId) || attempt > 1) {
			throw onOfficeApiError(ctx.getNode(), {
				level: 'action',
				message: `onOffice stored ${reported} bytes, but ${source.size} were sent; check the file in onOffice`,
				doing,
			});
		}
		const remove = buildAction(
			'delete',
			'fileRelation',
			{ relationtype: target.module, parentid: target.relatedRecordId, fileId },
			{ identifier: 'remove' },
		);
		try {
			await sendAction(ctx, remove, {
				...options.send,
				doing: `removing the incomplete copy of ${source.fileName}`,
			});
		} catch (error) {
			const stop = stopDetails(error);
			if (!stop) throw asNodeError(ctx.getNode(), error);
			throw withOutcome(
				ctx.getNode(),
				error,
				`${source.fileName} is on ${where} as file ${fileId} with ${reported} of ${source.size} bytes${stop.inFlight ? ' unless the removal went through' : ''}: remove it in onOffice and upload the file again`,
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
		// A lost answer is checked once: the file is linked again only if it verifiably did not arrive.
		for (let attempt = 1; ; attempt++) {
			try {
				const { records } = await sendAction(ctx, action, { ...send, retries: 0, doing });
				return { elements: firstElements(records) as IDataObject, recovered: attempt > 1 };
			} catch (error) {
				const details = onOfficeDetails(error);
				// An answer from onOffice (request or action level) is definite; only a lost answer is in doubt.
				if (details?.level !== 'http' || details.httpCode === 413)
					throw asNodeError(ctx.getNode(), error);
				sent = true;
				if (!canReadFiles(check.module) || check.relatedRecordId === undefined) {
					throw onOfficeApiError(ctx.getNode(), {
						...details,
						message: `${details.message}. The answer to the final step was lost and onOffice offers no way to read ${check.module} files back, so it was not sent again (a temporary upload works once). Look at the record in onOffice: if ${check.fileName} is missing, run the item again`,
					});
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
						elements: {
							fileId: String(found.fileId),
							tmpUploadId: parameters.tmpUploadId as string,
							filesize: check.size,
							success: 'success',
						},
						recovered: true,
					};
				}
				if (attempt === 2) throw asNodeError(ctx.getNode(), error);
			}
		}
	} catch (error) {
		const stop = stopDetails(error);
		if (!stop || !(sent || stop.inFlight)) throw asNodeError(ctx.getNode(), error);
		const outcome =
			check.module === 'tmpUpload'
				? `the final step had been sent, but its answer (the cacheFileUuid) never came: stage ${check.fileName} again`
				: `the final step had been sent, so onOffice may have linked ${check.fileName} all the same: look at ${where} before running the item again`;
		throw withOutcome(ctx.getNode(), error, outcome);
	}
}
