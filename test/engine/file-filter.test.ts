// The File Filter option through n8n-core's engine: what an e-mail carries besides the wanted files is left out,
// and every file left out still yields an output item that says why.

import { fast, runWithFiles } from './workflows';
import { useSandbox } from '../sandbox/useSandbox';

const sandbox = useSandbox();

const mail = [
	{
		property: 'attachment_0',
		fileName: 'Wohnzimmer.jpg',
		mimeType: 'image/jpeg',
		size: 9000,
		seed: '0',
	},
	{
		property: 'attachment_1',
		fileName: 'winmail.dat',
		mimeType: 'application/ms-tnef',
		size: 4000,
		seed: '1',
	},
	{
		property: 'attachment_2',
		fileName: 'Exposé.pdf',
		mimeType: 'application/pdf',
		size: 12000,
		seed: '2',
	},
	{
		property: 'attachment_3',
		fileName: 'Einladung.ics',
		mimeType: 'text/calendar',
		size: 3000,
		seed: '3',
	},
	{
		property: 'attachment_4',
		fileName: 'image001.png',
		mimeType: 'image/png',
		size: 5000,
		seed: '4',
	},
	{ property: 'attachment_5', fileName: 'pixel.gif', mimeType: 'image/gif', size: 43, seed: '5' },
	{
		property: 'attachment_6',
		fileName: 'notiz.txt',
		mimeType: 'text/plain',
		size: 3000,
		seed: '6',
	},
];
const rules = {
	onlyTypes: 'image/*, application/pdf',
	minSizeKiB: 1,
	excludeNames: 'winmail.dat, *.ics, *.vcf, image0*.png',
};

test.each(['uploadFile', 'stageFile'])(
	'%s: only the wanted files are sent; each file left out yields an item naming its rule',
	async (operation) => {
		const result = await runWithFiles(
			sandbox,
			{
				operation,
				module: 'estate',
				relatedRecordId: 409,
				uploadAllBinaryProperties: true,
				fileType: 'auto',
				options: { ...fast, fileFilter: { rules } },
			},
			[{ json: { subject: 'Objekt 409' }, files: mail }],
		);
		expect(result.error).toBeUndefined();
		const stored =
			operation === 'uploadFile'
				? sandbox.files().map((f) => f.fileName)
				: sandbox.store.cache.map((c) => c.fileName);
		expect(stored).toEqual(['Wohnzimmer.jpg', 'Exposé.pdf']);
		const out = result.output('onOffice');
		expect(out).toHaveLength(7);
		expect(out.every((o) => JSON.stringify(o.pairedItem) === JSON.stringify({ item: 0 }))).toBe(
			true,
		);
		const leftOut = out
			.filter((o) => o.json.leftOut === true)
			.map((o) => [o.json.fileName, o.json.reason]);
		expect(leftOut).toEqual([
			[
				'winmail.dat',
				'left out by the File Filter: its name matches "winmail.dat" (Names to Leave Out)',
			],
			[
				'Einladung.ics',
				'left out by the File Filter: its name matches "*.ics" (Names to Leave Out)',
			],
			[
				'image001.png',
				'left out by the File Filter: its name matches "image0*.png" (Names to Leave Out)',
			],
			['pixel.gif', 'left out by the File Filter: it has 43 bytes, less than 1024 (Minimum Size)'],
			[
				'notiz.txt',
				'left out by the File Filter: notiz.txt (text/plain) is none of image/*, application/pdf (Only File Types)',
			],
		]);
		expect(out.find((o) => o.json.fileName === 'pixel.gif')!.json).toMatchObject({
			binaryPropertyName: 'attachment_5',
			mimeType: 'image/gif',
			size: 43,
		});
		// Nothing was sent for them: two uploads of one block each, each linked.
		expect(sandbox.requests.filter((r) => r.step === 'firstBlock')).toHaveLength(2);
	},
);

test('a filter that leaves out every file uploads nothing and still says so for each', async () => {
	const result = await runWithFiles(
		sandbox,
		{
			operation: 'uploadFile',
			module: 'address',
			relatedRecordId: 7,
			uploadAllBinaryProperties: true,
			options: { ...fast, fileFilter: { rules: { onlyTypes: '.pdf' } } },
		},
		[{ files: mail.slice(0, 2) }],
	);
	expect(result.error).toBeUndefined();
	expect(result.output('onOffice').map((o) => o.json.leftOut)).toEqual([true, true]);
	expect(sandbox.requests).toHaveLength(0);
});

test('a rule that cannot be read is an error of the item naming the option, and nothing is sent', async () => {
	const result = await runWithFiles(
		sandbox,
		{
			operation: 'uploadFile',
			module: 'estate',
			relatedRecordId: 409,
			fileType: 'Foto',
			options: { ...fast, fileFilter: { rules: { onlyTypes: 'jpg' } } },
		},
		[{ files: [mail[0]] }, { files: [mail[2]] }],
		{ continueOnFail: true },
	);
	const out = result.output('onOffice');
	expect(out.map((o) => o.json.error)).toEqual([
		'Item 0: "jpg" in "Only File Types" is neither a MIME type (image/*, application/pdf) nor an extension (.pdf); separate entries with commas (option "File Filter")',
		'Item 1: "jpg" in "Only File Types" is neither a MIME type (image/*, application/pdf) nor an extension (.pdf); separate entries with commas (option "File Filter")',
	]);
	expect(sandbox.requests).toHaveLength(0);
});
