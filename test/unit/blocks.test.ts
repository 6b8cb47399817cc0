import {
	blockBytes,
	blockCount,
	halveBlock,
	reuseBlocks,
} from '../../nodes/OnOfficeFileUpload/helpers/blocks';
import { buildAction } from '../../nodes/OnOfficeFileUpload/transport/actions';

async function collect(chunks: Array<Buffer | string>, size: number): Promise<string[]> {
	async function* source() {
		for (const c of chunks) yield c;
	}
	const out: string[] = [];
	// Read each block before asking for the next, as the uploader does: the buffer is reused.
	for await (const block of reuseBlocks(source(), size)) out.push(block.toString());
	return out;
}

describe('block planning', () => {
	test('block sizes are whole multiples of 3 bytes, so every block is padding-free base64 except the last', () => {
		expect(blockBytes(4096)).toBe(4194303);
		expect(blockBytes(4096) % 3).toBe(0);
		expect(blockBytes(3)).toBe(3072);
		expect(blockBytes(1)).toBe(1023);
		expect(Buffer.alloc(blockBytes(4)).toString('base64')).not.toContain('=');
	});

	test('halving after HTTP 413 keeps multiples of 3 and stops at 3 KiB', () => {
		expect(halveBlock(12288)).toBe(6144);
		expect(halveBlock(6144)).toBe(3072);
		expect(halveBlock(6000)).toBeUndefined();
		expect(halveBlock(blockBytes(4096))! % 3).toBe(0);
	});

	test('block count', () => {
		expect(blockCount(0, 3)).toBe(1);
		expect(blockCount(3, 3)).toBe(1);
		expect(blockCount(4, 3)).toBe(2);
	});

	test('reuseBlocks cuts one huge chunk (database binary mode) into blocks', async () => {
		expect(await collect([Buffer.from('abcdefghij')], 3)).toEqual(['abc', 'def', 'ghi', 'j']);
	});

	test('reuseBlocks joins small chunks into blocks and keeps the tail', async () => {
		expect(await collect(['a', 'bc', 'd', 'efgh', 'i'], 4)).toEqual(['abcd', 'efgh', 'i']);
		expect(await collect(['ab', 'cd'], 4)).toEqual(['abcd']);
		expect(await collect([], 4)).toEqual([]);
		expect(
			await collect(
				['abcde', 'fg', 'hijklmnop', new Uint8Array([113, 114]) as unknown as Buffer],
				4,
			),
		).toEqual(['abcd', 'efgh', 'ijkl', 'mnop', 'qr']);
	});

	test('reuseBlocks copies small chunks into one buffer for every block instead of allocating one per block', async () => {
		async function* source() {
			for (let i = 0; i < 12; i++) yield Buffer.from([i]);
		}
		const seen: Array<{ bytes: number[]; memory: ArrayBufferLike }> = [];
		for await (const block of reuseBlocks(source(), 4))
			seen.push({ bytes: [...block], memory: block.buffer });
		expect(seen.map((s) => s.bytes)).toEqual([
			[0, 1, 2, 3],
			[4, 5, 6, 7],
			[8, 9, 10, 11],
		]);
		expect(new Set(seen.map((s) => s.memory)).size).toBe(1);
	});
});

describe('building actions', () => {
	test('parameters are sorted in byte order (capitals first) and null/undefined ones are left out', () => {
		const action = buildAction(
			'do',
			'uploadfile',
			{
				title: 'T',
				tmpUploadId: 'x',
				Art: 'Foto',
				file: 'a',
				freetext: undefined,
				position: null,
				module: 'estate',
			},
			{ identifier: 'i' },
		);
		expect(action).toEqual({
			actionid: 'urn:onoffice-de-ns:smart:2.5:smartml:action:do',
			resourceid: '',
			resourcetype: 'uploadfile',
			identifier: 'i',
			parameters: { Art: 'Foto', file: 'a', module: 'estate', title: 'T', tmpUploadId: 'x' },
		});
		expect(Object.keys(action.parameters)).toEqual([
			'Art',
			'file',
			'module',
			'title',
			'tmpUploadId',
		]);
	});

	test('resourceid for reads', () => {
		expect(
			buildAction('get', 'file', { estateid: 1 }, { resourceid: 'estate', identifier: 'g' })
				.resourceid,
		).toBe('estate');
	});
});
