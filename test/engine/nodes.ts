// Test-only node types that feed the node under test through the real engine: a start node, a node that emits
// JSON items, and a node that turns parameters into binary data with the engine's own binary helpers.
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { sample } from '../../scripts/lib/bytes';

function description(
	name: string,
	inputs: boolean,
	properties: INodeTypeDescription['properties'] = [],
): INodeTypeDescription {
	return {
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description: name,
		defaults: { name },
		inputs: inputs ? ['main'] : [],
		outputs: ['main'],
		properties,
	} as INodeTypeDescription;
}

export class StartNode implements INodeType {
	description = description('test.start', false);
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

/** Emits the items given in its `items` parameter (a JSON array). */
export class ItemsNode implements INodeType {
	description = description('test.items', true, [
		{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
	]);
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | object[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as object[];
		return [
			items.map((json, i) => ({
				json: json as INodeExecutionData['json'],
				pairedItem: { item: 0 },
				index: i,
			})),
		];
	}
}

export interface FileSpec {
	/** Binary property name, e.g. `data` or `attachment_0`. */
	property: string;
	fileName: string;
	mimeType: string;
	/** Exactly one of: the bytes as base64, or a size for deterministic pseudo-random bytes. */
	base64?: string;
	size?: number;
	seed?: string;
}

export function bytesOf(spec: FileSpec): Buffer {
	return spec.base64 !== undefined
		? Buffer.from(spec.base64, 'base64')
		: sample(spec.size ?? 0, spec.seed);
}

/** Emits one item per entry of `items`: each a JSON object plus binaries built by the engine's prepareBinaryData. */
export class BinaryFilesNode implements INodeType {
	description = description('test.binaryFiles', true, [
		{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
	]);
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | object[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{
			json?: object;
			files: FileSpec[];
		}>;
		const out: INodeExecutionData[] = [];
		for (const item of items) {
			const binary: INodeExecutionData['binary'] = {};
			for (const spec of item.files) {
				binary[spec.property] = await this.helpers.prepareBinaryData(
					bytesOf(spec),
					spec.fileName,
					spec.mimeType,
				);
			}
			out.push({
				json: (item.json ?? {}) as INodeExecutionData['json'],
				binary,
				pairedItem: { item: 0 },
			});
		}
		return [out];
	}
}
