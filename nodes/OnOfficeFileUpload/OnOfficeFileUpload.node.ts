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
		// "Upload File → Estate 409", "Add Link → Estate PC910", "Stage File → File Cache". Written out, a statement a line,
		// from actions/subtitle.ts, where each step says why: n8n's verification lint reads a subtitle only as one string
		// literal. test/unit/description.test.ts holds the two equal.
		subtitle:
			'={{ (() => { \
const p = $parameter; \
const op = p["operation"]; \
if (op === "stageFile") return "Stage File → File Cache"; \
const module = op === "addLink" ? "estate" : (p["module"] || "estate"); \
const noun = { estate: "Estate", address: "Address", agentsLog: "Agents Log", task: "Task" }[module] || "Record"; \
let target; \
try { \
const v2 = $nodeVersion >= 2 && (module === "estate" || module === "address"); \
const field = v2 ? p[module] : p["relatedRecordId"]; \
const value = field && typeof field === "object" ? field.value : field; \
target = String(value ?? ""); \
if (target.startsWith("=")) target = "from the item"; \
} catch (e) { target = "from the item"; } \
return ((op === "addLink" ? "Add Link → " : "Upload File → ") + noun + " " + target).trim(); \
})() }}',
		// Also what an AI agent reads about the node as a tool (n8n's automatic tool description is this text).
		description:
			'Files documents and links in onOffice enterprise, the real-estate CRM. Add Link puts a web link (an http or https URL; link type Link, Ogulo-Link for a virtual tour, Film-Link for a video or Objekt-Link) on an estate. Upload File puts a file on an estate or a contact (also an agents-log entry or a task): from the input, from the files another node holds (such as the attachments of the chat message or e-mail being handled, chosen by file name) or from a URL. Stage File puts a file into the file cache. An estate is named by its record number or property number (ImmoNr, e.g. PC910), a contact by record number or e-mail address. Returns the file ID and the record, or skipped with the reason, or an error that says what to fix.',
		defaults: { name: 'onOffice File Upload' },
		// Offered to AI agents as "onOffice File Upload Tool". A tool gets no binary data, so Upload File can read the
		// files another node holds (the chat message or e-mail) or a file at a URL (File Source).
		usableAsTool: true,
		// For n8n's AI workflow builder: when to pick this node and what it works with.
		builderHint: {
			searchHint:
				'Upload files (e-mail attachments, form uploads, downloads, files at a URL) and web links (virtual tours, videos) to onOffice enterprise, the real-estate CRM: onto an estate named by its property number (ImmoNr) or record number, a contact named by e-mail address, an agents-log entry or a task. Use Upload File with File Source "Binary Field of the Input Item" after an e-mail trigger (Upload All Binary Properties, File Filter for signature logos and winmail.dat), On Duplicate Skip so a run again adds nothing, File Type Automatic by Name. As a tool of an AI Agent or an MCP Server Trigger: estate By Property Number from $fromAI, Files of Another Node or File at a URL, and the Limits (Allowed Hosts, Max Files and Links per Tool Call) set by the workflow.',
			relatedNodes: [
				{
					nodeType: 'n8n-nodes-base.emailReadImap',
					relationHint:
						'Incoming mails with attachments to file on the estate named in the subject',
				},
				{
					nodeType: '@n8n/n8n-nodes-langchain.agent',
					relationHint: 'An AI Agent that files links and attachments with this node as its tool',
				},
				{
					nodeType: '@n8n/n8n-nodes-langchain.mcpTrigger',
					relationHint:
						'Offers this node as a tool to MCP clients such as Claude Desktop or Cursor',
				},
				{
					nodeType: 'n8n-nodes-base.switch',
					relationHint:
						'Sends mails naming a property number and mails naming a record number to different uploads',
				},
			],
		},
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
							"Put a file into onOffice's file cache without attaching it to a record yet, for a later API call that takes a cacheFileUuid (e.g. attaching it to an e-mail or a letter)",
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
