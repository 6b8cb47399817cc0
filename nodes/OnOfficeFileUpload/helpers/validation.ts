import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { AUTO_BY_NAME_FILE_TYPE, AUTO_FILE_TYPE, DOCUMENT_VALUES, LINK_VALUES, PICTURE_VALUES } from './fileTypes';
import { MAX_BLOCK_SIZE_KIB } from './blocks';

export function fail(ctx: IExecuteFunctions, itemIndex: number, message: string, description: string): never {
	throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${message}`, { itemIndex, description });
}

/** The record id as onOffice wants it: a positive whole number (record number, not customer number). */
export function recordId(ctx: IExecuteFunctions, itemIndex: number, value: unknown, what: string): number {
	const text = typeof value === 'string' ? value.trim() : value;
	const n = typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : text;
	if (text === '' || text === undefined || text === null) {
		fail(ctx, itemIndex, 'the field "Related Record ID" is empty', `Enter the record number of the ${what} the file belongs to (a whole number such as 409), or map it from an earlier node.`);
	}
	if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
		fail(
			ctx,
			itemIndex,
			`the field "Related Record ID" must be a positive whole number, got ${JSON.stringify(value)}`,
			`Use the ${what}'s record number (Datensatznummer) from onOffice, e.g. 409 — not a customer number or a name.`,
		);
	}
	return n;
}

/** The estate file type: a picture or document type, "auto" or "autoByName"; link types belong to Add Link. */
export function fileTypeForUpload(ctx: IExecuteFunctions, itemIndex: number, value: unknown): string {
	const art = typeof value === 'string' ? value.trim() : '';
	if (art === '') {
		fail(ctx, itemIndex, 'the field "File Type" is empty, and onOffice needs one for estate files', 'Choose a file type such as Foto or Dokument, or "Automatic" to use Foto for images and Dokument for other files.');
	}
	if (LINK_VALUES.includes(art)) {
		fail(ctx, itemIndex, `"${art}" is a link type and cannot be used for an uploaded file (field "File Type")`, 'Use the Add Link operation for links, or choose a picture or document type.');
	}
	if (art !== AUTO_FILE_TYPE && art !== AUTO_BY_NAME_FILE_TYPE && !PICTURE_VALUES.includes(art) && !DOCUMENT_VALUES.includes(art)) {
		fail(ctx, itemIndex, `"${art}" is not an onOffice file type (field "File Type")`, `Use one of: ${[...PICTURE_VALUES, ...DOCUMENT_VALUES].join(', ')}.`);
	}
	return art;
}

export function fileTypeForLink(ctx: IExecuteFunctions, itemIndex: number, value: unknown): string {
	const art = typeof value === 'string' ? value.trim() : '';
	if (!LINK_VALUES.includes(art)) {
		const isFileType = PICTURE_VALUES.includes(art) || DOCUMENT_VALUES.includes(art);
		fail(
			ctx,
			itemIndex,
			isFileType
				? `"${art}" is a file type and cannot be used for a link (field "Link Type")`
				: `"${art}" is not an onOffice link type (field "Link Type")`,
			`Use one of: ${LINK_VALUES.join(', ')}. To upload a file, use the Upload File operation.`,
		);
	}
	return art;
}

export function linkUrl(ctx: IExecuteFunctions, itemIndex: number, value: unknown): string {
	return httpUrl(ctx, itemIndex, value, 'URL', 'the link', 'onOffice links open in a browser: enter a web address starting with https:// (or http://).');
}

/** An http or https address in the field `field`; `what` says in words what it is the address of. */
export function httpUrl(ctx: IExecuteFunctions, itemIndex: number, value: unknown, field: string, what: string, why?: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') fail(ctx, itemIndex, `the field "${field}" is empty`, `Enter the full address of ${what}, starting with https:// (or http://).`);
	let parsed: URL | undefined;
	try {
		parsed = new URL(text);
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
		fail(ctx, itemIndex, `the field "${field}" must be an http or https address, got "${text.slice(0, 100)}"`, why ?? `Enter the full address of ${what}, starting with https:// (or http://).`);
	}
	return text;
}

/** File names onOffice stores: not empty, no path separators or control characters, at most 255 bytes. */
export function fileName(ctx: IExecuteFunctions, itemIndex: number, value: string, field: string): string {
	const name = value.trim();
	if (name === '') fail(ctx, itemIndex, `the file name is empty (${field})`, 'Set the "File Name" option, or give the binary data a file name in the node before.');
	if (/[/\\]/.test(name)) fail(ctx, itemIndex, `the file name "${name}" contains a path separator (${field})`, 'Use a plain file name such as "expose.pdf" without folders.');
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f]/.test(name)) fail(ctx, itemIndex, `the file name contains control characters (${field})`, 'Remove line breaks and other control characters from the file name.');
	if (Buffer.byteLength(name, 'utf8') > 255) fail(ctx, itemIndex, `the file name is ${Buffer.byteLength(name, 'utf8')} bytes long; onOffice allows 255 (${field})`, 'Shorten the file name, e.g. with the "File Name" option.');
	return name;
}

export function blockSizeKiB(ctx: IExecuteFunctions, itemIndex: number, value: unknown): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || n < 3 || n > MAX_BLOCK_SIZE_KIB) {
		fail(ctx, itemIndex, `the option "Block Size (KiB)" must be a number from 3 to ${MAX_BLOCK_SIZE_KIB}, got ${JSON.stringify(value)}`, 'Leave it at the default (4096 KiB) unless the server refuses large requests; then lower it.');
	}
	return n;
}

/** `where`: `in binary property "data"`, `(file "a.pdf" of node "Chat")`, `(the file at https://…)`. */
export function notEmpty(ctx: IExecuteFunctions, itemIndex: number, size: number, where: string, name: string): void {
	if (size === 0) {
		fail(ctx, itemIndex, `the file "${name}" ${where} is empty (0 bytes)`, 'onOffice does not store empty files: check the node that produced it (e.g. a download that failed).');
	}
}
