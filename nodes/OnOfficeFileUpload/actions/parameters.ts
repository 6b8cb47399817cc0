// The node's parameters read and checked before anything is sent: each value as onOffice needs it, or a problem that
// names the field and says what to write. The item is named by the router (./itemErrors).
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import {
	blockBytes,
	DEFAULT_BLOCK_SIZE_KIB,
	halveBlock,
	MAX_BLOCK_SIZE_KIB,
	MiB,
	MIN_BLOCK_SIZE_KIB,
} from '../helpers/blocks';
import { NO_FILTER, parseFileFilter, type FileFilter } from '../helpers/fileFilter';
import {
	AUTO_BY_NAME_FILE_TYPE,
	AUTO_FILE_TYPE,
	DOCUMENT_VALUES,
	LINK_VALUES,
	PICTURE_VALUES,
} from '../helpers/fileTypes';
import type { UploadOptions } from '../resources/staging';
import { DEFAULT_SEND_OPTIONS, type SendAdvice, type SendOptions } from '../transport/http';
import { field, FIELD, option } from './fields';
import { fail } from './itemErrors';

/** The record id as onOffice wants it: a positive whole number (record number, not customer number). */
export function recordId(node: INode, value: unknown, what: string): number {
	const text = typeof value === 'string' ? value.trim() : value;
	const n = typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : text;
	if (text === '' || text === undefined || text === null) {
		fail(
			node,
			`the ${field('relatedRecordId')} is empty`,
			`Enter the record number of the ${what} the file belongs to (a whole number such as 409), or map it from an earlier node.`,
		);
	}
	if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
		fail(
			node,
			`the ${field('relatedRecordId')} must be a positive whole number, got ${JSON.stringify(value)}`,
			`Use the ${what}'s record number (Datensatznummer) from onOffice, e.g. 409 — not a customer number or a name.`,
		);
	}
	return n;
}

/** The estate file type: a picture or document type, "auto" or "autoByName"; link types belong to Add Link. */
export function fileTypeForUpload(node: INode, value: unknown): string {
	const art = typeof value === 'string' ? value.trim() : '';
	if (art === '') {
		fail(
			node,
			`the ${field('fileType')} is empty, and onOffice needs one for estate files`,
			'Choose a file type such as Foto or Dokument, or "Automatic" to use Foto for images and Dokument for other files.',
		);
	}
	if (LINK_VALUES.includes(art)) {
		fail(
			node,
			`"${art}" is a link type and cannot be used for an uploaded file (${field('fileType')})`,
			'Use the Add Link operation for links, or choose a picture or document type.',
		);
	}
	if (
		art !== AUTO_FILE_TYPE &&
		art !== AUTO_BY_NAME_FILE_TYPE &&
		!PICTURE_VALUES.includes(art) &&
		!DOCUMENT_VALUES.includes(art)
	) {
		fail(
			node,
			`"${art}" is not an onOffice file type (${field('fileType')})`,
			`Use one of: ${[...PICTURE_VALUES, ...DOCUMENT_VALUES].join(', ')}.`,
		);
	}
	return art;
}

export function fileTypeForLink(node: INode, value: unknown): string {
	const art = typeof value === 'string' ? value.trim() : '';
	if (!LINK_VALUES.includes(art)) {
		const isFileType = PICTURE_VALUES.includes(art) || DOCUMENT_VALUES.includes(art);
		fail(
			node,
			isFileType
				? `"${art}" is a file type and cannot be used for a link (${field('linkType')})`
				: `"${art}" is not an onOffice link type (${field('linkType')})`,
			`Use one of: ${LINK_VALUES.join(', ')}. To upload a file, use the Upload File operation.`,
		);
	}
	return art;
}

export function linkUrl(node: INode, value: unknown): string {
	return httpUrl(
		node,
		value,
		field('url'),
		'the link',
		'onOffice links open in a browser: enter a web address starting with https:// (or http://).',
	);
}

