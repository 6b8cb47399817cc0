// Decisions about a file, table-driven: which Art "Automatic by Name" picks, and when a link or file counts as
// already on the record.
import {
	filesNamed,
	linksTo,
	normaliseUrl,
	sameFile,
} from '../../nodes/OnOfficeFileUpload/helpers/duplicates';
import type { RecordFile } from '../../nodes/OnOfficeFileUpload/types';
import {
	leftOutBy,
	NO_FILTER,
	parseFileFilter,
} from '../../nodes/OnOfficeFileUpload/helpers/fileFilter';
import { NAME_RULES, resolveFileType } from '../../nodes/OnOfficeFileUpload/helpers/fileTypes';

describe('resolveFileType', () => {
	test.each([
		// name, MIME type, Automatic by Name, Automatic (unchanged)
		['Grundriss EG.pdf', 'application/pdf', 'Grundriss', 'Dokument'],
		['Grundriß_OG.png', 'image/png', 'Grundriss', 'Foto'],
		['floor-plan.jpg', 'image/jpeg', 'Grundriss', 'Foto'],
		['FloorPlan 2.PDF', 'application/pdf', 'Grundriss', 'Dokument'],
		['Erdgeschossgrundriss.jpg', 'image/jpeg', 'Grundriss', 'Foto'],
		['Lageplan.pdf', 'application/pdf', 'Lageplan', 'Dokument'],
		['Lagepläne Objekt 409.pdf', 'application/pdf', 'Lageplan', 'Dokument'],
		['site_plan.png', 'image/png', 'Lageplan', 'Foto'],
		['Exposé Müller.pdf', 'application/pdf', 'Expose', 'Dokument'],
		['EXPOSE-409.pdf', 'application/pdf', 'Expose', 'Dokument'],
		['Kurzexposee.pdf', 'application/pdf', 'Expose', 'Dokument'],
		['Energieausweis 2026.pdf', 'application/pdf', 'Energieausweis', 'Dokument'],
		['energy certificate.pdf', 'application/pdf', 'Energieausweis', 'Dokument'],
		['Energiepass.jpg', 'image/jpeg', 'Energieausweis', 'Foto'],
		['Exposé mit Grundriss.pdf', 'application/pdf', 'Expose', 'Dokument'],
		// Not what the rules mean: a picture that is over-exposed, a plain photo, a contract.
		['overexposed.jpg', 'image/jpeg', 'Foto', 'Foto'],
		['Wohnzimmer.jpg', 'image/jpeg', 'Foto', 'Foto'],
		['Mietvertrag.pdf', 'application/pdf', 'Dokument', 'Dokument'],
		['grundriss', 'application/octet-stream', 'Grundriss', 'Dokument'],
	])('%s (%s): by name %s, automatic %s', (name, mime, byName, automatic) => {
		expect(resolveFileType('autoByName', mime, name).art).toBe(byName);
		expect(resolveFileType('auto', mime, name).art).toBe(automatic);
	});

	test('says why', () => {
		expect(resolveFileType('autoByName', 'application/pdf', 'Lageplan.pdf').chosenBy).toBe(
			'file name (Lageplan)',
		);
		expect(resolveFileType('autoByName', 'IMAGE/JPEG', 'x.jpg').chosenBy).toBe(
			'MIME type image/jpeg',
		);
		expect(resolveFileType('Expose', 'image/jpeg', 'x.jpg')).toEqual({
			art: 'Expose',
			chosenBy: 'chosen',
		});
	});

	test('every rule gives an onOffice estate file type', () => {
		expect(NAME_RULES.map((r) => r.art)).toEqual([
			'Energieausweis',
			'Expose',
			'Grundriss',
			'Lageplan',
		]);
	});
});

