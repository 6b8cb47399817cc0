// Benchmark-only node types: an item that carries a binary already in storage, and "the obvious approach" to
// onOffice's upload (the whole file as one base64 JSON body), to measure ours against.
import type {
	IBinaryData,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

function description(
	name: string,
	properties: INodeTypeDescription['properties'] = [],
	credentials = false,
): INodeTypeDescription {
	return {
		displayName: name,
		name,
		group: ['transform'],
		version: 1,
		description: name,
		defaults: { name },
		inputs: ['main'],
		outputs: ['main'],
		properties,
		...(credentials ? { credentials: [{ name: 'onOfficeApi', required: true }] } : {}),
	} as INodeTypeDescription;
}

export class BinaryRefNode implements INodeType {
	description = description('bench.binaryRef', [
		{ displayName: 'Binary', name: 'binary', type: 'json', default: '{}' },
	]);
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const binary = JSON.parse(this.getNodeParameter('binary', 0) as string) as IBinaryData;
		return [[{ json: {}, binary: { data: binary }, pairedItem: { item: 0 } }]];
	}
}

const DO = 'urn:onoffice-de-ns:smart:2.5:smartml:action:do';

export class NaiveUploadNode implements INodeType {
	description = description('bench.naiveUpload', [], true);
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const buffer = await this.helpers.getBinaryDataBuffer(0, 'data');
		const send = (parameters: Record<string, unknown>) =>
			this.helpers.httpRequestWithAuthentication.call(this, 'onOfficeApi', {
				method: 'POST',
				url: '',
				json: true,
				body: {
					request: {
						actions: [
							{
								actionid: DO,
								resourceid: '',
								resourcetype: 'uploadfile',
								identifier: '1',
								parameters,
							},
						],
					},
				},
			});
		const step1 = await send({ data: buffer.toString('base64') });
		const tmpUploadId = step1.response.results[0].data.records[0].elements.tmpUploadId;
		const step2 = await send({
			Art: 'Dokument',
			file: 'naive.bin',
			module: 'estate',
			relatedRecordId: 409,
			tmpUploadId,
		});
		return [
			[{ json: step2.response.results[0].data.records[0].elements, pairedItem: { item: 0 } }],
		];
	}
}
