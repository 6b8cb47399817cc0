import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { buildAction, sendAction } from '../transport';

/**
 * Document attributes (Dokumentenmerkmale) from the field configuration of module `file`. onOffice answers with a
 * list of keys, or with a key -> label object when labels are asked for; both are handled.
 */
export async function getDocumentAttributes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const action = buildAction('get', 'fields', { labels: true, language: 'ENG', modules: ['file'] }, { identifier: 'fields' });
	const { records } = await sendAction(this, action, { retries: 1, timeoutMs: 60_000, doing: 'loading the document attributes' });
	const file = records.find((r) => r.id === 'file');
	const elements = (file?.elements ?? {}) as Record<string, { permittedvalues?: unknown }>;
	const permitted = elements.documentAttributes?.permittedvalues;
	const entries: Array<[string, string]> = Array.isArray(permitted)
		? permitted.map((key) => [String(key), String(key)])
		: Object.entries((permitted ?? {}) as Record<string, unknown>).map(([key, label]) => [key, String(label || key)]);
	return entries
		.map(([value, label]) => ({ name: label === value ? value : `${label} (${value})`, value }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
