// Bytes for the tests and benchmarks: a MiB, a SHA-256 in hex, and deterministic sample bytes of any size.
import { createHash } from 'crypto';

// One MiB for the package and its tests alike.
export { MiB } from '../../nodes/OnOfficeFileUpload/helpers/blocks';

export const sha = (bytes: Buffer | string): string =>
	createHash('sha256').update(bytes).digest('hex');

/** Deterministic bytes of any size, different per seed (a chain of SHA-256 blocks): compared by hash, never kept. */
export function sample(size: number, seed = 'onoffice'): Buffer {
	const bytes = Buffer.alloc(size);
	let block = createHash('sha256').update(seed).digest();
	for (let offset = 0; offset < size; offset += block.length) {
		block.copy(bytes, offset);
		block = createHash('sha256').update(block).digest();
	}
	return bytes;
}
