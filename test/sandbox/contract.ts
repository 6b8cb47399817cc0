// What the sandbox knows of onOffice: documented values and error codes (see shared/reference/onoffice-api.md).
// Written out here rather than imported from the package: a stand-in that shared the client's constants would
// agree with a wrong constant instead of catching it.

export const ACTION = {
	read: 'urn:onoffice-de-ns:smart:2.5:smartml:action:read',
	create: 'urn:onoffice-de-ns:smart:2.5:smartml:action:create',
	modify: 'urn:onoffice-de-ns:smart:2.5:smartml:action:modify',
	delete: 'urn:onoffice-de-ns:smart:2.5:smartml:action:delete',
	get: 'urn:onoffice-de-ns:smart:2.5:smartml:action:get',
	do: 'urn:onoffice-de-ns:smart:2.5:smartml:action:do',
} as const;

/** Which resource types each action serves here. */
export const RESOURCES: Record<string, string[]> = {
	[ACTION.do]: ['uploadfile'],
	[ACTION.get]: ['file', 'fields', 'search'],
	[ACTION.read]: ['basicsettings', 'impressum', 'estate', 'address'],
	[ACTION.modify]: ['fileRelation'],
	[ACTION.delete]: ['fileRelation'],
	[ACTION.create]: [],
};

export const PICTURE_TYPES = [
	'Titelbild',
	'Foto',
	'Foto_gross',
	'Grundriss',
	'Lageplan',
	'Stadtplan',
	'Anzeigen',
	'Epass_Skala',
	'Finanzierungsbeispiel',
	'QR-Code',
	'Logo',
	'Banner',
	'Panorama',
];
export const DOCUMENT_TYPES = [
	'Expose',
	'Dokument',
	'Aushang',
	'Mietaufstellung',
	'Energieausweis',
];
export const LINK_TYPES = ['Link', 'Ogulo-Link', 'Film-Link', 'Objekt-Link'];

export const MODULES = ['estate', 'address', 'agentsLog', 'task', 'tmpUpload'];
export const ESTATE_ONLY_PARAMETERS = [
	'Art',
	'title',
	'freetext',
	'documentAttribute',
	'position',
	'setDefaultPublicationRights',
	'applyWaterMark',
];

export const DOCUMENT_ATTRIBUTES: Record<string, string> = {
	document_expose: 'Exposé',
	document_price_list: 'Preisliste',
	document_reservation_list: 'Reservierungsliste',
	document_qr_code: 'QR-Code',
};

/** Estate types (field `objekttyp`): the key a read answers, the label the quick search answers. */
export const ESTATE_TYPES: Record<string, string> = {
	etage: 'Etagenwohnung',
	dachgeschoss: 'Dachgeschoss',
	einfamilienhaus: 'Einfamilienhaus',
	zweifamilienhaus: 'Zweifamilienhaus',
	reihenhaus: 'Reihenhaus',
};

/** onOffice reads at most this many records per request. */
export const READ_LIMIT_MAX = 500;

export const MESSAGES: Record<number, string> = {
	0: 'OK',
	1: 'Unknown error occurred',
	4: 'Invalid or malformed JSON',
	9: 'Empty request',
	13: 'Missing or invalid element: token',
	14: 'Missing or invalid element: request',
	15: 'Missing or invalid element: actions',
	16: 'Missing or invalid attribute: actionid',
	20: 'Missing or invalid element: parameters',
	22: 'Not authenticated',
	23: 'Missing configuration for actionId "%s"',
	25: 'Missing configuration for resourceType "%s"',
	74: 'Given element or parameter was expected to be an array',
	77: 'Invalid singleselect key: %s',
	80: 'Unknown record. Record may not exist or the permission rights are not set accordingly for this action.',
	97: 'Error in action',
	114: 'Missing file name',
	127: 'File not found',
	129: 'Fileupload is missing temporary upload file',
	136: 'Your timestamp is too old or your server time is wrong.',
	137: 'The HMAC is invalid.',
	141: 'Unknown field: %s',
	142: 'Unknown operator: %s',
	144: 'Invalid field in input data: "%s"',
	145: 'Unknown field: %s',
	149: 'No read permission for this estate',
	161: 'Document attribute exists',
	162: 'Invalid file type',
	163: 'Invalid name for module',
	167: 'Missing parameter "%s"',
	168: 'Entry could not be deleted',
	212: 'Unknown sort field.',
	213: 'Invalid filename',
	228: 'Given element or parameter was expected to be an integer: %s',
	236: 'Parameter "data" must be of type string',
	239: 'Upload failed. Estate already has a title picture.',
	255: 'Invalid value for parameter "%s"',
	257: 'An error occurred while validating the filter: %s',
	292: 'Unknown address record id. Record may not exist or the permission rights are not set accordingly for this action.',
	293: 'Unknown estate record id. Record may not exist or the permission rights are not set accordingly for this action.',
};

export function messageFor(code: number, arg?: string): string {
	const text = MESSAGES[code] ?? 'unknown error';
	return arg === undefined ? text : text.replace('%s', arg);
}

/** An error an action handler raises; the server turns it into that action's status. */
export class ActionError extends Error {
	constructor(
		readonly code: number,
		arg?: string,
	) {
		super(messageFor(code, arg));
	}
}
