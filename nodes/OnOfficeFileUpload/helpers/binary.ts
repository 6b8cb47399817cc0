import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING, NodeOperationError } from 'n8n-workflow';

import { reuseBlocks, STREAM_CHUNK_BYTES } from './blocks';

/** One file to upload, from wherever it comes (a binary property, another node's output, a URL). */
export interface FileToUpload {
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

/** A file not opened yet: opening it may read metadata or send a request. */
export interface FileOpener {
	describe: string;
	open(): Promise<FileToUpload>;
}

/**
 * Which binary properties of an item to upload: every one, or a comma-separated list of names. Names that the item
 * lacks are an error that lists the names it has.
 */
export function selectBinaryProperties(
	ctx: IExecuteFunctions,
	itemIndex: number,
	allProperties: boolean,
	names: string,
): string[] {
	const binary = ctx.getInputData()[itemIndex]?.binary ?? {};
	const available = Object.keys(binary);
	const listing = available.length
		? `Its binary properties are: ${available.join(', ')}.`
		: 'It has no binary data at all: the node before this one must output a file (check its Binary tab).';
	if (allProperties) {
		if (available.length === 0) {
			throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex} has no binary data to upload`, {
				itemIndex,
				description: listing,
			});
		}
		return available;
	}
	const wanted = names
		.split(',')
		.map((n) => n.trim())
		.filter((n) => n !== '');
	if (wanted.length === 0) {
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: the field "Input Binary Field" is empty`, {
			itemIndex,
			description: `Enter the name of the binary property that holds the file (usually "data"). ${listing}`,
		});
	}
	const missing = wanted.filter((n) => !(n in binary));
	if (missing.length > 0) {
		// A wrong name (data vs attachment_0) is the most common mistake: the message itself names what is there.
		const has = available.length ? `it has ${available.map((n) => `"${n}"`).join(', ')}` : 'it has no binary data at all';
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex} has no binary property "${missing.join('", "')}" (field "Input Binary Field"); ${has}`,
			{
				itemIndex,
				description: available.length
					? `${listing} Enter one of them, or turn on "Upload All Binary Properties".`
					: listing,
			},
		);
	}
	return wanted;
}

/**
 * Opens binary data the way n8n intends: data stored by id (filesystem, S3, database) is streamed with
 * getBinaryStream and never held whole; inline data (the default in-memory mode) is already base64 in memory.
 */
export async function openBinaryData(ctx: IExecuteFunctions, data: IBinaryData, propertyName: string, origin: IDataObject, describe: string): Promise<FileToUpload> {
	const fileName = data.fileName ?? `${propertyName}${data.fileExtension ? `.${data.fileExtension}` : ''}`;
	const mimeType = data.mimeType ?? 'application/octet-stream';
	if (data.id) {
		const id = data.id;
		const size = data.bytes ?? (await ctx.helpers.getBinaryMetadata(id)).fileSize;
		return {
			fileName,
			mimeType,
			size,
			origin,
			describe,
			blocks: (bytesPerBlock) => ({
				[Symbol.asyncIterator]: async function* () {
					// Small reads copied into one reused block: no block-sized buffer is left behind per block. A file
					// smaller than a block is one block of its own size, so a photo does not reserve 4 MiB.
					const blockSize = Math.max(1, Math.min(bytesPerBlock, size));
					const stream = await ctx.helpers.getBinaryStream(id, Math.min(blockSize, STREAM_CHUNK_BYTES));
					yield* reuseBlocks(stream, blockSize);
				},
			}),
		};
	}
	const buffer = Buffer.from(data.data, BINARY_ENCODING);
	return {
		fileName,
		mimeType,
		size: buffer.length,
		origin,
		describe,
		blocks: (bytesPerBlock) => ({
			[Symbol.asyncIterator]: async function* () {
				for (let offset = 0; offset < buffer.length; offset += bytesPerBlock) {
					yield buffer.subarray(offset, offset + bytesPerBlock);
				}
			},
		}),
	};
}

/** The binary properties of the input item that the binary fields select, each to be opened in turn. */
export function binaryFieldFiles(ctx: IExecuteFunctions, itemIndex: number, allProperties: boolean, names: string): FileOpener[] {
	return selectBinaryProperties(ctx, itemIndex, allProperties, names).map((propertyName) => {
		const describe = `binary property "${propertyName}"`;
		return {
			describe,
			open: () => openBinaryData(ctx, ctx.helpers.assertBinaryData(itemIndex, propertyName), propertyName, { binaryPropertyName: propertyName }, describe),
		};
	});
}
