import { randomUUID } from 'crypto';

import {
	ACTION,
	ActionError,
	DOCUMENT_TYPES,
	ESTATE_ONLY_PARAMETERS,
	LINK_TYPES,
	MODULES,
	PICTURE_TYPES,
} from './contract';
import type { SandboxStore, StoredFile } from './store';

export interface ActionResult {
	records: Array<{ id: number | string; type: string | null; elements: unknown }>;
	cntabsolute?: number | null;
}

type Params = Record<string, unknown>;

// Linear on purpose: a grouped pattern like (?:[A-Za-z0-9+/]{4})* overflows the regex stack on multi-MB blocks.
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;

function isStrictBase64(text: string): boolean {
	return text.length % 4 === 0 && BASE64_CHARS.test(text);
}

function present(p: Params, key: string): boolean {
	return p[key] !== undefined && p[key] !== null && p[key] !== '';
}

function requireParam(p: Params, key: string): unknown {
	if (!present(p, key)) throw new ActionError(167, key);
	return p[key];
}

/** onOffice accepts integers and their string form ("97") for ids. */
function integer(p: Params, key: string): number {
	const value = requireParam(p, key);
	const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n)) throw new ActionError(228, key);
	return n;
}

function bool(value: unknown): boolean | undefined {
	if (value === undefined || value === null) return undefined;
	return value === true || value === 1 || value === '1' || value === 'true';
}

function unknownRecordCode(module: string): number {
	return module === 'estate' ? 293 : module === 'address' ? 292 : 80;
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
	// "Do not specify data together with the parameters of the second step, otherwise the second step will not be
	// performed": a request with data is a block of step 1, whatever else it carries.
	if (p.data !== undefined) {
		const bytes = decodeBlock(p.data);
		let tmpUploadId: string | undefined;
		if (present(p, 'tmpUploadId')) {
			tmpUploadId = String(p.tmpUploadId);
			const existing = store.tmpUploads.get(tmpUploadId);
			if (!existing || existing.used) throw new ActionError(129);
		}
		const upload = store.appendBlock(tmpUploadId, bytes);
		return { records: [{ id: 0, type: '', elements: { filesize: upload.size, tmpUploadId: upload.id } }] };
	}
	if (present(p, 'url')) return uploadLink(store, p);
	return linkUpload(store, p);
}

/** A stored file or link: what the request says of it (title, free text, flags) plus what the handler knows. */
function newFile(
	store: SandboxStore,
	p: Params,
	known: Pick<StoredFile, 'module' | 'relatedRecordId' | 'fileName' | 'size' | 'sha256' | 'blocks'> & Partial<StoredFile>,
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
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ActionError(255, 'url');
	const relatedRecordId = integer(p, 'relatedRecordId');
	if (!store.hasRecord('estate', relatedRecordId)) throw new ActionError(293);
	const file = newFile(store, p, { module: 'estate', relatedRecordId, fileName: '', art, url, size: 0, sha256: '', blocks: 0 });
	store.place(file, present(p, 'position') ? integer(p, 'position') : undefined);
	return { records: [{ id: 0, type: '', elements: { fileId: String(file.fileId), success: 'success' } }] };
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
				{ id: 0, type: '', elements: { filesize: upload.size, tmpUploadId, cacheFileUuid, success: 'success' } },
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
			if (!(documentAttribute in store.documentAttributes)) throw new ActionError(77, documentAttribute);
			const taken = store
				.filesOf('estate', relatedRecordId)
				.some((f) => f.documentAttribute === documentAttribute);
			if (taken) throw new ActionError(161);
		}
		if (art === 'Titelbild' && store.filesOf('estate', relatedRecordId).some((f) => f.art === 'Titelbild')) {
			throw new ActionError(239);
		}
		if (bool(p.applyWaterMark) && !PICTURE_TYPES.includes(art)) throw new ActionError(255, 'applyWaterMark');
	} else {
		const misplaced = ESTATE_ONLY_PARAMETERS.find((key) => p[key] !== undefined && p[key] !== null);
		if (misplaced) throw new ActionError(144, misplaced);
	}
	const position = module === 'estate' && present(p, 'position') ? integer(p, 'position') : undefined;
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
				elements: { filesize: upload.size, tmpUploadId, fileId: String(file.fileId), success: 'success' },
			},
		],
	};
}

