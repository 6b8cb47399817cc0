import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';
import { UserError } from 'n8n-workflow';

import {
	ONOFFICE_ACTION,
	resolveEndpoint,
	serializeRequestBody,
	signRequestBody,
	type OnOfficeRequestBody,
} from './onOfficeSignature';

function isOnOfficeBody(body: unknown): body is OnOfficeRequestBody {
	const request = (body as OnOfficeRequestBody | undefined)?.request;
	return typeof body === 'object' && body !== null && Array.isArray(request?.actions);
}

export class OnOfficeApi implements ICredentialType {
	name = 'onOfficeApi';

	displayName = 'onOffice API';

	icon: Icon = { light: 'file:../icons/onoffice.svg', dark: 'file:../icons/onoffice.dark.svg' };

	documentationUrl = 'https://apidoc.onoffice.de/erste-schritte/';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			hint: "The API user's token: 32 characters",
			description:
				'Access token of the onOffice API user (Extras > Settings > User, API user, "API token")',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			hint: "The API user's secret: 64 characters",
			description:
				'Secret of the onOffice API user; it signs every request and is never sent itself',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			default: 'stable',
			options: [
				{
					name: 'Custom URL',
					value: 'custom',
					description: 'Another endpoint, e.g. a local onOffice sandbox for testing',
				},
				{
					name: 'Latest',
					value: 'latest',
					description:
						'https://api.onoffice.de/api/latest/api.php (beta customers are redirected here)',
				},
				{
					name: 'Stable',
					value: 'stable',
					description: 'https://api.onoffice.de/api/stable/api.php (live customers)',
				},
			],
		},
		{
			displayName: 'Custom URL',
			name: 'customUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8089/api/stable/api.php',
			hint: 'Must be https; plain http only on this machine (127.0.0.1, localhost, [::1]), e.g. the local sandbox',
			description: 'The full endpoint URL, ending in /api.php',
			displayOptions: { show: { apiVersion: ['custom'] } },
		},
	];

	/**
	 * Signs every action of the JSON body with HMAC v2, puts the token at the top level and points the request at
	 * the configured endpoint. Only this function ever sees the secret; the node sends unsigned actions.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const endpoint = resolveEndpoint(
			credentials.apiVersion as string | undefined,
			credentials.customUrl as string | undefined,
		);
		if ('error' in endpoint) throw new UserError(`onOffice API credential: ${endpoint.error}`);
		if (!isOnOfficeBody(requestOptions.body)) {
			throw new UserError(
				'onOffice API credential: the request has no onOffice actions to sign (expected a JSON body with request.actions)',
			);
		}
		const token = String(credentials.token ?? '').trim();
		const secret = String(credentials.secret ?? '').trim();
		const timestamp = Math.floor(Date.now() / 1000);
		return {
			...requestOptions,
			url: endpoint.url,
			headers: { ...(requestOptions.headers ?? {}), 'Content-Type': 'application/json' },
			// Plain actions stay an object; a file block becomes the finished JSON bytes (see serializeRequestBody).
			body: serializeRequestBody(signRequestBody(requestOptions.body, token, secret, timestamp)),
		};
	}

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '={{$credentials.apiVersion === "custom" ? $credentials.customUrl : "https://api.onoffice.de/api/" + ($credentials.apiVersion || "stable") + "/api.php"}}',
			body: {
				request: {
					actions: [
						{
							actionid: ONOFFICE_ACTION.read,
							resourceid: '',
							resourcetype: 'basicsettings',
							identifier: 'credential-test',
							parameters: { data: { basicData: { characteristicsCi: ['color'] } } },
						},
					],
				},
			},
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'response.results[0].status.errorcode',
					value: 137,
					message:
						'onOffice rejected the signature (137: the HMAC is invalid). The secret is wrong: copy it again from the API user; it has 64 characters, the token 32.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'response.results[0].status.errorcode',
					value: 136,
					message:
						'onOffice rejected the timestamp (136). The clock of the machine running n8n is off by more than 2 minutes: synchronise it (NTP) and test again.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status.errorcode',
					value: 22,
					message:
						'onOffice does not know this token (22: not authenticated). Copy the token again from the API user; it has 32 characters.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status.code',
					value: 400,
					message:
						'onOffice answered "not authenticated" (400). Check the token and that the API user is active.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status.errorcode',
					value: 97,
					message:
						"onOffice accepted the credentials but refused the test request. Check the API user's rights (read basic settings).",
				},
			},
		],
	};
}
