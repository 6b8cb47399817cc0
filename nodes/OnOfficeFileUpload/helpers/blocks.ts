// Blocks: how a file is cut for uploadfile's step 1, and how any stream of chunks is cut into blocks in one buffer.
export const MiB = 1024 * 1024;

/** Block sizes are given in KiB; the default keeps one request near 5.5 MB of JSON. */
export const DEFAULT_BLOCK_SIZE_KIB = 4096;
export const MAX_BLOCK_SIZE_KIB = 65536;
/** Below this, a block is not worth a request (and the automatic 413 fallback stops halving). */
export const MIN_BLOCK_SIZE_KIB = 3;
export const MIN_BLOCK_SIZE_BYTES = MIN_BLOCK_SIZE_KIB * 1024;

/**
 * Raw bytes per block for a block size in KiB, rounded down to a multiple of 3: base64 turns every 3 bytes into
 * 4 characters, so only such blocks encode to base64 without padding in the middle of the file.
 */
export function blockBytes(blockSizeKiB: number): number {
	return Math.floor((blockSizeKiB * 1024) / 3) * 3;
}

/** A smaller block size after HTTP 413, or undefined when it cannot get smaller. */
export function halveBlock(bytes: number): number | undefined {
	const half = Math.floor(bytes / 2 / 3) * 3;
	return half >= MIN_BLOCK_SIZE_BYTES ? half : undefined;
}

export function blockCount(size: number, bytesPerBlock: number): number {
	return Math.max(1, Math.ceil(size / bytesPerBlock));
}

/** What n8n's getBinaryStream is asked for per read: small, so every chunk is garbage the young generation takes. */
export const STREAM_CHUNK_BYTES = 64 * 1024;

/**
 * Cuts any stream of chunks into blocks of exactly `size` bytes (the last may be shorter). n8n's getBinaryStream
 * honours the chunk size on the filesystem but returns one chunk holding the whole file in database mode, so its
 * chunks cannot be trusted to be blocks. Every block is copied into one buffer that is used again for the next
 * block, so a file of any size costs one block of memory and leaves no block-sized garbage behind. A block yielded
 * is valid until the next one is asked for: the consumer sends it (retries included) before it reads on. A chunk
 * that holds whole blocks (a database binary, one chunk for the whole file) is handed out as views, without a copy.
 */
export async function* reuseBlocks(
	chunks: AsyncIterable<Buffer | Uint8Array | string>,
	size: number,
): AsyncGenerator<Buffer> {
	let block: Buffer | undefined;
	let filled = 0;
	for await (const raw of chunks) {
		let chunk =
			typeof raw === 'string'
				? Buffer.from(raw)
				: Buffer.isBuffer(raw)
					? raw
					: Buffer.from(raw.buffer, raw.byteOffset, raw.length);
		while (chunk.length > 0) {
			if (filled === 0 && chunk.length >= size) {
				yield chunk.subarray(0, size);
				chunk = chunk.subarray(size);
				continue;
			}
			block ??= Buffer.allocUnsafe(size);
			const copied = chunk.copy(block, filled, 0, Math.min(chunk.length, size - filled));
			filled += copied;
			chunk = chunk.subarray(copied);
			if (filled === size) {
				yield block;
				filled = 0;
			}
		}
	}
	if (filled > 0) yield block!.subarray(0, filled);
}