function extension(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot) : '';
}

function estateFileElements(file: StoredFile, withContent: boolean): Record<string, unknown> {
	const uuid = `sandbox-${file.fileId}`;
	return {
		type: file.art ?? '',
		...(file.url ? { url: file.url } : {}),
		documentAttribute: file.documentAttribute ?? null,
		position: file.position,
		title: file.title ?? '',
		name: uuid,
		originalname: file.fileName,
		freetext: file.freetext ?? '',
		filename: `${uuid}${extension(file.fileName)}`,
		fileSize: file.size,
		modified: file.modified,
		category: file.art === 'Dokument' ? 'internal' : 'external',
		...(withContent && file.content ? { content: file.content.toString('base64') } : {}),
	};
}

function addressFileElements(file: StoredFile, withContent: boolean): Record<string, unknown> {
	const uuid = `sandbox-${file.fileId}`;
	return {
		type: file.art ?? 'Dokument',
		name: file.fileName,
		originalname: file.fileName,
		filename: `${uuid}${extension(file.fileName)}`,
		fileSize: file.size,
		modified: file.modified,
		date: new Date(file.modified * 1000).toISOString().slice(0, 10),
		...(withContent && file.content ? { content: file.content.toString('base64') } : {}),
	};
}

export function getFiles(store: SandboxStore, resourceid: string, p: Params): ActionResult {
	if (resourceid !== 'estate' && resourceid !== 'address') throw new ActionError(255, 'resourceid');
	const idKey = resourceid === 'estate' ? 'estateid' : 'addressid';
	const recordId = integer(p, idKey);
	if (!store.hasRecord(resourceid, recordId)) throw new ActionError(unknownRecordCode(resourceid));
	let files = store.filesOf(resourceid, recordId);
	const single = present(p, 'fileid') || (resourceid === 'estate' && present(p, 'documentAttribute'));
	if (present(p, 'fileid')) {
		const fileId = integer(p, 'fileid');
		files = files.filter((f) => f.fileId === fileId);
		if (files.length === 0) throw new ActionError(127);
	}
	if (resourceid === 'estate' && present(p, 'documentAttribute')) {
		files = files.filter((f) => f.documentAttribute === String(p.documentAttribute));
	}
	const limit = present(p, 'listlimit') ? integer(p, 'listlimit') : 20;
	if (limit < 1 || limit > 100) throw new ActionError(255, 'listlimit');
	const offset = present(p, 'listoffset') ? integer(p, 'listoffset') : 0;
	const page = files.slice(offset, offset + limit);
	const elements = resourceid === 'estate' ? estateFileElements : addressFileElements;
	return {
		records: page.map((f) => ({ id: f.fileId, type: 'file', elements: elements(f, single && files.length === 1) })),
		cntabsolute: files.length,
	};
}

export function getFields(store: SandboxStore, p: Params): ActionResult {
	const modules = p.modules;
	if (modules !== undefined && !Array.isArray(modules)) throw new ActionError(74 as number, 'modules');
	const wanted = (modules as string[] | undefined) ?? ['file'];
	const labels = bool(p.labels) === true;
	const records = wanted
		.filter((m) => m === 'file')
		.map(() => ({
			id: 'file',
			type: '',
			elements: {
				...(labels ? { label: 'Dateien' } : {}),
				documentAttributes: {
					type: 'singleselect',
					length: null,
					permittedvalues: labels ? { ...store.documentAttributes } : Object.keys(store.documentAttributes),
					default: null,
					filters: [],
					dependencies: [],
					compoundFields: [],
					...(labels ? { label: 'Dokumentenmerkmale', fieldMeasureFormat: 'DATA_TYPE_NONE' } : {}),
				},
			},
		}));
	return { records, cntabsolute: null };
}

