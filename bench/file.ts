import { createWriteStream } from 'fs';
import { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import { MiB } from '../scripts/lib/bytes';

/** Deterministic bytes of any size, made 1 MiB at a time (never held whole). */
export function patternStream(size: number): Readable {
	const base = Buffer.alloc(MiB);
	for (let i = 0; i < base.length; i++) base[i] = (i * 131 + (i >> 7)) & 255;
	let offset = 0;
	return Readable.from(
		(function* () {
			while (offset < size) {
				const n = Math.min(base.length, size - offset);
				const chunk = Buffer.from(base.subarray(0, n));
				chunk.writeUInt32LE(offset / base.length, 0);
				offset += n;
				yield chunk;
			}
		})(),
	);
}

/** Writes the same bytes to a file on disk (for the runs that read the file themselves). */
export async function writePatternFile(path: string, size: number): Promise<void> {
	await pipeline(patternStream(size), createWriteStream(path));
}
