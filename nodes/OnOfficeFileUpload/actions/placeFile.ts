// The decisions about a file on a record: On Duplicate (upload anyway, skip the same file, replace the one with the
// same name), what a replacement takes over from the old file, and the title picture that changes hands.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { filesNamed, sameFile, type OnDuplicate } from '../helpers/duplicates';
import { afterLinkingError, deleteFiles, modifyEstateFile } from '../resources/fileRelations';
import { transferFile, type TransferredFile } from '../resources/linking';
import { canReadFiles, type RecordFileIndex } from '../resources/recordFiles';
import type { UploadOptions } from '../resources/staging';
import { asNodeError, onOfficeApiError, onOfficeDetails } from '../transport/errors';
import type { SendOptions } from '../transport/http';
import type { FileSource, RecordFile } from '../types';

/**
 * The record's files for On Duplicate (Skip, Replace), read once per run of the node (one call of execute). A read
 * onOffice refuses (no read right, an unknown record) says which setting needs the read and which does not.
 */
export async function recordFilesFor(
	ctx: IExecuteFunctions,
	index: RecordFileIndex,
	module: string,
	recordId: number,
	send: Partial<SendOptions>,
): Promise<RecordFile[]> {
	try {
		return await index.files(module, recordId, send);
	} catch (error) {
		const details = onOfficeDetails(error);
		if (details?.level !== 'action') throw asNodeError(ctx.getNode(), error);
		throw onOfficeApiError(ctx.getNode(), {
			...details,
			hint: `On Duplicate (Skip, Replace) reads the ${module}'s files before it uploads: if the API user may not read them, give it the right to read ${module === 'estate' ? 'estates' : 'addresses'}, or choose On Duplicate: Upload Anyway, which reads nothing.`,
		});
	}
}

export interface PlaceFileRequest {
	module: string;
	relatedRecordId: number;
	/** The step-2 parameters apart from tmpUploadId (module, relatedRecordId, file, and for estates Art, title, …). */
	parameters: IDataObject;
	onDuplicate: OnDuplicate;
	/** Estates: a Titelbild becomes the title picture even where there is one; the old one becomes a Foto. */
	replaceTitlePicture: boolean;
	/** What the node set itself; Replace takes the rest over from the old file. */
	set: { title: boolean; position: boolean };
}

export interface PlacedFile {
	fileId: string;
	/** The parameters the file was linked with. */
	parameters: IDataObject;
	transferred?: TransferredFile;
	/** Skip: the file that was already there. */
	skipped?: RecordFile;
	/** Replace: the files that were removed after the new one was linked. */
	replaced: RecordFile[];
	/** The new file was made the title picture with `modify fileRelation` (the old one became a Foto). */
	madeTitlePicture: boolean;
}

/**
 * One file onto a record, as On Duplicate says: uploaded anyway; skipped when the record holds a file with the same
 * name and size; or replaced (same name, any size). A replacement is uploaded and linked first and the old file is
 * removed only then, so a failure never leaves the record without the file; it takes over the old file's title,
 * position and document attribute unless the node sets them. Decisions about one name on one record are taken one
 * at a time, against what the execution read and uploaded so far.
 */