export function fileUrl(node: INode, value: unknown): string {
	return httpUrl(
		node,
		value,
		field('fileUrl'),
		'the file to upload, e.g. https://example.com/expose.pdf',
	);
}

/** An http or https address in `where` (`field "URL"`); `what` says in words what it is the address of. */
function httpUrl(node: INode, value: unknown, where: string, what: string, why?: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '')
		fail(
			node,
			`the ${where} is empty`,
			`Enter the full address of ${what}, starting with https:// (or http://).`,
		);
	let parsed: URL | undefined;
	try {
		parsed = new URL(text);
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
		fail(
			node,
			`the ${where} must be an http or https address, got "${text.slice(0, 100)}"`,
			why ?? `Enter the full address of ${what}, starting with https:// (or http://).`,
		);
	}
	return text;
}

/** File names onOffice stores: not empty, no path separators or control characters, at most 255 bytes. */
export function fileName(node: INode, value: string, where: string): string {
	const name = value.trim();
	if (name === '')
		fail(
			node,
			`the file name is empty (${where})`,
			`Set the "${FIELD.fileName}" option, or give the binary data a file name in the node before.`,
		);
	if (/[/\\]/.test(name))
		fail(
			node,
			`the file name "${name}" contains a path separator (${where})`,
			'Use a plain file name such as "expose.pdf" without folders.',
		);
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f]/.test(name))
		fail(
			node,
			`the file name contains control characters (${where})`,
			'Remove line breaks and other control characters from the file name.',
		);
	if (Buffer.byteLength(name, 'utf8') > 255)
		fail(
			node,
			`the file name is ${Buffer.byteLength(name, 'utf8')} bytes long; onOffice allows 255 (${where})`,
			`Shorten the file name, e.g. with the "${FIELD.fileName}" option.`,
		);
	return name;
}

export function blockSizeKiB(node: INode, value: unknown): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (
		typeof n !== 'number' ||
		!Number.isFinite(n) ||
		n < MIN_BLOCK_SIZE_KIB ||
		n > MAX_BLOCK_SIZE_KIB
	) {
		fail(
			node,
			`the ${option('blockSize')} must be a number from ${MIN_BLOCK_SIZE_KIB} to ${MAX_BLOCK_SIZE_KIB}, got ${JSON.stringify(value)}`,
			`Leave it at the default (${DEFAULT_BLOCK_SIZE_KIB} KiB) unless the server refuses large requests; then lower it.`,
		);
	}
	return n;
}

/** `where`: `in binary property "data"`, `(file "a.pdf" of node "Chat")`, `(the file at https://…)`. */
export function notEmpty(node: INode, size: number, where: string, name: string): void {
	if (size === 0) {
		fail(
			node,
			`the file "${name}" ${where} is empty (0 bytes)`,
			'onOffice does not store empty files: check the node that produced it (e.g. a download that failed).',
		);
	}
}

/** Max File Size (MiB) of a file at a URL, as a number of bytes. */
export function maxFileBytes(node: INode, value: unknown, defaultMiB: number): number {
	const maxMiB = Number(value);
	if (!Number.isFinite(maxMiB) || maxMiB <= 0) {
		fail(
			node,
			`the ${field('maxFileSize')} must be a positive number, got ${JSON.stringify(maxMiB)}`,
			`Leave it at ${defaultMiB} unless larger files are meant to be uploaded.`,
		);
	}
	return Math.floor(maxMiB * MiB);
}

/**
 * Which binary properties of an item to upload: every one, or a comma-separated list of names. Names that the item
 * lacks are a problem that lists the names it has.
 */
