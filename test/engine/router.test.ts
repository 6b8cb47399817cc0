// The router decides alone what a failed item means, the same for every operation: with Continue On Fail off, the
// items before the failed one are done, no item after it starts, and the run fails with the item's error.

import { runWithFiles, runWithItems, type FileItem } from './workflows';
import { useSandbox } from '../sandbox/useSandbox';

const sandbox = useSandbox();

const fast = { retries: 0, timeout: 30 };
const urls = [
	'https://t.example/0',
	'https://t.example/1',
	'ftp://t.example/2',
	'https://t.example/3',
	'https://t.example/4',
];
const linksStored = () => sandbox.files().map((f) => f.url);

test.each([
	['in a full batch sent before it', 2, 1],
	['in the batch it would have joined', 50, 1],
])(
	'Add Link, Continue On Fail off: the links before the failed item are added (%s), none after it is started',
	async (_, batchSize, requests) => {
		const result = await runWithItems(
			sandbox,
			{
				operation: 'addLink',
				relatedRecordId: 409,
				url: '={{ $json.url }}',
				fileType: 'Link',
				options: { ...fast, batchSize },
			},
			urls.map((url) => ({ url })),
		);
		expect(result.error?.message).toBe(
			'Item 2: the field "URL" must be an http or https address, got "ftp://t.example/2"',
		);
		expect(linksStored()).toEqual(['https://t.example/0', 'https://t.example/1']);
		expect(sandbox.requests).toHaveLength(requests);
	},
);

test('Add Link, Continue On Fail on: every item yields its output, the failed one its error', async () => {
	const result = await runWithItems(
		sandbox,
		{
			operation: 'addLink',
			relatedRecordId: 409,
			url: '={{ $json.url }}',
			fileType: 'Link',
			options: { ...fast, batchSize: 2 },
		},
		urls.map((url) => ({ url })),
		{ continueOnFail: true },
	);
	expect(result.output('onOffice').map((o) => o.json.fileId !== undefined || o.json.error)).toEqual(
		[
			true,
			true,
			'Item 2: the field "URL" must be an http or https address, got "ftp://t.example/2"',
			true,
			true,
		],
	);
	expect(linksStored()).toEqual([
		'https://t.example/0',
		'https://t.example/1',
		'https://t.example/3',
		'https://t.example/4',
	]);
});

test('Upload File, Continue On Fail off: the same, the file before the failed item uploaded, none after it started', async () => {
	const file = (i: number): FileItem => ({
		json: {},
		files: [
			{
				property: i === 1 ? 'other' : 'data',
				fileName: `f-${i}.pdf`,
				mimeType: 'application/pdf',
				size: 1000,
				seed: `f${i}`,
			},
		],
	});
	const result = await runWithFiles(
		sandbox,
		{
			operation: 'uploadFile',
			module: 'estate',
			relatedRecordId: 409,
			fileType: 'Dokument',
			options: fast,
		},
		[0, 1, 2].map(file),
	);
	expect(result.error?.message).toBe(
		'Item 1 has no binary property "data" (field "Input Binary Field"); it has "other"',
	);
	expect(sandbox.files().map((f) => f.fileName)).toEqual(['f-0.pdf']);
});
