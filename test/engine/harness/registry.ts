// The node registry the engine tests run with: this package's node, the test nodes, and the credential types.
import type { ICredentialType, IDataObject, INodeType, INodeTypes } from 'n8n-workflow';

import { OnOfficeApi } from '../../../credentials/OnOfficeApi.credentials';
import { OnOfficeFileUpload } from '../../../nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.ts'; // .ts: the codex OnOfficeFileUpload.node.json would win otherwise
import { BinaryFilesNode, ItemsNode, StartNode } from '../nodes';

export const NODE_TYPE = 'n8n-nodes-onoffice-file-upload.onOfficeFileUpload';

export const nodeTypes: Record<string, INodeType> = {
	[NODE_TYPE]: new OnOfficeFileUpload(),
	'test.start': new StartNode(),
	'test.items': new ItemsNode(),
	'test.binaryFiles': new BinaryFilesNode(),
};

/** Adds a node type for this process (benchmarks bring their own). */
export function registerNodeType(type: string, nodeType: INodeType): void {
	nodeTypes[type] = nodeType;
}

export class NodeTypes implements INodeTypes {
	getByName(type: string): INodeType {
		const nodeType = nodeTypes[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}
	getByNameAndVersion(type: string): INodeType {
		return this.getByName(type);
	}
	getKnownTypes(): IDataObject {
		return {};
	}
}

export const credentialTypes: Record<string, ICredentialType> = { onOfficeApi: new OnOfficeApi() };
