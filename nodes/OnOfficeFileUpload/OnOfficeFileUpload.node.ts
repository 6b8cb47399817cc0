import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as addLink from './actions/addLink.operation';
import { router } from './actions/router';
import * as stageFile from './actions/stageFile.operation';
import * as uploadFile from './actions/uploadFile.operation';
import { getDocumentAttributes } from './methods/loadOptions';

export class OnOfficeFileUpload implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'onOffice File Upload',
		name: 'onOfficeFileUpload',
		icon: { light: 'file:../../icons/onoffice.svg', dark: 'file:../../icons/onoffice.dark.svg' },
		group: ['output'],
		version: 1,
		// "Upload File → Estate 409", "Add Link → Estate 2651", "Stage File → File Cache": which node does what. A record
		// number from an expression cannot be resolved on the canvas (there is no item), so it reads "from the item".
		subtitle:
			'={{ ($parameter["operation"] === "stageFile" ? "Stage File → File Cache" : ($parameter["operation"] === "addLink" ? "Add Link → Estate" : "Upload File → " + ({ estate: "Estate", address: "Address", agentsLog: "Agents Log", task: "Task" }[$parameter["module"] || "estate"] || "Record")) + " " + (() => { try { return String($parameter["relatedRecordId"] || ""); } catch (e) { return "from the item"; } })()).trim() }}',
		description: 'Upload files and links to estates, addresses, agents-log entries and tasks in onOffice enterprise',
		defaults: { name: 'onOffice File Upload' },
		// Not offered to AI agents: binary files are its whole input, and tools cannot hand binaries over. n8n-workflow
		// 2.41 types the field as `true | description`, so "not a tool" is spelled as an explicit undefined.
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'onOfficeApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'uploadFile',
				options: [
					{
						name: 'Add Link',
						value: 'addLink',
						action: 'Add a link to an estate',
						description: 'Attach a web page, video or virtual tour link to an estate',
					},
					{
						name: 'Stage File',
						value: 'stageFile',
						action: 'Stage a file in the file cache',
						description:
							'Put a file into onOffice\'s file cache without attaching it to a record yet, for a later API call that takes a cacheFileUuid (e.g. attaching it to an e-mail or a letter)',
					},
					{
						name: 'Upload File',
						value: 'uploadFile',
						action: 'Upload a file to a record',
						description: 'Upload a file to an estate, address, agents-log entry or task',
					},
				],
			},
			...uploadFile.description,
			...stageFile.description,
			...addLink.description,
		],
	};

	methods = { loadOptions: { getDocumentAttributes } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
