// What npm run test:ui expects the editor to show (scripts/ui/run.ts): the estate list's labels, the canvas
// subtitles, the record modes as the docs name them; and a workflow saved with node version 1, which must stay so.
import { isDeepStrictEqual } from 'util';

import { NODE_TYPE } from '../services/uploadWebhook';

// What the estate list shows for the seeded estates 409 and 2651 (docs/finding-records.md, docs/sandbox.md).
export const PC910 = 'PC910 · Musterstraße 12, 52064 Aachen · Einfamilienhaus (409)';
export const PC651 = 'PC651 · Musterstraße 3, 50667 Köln · Reihenhaus · inactive (2651)';

/** A workflow saved with node version 1, as users have them: its record field must stay the old one. */
export const V1_WORKFLOW = {
	id: 'onofficeUiVersion1',
	name: 'onOffice: a node saved with version 1',
	nodes: [
		{
			id: '6f1d2c3b-0a4e-4b5c-8d7e-1f2a3b4c5d01',
			name: 'Upload to estate 409 (version 1)',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { operation: 'uploadFile', module: 'estate', relatedRecordId: '409' },
			credentials: { onOfficeApi: { id: 'onofficeSandbox', name: 'onOffice sandbox' } },
		},
	],
	connections: {},
	settings: {},
	active: false,
	pinData: {},
};

export interface ExampleNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
}

/** What the canvas should say for a node of the example: which operation, which record, "from the item" for an expression. */
export function expectedSubtitle(node: ExampleNode): string {
	const p = node.parameters;
	const op = String(p.operation ?? 'uploadFile');
	if (op === 'stageFile') return 'Stage File → File Cache';
	const module = op === 'addLink' ? 'estate' : String(p.module ?? 'estate');
	const noun =
		{ estate: 'Estate', address: 'Address', agentsLog: 'Agents Log', task: 'Task' }[module] ??
		'Record';
	const field =
		node.typeVersion >= 2 && (module === 'estate' || module === 'address')
			? p[module]
			: p.relatedRecordId;
	const rl =
		field && typeof field === 'object'
			? (field as { mode?: string; value?: unknown; cachedResultName?: string })
			: undefined;
	let target = rl
		? rl.mode === 'list' && rl.cachedResultName
			? rl.cachedResultName.split(' · ')[0]
			: String(rl.value ?? '')
		: String(field ?? '');
	if (target.startsWith('=')) target = 'from the item';
	return `${op === 'addLink' ? 'Add Link' : 'Upload File'} → ${noun} ${target}`.trim();
}

/** The mode names as the docs write them; n8n writes its own in sentence case ("From list"). */
export function sameLabels(shown: string[], documented: string[]): boolean {
	return isDeepStrictEqual(
		shown.map((s) => s.toLowerCase()),
		documented.map((s) => s.toLowerCase()),
	);
}
