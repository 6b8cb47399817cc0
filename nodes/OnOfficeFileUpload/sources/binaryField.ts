// Files from n8n's binary data: an item's binary properties (and, through ./nodeFiles, another node's), read the way
// n8n intends: stored by id, streamed in small chunks; inline, already in memory.
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING } from 'n8n-workflow';

import { reuseBlocks, STREAM_CHUNK_BYTES } from '../helpers/blocks';
import type { FileSource, PendingFile } from '../types';

/**
 * Opens binary data the way n8n intends: data stored by id (filesystem, S3, database) is streamed with
 * getBinaryStream and never held whole; inline data (the default in-memory mode) is already base64 in memory.
 */
export async function openBinaryData(
	ctx: IExecuteFunctions,
	data: IBinaryData,
	propertyName: string,
	origin: IDataObject,
	describe: string,
): Promise<FileSource> {
	const fileName =
		data.fileName ?? `${propertyName}${data.fileExtension ? `.${data.fileExtension}` : ''}`;
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
					const stream = await ctx.helpers.getBinaryStream(
						id,
						Math.min(blockSize, STREAM_CHUNK_BYTES),
					);
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

/** The input item's binary properties of these names (the item has them), each to be opened in turn. */
export function binaryFieldFiles(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyNames: string[],
): PendingFile[] {
	return propertyNames.map((propertyName) => {
		const describe = `binary property "${propertyName}"`;
		return {
			describe,
			open: () =>
				openBinaryData(
					ctx,
					ctx.helpers.assertBinaryData(itemIndex, propertyName),
					propertyName,
					{ binaryPropertyName: propertyName },
					describe,
				),
		};
	});
}
