import {
	ONOFFICE_ACTION,
	type OnOfficeUnsignedAction,
} from '../../../credentials/onOfficeSignature';

export { ONOFFICE_ACTION };
export type OnOfficeActionKind = keyof typeof ONOFFICE_ACTION;

/**
 * Builds one unsigned action. Parameters are sorted by key in byte order as onOffice documents (and its SDK
 * does); parameters that are undefined or null are left out rather than sent as null.
 */
export function buildAction(
	kind: OnOfficeActionKind,
	resourcetype: string,
	parameters: Record<string, unknown>,
	options: { resourceid?: string; identifier: string },
): OnOfficeUnsignedAction {
	const sorted: Record<string, unknown> = {};
	for (const key of Object.keys(parameters).sort(byteOrder)) {
		const value = parameters[key];
		if (value !== undefined && value !== null) sorted[key] = value;
	}
	return {
		actionid: ONOFFICE_ACTION[kind],
		resourceid: options.resourceid ?? '',
		resourcetype,
		identifier: options.identifier,
		parameters: sorted,
	};
}

function byteOrder(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
