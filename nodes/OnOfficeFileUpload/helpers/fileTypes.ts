import type { INodePropertyOptions } from 'n8n-workflow';

// onOffice's `Art` values for estate files, as documented for uploadfile.
export const PICTURE_TYPES: INodePropertyOptions[] = [
	{ name: 'Picture: Anzeigen (Ad)', value: 'Anzeigen' },
	{ name: 'Picture: Banner', value: 'Banner' },
	{ name: 'Picture: Epass_Skala (Energy Scale)', value: 'Epass_Skala' },
	{ name: 'Picture: Finanzierungsbeispiel (Financing Example)', value: 'Finanzierungsbeispiel' },
	{ name: 'Picture: Foto (Photo)', value: 'Foto' },
	{ name: 'Picture: Foto_gross (Large Photo)', value: 'Foto_gross' },
	{ name: 'Picture: Grundriss (Floor Plan)', value: 'Grundriss' },
	{ name: 'Picture: Lageplan (Site Plan)', value: 'Lageplan' },
	{ name: 'Picture: Logo', value: 'Logo' },
	{ name: 'Picture: Panorama', value: 'Panorama' },
	{ name: 'Picture: QR-Code', value: 'QR-Code' },
	{ name: 'Picture: Stadtplan (City Map)', value: 'Stadtplan' },
	{ name: 'Picture: Titelbild (Title Picture, One per Estate)', value: 'Titelbild' },
];

export const DOCUMENT_TYPES: INodePropertyOptions[] = [
	{ name: 'Document: Aushang (Notice)', value: 'Aushang' },
	{ name: 'Document: Dokument (Internal Document)', value: 'Dokument' },
	{ name: 'Document: Energieausweis (Energy Certificate)', value: 'Energieausweis' },
	{ name: 'Document: Expose (Exposé)', value: 'Expose' },
	{ name: 'Document: Mietaufstellung (Rent Roll)', value: 'Mietaufstellung' },
];

export const LINK_TYPES: INodePropertyOptions[] = [
	{ name: 'Film-Link (Video)', value: 'Film-Link' },
	{ name: 'Link (Web Page)', value: 'Link' },
	{ name: 'Objekt-Link (Estate Web Page)', value: 'Objekt-Link' },
	{ name: 'Ogulo-Link (Virtual Tour)', value: 'Ogulo-Link' },
];

/** Not an onOffice value: the node picks Foto for images and Dokument for everything else, per file. */
export const AUTO_FILE_TYPE = 'auto';
/** Not an onOffice value: like AUTO_FILE_TYPE, but first from what the file name says it is (see NAME_RULES). */
export const AUTO_BY_NAME_FILE_TYPE = 'autoByName';

const values = (options: INodePropertyOptions[]) => options.map((o) => String(o.value));
export const PICTURE_VALUES = values(PICTURE_TYPES);
export const DOCUMENT_VALUES = values(DOCUMENT_TYPES);
export const LINK_VALUES = values(LINK_TYPES);

export function isPictureType(art: string): boolean {
	return PICTURE_VALUES.includes(art);
}

/**
 * What a file name says a file is, in German and English, checked in this order on the name without its
 * extension, lower-cased, with accents and umlauts folded (é -> e, ä -> a, ß -> ss) and `_ - .` read as spaces.
 * The README shows this table.
 */
export const NAME_RULES: Array<{ art: string; words: string; pattern: RegExp }> = [
	{
		art: 'Energieausweis',
		words: 'Energieausweis, Energiepass, energy certificate',
		pattern: /energieausweis|energiepass|energy ?(performance )?certificate/,
	},
	{
		art: 'Expose',
		words: 'Exposé, Expose, Exposee (also in compounds: Kurzexposé)',
		pattern: /exposee?( |$)/,
	},
	{
		art: 'Grundriss',
		words: 'Grundriss, Grundriß, floor plan, floorplan',
		pattern: /grundriss|floor ?plan/,
	},
	{
		art: 'Lageplan',
		words: 'Lageplan, Lagepläne, site plan, siteplan',
		pattern: /lageplan|site ?plan/,
	},
];

/** A file name as NAME_RULES read it. */
export function foldName(fileName: string): string {
	return fileName
		.replace(/\.[^.]*$/, '')
		.toLowerCase()
		.replace(/ß/g, 'ss')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[\s_.-]+/g, ' ')
		.trim();
}

export interface ResolvedFileType {
	art: string;
	/** Why: "chosen", "file name (Grundriss)", or "MIME type image/jpeg". */
	chosenBy: string;
}

/** The `Art` for one file: the chosen type; for "auto" Foto for images and Dokument for the rest; for "autoByName" the name first. */
export function resolveFileType(chosen: string, mimeType: string, fileName = ''): ResolvedFileType {
	if (chosen !== AUTO_FILE_TYPE && chosen !== AUTO_BY_NAME_FILE_TYPE)
		return { art: chosen, chosenBy: 'chosen' };
	if (chosen === AUTO_BY_NAME_FILE_TYPE) {
		const folded = foldName(fileName);
		const rule = NAME_RULES.find((r) => r.pattern.test(folded));
		if (rule) return { art: rule.art, chosenBy: `file name (${rule.art})` };
	}
	const type = mimeType.toLowerCase();
	return { art: type.startsWith('image/') ? 'Foto' : 'Dokument', chosenBy: `MIME type ${type}` };
}
