import { blockBytes, blockCount, halveBlock, reslice } from '../../nodes/OnOfficeFileUpload/helpers/blocks';
import { buildAction } from '../../nodes/OnOfficeFileUpload/transport/actions';

async function collect(chunks: Array<Buffer | string>, size: number): Promise<string[]> {
	async function* source() {
		for (const c of chunks) yield c;
	}
	const out: string[] = [];
	for await (const block of reslice(source(), size)) out.push(block.toString());
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

	test('reslice cuts one huge chunk (database binary mode) into blocks', async () => {
		expect(await collect([Buffer.from('abcdefghij')], 3)).toEqual(['abc', 'def', 'ghi', 'j']);
	});

	test('reslice joins small chunks into blocks and keeps the tail', async () => {
		expect(await collect(['a', 'bc', 'd', 'efgh', 'i'], 4)).toEqual(['abcd', 'efgh', 'i']);
		expect(await collect(['ab', 'cd'], 4)).toEqual(['abcd']);
		expect(await collect([], 4)).toEqual([]);
	});
});

describe('building actions', () => {
	test('parameters are sorted in byte order (capitals first) and null/undefined ones are left out', () => {
		const action = buildAction('do', 'uploadfile', { title: 'T', tmpUploadId: 'x', Art: 'Foto', file: 'a', freetext: undefined, position: null, module: 'estate' }, { identifier: 'i' });
		expect(action).toEqual({
			actionid: 'urn:onoffice-de-ns:smart:2.5:smartml:action:do',
			resourceid: '',
			resourcetype: 'uploadfile',
			identifier: 'i',
			parameters: { Art: 'Foto', file: 'a', module: 'estate', title: 'T', tmpUploadId: 'x' },
		});
		expect(Object.keys(action.parameters)).toEqual(['Art', 'file', 'module', 'title', 'tmpUploadId']);
	});

	test('resourceid for reads', () => {
		expect(buildAction('get', 'file', { estateid: 1 }, { resourceid: 'estate', identifier: 'g' }).resourceid).toBe('estate');
	});
});
