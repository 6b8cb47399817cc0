// do uploadfile: the blocks of step 1, step 2 that files the upload on a record (or stages it as tmpUpload), and
// the link that needs no upload.
import { randomUUID } from 'crypto';

import {
	ActionError,
	DOCUMENT_TYPES,
	ESTATE_ONLY_PARAMETERS,
	LINK_TYPES,
	MODULES,
	PICTURE_TYPES,
} from '../contract';
import type { SandboxStore, StoredFile } from '../store';
import {
	bool,
	integer,
	present,
	requireParam,
	unknownRecordCode,
	type ActionResult,
	type Params,
} from './action';

export type UploadStep = 'firstBlock' | 'block' | 'step2' | 'link';

/** Which step of an upload an action is; undefined for any other resource type. */
export function uploadStep(resourcetype: string, p: Params): UploadStep | undefined {
	if (resourcetype !== 'uploadfile') return undefined;
	// "Do not specify data together with the parameters of the second step, otherwise the second step will not be
	// performed": a request with data is a block of step 1, whatever else it carries.
	if (p.data !== undefined) return p.tmpUploadId ? 'block' : 'firstBlock';
	if (present(p, 'url')) return 'link';
	return 'step2';
}

// Linear on purpose: a grouped pattern like (?:[A-Za-z0-9+/]{4})* overflows the regex stack on multi-MB blocks.
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

function isStrictBase64(text: string): boolean {
	return text.length % 4 === 0 && BASE64_CHARS.test(text);
}

/** Valid file names: not empty, no path separators or control characters, at most 255 bytes of UTF-8. */
export function validFileName(name: string): boolean {
	return (
		name.trim() !== '' &&
		// eslint-disable-next-line no-control-regex
		!/[/\\\u0000-\u001f]/.test(name) &&
		name !== '.' &&
		name !== '..' &&
		Buffer.byteLength(name, 'utf8') <= 255
	);
}

function decodeBlock(data: unknown): Buffer {
	if (typeof data !== 'string') throw new ActionError(236);
	// Every block is decoded on its own, so every block must be complete, padded base64.
	if (!isStrictBase64(data)) throw new ActionError(255, 'data');
	return Buffer.from(data, 'base64');
}

export function uploadfile(store: SandboxStore, p: Params): ActionResult {
	const step = uploadStep('uploadfile', p);
	if (step === 'firstBlock' || step === 'block') return uploadBlock(store, p);
	if (step === 'link') return uploadLink(store, p);
	return linkUpload(store, p);
}

function uploadBlock(store: SandboxStore, p: Params): ActionResult {
	const bytes = decodeBlock(p.data);
	let tmpUploadId: string | undefined;
	if (present(p, 'tmpUploadId')) {
		tmpUploadId = String(p.tmpUploadId);
		const existing = store.tmpUploads.get(tmpUploadId);
		if (!existing || existing.used) throw new ActionError(129);
	}
	const upload = store.appendBlock(tmpUploadId, bytes);
	return {
		records: [{ id: 0, type: '', elements: { filesize: upload.size, tmpUploadId: upload.id } }],
	};
}

/** A stored file or link: what the request says of it (title, free text, flags) plus what the handler knows. */
function newFile(
	store: SandboxStore,
	p: Params,
	known: Pick<
		StoredFile,
		'module' | 'relatedRecordId' | 'fileName' | 'size' | 'sha256' | 'blocks'
	> &
		Partial<StoredFile>,
): StoredFile {
	return {
		fileId: store.nextId(),
		title: present(p, 'title') ? String(p.title) : undefined,
		freetext: present(p, 'freetext') ? String(p.freetext) : undefined,
		setDefaultPublicationRights: bool(p.setDefaultPublicationRights),
		position: 0,
		modified: store.now(),
		...known,
	};
}

