// The document attributes (Dokumentenmerkmale) onOffice offers for files: the field configuration of module `file`.
import { sendAction } from '../transport';
import { buildAction } from '../transport/actions';
import type { OnOfficeContext, SendOptions } from '../transport/http';

/**
 * Each attribute as [value, label]. onOffice answers with a list of keys, or with a key -> label object when labels
 * are asked for; both are read. An empty list: none is set up in onOffice.
 */
export async function readDocumentAttributes(
	ctx: OnOfficeContext,
	send: Partial<SendOptions>,
): Promise<Array<[string, string]>> {
	const action = buildAction(
		'get',
		'fields',
		{ labels: true, language: 'ENG', modules: ['file'] },
		{ identifier: 'fields' },
	);
	const { records } = await sendAction(ctx, action, {
		...send,
		doing: 'loading the document attributes',
	});
	const file = records.find((r) => r.id === 'file');
	const elements = (file?.elements ?? {}) as Record<string, { permittedvalues?: unknown }>;
	const permitted = elements.documentAttributes?.permittedvalues;
	return Array.isArray(permitted)
		? permitted.map((key) => [String(key), String(key)])
		: Object.entries((permitted ?? {}) as Record<string, unknown>).map(([key, label]) => [
				key,
				String(label || key),
			]);
}
