// Decisions about a file, table-driven: which Art "Automatic by Name" picks, and when a link or file counts as
// already on the record.
import { filesNamed, linksTo, normaliseUrl, sameFile, type RecordFile } from '../../nodes/OnOfficeFileUpload/helpers/duplicates';
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
		expect(resolveFileType('autoByName', 'application/pdf', 'Lageplan.pdf').chosenBy).toBe('file name (Lageplan)');
		expect(resolveFileType('autoByName', 'IMAGE/JPEG', 'x.jpg').chosenBy).toBe('MIME type image/jpeg');
		expect(resolveFileType('Expose', 'image/jpeg', 'x.jpg')).toEqual({ art: 'Expose', chosenBy: 'chosen' });
	});

	test('every rule gives an onOffice estate file type', () => {
		expect(NAME_RULES.map((r) => r.art)).toEqual(['Energieausweis', 'Expose', 'Grundriss', 'Lageplan']);
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
		expect(normaliseUrl('https://a.example/t?id=1')).not.toBe(normaliseUrl('https://a.example/t?id=2'));
		expect(normaliseUrl('https://a.example:8443/t')).not.toBe(normaliseUrl('https://a.example/t'));
		expect(normaliseUrl('http://a.example/t')).not.toBe(normaliseUrl('https://a.example/t'));
	});

	const files: RecordFile[] = [
		{ fileId: 3, originalname: 'plan.pdf', fileSize: 10, modified: 0, position: 2 },
		{ fileId: 1, originalname: 'plan.pdf', fileSize: 20, modified: 0, position: 0 },
		{ fileId: 2, originalname: '', fileSize: 0, modified: 0, position: 1, url: 'https://x.example/plan.pdf' },
	];

	test('a file is the same with the same name and size; Replace takes every file of that name, first on the tab first', () => {
		expect(files.filter((f) => sameFile(f, 'plan.pdf', 20)).map((f) => f.fileId)).toEqual([1]);
		expect(files.filter((f) => sameFile(f, 'Plan.pdf', 20))).toEqual([]);
		expect(filesNamed(files, 'plan.pdf').map((f) => f.fileId)).toEqual([1, 3]);
		expect(linksTo(files, 'HTTPS://X.example/plan.pdf/').map((f) => f.fileId)).toEqual([2]);
	});
});
