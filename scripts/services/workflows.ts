// Workflows the tests import into n8n: the shape they have as JSON, an example as shipped, and its credentials
// replaced by the test's.
import { readFileSync } from 'fs';
import { join } from 'path';

import { root } from './n8n';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: number[];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
}

export interface Workflow {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings: Record<string, unknown>;
	[key: string]: unknown;
}

/**
 * The onOffice credential the example workflows name (by n8n's id), so that an imported example finds the sandbox;
 * with the sandbox's token, secret and URL as `data` it is what `n8n import:credentials` and the credential test take.
 */
export const SANDBOX_CREDENTIAL = {
	id: 'onofficeSandbox',
	name: 'onOffice sandbox',
	type: 'onOfficeApi',
} as const;

/** An example workflow as it ships (examples/<file>). */
export const example = (file: string) =>
	JSON.parse(readFileSync(join(root, 'examples', file), 'utf8')) as Workflow;

/** The workflow with every node's credential of a type replaced by the one given for that type (by n8n's id). */
export function withCredentials(
	workflow: Workflow,
	credentials: Record<string, { id: string; name: string }>,
): Workflow {
	const nodes = workflow.nodes.map((node) => {
		if (!node.credentials) return node;
		const replaced = Object.fromEntries(
			Object.keys(node.credentials).map((type) => {
				if (!credentials[type])
					throw new Error(
						`node "${node.name}" of ${workflow.name} uses a ${type} credential, which the test does not provide`,
					);
				return [type, credentials[type]];
			}),
		);
		return { ...node, credentials: replaced };
	});
	return { ...workflow, nodes };
}
