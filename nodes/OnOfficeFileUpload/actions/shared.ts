import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { binaryFieldFiles, type FileOpener, type FileToUpload } from '../helpers/binary';
import { nodeFiles } from '../helpers/nodeFiles';
import { leftOutBy, NO_FILTER, parseFileFilter, type FileFilter } from '../helpers/fileFilter';
import { blockBytes, DEFAULT_BLOCK_SIZE_KIB, halveBlock } from '../helpers/blocks';
import { checkLocator, readLocator } from '../helpers/recordLocator';
import { blockSizeKiB, fail, fileName as validFileName, httpUrl, notEmpty, recordId } from '../helpers/validation';
import { DEFAULT_SEND_OPTIONS, executionSignal, stopDetails, throwIfStopped, withOutcome, type SendOptions } from '../transport';
import type { RecordFileIndex } from '../transport/recordFiles';
import { openUrlFile } from '../transport/download';
import { DEFAULT_MAX_FILE_SIZE_MIB, FILE_SOURCE } from './common.description';
import type { RecordFinder, RecordKind } from '../transport/records';
import type { UploadOptions } from '../transport/staging';

/** What one execution of the node shares between its items: the records it looked up, and their files. */
export interface RunState {
	files: RecordFileIndex;
	records: RecordFinder;
}

/** The record fields of node version 2: a resource locator where onOffice lets records be looked up. */
const RECORD_FIELDS: Record<string, { name: string; displayName: string; kind: RecordKind }> = {
	estate: { name: 'estate', displayName: 'Estate', kind: 'estate' },
	address: { name: 'address', displayName: 'Address', kind: 'address' },
};

export interface TargetRecord {
	relatedRecordId: number;
	/** Version 2: how the record was named and what that was, for the output. */
	foundBy?: IDataObject;
}

/**
 * The record an item's file or link goes to. Version 1 (and agents-log entries and tasks): the record number in
 * Related Record ID. Version 2: the Estate or Address field, looked up once per execution where it names the record
 * by property number or e-mail.
 */
export async function targetRecord(
	ctx: IExecuteFunctions,
	run: RunState,
	itemIndex: number,
	module: string,
	noun: string,
	send: Partial<SendOptions>,
): Promise<TargetRecord> {
	const field = ctx.getNode().typeVersion >= 2 ? RECORD_FIELDS[module] : undefined;
	if (!field) return { relatedRecordId: recordId(ctx, itemIndex, ctx.getNodeParameter('relatedRecordId', itemIndex, ''), noun) };
	const locator = readLocator(ctx.getNodeParameter(field.name, itemIndex, ''));
	const checked = checkLocator(locator, noun);
	if ('problem' in checked) fail(ctx, itemIndex, `the field "${field.displayName}": ${checked.problem}`, checked.fix);
	const found = await run.records.find(field.kind, locator, checked, field.displayName, { ...send, itemIndex });
	return { relatedRecordId: found.id, foundBy: { mode: found.foundBy, value: found.value, ...(found.label ? { label: found.label } : {}) } };
}

/** What one input item came to: its output JSON, or its error (with what had succeeded before it). */
export type ItemOutcome =
	| { itemIndex: number; json: IDataObject[] }
	| { itemIndex: number; error: Error; partial?: IDataObject[] };

export function readSendOptions(itemIndex: number, options: IDataObject): Partial<SendOptions> {
	return {
		retries: Number(options.retries ?? DEFAULT_SEND_OPTIONS.retries),
		retryDelayMs: Number(options.retryDelay ?? DEFAULT_SEND_OPTIONS.retryDelayMs),
		timeoutMs: options.timeout === undefined ? DEFAULT_SEND_OPTIONS.timeoutMs : Number(options.timeout) * 1000,
		itemIndex,
	};
}

export interface FileOptions {
	fileName: string;
	filter: FileFilter;
	upload: UploadOptions;
}

export function readFileOptions(ctx: IExecuteFunctions, itemIndex: number): FileOptions {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const kib = blockSizeKiB(ctx, itemIndex, options.blockSize ?? DEFAULT_BLOCK_SIZE_KIB);
	const rules = (options.fileFilter as IDataObject | undefined)?.rules as IDataObject | undefined;
	const filter = rules ? parseFileFilter(rules) : NO_FILTER;
	if ('problem' in filter) fail(ctx, itemIndex, `${filter.problem} (option "File Filter")`, 'Correct the File Filter rules in the Options.');
	return {
		fileName: typeof options.fileName === 'string' ? options.fileName.trim() : '',
		filter: filter as FileFilter,
		upload: {
			bytesPerBlock: blockBytes(kib),
			send: readSendOptions(itemIndex, options),
			smallerBlock: halveBlock,
		},
	};
}

