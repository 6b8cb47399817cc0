import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildAction, CREDENTIAL_TYPE, sendAction } from '../transport';

/** The first entry: the parameter's default (no attribute) is a value of the list, so n8n shows no "not supported". */
export const NO_ATTRIBUTE: INodePropertyOptions = { name: 'None', value: '', description: 'The file gets no document attribute' };

/**
 * Document attributes (Dokumentenmerkmale) from the field configuration of module `file`, with their labels. onOffice
 * answers with a list of keys, or with a key -> label object when labels are asked for; both are handled. The list
 * explains itself: it says when onOffice has none configured, and a failed request or a missing credential is an
 * error that says which (with onOffice's code), instead of an empty list.
 */
export async function getDocumentAttributes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		await this.getCredentials(CREDENTIAL_TYPE);
	} catch {
		throw new NodeOperationError(this.getNode(), 'Choose an onOffice API credential first: the document attributes are read from your onOffice');
	}
	const action = buildAction('get', 'fields', { labels: true, language: 'ENG', modules: ['file'] }, { identifier: 'fields' });
	const { records } = await sendAction(this, action, { retries: 1, timeoutMs: 60_000, doing: 'loading the document attributes' });
	const file = records.find((r) => r.id === 'file');
	const elements = (file?.elements ?? {}) as Record<string, { permittedvalues?: unknown }>;
	const permitted = elements.documentAttributes?.permittedvalues;
	const entries: Array<[string, string]> = Array.isArray(permitted)
		? permitted.map((key) => [String(key), String(key)])
		: Object.entries((permitted ?? {}) as Record<string, unknown>).map(([key, label]) => [key, String(label || key)]);
	if (entries.length === 0) {
		return [
			{
				name: 'No Document Attributes Are Set up in onOffice',
				value: '',
				description: 'Administration > Singleselect, module Files, field "Document features": add values there, then reopen this list',
			},
		];
	}
	const attributes = entries
		.map(([value, label]) => ({ name: label === value ? value : `${label} (${value})`, value }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return [NO_ATTRIBUTE, ...attributes];
}