export async function placeFile(
	ctx: IExecuteFunctions,
	index: RecordFileIndex,
	source: FileSource,
	request: PlaceFileRequest,
	options: UploadOptions,
): Promise<PlacedFile> {
	const { module, relatedRecordId } = request;
	if (request.onDuplicate === 'uploadAnyway' || !canReadFiles(module)) {
		return {
			...(await link(ctx, index, source, request, request.parameters, options, false)),
			replaced: [],
		};
	}
	return index.serially(`${module}:${relatedRecordId}:${source.fileName}`, async () => {
		const files = await recordFilesFor(ctx, index, module, relatedRecordId, options.send);
		if (request.onDuplicate === 'skip') {
			const same = files.find((f) => sameFile(f, source.fileName, source.size));
			if (same)
				return {
					fileId: String(same.fileId),
					parameters: request.parameters,
					skipped: same,
					replaced: [],
					madeTitlePicture: false,
				};
			return {
				...(await link(ctx, index, source, request, request.parameters, options, false)),
				replaced: [],
			};
		}
		const old = filesNamed(files, source.fileName);
		if (old.length === 0)
			return {
				...(await link(ctx, index, source, request, request.parameters, options, false)),
				replaced: [],
			};
		const parameters: IDataObject = { ...request.parameters };
		let attributeAfterwards: string | undefined;
		if (module === 'estate') {
			const first = old[0];
			if (!request.set.title && first.title) parameters.title = first.title;
			if (!request.set.position && first.position !== undefined)
				parameters.position = first.position;
			const attribute =
				(parameters.documentAttribute as string | undefined) ?? first.documentAttribute;
			// An attribute is unique per estate: while the old file holds it, the new one gets it only after the removal.
			if (attribute && old.some((f) => f.documentAttribute === attribute)) {
				delete parameters.documentAttribute;
				attributeAfterwards = attribute;
			} else if (attribute) parameters.documentAttribute = attribute;
		}
		const placed = await link(
			ctx,
			index,
			source,
			request,
			parameters,
			options,
			old.some((f) => f.type === 'Titelbild'),
		);
		const oldIds = old.map((f) => f.fileId);
		const doing = `removing the old ${source.fileName} (file ${oldIds.join(', ')}) after linking the new one as file ${placed.fileId}`;
		try {
			await deleteFiles(ctx, module, relatedRecordId, oldIds, options.send, doing);
		} catch (error) {
			throw afterLinkingError(
				ctx.getNode(),
				error,
				`the new ${source.fileName} is on ${module} ${relatedRecordId} as file ${placed.fileId}, but the old file ${oldIds.join(', ')} could not be removed; remove it in onOffice`,
			);
		}
		index.removed(module, relatedRecordId, oldIds);
		if (attributeAfterwards) {
			try {
				await modifyEstateFile(
					ctx,
					relatedRecordId,
					Number(placed.fileId),
					{ documentAttribute: attributeAfterwards },
					options.send,
					`giving ${source.fileName} the document attribute ${attributeAfterwards}`,
				);
			} catch (error) {
				throw afterLinkingError(
					ctx.getNode(),
					error,
					`the new ${source.fileName} replaced file ${oldIds.join(', ')} as file ${placed.fileId}, but did not get the document attribute ${attributeAfterwards}; set it in onOffice`,
				);
			}
			placed.parameters = { ...placed.parameters, documentAttribute: attributeAfterwards };
		}
		return { ...placed, replaced: old };
	});
}

/**
 * Uploads and links one file. A Titelbild that is to take over from the current title picture is linked as a Foto
 * first and then made the title picture, which onOffice answers by making the old one a Foto: at no point is
 * either picture lost, and onOffice never sees a second title picture (error 239).
 */
async function link(
	ctx: IExecuteFunctions,
	index: RecordFileIndex,
	source: FileSource,
	request: PlaceFileRequest,
	parameters: IDataObject,
	options: UploadOptions,
	replacingTitlePicture: boolean,
): Promise<Omit<PlacedFile, 'replaced'>> {
	const { module, relatedRecordId } = request;
	const swap =
		module === 'estate' &&
		parameters.Art === 'Titelbild' &&
		(request.replaceTitlePicture || replacingTitlePicture);
	const transferred = await transferFile(
		ctx,
		source,
		{
			module,
			relatedRecordId,
			parameters: swap ? { ...parameters, Art: 'Foto' } : parameters,
			knownBefore: index.knownIds(module, relatedRecordId),
		},
		options,
	);
	const fileId = Number(transferred.linked.elements.fileId);
	if (swap) {
		try {
			await modifyEstateFile(
				ctx,
				relatedRecordId,
				fileId,
				{ Art: 'Titelbild' },
				options.send,
				`making ${source.fileName} the title picture`,
			);
		} catch (error) {
			throw afterLinkingError(
				ctx.getNode(),
				error,
				`${source.fileName} is on estate ${relatedRecordId} as file ${fileId} (a Foto), but could not be made the title picture`,
			);
		}
	}
	index.added(module, relatedRecordId, {
		fileId,
		originalname: source.fileName,
		fileSize: source.size,
		modified: Math.floor(Date.now() / 1000),
		type: parameters.Art as string | undefined,
		title: parameters.title as string | undefined,
		documentAttribute: parameters.documentAttribute as string | undefined,
	});
	return { fileId: String(fileId), parameters, transferred, madeTitlePicture: swap };
}