const MiB = 1024 * 1024;

/** The files an item names, by its File Source: binary properties, another node's files, or a URL. */
function filesOf(ctx: IExecuteFunctions, itemIndex: number, options: FileOptions): FileOpener[] {
	const source = ctx.getNode().typeVersion >= 2 ? (ctx.getNodeParameter('fileSource', itemIndex, FILE_SOURCE.binaryField) as string) : FILE_SOURCE.binaryField;
	if (source === FILE_SOURCE.node) {
		return nodeFiles(ctx, itemIndex, String(ctx.getNodeParameter('sourceNode', itemIndex, '')), String(ctx.getNodeParameter('fileNames', itemIndex, '')));
	}
	if (source === FILE_SOURCE.url) {
		const url = httpUrl(ctx, itemIndex, ctx.getNodeParameter('fileUrl', itemIndex, ''), 'File URL', 'the file to upload, e.g. https://example.com/expose.pdf');
		const maxMiB = Number(ctx.getNodeParameter('maxFileSize', itemIndex, DEFAULT_MAX_FILE_SIZE_MIB));
		if (!Number.isFinite(maxMiB) || maxMiB <= 0) fail(ctx, itemIndex, `the field "Max File Size (MiB)" must be a positive number, got ${JSON.stringify(maxMiB)}`, `Leave it at ${DEFAULT_MAX_FILE_SIZE_MIB} unless larger files are meant to be uploaded.`);
		const describe = `the file at ${url}`;
		return [
			{
				describe,
				open: async (): Promise<FileToUpload> => {
					const file = await openUrlFile(ctx, url, { maxBytes: Math.floor(maxMiB * MiB), timeoutMs: options.upload.send.timeoutMs ?? DEFAULT_SEND_OPTIONS.timeoutMs, itemIndex });
					return { fileName: file.fileName, mimeType: file.mimeType, size: file.size, blocks: file.blocks, origin: { url }, describe };
				},
			},
		];
	}
	return binaryFieldFiles(
		ctx,
		itemIndex,
		ctx.getNodeParameter('uploadAllBinaryProperties', itemIndex, false) as boolean,
		ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string,
	);
}

/**
 * Every file of the item (by its File Source), opened, named and checked, one after another. An error ends the item
 * and keeps what the files before it yielded, so nothing uploaded goes unreported. A stop of the execution ends it
 * too, before the next file; `notDone` says what a stop means for the file it interrupted.
 */
export async function eachFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: FileOptions,
	upload: (file: FileToUpload) => Promise<IDataObject>,
	notDone: (fileName: string) => string = (fileName) => `nothing was linked for ${fileName}`,
): Promise<ItemOutcome> {
	const files = filesOf(ctx, itemIndex, options);
	const signal = executionSignal(ctx);
	const results: IDataObject[] = [];
	let current: string | undefined;
	try {
		for (const opener of files) {
			current = undefined;
			throwIfStopped(ctx.getNode(), signal, { doing: `starting on ${opener.describe}`, outcome: 'its file was not uploaded' }, itemIndex);
			const file = await opener.open();
			// Judged on the file's own name, before the File Name option renames it; a file left out still says so.
			const reason = leftOutBy(options.filter, file);
			if (reason) {
				results.push({ ...file.origin, fileName: file.fileName, mimeType: file.mimeType, size: file.size, leftOut: true, reason: `left out by the File Filter: ${reason}` });
				continue;
			}
			const field = options.fileName ? 'option "File Name"' : `file name of ${file.describe}`;
			const name = validFileName(ctx, itemIndex, options.fileName || file.fileName, field);
			notEmpty(ctx, itemIndex, file.size, 'binaryPropertyName' in file.origin && !('sourceNode' in file.origin) ? `in ${file.describe}` : `(${file.describe})`, name);
			current = name;
			results.push(await upload({ ...file, fileName: name }));
		}
	} catch (error) {
		const stop = stopDetails(error);
		if (stop && !stop.outcome && current) return { itemIndex, error: withOutcome(ctx.getNode(), error, notDone(current), itemIndex), partial: results };
		return { itemIndex, error, partial: results };
	}
	return { itemIndex, json: results };
}
