// A record's files and links as onOffice lists them (`get file`, estates and addresses): read page by page, read once
// per run of the node and kept up to date with what that run adds and removes, and which files arrived since a moment.
import type { IDataObject } from 'n8n-workflow';

import { sendAction } from '../transport';
import { buildAction } from '../transport/actions';
import type { OnOfficeRecord } from '../transport/envelope';
import type { OnOfficeContext, SendOptions } from '../transport/http';
import type { RecordFile } from '../types';

/** Modules whose files can be read back (get file). onOffice documents no read for agents-log entries and tasks. */
const READABLE_MODULES: Record<string, { resourceid: string; idParameter: string }> = {
	estate: { resourceid: 'estate', idParameter: 'estateid' },
	address: { resourceid: 'address', idParameter: 'addressid' },
};

export function canReadFiles(module: string): boolean {
	return module in READABLE_MODULES;
}

/** onOffice lists at most 100 files per request. */
const PAGE_SIZE = 100;
/** A record with more files than this is read only this far (50 requests). */
const MAX_FILES = 5000;
/** How far onOffice lets a request's timestamp differ from its own clock, either way. */
const ACCEPTED_CLOCK_DIFFERENCE_MS = 120_000;

export interface RecordListing {
	files: RecordFile[];
	/** The server's clock minus this machine's, in ms, from the HTTP Date header of the first answer. */
	clockOffsetMs?: number;
}

function toRecordFile(record: OnOfficeRecord): RecordFile {
	const e = (
		record.elements && !Array.isArray(record.elements) ? record.elements : {}
	) as IDataObject;
	const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
	return {
		fileId: Number(record.id),
		originalname: String(e.originalname ?? e.name ?? ''),
		fileSize: Number(e.fileSize ?? 0),
		modified: Number(e.modified ?? 0),
		type: text(e.type),
		url: text(e.url),
		title: text(e.title),
		position: e.position === undefined || e.position === null ? undefined : Number(e.position),
		documentAttribute: text(e.documentAttribute),
	};
}

/** A record's files and links, page by page, read now. */
export async function readRecordFiles(
	ctx: OnOfficeContext,
	module: string,
	recordId: number,
	send: Partial<SendOptions>,
	doing: string,
): Promise<RecordListing> {
	const readable = READABLE_MODULES[module];
	const files: RecordFile[] = [];
	let clockOffsetMs: number | undefined;
	for (let offset = 0; offset < MAX_FILES; offset += PAGE_SIZE) {
		const action = buildAction(
			'get',
			'file',
			{ [readable.idParameter]: recordId, listlimit: PAGE_SIZE, listoffset: offset },
			{ resourceid: readable.resourceid, identifier: 'files' },
		);
		const onServerDate =
			offset === 0 ? (date: Date) => (clockOffsetMs = date.getTime() - Date.now()) : undefined;
		const { records, total } = await sendAction(ctx, action, { ...send, doing, onServerDate });
		for (const record of records) files.push(toRecordFile(record));
		if (records.length < PAGE_SIZE || (total !== null && offset + PAGE_SIZE >= total)) break;
	}
	return { files, clockOffsetMs };
}

/**
 * The files matching `matches` that reached the record after `startedAtMs` (this machine's clock), newest first.
 * `modified` is the server's clock, so the start is moved onto it by the difference its Date header shows: the
 * check holds however far the clocks differ. Files known to be there before (`knownBefore`) are never taken for new.
 * Without a Date header the start moves back by the whole difference onOffice accepts.
 */
export async function filesArrivedSince(
	ctx: OnOfficeContext,
	module: string,
	recordId: number,
	startedAtMs: number,
	matches: (file: RecordFile) => boolean,
	send: Partial<SendOptions>,
	options: { doing: string; knownBefore?: Set<number> },
): Promise<RecordFile[]> {
	const { files, clockOffsetMs } = await readRecordFiles(
		ctx,
		module,
		recordId,
		send,
		options.doing,
	);
	const since =
		clockOffsetMs === undefined
			? startedAtMs - ACCEPTED_CLOCK_DIFFERENCE_MS
			: startedAtMs + clockOffsetMs;
	// Both `modified` and the Date header have whole seconds.
	const sinceS = Math.floor(since / 1000) - 1;
	return files
		.filter((f) => matches(f) && f.modified >= sinceS && !options.knownBefore?.has(f.fileId))
		.sort((a, b) => b.fileId - a.fileId);
}

/**
 * The files of the records one run of the node touches: each record read once, page by page, then kept up to date
 * with what the run itself adds and removes, so that two items with the same attachment upload it once. One instance
 * per run (the router makes it): the next run (a loop's next batch, the next tool call) reads afresh.
 */
export class RecordFileIndex {
	private readonly reads = new Map<string, Promise<RecordFile[]>>();
	private readonly lists = new Map<string, RecordFile[]>();
	private readonly queues = new Map<string, Promise<unknown>>();

	constructor(private readonly ctx: OnOfficeContext) {}

	/** The record's files as this execution knows them; the first call reads them (a failed read is not kept). */
	async files(module: string, recordId: number, send: Partial<SendOptions>): Promise<RecordFile[]> {
		const key = `${module}:${recordId}`;
		let read = this.reads.get(key);
		if (!read) {
			read = readRecordFiles(
				this.ctx,
				module,
				recordId,
				send,
				`reading the files of ${module} ${recordId}`,
			).then((listing) => {
				this.lists.set(key, listing.files);
				return listing.files;
			});
			this.reads.set(key, read);
			read.catch(() => this.reads.delete(key));
		}
		await read;
		return this.lists.get(key) ?? [];
	}

	/** The ids on the record as far as this execution read and changed it; undefined where it was not read. */
	knownIds(module: string, recordId: number): Set<number> | undefined {
		const list = this.lists.get(`${module}:${recordId}`);
		return list ? new Set(list.map((f) => f.fileId)) : undefined;
	}

	added(module: string, recordId: number, file: RecordFile): void {
		const list = this.lists.get(`${module}:${recordId}`);
		if (list && !list.some((f) => f.fileId === file.fileId)) list.push(file);
	}

	removed(module: string, recordId: number, fileIds: number[]): void {
		const key = `${module}:${recordId}`;
		const list = this.lists.get(key);
		if (list)
			this.lists.set(
				key,
				list.filter((f) => !fileIds.includes(f.fileId)),
			);
	}

	/** One decision at a time per key (a file name or URL on a record): an item with the same file waits for the one before. */
	serially<T>(key: string, run: () => Promise<T>): Promise<T> {
		const next = (this.queues.get(key) ?? Promise.resolve()).then(run, run);
		this.queues.set(
			key,
			next.catch(() => undefined),
		);
		return next;
	}
}
