import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { readDocumentAttributes } from '../resources/documentAttributes';
import { EDITOR_SEND, requireCredential } from './editor';

/** The first entry: the parameter's default (no attribute) is a value of the list, so n8n shows no "not supported". */
export const NO_ATTRIBUTE: INodePropertyOptions = {
	name: 'None',
	value: '',
	description: 'The file gets no document attribute',
};

/**
 * Document attributes (Dokumentenmerkmale) from the field configuration of module `file`, with their labels. onOffice
 * answers with a list of keys, or with a key -> label object when labels are asked for; both are handled. The list
 * explains itself: it says when onOffice has none configured, and a failed request or a missing credential is an
 * error that says which (with onOffice's code), instead of an empty list.
 */
export async function getDocumentAttributes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	await requireCredential(this, 'the document attributes');
	const entries = await readDocumentAttributes(this, EDITOR_SEND);
	if (entries.length === 0) {
		return [
			{
				name: 'No Document Attributes Are Set up in onOffice',
				value: '',
				description:
					'Administration > Singleselect, module Files, field "Document features": add values there, then reopen this list',
			},
		];
	}
	const attributes = entries
		.map(([value, label]) => ({ name: label === value ? value : `${label} (${value})`, value }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return [NO_ATTRIBUTE, ...attributes];
}