describe('duplicates', () => {
	test.each([
		['HTTPS://Tour.Example.COM/409/Rundgang/', 'https://tour.example.com/409/Rundgang'],
		['https://tour.example.com:443/a', 'https://tour.example.com/a'],
		['https://tour.example.com/', 'https://tour.example.com'],
		['https://tour.example.com/a?x=1#top', 'https://tour.example.com/a?x=1#top'],
		['  https://tour.example.com/a//  ', 'https://tour.example.com/a'],
		['not a url', 'not a url'],
	])('normaliseUrl(%s) = %s', (url, normal) => {
		expect(normaliseUrl(url)).toBe(normal);
	});

	test('paths, queries and ports keep what makes them another page', () => {
		expect(normaliseUrl('https://a.example/Tour')).not.toBe(normaliseUrl('https://a.example/tour'));
		expect(normaliseUrl('https://a.example/t?id=1')).not.toBe(
			normaliseUrl('https://a.example/t?id=2'),
		);
		expect(normaliseUrl('https://a.example:8443/t')).not.toBe(normaliseUrl('https://a.example/t'));
		expect(normaliseUrl('http://a.example/t')).not.toBe(normaliseUrl('https://a.example/t'));
	});

	const files: RecordFile[] = [
		{ fileId: 3, originalname: 'plan.pdf', fileSize: 10, modified: 0, position: 2 },
		{ fileId: 1, originalname: 'plan.pdf', fileSize: 20, modified: 0, position: 0 },
		{
			fileId: 2,
			originalname: '',
			fileSize: 0,
			modified: 0,
			position: 1,
			url: 'https://x.example/plan.pdf',
		},
	];

	test('a file is the same with the same name and size; Replace takes every file of that name, first on the tab first', () => {
		expect(files.filter((f) => sameFile(f, 'plan.pdf', 20)).map((f) => f.fileId)).toEqual([1]);
		expect(files.filter((f) => sameFile(f, 'Plan.pdf', 20))).toEqual([]);
		expect(filesNamed(files, 'plan.pdf').map((f) => f.fileId)).toEqual([1, 3]);
		expect(linksTo(files, 'HTTPS://X.example/plan.pdf/').map((f) => f.fileId)).toEqual([2]);
	});
});

describe('file filter', () => {
	const filter = (raw: Record<string, unknown>) => {
		const parsed = parseFileFilter(raw);
		if ('problem' in parsed) throw new Error(parsed.problem);
		return parsed;
	};
	const mailFilter = filter({
		onlyTypes: 'image/*, application/pdf, .docx',
		minSizeKiB: 2,
		excludeNames: 'winmail.dat, *.ics, *.vcf, image0*.png',
	});

	test.each([
		['Exposé.pdf', 'application/pdf', 400000, undefined],
		['Wohnzimmer.JPG', 'image/jpeg', 180000, undefined],
		['Vertrag.docx', 'application/octet-stream', 30000, undefined],
		['PLAN.PDF', 'Application/PDF; name="PLAN.PDF"', 30000, undefined],
		[
			'winmail.dat',
			'application/ms-tnef',
			9000,
			'its name matches "winmail.dat" (Names to Leave Out)',
		],
		[
			'WINMAIL.DAT',
			'application/ms-tnef',
			9000,
			'its name matches "winmail.dat" (Names to Leave Out)',
		],
		['invite.ics', 'text/calendar', 3000, 'its name matches "*.ics" (Names to Leave Out)'],
		['Max Müller.vcf', 'text/vcard', 3000, 'its name matches "*.vcf" (Names to Leave Out)'],
		['image001.png', 'image/png', 8000, 'its name matches "image0*.png" (Names to Leave Out)'],
		[
			'notes.txt',
			'text/plain',
			9000,
			'notes.txt (text/plain) is none of image/*, application/pdf, .docx (Only File Types)',
		],
		['pixel.gif', 'image/gif', 43, 'it has 43 bytes, less than 2048 (Minimum Size)'],
	])('%s (%s, %i bytes): %s', (fileName, mimeType, size, reason) => {
		expect(leftOutBy(mailFilter, { fileName, mimeType, size })).toBe(reason);
	});

	test('no rules leave nothing out; ? is one character', () => {
		expect(
			leftOutBy(NO_FILTER, { fileName: 'winmail.dat', mimeType: 'application/ms-tnef', size: 1 }),
		).toBeUndefined();
		const q = filter({ excludeNames: 'scan?.pdf' });
		expect(
			leftOutBy(q, { fileName: 'scan1.pdf', mimeType: 'application/pdf', size: 9 }),
		).toBeDefined();
		expect(
			leftOutBy(q, { fileName: 'scan12.pdf', mimeType: 'application/pdf', size: 9 }),
		).toBeUndefined();
		expect(
			leftOutBy(filter({ excludeNames: 'a.b(c)+.pdf' }), {
				fileName: 'a.b(c)+.pdf',
				mimeType: 'x/y',
				size: 9,
			}),
		).toBeDefined();
	});

	test.each([
		[
			{ onlyTypes: 'pdf' },
			'"pdf" in "Only File Types" is neither a MIME type (image/*, application/pdf) nor an extension (.pdf); separate entries with commas',
		],
		[
			{ onlyTypes: 'image/*; */pdf' },
			'"*/pdf" in "Only File Types" is neither a MIME type (image/*, application/pdf) nor an extension (.pdf); separate entries with commas',
		],
		[{ minSizeKiB: -1 }, '"Minimum Size (KiB)" must be 0 or more, got -1'],
	])('%j cannot be read: %s', (raw, problem) => {
		expect(parseFileFilter(raw)).toEqual({ problem });
	});
});
