/** Block sizes are given in KiB; the default keeps one request near 5.5 MB of JSON. */
export const DEFAULT_BLOCK_SIZE_KIB = 4096;
export const MAX_BLOCK_SIZE_KIB = 65536;
/** Below this, a block is not worth a request (and the automatic 413 fallback stops halving). */
export const MIN_BLOCK_SIZE_BYTES = 3 * 1024;

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

/**
 * Re-slices any stream of chunks into blocks of exactly `size` bytes (the last may be shorter). n8n's
 * getBinaryStream honours the chunk size on the filesystem but returns one chunk holding the whole file in
 * database mode, so the chunks it yields cannot be trusted to be blocks. Holds at most one block plus one chunk.
 */
export async function* reslice(chunks: AsyncIterable<Buffer | Uint8Array | string>, size: number): AsyncGenerator<Buffer> {
	let pending: Buffer[] = [];
	let pendingBytes = 0;
	for await (const raw of chunks) {
		let chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
		while (pendingBytes + chunk.length >= size) {
			const take = size - pendingBytes;
			pending.push(chunk.subarray(0, take));
			yield pending.length === 1 ? pending[0] : Buffer.concat(pending, size);
			chunk = chunk.subarray(take);
			pending = [];
			pendingBytes = 0;
		}
		if (chunk.length > 0) {
			pending.push(chunk);
			pendingBytes += chunk.length;
		}
	}
	if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}