export function readBasicSettings(): ActionResult {
	return { records: [{ id: 0, type: null, elements: { basicData: { characteristicsCi: { color: '#80b83c' } } } }] };
}

export function readImpressum(): ActionResult {
	return {
		records: [
			{
				id: 'impressum',
				type: null,
				elements: { firma: 'Sandbox Immobilien GmbH', ort: 'Aachen', email: 'info@sandbox.invalid' },
			},
		],
	};
}

export function modifyFileRelation(store: SandboxStore, p: Params): ActionResult {
	if (String(requireParam(p, 'relationtype')) !== 'estate') throw new ActionError(255, 'relationtype');
	const parentid = integer(p, 'parentid');
	const fileId = integer(p, 'fileId');
	const file = store.filesOf('estate', parentid).find((f) => f.fileId === fileId);
	if (!file) throw new ActionError(127);
	if (present(p, 'documentAttribute')) {
		const attribute = String(p.documentAttribute);
		if (!(attribute in store.documentAttributes)) throw new ActionError(77, attribute);
		const taken = store
			.filesOf('estate', parentid)
			.some((f) => f !== file && f.documentAttribute === attribute);
		if (taken) throw new ActionError(161);
		file.documentAttribute = attribute;
	}
	if (present(p, 'Art')) {
		const art = String(p.Art);
		if (![...PICTURE_TYPES, ...DOCUMENT_TYPES, ...LINK_TYPES].includes(art)) throw new ActionError(162);
		// Documented: setting Titelbild by modify demotes the old title picture to Foto.
		if (art === 'Titelbild') {
			for (const other of store.filesOf('estate', parentid)) if (other.art === 'Titelbild') other.art = 'Foto';
		}
		file.art = art;
	}
	if (p.title !== undefined) file.title = String(p.title);
	if (p.freetext !== undefined) file.freetext = String(p.freetext);
	file.modified = store.now();
	return { records: [{ id: 0, type: '', elements: { success: 'success' } }] };
}

export function deleteFileRelation(store: SandboxStore, p: Params): ActionResult {
	const relationtype = String(requireParam(p, 'relationtype'));
	if (!['estate', 'address', 'agentsLog', 'task'].includes(relationtype)) throw new ActionError(255, 'relationtype');
	const parentid = integer(p, 'parentid');
	const fileId = integer(p, 'fileId');
	const index = store.files.findIndex(
		(f) => f.module === relationtype && f.relatedRecordId === parentid && f.fileId === fileId,
	);
	if (index < 0) throw new ActionError(168);
	const [removed] = store.files.splice(index, 1);
	store.filesOf(removed.module, removed.relatedRecordId).forEach((f, i) => (f.position = i));
	return { records: [{ id: 0, type: '', elements: { success: 'success' } }] };
}

export function dispatch(
	store: SandboxStore,
	actionid: string,
	resourcetype: string,
	resourceid: string,
	p: Params,
): ActionResult {
	if (actionid === ACTION.do && resourcetype === 'uploadfile') return uploadfile(store, p);
	if (actionid === ACTION.get && resourcetype === 'file') return getFiles(store, resourceid, p);
	if (actionid === ACTION.get && resourcetype === 'fields') return getFields(store, p);
	if (actionid === ACTION.read && resourcetype === 'basicsettings') return readBasicSettings();
	if (actionid === ACTION.read && resourcetype === 'impressum') return readImpressum();
	if (actionid === ACTION.modify && resourcetype === 'fileRelation') return modifyFileRelation(store, p);
	if (actionid === ACTION.delete && resourcetype === 'fileRelation') return deleteFileRelation(store, p);
	throw new ActionError(25, resourcetype);
}