export function binaryPropertyNames(
	node: INode,
	binary: IDataObject,
	allProperties: boolean,
	names: string,
): string[] {
	const available = Object.keys(binary);
	const listing = available.length
		? `Its binary properties are: ${available.join(', ')}.`
		: 'It has no binary data at all: the node before this one must output a file (check its Binary tab).';
	if (allProperties) {
		if (available.length === 0)
			fail(node, 'has no binary data to upload', listing, { aboutTheItem: true });
		return available;
	}
	const wanted = names
		.split(',')
		.map((n) => n.trim())
		.filter((n) => n !== '');
	if (wanted.length === 0) {
		fail(
			node,
			`the ${field('binaryPropertyName')} is empty`,
			`Enter the name of the binary property that holds the file (usually "data"). ${listing}`,
		);
	}
	const missing = wanted.filter((n) => !(n in binary));
	if (missing.length > 0) {
		// A wrong name (data vs attachment_0) is the most common mistake: the message itself names what is there.
		const has = available.length
			? `it has ${available.map((n) => `"${n}"`).join(', ')}`
			: 'it has no binary data at all';
		fail(
			node,
			`has no binary property "${missing.join('", "')}" (${field('binaryPropertyName')}); ${has}`,
			available.length
				? `${listing} Enter one of them, or turn on "${FIELD.uploadAllBinaryProperties}".`
				: listing,
			{ aboutTheItem: true },
		);
	}
	return wanted;
}

/** What the file operations' options say of how to send, and what to say when a request is too large or too slow. */
const FILE_ADVICE: SendAdvice = {
	tooLarge: {
		message: 'Lower the Block Size option',
		hint: 'Set the Block Size option lower, e.g. 1024 KiB.',
	},
	timeout: {
		message: 'Raise the Timeout option or lower the Block Size',
		hint: 'Raise the Timeout option, or lower the Block Size so that each request is smaller.',
	},
	slowDown: 'Lower the Concurrency option or run the workflow later.',
};

/** Add Link has no blocks and no concurrency: a request too large holds too many links. */
export const LINK_ADVICE: SendAdvice = {
	tooLarge: {
		message: 'Lower the Batch Size option',
		hint: 'Set the Batch Size option lower, e.g. 10.',
	},
	timeout: {
		message: 'Raise the Timeout option or lower the Batch Size',
		hint: 'Raise the Timeout option, or lower the Batch Size so that each request is smaller.',
	},
	slowDown: 'Run the workflow later.',
};

/** Retries, Retry Delay and Timeout of an operation's Options. */
export function sendOptions(
	options: IDataObject,
	advice: SendAdvice = FILE_ADVICE,
): Partial<SendOptions> {
	return {
		retries: Number(options.retries ?? DEFAULT_SEND_OPTIONS.retries),
		retryDelayMs: Number(options.retryDelay ?? DEFAULT_SEND_OPTIONS.retryDelayMs),
		timeoutMs:
			options.timeout === undefined
				? DEFAULT_SEND_OPTIONS.timeoutMs
				: Number(options.timeout) * 1000,
		advice,
	};
}

/** What the file operations' Options say: the name to store files under, the File Filter, how to send blocks. */
export interface FileOptions {
	fileName: string;
	filter: FileFilter;
	upload: UploadOptions;
}

export function fileOptions(ctx: IExecuteFunctions, itemIndex: number): FileOptions {
	const node = ctx.getNode();
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const kib = blockSizeKiB(node, options.blockSize ?? DEFAULT_BLOCK_SIZE_KIB);
	const rules = (options.fileFilter as IDataObject | undefined)?.rules as IDataObject | undefined;
	const filter = rules ? parseFileFilter(rules) : NO_FILTER;
	if ('problem' in filter)
		fail(
			node,
			`${filter.problem} (${option('fileFilter')})`,
			'Correct the File Filter rules in the Options.',
		);
	return {
		fileName: typeof options.fileName === 'string' ? options.fileName.trim() : '',
		filter: filter as FileFilter,
		upload: {
			bytesPerBlock: blockBytes(kib),
			send: sendOptions(options),
			smallerBlock: halveBlock,
		},
	};
}

/** The file operations' Concurrency option (read from the first item: the items share one pool). */
export function concurrency(ctx: IExecuteFunctions): number {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return Math.max(1, Math.floor(Number(options.concurrency ?? 1)));
}
