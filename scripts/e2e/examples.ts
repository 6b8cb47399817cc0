// The example workflows as npm run test:e2e (scripts/e2e/run.ts) imports them into n8n.
import { copyFileSync, readFileSync } from 'fs';
import { join } from 'path';

import { root } from '../services/n8n';

/**
 * `n8n execute` runs a workflow once from a manual start, and the demo needs no mail server: an example's Email
 * Trigger (IMAP) is replaced by its sample in test/e2e/ (a manual trigger and a Code node that makes the items the
 * trigger would). Everything after the trigger is the example as shipped; `npm run test:mail` runs both e-mail
 * examples with the real trigger and a real IMAP server.
 */
interface WorkflowJson {
	nodes: Array<{ name: string; type: string; parameters?: Record<string, unknown> }>;
	connections: Record<string, unknown>;
}

/** The sample mails that stand in for each e-mail example's trigger. */
const SAMPLE_MAILS: Record<string, string> = {
	'email-attachments-to-estate.json': 'sample-email.json',
	'contact-documents-to-address.json': 'sample-contact-email.json',
};

export function withoutMailServer(workflow: WorkflowJson, file: string): WorkflowJson {
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.emailReadImap');
	// A workflow without sample mails is imported as it is and not run here (the AI agent examples need a model).
	if (!trigger || !SAMPLE_MAILS[file]) return workflow;
	const sample = JSON.parse(
		readFileSync(join(root, 'test', 'e2e', SAMPLE_MAILS[file]), 'utf8'),
	) as WorkflowJson;
	const [start, code] = sample.nodes;
	const connections = { ...workflow.connections } as Record<string, unknown>;
	connections[code.name] = connections[trigger.name];
	delete connections[trigger.name];
	connections[start.name] = { main: [[{ node: code.name, type: 'main', index: 0 }]] };
	return {
		...workflow,
		nodes: [...workflow.nodes.filter((n) => n !== trigger), ...sample.nodes],
		connections,
	};
}

/** Points the example's Read/Write Files from Disk at a copy of the file it reads, in `filesDir`. */
export function withFilesIn(workflow: WorkflowJson, filesDir: string): WorkflowJson {
	for (const node of workflow.nodes) {
		if (
			node.type !== 'n8n-nodes-base.readWriteFile' ||
			typeof node.parameters?.fileSelector !== 'string'
		)
			continue;
		const name = node.parameters.fileSelector.split('/').pop()!;
		copyFileSync(join(root, 'examples', name), join(filesDir, name));
		node.parameters.fileSelector = join(filesDir, name);
	}
	return workflow;
}
