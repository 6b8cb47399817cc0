// Saved workflows are the package's public interface. test/fixtures/saved-workflows-v<N>.json holds workflows as
// n8n saves them with typeVersion N (only values that differ from the defaults, so what they leave out matters as
// much as what they say); test/fixtures/node-parameters-v<N>.json holds the parameters such workflows rely on
// (names, types, defaults, option values). This test loads both as they are and checks, against the node's current
// description, that every saved parameter is still known and valid and that no released parameter changed, and
// runs every saved workflow through n8n-core's engine against the sandbox to see it still does what it did.
// A change of behaviour belongs in a new node version (README, Development: Node versions and saved workflows).
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

import {
	NodeHelpers,
	type IConnections,
	type INode,
	type INodeExecutionData,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { OnOfficeFileUpload } from '../../nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.ts'; // .ts: as in harness.ts
import { type FaultRule } from '../sandbox/server';
import type { StoredFile } from '../sandbox/store';
import { loadOptions, NODE_TYPE, runWorkflow } from './harness';
import {
	asEditorSaves,
	checkSavedParameters,
	contractChanges,
	EVERY_OPERATION,
	parameterContract,
	type Contract,
} from './node-parameters';
import { sample, sha } from '../../scripts/lib/bytes';
import { useSandbox } from '../sandbox/useSandbox';

const FIXTURES = join(__dirname, '..', 'fixtures');
const description = new OnOfficeFileUpload().description;
const packageName = (
	JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { name: string }
).name;

interface SavedWorkflow {
	id: string;
	name: string;
	nodes: INode[];
	connections: IConnections;
}

interface Saved {
	file: string;
	/** The typeVersion the file is for. */
	version: number;
	workflow: SavedWorkflow;
	/** The node of this package in it. */
	node: INode;
}

const filesFor = (pattern: RegExp) =>
	readdirSync(FIXTURES)
		.map((file) => ({ file, match: pattern.exec(file) }))
		.filter((f) => f.match)
		.map(({ file, match }) => ({ file, version: Number(match![1]) }));

const saved: Saved[] = filesFor(/^saved-workflows-v(\d+)\.json$/).flatMap(({ file, version }) =>
	(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as SavedWorkflow[]).map((workflow) => ({
		file,
		version,
		workflow,
		// The harness's stand-ins (test.start, test.binaryFiles, test.items) feed it; everything else is this package's node.
		node: workflow.nodes.find((n) => !n.type.startsWith('test.'))!,
	})),
);
const contracts = filesFor(/^node-parameters-v(\d+)\.json$/).map(({ file, version }) => ({
	file,
	version,
	contract: JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Contract,
}));

/**
 * Not what the editor saves today: written by hand or through n8n's API (as test/e2e/large-upload.json), with
 * defaults spelled out; or saved before a parameter came (sv2UploadTaskAnyway predates version 2's Limits, which it
 * must run without, as the examples of that time do).
 */
const NOT_FROM_THE_EDITOR = ['svUploadLegacy', 'sv2UploadTaskAnyway'];

const sandbox = useSandbox();

/** The values n8n works with once it has loaded the node (defaults added). */
const resolved = (node: INode) =>
	NodeHelpers.getNodeParameters(
		description.properties,
		node.parameters,
		true,
		false,
		node,
		description,
	) ?? {};

describe('what saved workflows rely on', () => {
	test('the fixtures are there: the released v1 workflows, and a parameter contract for every version saved', () => {
		expect(saved.filter((s) => s.version === 1).length).toBeGreaterThanOrEqual(12);
		expect(contracts.map((c) => c.version)).toEqual(
			expect.arrayContaining([...new Set(saved.map((s) => s.version))]),
		);
	});

	test('the node keeps its type name, and still runs every version workflows were saved with', () => {
		const versions = [description.version].flat();
		// The harness registers the node under the type name saved workflows carry.
		expect(NODE_TYPE).toBe(`${packageName}.${description.name}`);
		const problems = saved.flatMap(({ file, version, workflow, node }) => [
			...(node?.type === `${packageName}.${description.name}`
				? []
				: [
						`${file} ${workflow.id}: node type ${node?.type} is not ${packageName}.${description.name} (package name and description.name) any more`,
					]),
			...(node?.typeVersion === version
				? []
				: [`${file} ${workflow.id}: typeVersion ${node?.typeVersion} in a file for v${version}`]),
			...(versions.includes(version)
				? []
				: [
						`${file}: the node no longer has version ${version} (description.version is ${JSON.stringify(description.version)})`,
					]),
		]);
		expect(problems).toEqual([]);
	});

	test.each(contracts.map((c) => [c.file, c] as const))(
		'%s: no released parameter was renamed, removed, retyped or given another default',
		(_file, { contract, version }) => {
			expect(contractChanges(contract, parameterContract(description, version), version)).toEqual(
				[],
			);
		},
	);

	test('every saved parameter is still a parameter of the node, shown, with a valid value', async () => {
		const problems: string[] = [];
		const listed: Array<{ where: string; path: string; method: string; value: unknown }> = [];
		for (const { file, workflow, node } of saved) {
			const check = checkSavedParameters(node, description);
			problems.push(...check.problems.map((p) => `${file} ${workflow.id}: ${p}`));
			listed.push(...check.listed.map((l) => ({ ...l, where: `${file} ${workflow.id}` })));
		}
		// Values from a list onOffice supplies (document attributes): the node's method must still list them.
		expect(listed.length).toBeGreaterThan(0);
		for (const { where, path, method, value } of listed) {
			const offered = (await loadOptions(method, sandbox.credentials)) as INodePropertyOptions[];
			if (!offered.some((o) => o.value === value))
				problems.push(
					`${where}: saved parameter "${path}" = ${JSON.stringify(value)} is not among the values ${method} lists`,
				);
		}
		expect(problems).toEqual([]);
	});

	test('the workflows are what the editor saves: only values that differ from the defaults', () => {
		const problems: string[] = [];
		for (const { file, workflow, node } of saved) {
			const now = asEditorSaves(node, description);
			const same = JSON.stringify(now) === JSON.stringify(node.parameters);
			if (NOT_FROM_THE_EDITOR.includes(workflow.id)) {
				if (same)
					problems.push(
						`${file} ${workflow.id}: listed as not from the editor, but it is exactly what the editor saves`,
					);
			} else if (!same) {
				problems.push(
					`${file} ${workflow.id}: the editor would save ${JSON.stringify(now)} now, not ${JSON.stringify(node.parameters)}: a default changed or a saved value is no longer shown`,
				);
			}
		}
		expect(problems).toEqual([]);
	});

	test('together they use every operation, every module and every On Duplicate choice, the default included', () => {
		const used = new Set<string>();
		for (const { node } of saved) {
			const p = resolved(node);
			used.add(`operation ${p.operation}`);
			if (p.operation === 'uploadFile') used.add(`module ${p.module}`);
			if (p.onDuplicate !== undefined)
				used.add(
					`${p.operation} onDuplicate ${p.onDuplicate}${'onDuplicate' in node.parameters ? '' : ' (left out)'}`,
				);
		}
		const values = (name: string, operation = EVERY_OPERATION) =>
			(
				(description.properties.find(
					(p) =>
						p.name === name &&
						(operation === EVERY_OPERATION ||
							(p.displayOptions?.show?.operation as string[] | undefined)?.includes(operation)),
				)?.options ?? []) as INodePropertyOptions[]
			).map((o) => String(o.value));
		const wanted = [
			...values('operation').map((v) => `operation ${v}`),
			...values('module', 'uploadFile').map((v) => `module ${v}`),
			...['uploadFile', 'addLink'].flatMap((op) =>
				['uploadAnyway (left out)', 'skip', 'replace'].map((v) => `${op} onDuplicate ${v}`),
			),
		];
		expect([...used]).toEqual(expect.arrayContaining(wanted));
	});
});

// ---- Running them -----------------------------------------------------------------------------------------------

const sampleSha = (size: number, seed: string) => sha(sample(size, seed));

/** A file already on a record before the workflow runs, as an earlier upload or a user in onOffice left it. */
function seed(
	module: StoredFile['module'],
	relatedRecordId: number,
	file: Partial<StoredFile>,
): StoredFile {
	const stored: StoredFile = {
		fileId: sandbox.store.nextId(),
		module,
		relatedRecordId,
		fileName: '',
		position: 0,
		size: 100,
		sha256: 'seeded',
		blocks: 1,
		modified: sandbox.store.now() - 3600,
		...file,
	};
	sandbox.store.place(stored, undefined);
	return stored;
}

/** What the sandbox stores, without the bytes (their hash is there), so a failure shows a readable diff. */
const stored = (filter: Partial<Pick<StoredFile, 'module' | 'relatedRecordId'>> = {}) =>
	sandbox.files(filter).map((f) => ({ ...f, content: undefined }));
/** A record's files in the order of its Files tab. */
const onTab = (module: StoredFile['module'], relatedRecordId: number) =>
	stored({ module, relatedRecordId }).sort((a, b) => a.position - b.position);
const linkRequests = () =>
	sandbox.requests.filter((r) =>
		r.actions.some((a) => a.parameters.url !== undefined && a.resourcetype === 'uploadfile'),
	);

interface Expectation {
	/** What the records hold before the run, and faults the sandbox is to show. */
	before?: () => unknown;
	faults?: FaultRule[];
	/** `before`'s result, and the node's output items. */
	check: (before: any, out: INodeExecutionData[]) => void;
}

/**
 * What each saved workflow did when it was saved, by workflow id. What a workflow leaves out is said here too: it is
 * the default then, and must stay the default's effect.
 */
const EXPECTED: Record<string, Expectation> = {
	svUploadLegacy: {
		// On Duplicate did not exist yet: left out, it is Upload Anyway, so a second copy arrives.
		before: () =>
			seed('estate', 2651, {
				fileName: 'Drohnenflug.mp4',
				size: 153600,
				art: 'Dokument',
				title: 'Drohnenflug',
			}),
		check: (old: StoredFile, out) => {
			const files = onTab('estate', 2651);
			expect(files.map((f) => f.fileName)).toEqual(['Drohnenflug.mp4', 'Drohnenflug.mp4']);
			const added = files.find((f) => f.fileId !== old.fileId)!;
			// Title left out: the file name without its extension. 150 KiB in 64 KiB blocks: three.
			expect(added).toMatchObject({
				art: 'Dokument',
				title: 'Drohnenflug',
				size: 153600,
				blocks: 3,
				sha256: sampleSha(153600, 'drone'),
			});
			expect(out.map((o) => o.json)).toEqual([
				expect.objectContaining({
					operation: 'uploadFile',
					module: 'estate',
					relatedRecordId: 2651,
					fileName: 'Drohnenflug.mp4',
					fileType: 'Dokument',
					fileTypeChosenBy: 'chosen',
					fileId: String(added.fileId),
					blocks: 3,
				}),
			]);
		},
	},
	svUploadPhoto: {
		// Left out: operation (Upload File), module (Estate), the binary field (data, not every binary property) and
		// the file type (Automatic by Type: a PNG is a Foto, even with "Grundriss" in its name).
		check: (_, out) => {
			expect(stored()).toEqual([
				expect.objectContaining({
					module: 'estate',
					relatedRecordId: 409,
					fileName: 'Grundriss EG.png',
					art: 'Foto',
					title: 'Erdgeschoss',
					size: 5000,
					sha256: sampleSha(5000, 'eg'),
					applyWaterMark: undefined,
				}),
			]);
			expect(
				out.map((o) => [o.json.binaryPropertyName, o.json.fileType, o.json.fileTypeChosenBy]),
			).toEqual([['data', 'Foto', 'MIME type image/png']]);
		},
	},
	svUploadEmail: {
		before: () =>
			seed('estate', 2651, {
				fileName: 'wohnzimmer.jpg',
				size: 3000,
				art: 'Foto',
				title: 'wohnzimmer',
			}),
		check: (old: StoredFile, out) => {
			const added = onTab('estate', 2651).filter((f) => f.fileId !== old.fileId);
			expect(
				added.map((f) => [
					f.fileName,
					f.art,
					f.applyWaterMark,
					f.setDefaultPublicationRights,
					f.sha256,
				]),
			).toEqual([
				['Grundriss OG.jpg', 'Grundriss', true, true, sampleSha(4000, 'og')],
				// The watermark is for pictures only.
				['Kurzexposé.pdf', 'Expose', undefined, true, sampleSha(6000, 'expose')],
			]);
			expect(out.map((o) => [o.json.fileName, o.json.skipped ?? o.json.leftOut ?? false])).toEqual([
				['Grundriss OG.jpg', false],
				['Kurzexposé.pdf', false],
				['wohnzimmer.jpg', true],
				['winmail.dat', true],
				['einladung.ics', true],
				['image001.png', true],
			]);
			expect(out[2].json).toMatchObject({ skipped: true, fileId: String(old.fileId) });
			expect(out.slice(3).map((o) => o.json.reason)).toEqual([
				expect.stringMatching(/File Filter.*winmail\.dat/),
				expect.stringMatching(/File Filter.*\*\.ics/),
				expect.stringMatching(/File Filter.*less than 1024 \(Minimum Size\)/),
			]);
			expect(out.map((o) => o.json.fileTypeChosenBy).slice(0, 2)).toEqual([
				'file name (Grundriss)',
				'file name (Expose)',
			]);
		},
	},
	svUploadReservation: {
		before: () => [
			seed('estate', 30, { fileName: 'expose.pdf', art: 'Expose', title: 'Exposé' }),
			seed('estate', 30, {
				fileName: 'reservierungsliste.pdf',
				size: 1800,
				art: 'Dokument',
				title: 'Alte Liste',
			}),
		],
		// Four refused first blocks: the saved 5 retries get through them, the default 3 would not.
		faults: [{ kind: 'http', status: 503, when: { step: 'firstBlock' }, times: 4 }],
		check: ([expose, oldList]: StoredFile[], out) => {
			expect(onTab('estate', 30)).toEqual([
				expect.objectContaining({
					fileName: 'reservierungsliste.pdf',
					title: 'Reservierungsliste Haus A',
					art: 'Dokument',
					documentAttribute: 'document_reservation_list',
					freetext: 'Stand März',
					size: 2500,
					sha256: sampleSha(2500, 'liste'),
					position: 0,
				}),
				expect.objectContaining({ fileId: expose.fileId, position: 1 }),
			]);
			expect(sandbox.requests.filter((r) => r.step === 'firstBlock')).toHaveLength(5);
			expect(out.map((o) => o.json)).toEqual([
				expect.objectContaining({
					fileName: 'reservierungsliste.pdf',
					binaryPropertyName: 'attachment_0',
					replacedFileId: String(oldList.fileId),
				}),
			]);
		},
	},
	svUploadTitlePicture: {
		before: () => seed('estate', 409, { fileName: 'alt.jpg', art: 'Titelbild', title: 'alt' }),
		check: (old: StoredFile, out) => {
			expect(onTab('estate', 409).map((f) => [f.fileName, f.art])).toEqual([
				['alt.jpg', 'Foto'],
				['Ansicht Süd.jpg', 'Titelbild'],
			]);
			expect(stored().find((f) => f.fileId === old.fileId)!.art).toBe('Foto');
			expect(out.map((o) => o.json)).toEqual([
				expect.objectContaining({ fileType: 'Titelbild', madeTitlePicture: true }),
			]);
		},
	},
	svUploadAddress: {
		before: () => seed('address', 7, { fileName: 'vertrag.pdf', size: 2000 }),
		check: (old: StoredFile, out) => {
			expect(
				onTab('address', 7).map((f) => [
					f.fileId === old.fileId ? 'seeded' : 'new',
					f.fileName,
					f.size,
					f.art,
					f.title,
				]),
			).toEqual([
				['seeded', 'vertrag.pdf', 2000, undefined, undefined],
				['new', 'anlage.pdf', 1200, undefined, undefined],
			]);
			expect(out.map((o) => [o.json.binaryPropertyName, o.json.skipped ?? false])).toEqual([
				['vertrag', true],
				['anlage', false],
			]);
			// An address gets no estate-only parameters, whatever the estate fields' defaults are.
			const link = sandbox.requests.find((r) => r.step === 'step2')!;
			expect(Object.keys(link.actions[0].parameters).sort()).toEqual([
				'file',
				'module',
				'relatedRecordId',
				'tmpUploadId',
			]);
		},
	},
	svUploadAgentsLog: {
		check: (_, out) => {
			expect(stored()).toEqual([
				expect.objectContaining({
					module: 'agentsLog',
					relatedRecordId: 5,
					fileName: 'protokoll.pdf',
					size: 1800,
					sha256: sampleSha(1800, 'p'),
					art: undefined,
				}),
			]);
			expect(out.map((o) => o.json.binaryPropertyName)).toEqual(['data']);
		},
	},
	svUploadTask: {
		check: (_, out) => {
			// 7000 bytes in 3 KiB blocks (3072 bytes): three.
			expect(stored()).toEqual([
				expect.objectContaining({
					module: 'task',
					relatedRecordId: 9,
					fileName: 'aufgabe.txt',
					size: 7000,
					blocks: 3,
					sha256: sampleSha(7000, 't'),
				}),
			]);
			expect(out.map((o) => o.json.relatedRecordId)).toEqual([9]);
		},
	},
	svStage: {
		check: (_, out) => {
			expect(stored()).toEqual([]);
			expect(sandbox.store.cache).toEqual([
				expect.objectContaining({
					fileName: 'Exposé Entwurf.pdf',
					size: 7000,
					blocks: 3,
					sha256: sampleSha(7000, 's'),
				}),
			]);
			expect(out.map((o) => o.json)).toEqual([
				expect.objectContaining({
					operation: 'stageFile',
					module: 'tmpUpload',
					binaryPropertyName: 'attachment_0',
					fileName: 'Exposé Entwurf.pdf',
					cacheFileUuid: sandbox.store.cache[0].cacheFileUuid,
				}),
			]);
		},
	},
	svLinkLegacy: {
		// Left out: Link Type (Link), title (none) and On Duplicate (Add Anyway: a second link to the same URL).
		before: () =>
			seed('estate', 2651, {
				url: 'https://www.example.com/expose/2651',
				art: 'Link',
				title: 'Exposé online',
				size: 0,
				sha256: '',
			}),
		check: (old: StoredFile, out) => {
			const links = onTab('estate', 2651);
			expect(
				links.map((f) => [f.fileId === old.fileId ? 'seeded' : 'new', f.url, f.art, f.title]),
			).toEqual([
				['seeded', 'https://www.example.com/expose/2651', 'Link', 'Exposé online'],
				['new', 'https://www.example.com/expose/2651', 'Link', undefined],
			]);
			expect(out.map((o) => o.json)).toEqual([
				expect.objectContaining({
					operation: 'addLink',
					relatedRecordId: 2651,
					fileType: 'Link',
					fileId: String(links[1].fileId),
				}),
			]);
		},
	},
	svLinkSheet: {
		before: () =>
			seed('estate', 2651, {
				url: 'https://tour.example.com/2651',
				art: 'Ogulo-Link',
				title: 'Rundgang',
				size: 0,
				sha256: '',
			}),
		check: (old: StoredFile, out) => {
			const added = stored().filter((f) => f.fileId !== old.fileId);
			expect(
				added.map((f) => [
					f.relatedRecordId,
					f.url,
					f.art,
					f.title,
					f.freetext,
					f.setDefaultPublicationRights,
				]),
			).toEqual([
				[409, 'https://tour.example.com/409', 'Ogulo-Link', 'Rundgang 409', 'Import', true],
				[30, 'https://tour.example.com/30', 'Ogulo-Link', 'Rundgang 30', 'Import', true],
			]);
			// The two links that were sent went in one request (batch size 2).
			expect(linkRequests().map((r) => r.actions.length)).toEqual([2]);
			expect(out.map((o) => [o.json.relatedRecordId, o.json.skipped ?? false])).toEqual([
				[409, false],
				[2651, true],
				[30, false],
			]);
			expect(out[1].json.fileId).toBe(String(old.fileId));
		},
	},
	svLinkReplace: {
		before: () => [
			seed('estate', 2651, { fileName: 'haus.jpg', art: 'Foto', title: 'Haus' }),
			seed('estate', 2651, {
				url: 'https://video.example.com/2651',
				art: 'Film-Link',
				title: 'Drohnenflug',
				size: 0,
				sha256: '',
			}),
		],
		check: ([photo, oldLink]: StoredFile[], out) => {
			// Title left out: the new link takes over the old one's; position 0 as saved.
			expect(
				onTab('estate', 2651).map((f) => [
					f.fileId === photo.fileId
						? 'photo'
						: f.fileId === oldLink.fileId
							? 'old link'
							: 'new link',
					f.url,
					f.art,
					f.title,
				]),
			).toEqual([
				['new link', 'https://video.example.com/2651', 'Film-Link', 'Drohnenflug'],
				['photo', undefined, 'Foto', 'Haus'],
			]);
			expect(out.map((o) => o.json)).toEqual([
				expect.objectContaining({ fileType: 'Film-Link', replacedFileId: String(oldLink.fileId) }),
			]);
		},
	},
	// ---- Version 2 ---------------------------------------------------------------------------------------------
	sv2UploadByPropertyNumber: {
		// Left out: On Duplicate (Skip in v2) and File Type (Automatic by Name in v2).
		before: () =>
			seed('estate', 409, { fileName: 'Garten.jpg', size: 3000, art: 'Foto', title: 'Garten' }),
		check: (old: StoredFile, out) => {
			const added = onTab('estate', 409).filter((f) => f.fileId !== old.fileId);
			expect(added.map((f) => [f.fileName, f.art, f.sha256])).toEqual([
				['Grundriss EG.pdf', 'Grundriss', sampleSha(4000, 'eg2')],
			]);
			expect(
				out.map((o) => [o.json.fileName, o.json.skipped ?? false, o.json.relatedRecordId]),
			).toEqual([
				['Grundriss EG.pdf', false, 409],
				['Garten.jpg', true, 409],
			]);
			expect(out[0].json.foundBy).toEqual({
				mode: 'propertyNumber',
				value: 'PC910',
				label: 'PC910 · Musterstraße 12, 52064 Aachen · Einfamilienhaus (409)',
			});
		},
	},
	sv2UploadFromList: {
		check: (_, out) => {
			// A PNG named Lageplan: Automatic by Name (the v2 default) makes it a Lageplan, where v1's default made it a Foto.
			expect(stored()).toEqual([
				expect.objectContaining({
					module: 'estate',
					relatedRecordId: 2651,
					fileName: 'Lageplan.png',
					art: 'Lageplan',
					title: 'Lageplan Südstadt',
					sha256: sampleSha(2500, 'lage'),
				}),
			]);
			expect(out[0].json.foundBy).toEqual({
				mode: 'list',
				value: '2651',
				label: 'PC651 · Musterstraße 3, 50667 Köln · Reihenhaus · inactive (2651)',
			});
			// Chosen from the list: the number is known, nothing is looked up.
			expect(
				sandbox.requests.filter((r) =>
					r.actions.some((a) => a.actionid === 'read' || a.resourcetype === 'search'),
				),
			).toEqual([]);
		},
	},
	sv2UploadAddressByEmail: {
		check: (_, out) => {
			expect(onTab('address', 21).map((f) => [f.fileName, f.size, f.art, f.sha256])).toEqual([
				['Gehaltsnachweis Oktober.pdf', 5000, undefined, sampleSha(5000, 'gehalt10')],
				['Gehaltsnachweis November.pdf', 5100, undefined, sampleSha(5100, 'gehalt11')],
			]);
			expect(out.map((o) => o.json.foundBy)).toEqual(
				[0, 1].map(() => ({
					mode: 'email',
					value: 'jonas.becker@example.com',
					label: 'Jonas Becker · jonas.becker@example.com (21)',
				})),
			);
		},
	},
	sv2UploadTaskAnyway: {
		check: (_, out) => {
			expect(stored()).toEqual([
				expect.objectContaining({
					module: 'task',
					relatedRecordId: 9,
					fileName: 'protokoll.pdf',
					size: 1800,
					sha256: sampleSha(1800, 'prot2'),
				}),
			]);
			// Tasks' files cannot be read back: no On Duplicate, nothing read.
			expect(sandbox.requests.filter((r) => r.actions.some((a) => a.actionid === 'get'))).toEqual(
				[],
			);
			expect(out.map((o) => o.json.relatedRecordId)).toEqual([9]);
		},
	},
	sv2LinkByPropertyNumber: {
		before: () =>
			seed('estate', 30, {
				url: 'https://tour.example.com/PC101',
				art: 'Ogulo-Link',
				title: 'Rundgang',
				size: 0,
				sha256: '',
			}),
		check: (old: StoredFile, out) => {
			const added = stored().filter((f) => f.fileId !== old.fileId);
			expect(added.map((f) => [f.relatedRecordId, f.url, f.art, f.title])).toEqual([
				[409, 'https://tour.example.com/PC910', 'Ogulo-Link', 'Rundgang'],
			]);
			expect(out.map((o) => [o.json.relatedRecordId, o.json.skipped ?? false])).toEqual([
				[409, false],
				[30, true],
			]);
		},
	},
	sv2LinkByIdAnyway: {
		before: () =>
			seed('estate', 409, {
				url: 'https://www.example.com/expose/409',
				art: 'Link',
				title: 'Exposé online',
				size: 0,
				sha256: '',
			}),
		check: (_old: StoredFile, out) => {
			expect(onTab('estate', 409).map((f) => f.url)).toEqual([
				'https://www.example.com/expose/409',
				'https://www.example.com/expose/409',
			]);
			expect(out.map((o) => o.json.foundBy)).toEqual([{ mode: 'id', value: '409' }]);
		},
	},
};

describe('saved workflows still do what they did', () => {
	test('every saved workflow has its expectation, and every expectation its workflow', () => {
		expect(Object.keys(EXPECTED).sort()).toEqual(saved.map((s) => s.workflow.id).sort());
	});

	test.each(saved.map((s) => [`${s.file} ${s.workflow.id}`, s] as const))(
		'%s',
		async (_name, { workflow, node }) => {
			const expectation = EXPECTED[workflow.id];
			expect(expectation).toBeDefined();
			const before = expectation.before?.();
			if (expectation.faults) sandbox.inject(...expectation.faults);
			// A copy: n8n's Workflow fills the defaults into the nodes it is given.
			const copy = structuredClone(workflow);
			const result = await runWorkflow({
				nodes: copy.nodes,
				connections: copy.connections,
				credentials: { onOfficeApi: sandbox.credentials },
			});
			expect(result.error).toBeUndefined();
			const out = result.output(node.name);
			expect(out.length).toBeGreaterThan(0);
			out.forEach((o) => expect(o.json.error).toBeUndefined());
			expectation.check(before, out);
		},
	);
});
