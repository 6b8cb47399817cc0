// The node's editor methods (a list of options, a list search), run the way the editor runs them.
import { LoadOptionsContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeListSearchResult,
	type INodeType,
} from 'n8n-workflow';

import { useBinaryMode } from './binaryMode';
import { NODE_TYPE, nodeTypes, NodeTypes } from './registry';
import { makeAdditionalData } from './run';

/**
 * What the editor hands one of the node's methods (a list of options, a list search): n8n-core's LoadOptionsContext
 * for a node of `typeVersion` with `parameters`, at the parameter `path`; `credentials` undefined: none chosen.
 */
async function editorContext(
	typeVersion: number,
	parameters: INode['parameters'],
	credentials: ICredentialDataDecryptedObject | undefined,
	path: string,
): Promise<LoadOptionsContext> {
	await useBinaryMode('default');
	const node: INode = {
		id: 'editor',
		name: 'onOffice',
		type: NODE_TYPE,
		typeVersion,
		position: [0, 0],
		parameters,
		...(credentials ? { credentials: { onOfficeApi: { id: '1', name: 'sandbox' } } } : {}),
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new NodeTypes(),
	});
	return new LoadOptionsContext(
		workflow,
		node,
		makeAdditionalData(credentials ? { onOfficeApi: credentials } : {}, [node]),
		path,
	);
}

type EditorMethods = {
	loadOptions: Record<string, (this: LoadOptionsContext) => Promise<unknown>>;
	listSearch: Record<
		string,
		(this: LoadOptionsContext, filter?: string, token?: string) => Promise<INodeListSearchResult>
	>;
};
const methods = () => (nodeTypes[NODE_TYPE] as INodeType & { methods: EditorMethods }).methods;

/** A loadOptions method run the way the editor runs it; `credentials` undefined: the node has none chosen. */
export async function loadOptions(
	method: string,
	credentials: ICredentialDataDecryptedObject | undefined,
	parameters: INode['parameters'] = {},
) {
	const context = await editorContext(
		1,
		parameters,
		credentials,
		'additionalFields.documentAttribute',
	);
	return methods().loadOptions[method].call(context);
}

/** A resource locator's list search run the way the editor runs it (as the user types and scrolls). */
export async function listSearch(
	method: string,
	credentials: ICredentialDataDecryptedObject | undefined,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const context = await editorContext(
		2,
		{ operation: 'uploadFile', module: 'estate' },
		credentials,
		'estate',
	);
	return methods().listSearch[method].call(context, filter, paginationToken);
}
