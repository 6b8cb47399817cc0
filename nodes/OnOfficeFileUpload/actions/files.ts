// The files of one item, as its File Source names them (its binary fields, the files another node holds, a file at a
// URL), each opened, filtered, named and checked, then handed to the operation to place; what the sources report is
// worded here, with the fields.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { MiB } from '../helpers/blocks';
import { leftOutBy } from '../helpers/fileFilter';
import { binaryFieldFiles } from '../sources/binaryField';
import { fileNameList, nodeFiles, type NodeFilesProblem } from '../sources/nodeFiles';
import { FileTooLarge, urlFile } from '../sources/url';
import { DEFAULT_SEND_OPTIONS } from '../transport/http';
import { executionSignal, stopDetails, throwIfStopped, withOutcome } from '../transport/stop';
import type { FileSource, PendingFile } from '../types';
import { DEFAULT_MAX_FILE_SIZE_MIB, FILE_SOURCE } from './common.description';
import { field, option } from './fields';
import { fail, problem } from './itemErrors';
import { checkHost, type Filed, type Limits } from './limits';
import type { ItemOutcome, Run } from './operation';
import {
	binaryPropertyNames,
	fileName,
	fileOptions,
	fileUrl,
	maxFileBytes,
	notEmpty,
	type FileOptions,
} from './parameters';

/**
 * The files an item names, by its File Source (version 1 has none: its binary fields); nothing is opened or sent yet,
 * and a file at a URL on a host the Limits do not allow is refused here.
 */
export function pendingFiles(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: FileOptions,
	limits: Limits,
): PendingFile[] {
	const node = ctx.getNode();
	const source =
		node.typeVersion >= 2
			? (ctx.getNodeParameter('fileSource', itemIndex, FILE_SOURCE.binaryField) as string)
			: FILE_SOURCE.binaryField;
	if (source === FILE_SOURCE.node) {
		const nodeName = String(ctx.getNodeParameter('sourceNode', itemIndex, '')).trim();
		if (nodeName === '')
			fail(
				node,
				`the ${field('sourceNode')} is empty`,
				'Enter the name of the node that holds the files, as the canvas shows it, e.g. "When chat message received".',
			);
		const files = nodeFiles(
			ctx,
			itemIndex,
			nodeName,
			fileNameList(String(ctx.getNodeParameter('fileNames', itemIndex, ''))),
		);
		return 'problem' in files ? fail(node, ...nodeFilesProblem(nodeName, files)) : files;
	}
	if (source === FILE_SOURCE.url) {
		const url = fileUrl(node, ctx.getNodeParameter('fileUrl', itemIndex, ''));
		checkHost(ctx, limits, url, 'the file');
		const maxBytes = maxFileBytes(
			node,
			ctx.getNodeParameter('maxFileSize', itemIndex, DEFAULT_MAX_FILE_SIZE_MIB),
			DEFAULT_MAX_FILE_SIZE_MIB,
		);
		return [
			urlFile(ctx, url, {
				maxBytes,
				timeoutMs: options.upload.send.timeoutMs ?? DEFAULT_SEND_OPTIONS.timeoutMs,
			}),
		];
	}
	const names = binaryPropertyNames(
		node,
		ctx.getInputData()[itemIndex]?.binary ?? {},
		ctx.getNodeParameter('uploadAllBinaryProperties', itemIndex, false) as boolean,
		ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string,
	);
	return binaryFieldFiles(ctx, itemIndex, names);
}

