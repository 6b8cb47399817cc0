// What the node returns when an AI agent calls it as a tool: the model reads the JSON of the output items (n8n drops
// everything else), so a result is short and says what happened, and a failure is an item the model can act on
// rather than an error that, on n8n 1.x, would end the agent's whole run (worded in ./itemErrors).
import type { IDataObject, INode } from 'n8n-workflow';

/** n8n runs a node used by an AI agent as a type of its own, named after the node with "Tool" added. */
export function isToolRun(node: INode): boolean {
	return node.type.endsWith('Tool');
}

/** The output keys a model needs: what was done, to which record, the file's id, or why nothing was done. */
const FOR_THE_MODEL = [
	'operation',
	'module',
	'relatedRecordId',
	'fileName',
	'url',
	'sourceNode',
	'fileType',
	'title',
	'fileId',
	'cacheFileUuid',
	'skipped',
	'leftOut',
	'reason',
	'replacedFileId',
	'recoveredAfterLostAnswer',
];

/** One output item as the model gets it: the record named as a person would, no upload bookkeeping (blocks, tmpUploadId). */
export function toolOutput(json: IDataObject): IDataObject {
	const compact: IDataObject = {};
	for (const key of FOR_THE_MODEL) if (json[key] !== undefined) compact[key] = json[key];
	const label = (json.foundBy as IDataObject | undefined)?.label;
	if (typeof label === 'string') compact.record = label;
	return compact;
}
