// A record's files: get file (the list, paged, or one file with its content), modify and delete fileRelation.
import { ActionError, DOCUMENT_TYPES, LINK_TYPES, PICTURE_TYPES } from '../contract';
import type { SandboxStore, StoredFile } from '../store';
import {
	integer,
	paging,
	present,
	requireParam,
	unknownRecordCode,
	type ActionResult,
	type Behaviour,
	type Params,
} from './action';

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

export function getFiles(
	store: SandboxStore,
	behaviour: Behaviour,
	resourceid: string,
	p: Params,
): ActionResult {
	if (resourceid !== 'estate' && resourceid !== 'address') throw new ActionError(255, 'resourceid');
	const idKey = resourceid === 'estate' ? 'estateid' : 'addressid';
	const recordId = integer(p, idKey);
	if (!store.hasRecord(resourceid, recordId)) throw new ActionError(unknownRecordCode(resourceid));
	// An estate's own code; addresses have none of their own, so the unknown-record one.
	if (!behaviour.readRights) throw new ActionError(resourceid === 'estate' ? 149 : 292);
	let files = store.filesOf(resourceid, recordId);
	const single =
		present(p, 'fileid') || (resourceid === 'estate' && present(p, 'documentAttribute'));
	if (present(p, 'fileid')) {
		const fileId = integer(p, 'fileid');
		files = files.filter((f) => f.fileId === fileId);
		if (files.length === 0) throw new ActionError(127);
	}
	if (resourceid === 'estate' && present(p, 'documentAttribute')) {
		files = files.filter((f) => f.documentAttribute === String(p.documentAttribute));
	}
	const { limit, offset } = paging(p, 100);
	const page = files.slice(offset, offset + limit);
	const elements = resourceid === 'estate' ? estateFileElements : addressFileElements;
	return {
		records: page.map((f) => ({
			id: f.fileId,
			type: 'file',
			elements: elements(f, single && files.length === 1),
		})),
		cntabsolute: files.length,
	};
}

export function modifyFileRelation(store: SandboxStore, p: Params): ActionResult {
	if (String(requireParam(p, 'relationtype')) !== 'estate')
		throw new ActionError(255, 'relationtype');
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
		if (![...PICTURE_TYPES, ...DOCUMENT_TYPES, ...LINK_TYPES].includes(art))
			throw new ActionError(162);
		// Documented: setting Titelbild by modify demotes the old title picture to Foto.
		if (art === 'Titelbild') {
			for (const other of store.filesOf('estate', parentid))
				if (other.art === 'Titelbild') other.art = 'Foto';
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
	if (!['estate', 'address', 'agentsLog', 'task'].includes(relationtype))
		throw new ActionError(255, 'relationtype');
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