function uploadLink(store: SandboxStore, p: Params): ActionResult {
	const module = String(requireParam(p, 'module'));
	if (module !== 'estate') throw new ActionError(163);
	const art = String(requireParam(p, 'Art'));
	if (!LINK_TYPES.includes(art)) throw new ActionError(162);
	const url = String(p.url);
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new ActionError(255, 'url');
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
		throw new ActionError(255, 'url');
	const relatedRecordId = integer(p, 'relatedRecordId');
	if (!store.hasRecord('estate', relatedRecordId)) throw new ActionError(293);
	const file = newFile(store, p, {
		module: 'estate',
		relatedRecordId,
		fileName: '',
		art,
		url,
		size: 0,
		sha256: '',
		blocks: 0,
	});
	store.place(file, present(p, 'position') ? integer(p, 'position') : undefined);
	return {
		records: [{ id: 0, type: '', elements: { fileId: String(file.fileId), success: 'success' } }],
	};
}

function linkUpload(store: SandboxStore, p: Params): ActionResult {
	const tmpUploadId = String(requireParam(p, 'tmpUploadId'));
	const module = String(requireParam(p, 'module'));
	if (!MODULES.includes(module)) throw new ActionError(163);
	const upload = store.tmpUploads.get(tmpUploadId);
	if (!upload || upload.used) throw new ActionError(129);
	if (!present(p, 'file')) throw new ActionError(114);
	const fileName = String(p.file);
	if (!validFileName(fileName)) throw new ActionError(213);

	if (module === 'tmpUpload') {
		const { sha256 } = store.consume(upload);
		const cacheFileUuid = randomUUID();
		store.cache.push({
			cacheFileUuid,
			tmpUploadId,
			fileName,
			title: present(p, 'title') ? String(p.title) : undefined,
			size: upload.size,
			sha256,
			blocks: upload.blocks,
		});
		return {
			records: [
				{
					id: 0,
					type: '',
					elements: { filesize: upload.size, tmpUploadId, cacheFileUuid, success: 'success' },
				},
			],
		};
	}

	const relatedRecordId = integer(p, 'relatedRecordId');
	if (!store.hasRecord(module, relatedRecordId)) throw new ActionError(unknownRecordCode(module));
	let art: string | undefined;
	let documentAttribute: string | undefined;
	if (module === 'estate') {
		art = String(requireParam(p, 'Art'));
		if (!PICTURE_TYPES.includes(art) && !DOCUMENT_TYPES.includes(art)) throw new ActionError(162);
		if (present(p, 'documentAttribute')) {
			documentAttribute = String(p.documentAttribute);
			if (!(documentAttribute in store.documentAttributes))
				throw new ActionError(77, documentAttribute);
			const taken = store
				.filesOf('estate', relatedRecordId)
				.some((f) => f.documentAttribute === documentAttribute);
			if (taken) throw new ActionError(161);
		}
		if (
			art === 'Titelbild' &&
			store.filesOf('estate', relatedRecordId).some((f) => f.art === 'Titelbild')
		) {
			throw new ActionError(239);
		}
		if (bool(p.applyWaterMark) && !PICTURE_TYPES.includes(art))
			throw new ActionError(255, 'applyWaterMark');
	} else {
		const misplaced = ESTATE_ONLY_PARAMETERS.find((key) => p[key] !== undefined && p[key] !== null);
		if (misplaced) throw new ActionError(144, misplaced);
	}
	const position =
		module === 'estate' && present(p, 'position') ? integer(p, 'position') : undefined;
	const { sha256, content } = store.consume(upload);
	const file = newFile(store, p, {
		module: module as StoredFile['module'],
		relatedRecordId,
		fileName,
		art,
		documentAttribute,
		applyWaterMark: bool(p.applyWaterMark),
		size: upload.size,
		sha256,
		blocks: upload.blocks,
		content,
	});
	store.place(file, position);
	return {
		records: [
			{
				id: 0,
				type: '',
				elements: {
					filesize: upload.size,
					tmpUploadId,
					fileId: String(file.fileId),
					success: 'success',
				},
			},
		],
	};
}
