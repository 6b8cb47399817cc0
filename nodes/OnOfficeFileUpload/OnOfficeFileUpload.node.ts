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
import { listAddresses, listEstates } from './methods/listSearch';
import { getDocumentAttributes } from './methods/loadOptions';

export class OnOfficeFileUpload implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'onOffice File Upload',
		name: 'onOfficeFileUpload',
		icon: { light: 'file:../../icons/onoffice.svg', dark: 'file:../../icons/onoffice.dark.svg' },
		group: ['output'],
		// Version 2: the record as a searchable list, by property number or by e-mail, and safer defaults (On
		// Duplicate: Skip, File Type: Automatic by Name). Saved version 1 nodes keep working as they were.
		version: [1, 2],
		defaultVersion: 2,
		// "Upload File → Estate 409", "Add Link → Estate PC910", "Stage File → File Cache": which node does what. Version 2
		// names the record as its field does (a list choice by its ImmoNr). A value from an expression cannot be
		// resolved on the canvas (there is no item), so it reads "from the item".
		subtitle:
			'={{ (() => { const p = $parameter; const op = p["operation"]; if (op === "stageFile") return "Stage File → File Cache"; const module = op === "addLink" ? "estate" : (p["module"] || "estate"); const noun = { estate: "Estate", address: "Address", agentsLog: "Agents Log", task: "Task" }[module] || "Record"; let target; try { const v2 = $nodeVersion >= 2 && (module === "estate" || module === "address"); const field = v2 ? p[module] : p["relatedRecordId"]; const rl = field && typeof field === "object" ? field : undefined; target = rl ? (rl.mode === "list" && rl.cachedResultName ? String(rl.cachedResultName).split(" · ")[0] : String(rl.value ?? "")) : String(field || ""); if (target.startsWith("=")) target = "from the item"; } catch (e) { target = "from the item"; } return ((op === "addLink" ? "Add Link → " : "Upload File → ") + noun + " " + target).trim(); })() }}',
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

	methods = { loadOptions: { getDocumentAttributes }, listSearch: { listEstates, listAddresses } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
