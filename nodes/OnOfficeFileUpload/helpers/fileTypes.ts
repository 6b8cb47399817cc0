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

const values = (options: INodePropertyOptions[]) => options.map((o) => String(o.value));
export const PICTURE_VALUES = values(PICTURE_TYPES);
export const DOCUMENT_VALUES = values(DOCUMENT_TYPES);
export const LINK_VALUES = values(LINK_TYPES);

export function isPictureType(art: string): boolean {
	return PICTURE_VALUES.includes(art);
}

/** The `Art` for one file: the chosen type, or for "auto" Foto for images and Dokument for the rest. */
export function resolveFileType(chosen: string, mimeType: string): string {
	if (chosen !== AUTO_FILE_TYPE) return chosen;
	return mimeType.toLowerCase().startsWith('image/') ? 'Foto' : 'Dokument';
}