/** Why another node's files cannot be had, with the field to correct. */
function nodeFilesProblem(name: string, found: NodeFilesProblem): [string, string] {
	switch (found.problem) {
		case 'noSuchNode':
			return [
				`there is no node "${name}" in this workflow (${field('sourceNode')})`,
				"Enter the node's name exactly as the canvas shows it.",
			];
		case 'unreadable':
			return [
				`the files of node "${name}" cannot be read: ${found.why} (${field('sourceNode')})`,
				'Name the node that received the files in this execution, e.g. the Chat Trigger or the Email Trigger that started the workflow.',
			];
		case 'noFiles':
			return [
				`node "${name}" holds no files for this item (${field('sourceNode')})`,
				'Check that the message or mail came with attachments, and that the node downloads them (e.g. the Email Trigger\'s "Download Attachments").',
			];
		case 'notThere':
			return [
				`node "${name}" holds no file named ${found.missing.map((m) => `"${m}"`).join(', ')} (${field('fileNames')}); it holds ${found.available.join(', ')}`,
				'Use one of the names it holds, or leave File Names empty to upload all of them.',
			];
	}
}

/** A file at a URL over Max File Size, said with the field that allows more. */
function opened(ctx: IExecuteFunctions, pending: PendingFile): Promise<FileSource> {
	return pending.open().catch((error: unknown) => {
		if (!(error instanceof FileTooLarge)) throw error;
		const maxMiB = Math.round(error.maxBytes / MiB);
		throw problem(
			ctx.getNode(),
			`the file at ${error.url} is ${error.size}, more than the ${maxMiB} MiB the ${option('maxFileSize')} allows`,
			`Raise the ${option('maxFileSize')} if the file is meant to be uploaded.`,
		);
	});
}

/**
 * Every file of the item (by its File Source), opened, named and checked, one after another, each handed to `place`.
 * An error ends the item and keeps what the files before it yielded, so nothing uploaded goes unreported. A stop of
 * the execution ends it too, before the next file; `notDone` says what a stop means for the file it interrupted.
 */
export async function eachFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	files: PendingFile[],
	options: FileOptions,
	place: (file: FileSource) => Promise<IDataObject>,
	notDone: (fileName: string) => string = (name) => `nothing was linked for ${name}`,
): Promise<ItemOutcome> {
	const node = ctx.getNode();
	const signal = executionSignal(ctx);
	const results: IDataObject[] = [];
	let current: string | undefined;
	try {
		for (const pending of files) {
			current = undefined;
			throwIfStopped(node, signal, {
				doing: `starting on ${pending.describe}`,
				outcome: 'its file was not uploaded',
			});
			const file = await opened(ctx, pending);
			// Judged on the file's own name, before the File Name option renames it; a file left out still says so.
			const reason = leftOutBy(options.filter, file);
			if (reason) {
				results.push({
					...file.origin,
					fileName: file.fileName,
					mimeType: file.mimeType,
					size: file.size,
					leftOut: true,
					reason: `left out by the File Filter: ${reason}`,
				});
				continue;
			}
			const name = fileName(
				node,
				options.fileName || file.fileName,
				options.fileName ? option('fileName') : `file name of ${file.describe}`,
			);
			notEmpty(
				node,
				file.size,
				'binaryPropertyName' in file.origin && !('sourceNode' in file.origin)
					? `in ${file.describe}`
					: `(${file.describe})`,
				name,
			);
			current = name;
			results.push(await place({ ...file, fileName: name }));
		}
	} catch (error) {
		const stop = stopDetails(error);
		if (stop && !stop.outcome && current)
			return { itemIndex, error: withOutcome(node, error, notDone(current)), partial: results };
		return { itemIndex, error: error as Error, partial: results };
	}
	return { itemIndex, json: results };
}

/**
 * Operation.filed for Upload File and Stage File: how many files the items name, counted before anything is sent
 * (for a tool call's Limits); an item whose files cannot be named counts none.
 */
export function filed(this: IExecuteFunctions, items: number[], run: Run): Filed {
	let count = 0;
	for (const itemIndex of items) {
		try {
			count += pendingFiles(this, itemIndex, fileOptions(this, itemIndex), run.limits).length;
		} catch {
			// The item fails with its own error when it runs.
		}
	}
	return { count, what: 'files' };
}
