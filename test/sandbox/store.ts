import { createHash, randomUUID, type Hash } from 'crypto';

import { DOCUMENT_ATTRIBUTES } from './contract';
import { SEED_ADDRESSES, SEED_AGENTS_LOG, SEED_ESTATES, SEED_TASKS } from './seed';

/** An estate with the fields the sandbox knows; seed.ts has the ones every sandbox starts with. */
export interface Estate {
	id: number;
	/** The property number (ImmoNr). Not unique: DUP-7 is on two estates. */
	objektnr_extern: string;
	objekttitel: string;
	/** A key of ESTATE_TYPES. */
	objekttyp: string;
	vermarktungsart: 'kauf' | 'miete';
	strasse: string;
	hausnummer: string;
	plz: string;
	ort: string;
	wohnflaeche: number;
	/** 1 active, 2 pending (inactive), 0 archived. */
	status: 0 | 1 | 2;
	/** The owner's address record number, if the estate has one. */
	owner?: number;
}

/** A contact (address record) with its fields and contact entries. */
export interface Address {
	id: number;
	/** The customer number (Kundennummer), not the record number. */
	KdNr: number;
	Vorname: string;
	Name: string;
	Firma: string;
	/** 1 active, 0 archived. */
	Status: 0 | 1;
	/** Every e-mail entry, by entry id; the first is the default (the field `Email`). */
	emails: Array<{ id: number; address: string }>;
	phones: string[];
}

export interface StoredFile {
	fileId: number;
	module: 'estate' | 'address' | 'agentsLog' | 'task';
	relatedRecordId: number;
	/** The `file` parameter as sent: onOffice returns it as `originalname`. */
	fileName: string;
	title?: string;
	art?: string;
	freetext?: string;
	documentAttribute?: string;
	position: number;
	setDefaultPublicationRights?: boolean;
	applyWaterMark?: boolean;
	url?: string;
	size: number;
	sha256: string;
	blocks: number;
	modified: number;
	/** Kept only while the file is small enough (see `contentLimitBytes`). */
	content?: Buffer;
}

export interface TmpUpload {
	id: string;
	size: number;
	blocks: number;
	used: boolean;
	hash: Hash;
	chunks?: Buffer[];
}

export interface CachedFile {
	cacheFileUuid: string;
	tmpUploadId: string;
	fileName: string;
	title?: string;
	size: number;
	sha256: string;
	blocks: number;
}

/** The records, files and temporary uploads of one sandbox. Content is kept up to a limit, hashes always. */
export class SandboxStore {
	/** Estates and addresses with their fields (see seed.ts); agents-log entries and tasks by number only. */
	estates: Estate[] = [];
	addresses: Address[] = [];
	agentsLog = new Set<number>();
	tasks = new Set<number>();
	/** The document attributes onOffice's field configuration offers (key -> label); a test may empty it. */
	documentAttributes: Record<string, string> = { ...DOCUMENT_ATTRIBUTES };
	files: StoredFile[] = [];
	tmpUploads = new Map<string, TmpUpload>();
	cache: CachedFile[] = [];
	private nextFileId = 3539;

	/** `now` is the server's clock in unix seconds (the sandbox may run it off, as a real server's may be). */
	constructor(
		private readonly contentLimitBytes: number,
		readonly now: () => number = () => Math.floor(Date.now() / 1000),
	) {
		this.reset();
	}

	reset(): void {
		this.estates = structuredClone([...SEED_ESTATES]);
		this.addresses = structuredClone([...SEED_ADDRESSES]);
		this.agentsLog = new Set(SEED_AGENTS_LOG);
		this.tasks = new Set(SEED_TASKS);
		this.documentAttributes = { ...DOCUMENT_ATTRIBUTES };
		this.files = [];
		this.tmpUploads.clear();
		this.cache = [];
		this.nextFileId = 3539;
	}

	hasRecord(module: string, id: number): boolean {
		if (module === 'estate') return this.estates.some((e) => e.id === id);
		if (module === 'address') return this.addresses.some((a) => a.id === id);
		if (module === 'agentsLog') return this.agentsLog.has(id);
		return module === 'task' && this.tasks.has(id);
	}

	address(id: number | undefined): Address | undefined {
		return this.addresses.find((a) => a.id === id);
	}

	appendBlock(tmpUploadId: string | undefined, bytes: Buffer): TmpUpload {
		let upload = tmpUploadId ? this.tmpUploads.get(tmpUploadId) : undefined;
		if (!upload) {
			upload = {
				id: randomUUID(),
				size: 0,
				blocks: 0,
				used: false,
				hash: createHash('sha256'),
				chunks: [],
			};
			this.tmpUploads.set(upload.id, upload);
		}
		upload.size += bytes.length;
		upload.blocks += 1;
		upload.hash.update(bytes);
		if (upload.chunks && upload.size <= this.contentLimitBytes) upload.chunks.push(bytes);
		else upload.chunks = undefined;
		return upload;
	}

	consume(upload: TmpUpload): { sha256: string; content?: Buffer } {
		upload.used = true;
		const sha256 = upload.hash.copy().digest('hex');
		const content = upload.chunks ? Buffer.concat(upload.chunks) : undefined;
		upload.chunks = undefined;
		return { sha256, content };
	}

	nextId(): number {
		return this.nextFileId++;
	}

	filesOf(module: string, relatedRecordId: number): StoredFile[] {
		return this.files
			.filter((f) => f.module === module && f.relatedRecordId === relatedRecordId)
			.sort((a, b) => a.position - b.position);
	}

	/** Puts a file at `position` (or last) on its record's list and renumbers the others. */
	place(file: StoredFile, position: number | undefined): void {
		const siblings = this.filesOf(file.module, file.relatedRecordId);
		const index =
			position === undefined ? siblings.length : Math.max(0, Math.min(position, siblings.length));
		siblings.splice(index, 0, file);
		siblings.forEach((f, i) => (f.position = i));
		this.files.push(file);
	}
}
