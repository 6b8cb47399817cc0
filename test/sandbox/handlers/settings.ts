// What onOffice says of its configuration: get fields (the document attributes), read basicsettings and impressum.
import { ActionError } from '../contract';
import type { SandboxStore } from '../store';
import { bool, type ActionResult, type Params } from './action';

export function getFields(store: SandboxStore, p: Params): ActionResult {
	const modules = p.modules;
	if (modules !== undefined && !Array.isArray(modules))
		throw new ActionError(74 as number, 'modules');
	const wanted = (modules as string[] | undefined) ?? ['file'];
	const labels = bool(p.labels) === true;
	const records = wanted
		.filter((m) => m === 'file')
		.map(() => ({
			id: 'file',
			type: '',
			elements: {
				...(labels ? { label: 'Dateien' } : {}),
				documentAttributes: {
					type: 'singleselect',
					length: null,
					permittedvalues: labels
						? { ...store.documentAttributes }
						: Object.keys(store.documentAttributes),
					default: null,
					filters: [],
					dependencies: [],
					compoundFields: [],
					...(labels ? { label: 'Dokumentenmerkmale', fieldMeasureFormat: 'DATA_TYPE_NONE' } : {}),
				},
			},
		}));
	return { records, cntabsolute: null };
}

export function readBasicSettings(): ActionResult {
	return {
		records: [
			{ id: 0, type: null, elements: { basicData: { characteristicsCi: { color: '#80b83c' } } } },
		],
	};
}

export function readImpressum(): ActionResult {
	return {
		records: [
			{
				id: 'impressum',
				type: null,
				elements: {
					firma: 'Sandbox Immobilien GmbH',
					ort: 'Aachen',
					email: 'info@sandbox.invalid',
				},
			},
		],
	};
}
