// The shapes that cross rooms: a file to upload, wherever it comes from; a file on a record as onOffice lists it; a
// record as a person recognises it. Types only: every room may use them, and this file imports no room.
import type { IDataObject } from 'n8n-workflow';

/**
 * One file to upload, whatever it comes from (an item's binary field, another node's files, a URL): the block loop
 * reads it without knowing which.
 */
export interface FileSource {
	fileName: string;
	mimeType: string;
	size: number;
	/**
	 * A fresh read from the start every call (a restarted upload reads the file again). A block is valid until the
	 * next one is asked for.
	 */
	blocks(bytesPerBlock: number): AsyncIterable<Buffer>;
	/** Where it came from, as the output item says it: `{ binaryPropertyName }`, `{ sourceNode, binaryPropertyName }`, `{ url }`. */
	origin: IDataObject;
	/** The same in words, for messages: `binary property "data"`, `the file at https://…`. */
	describe: string;
}

/** A file source not opened yet: opening it may read metadata or send a request. */
export interface PendingFile {
	describe: string;
	open(): Promise<FileSource>;
}

/** A file or link on an estate or address, as onOffice lists it (`get file`). */
export interface RecordFile {
	fileId: number;
	/** The name it was uploaded under (the `file` parameter); empty for links. */
	originalname: string;
	fileSize: number;
	/** Unix seconds, by the server's clock. */
	modified: number;
	type?: string;
	url?: string;
	title?: string;
	position?: number;
	documentAttribute?: string;
}

/** The records that can be read and looked up: estates, and addresses (contacts). */
export type RecordKind = 'estate' | 'address';

/** A record as a person recognises it: its number and what a list shows for it. */
export interface FoundRecord {
	id: number;
	/** `PC910 · Musterstraße 12, 52064 Aachen · Einfamilienhaus (409)`, `Max Mustermann · Muster GmbH · max@example.com (7)`. */
	label: string;
	/** Estates: the property number; addresses: every e-mail address of the contact, in lower case. */
	keys: string[];
}
