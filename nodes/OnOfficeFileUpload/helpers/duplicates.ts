// When a file or link counts as already on a record (On Duplicate), decided on what `get file` lists.
import type { RecordFile } from '../types';

export const ON_DUPLICATE = {
	uploadAnyway: 'uploadAnyway',
	skip: 'skip',
	replace: 'replace',
} as const;
export type OnDuplicate = (typeof ON_DUPLICATE)[keyof typeof ON_DUPLICATE];

/** Skip: a file with the same original name and the same size. */
export function sameFile(existing: RecordFile, fileName: string, size: number): boolean {
	return !existing.url && existing.originalname === fileName && existing.fileSize === size;
}

/** Replace: files with the same original name, whatever their size, first on the Files tab first. */
export function filesNamed(files: RecordFile[], fileName: string): RecordFile[] {
	return files
		.filter((f) => !f.url && f.originalname === fileName)
		.sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.fileId - b.fileId);
}

/**
 * A URL in the form links are compared in: scheme and host lower-cased (they are case-insensitive), the default
 * port dropped, and no trailing slash on the path. Path, query and fragment keep their case. Not a URL: trimmed as is.
 */
export function normaliseUrl(url: string): string {
	const text = url.trim();
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		return text;
	}
	const path = parsed.pathname.replace(/\/+$/, '');
	return `${parsed.protocol}//${parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : ''}${parsed.host}${path}${parsed.search}${parsed.hash}`;
}

/** Links with the same URL, normalised, first on the Files tab first. */
export function linksTo(files: RecordFile[], url: string): RecordFile[] {
	const wanted = normaliseUrl(url);
	return files
		.filter((f) => f.url !== undefined && normaliseUrl(f.url) === wanted)
		.sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.fileId - b.fileId);
}
