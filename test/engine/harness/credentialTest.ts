// The credential's Test button, as n8n's credentials tester runs it.
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
} from 'n8n-workflow';

import { useBinaryMode } from './binaryMode';
import { credentialTypes, nodeTypes, NodeTypes } from './registry';
import { makeAdditionalData } from './run';

/**
 * Runs a credential's declarative `test` the way n8n's credentials tester does: the request goes through
 * n8n-core's RoutingNode (so the credential's authenticate signs it), then the test's rules are checked in order.
 */
export async function testCredential(
	data: ICredentialDataDecryptedObject,
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	await useBinaryMode('default');
	const credentialType = credentialTypes.onOfficeApi;
	const testRequest = credentialType.test!;
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'test.credentialProbe',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { onOfficeApi: { id: '1', name: 'tested' } },
	};
	const probe: INodeType = {
		description: {
			displayName: 'Probe',
			name: 'test.credentialProbe',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'onOfficeApi', required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		} as INodeType['description'],
	};
	nodeTypes['test.credentialProbe'] = probe;
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new NodeTypes(),
	});
	const context = new ExecuteContext(
		workflow,
		node,
		makeAdditionalData({ onOfficeApi: data }),
		'internal',
		{ resultData: { runData: {} } } as never,
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await new RoutingNode(context, probe, {
			id: '1',
			name: 'tested',
			type: 'onOfficeApi',
			data,
		}).runNode();
	} catch (error) {
		return { status: 'Error', message: String((error as Error).message) };
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const value = rule.properties.key
			.split(/[.[\]]/)
			.filter(Boolean)
			.reduce<any>((v, k) => v?.[k], response![0][0].json);
		if (value === rule.properties.value)
			return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}
