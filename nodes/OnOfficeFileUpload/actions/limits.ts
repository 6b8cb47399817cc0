// The node's Limits (version 2): what the workflow's builder allows, whatever an AI agent or MCP client asks for in a
// tool call. Read once per run of the node, before anything is sent; a limit filled by the model ($fromAI) is refused,
// since a limit the model may set limits nothing.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { LINK_TYPES, LINK_VALUES } from '../helpers/fileTypes';
import { hostAllowed, parseHostPatterns, type HostPattern } from '../helpers/hosts';
import { V2 } from './common.description';
import { FIELD } from './fields';
import { fail, problem } from './itemErrors';

/** How many files and links one tool call may file unless the Limits say otherwise. */
export const DEFAULT_MAX_PER_TOOL_CALL = 20;

export const limitsParameter: INodeProperties = {
	displayName: 'Limits',
	name: 'limits',
	type: 'collection',
	placeholder: 'Add limit',
	default: {},
	description:
		'What an AI agent or MCP client may do with this node, whatever it asks for. Set them here, never from the model ($fromAI).',
	displayOptions: { show: V2 },
	options: [
		{
			displayName: 'Allowed Hosts',
			name: 'allowedHosts',
			type: 'string',
			default: '',
			placeholder: 'youtu.be, *.matterport.com',
			description:
				'Hosts a link (Add Link) or a file at a URL (File Source) may come from, separated by commas; *.example.com allows every host below example.com. A URL on another host is refused before anything is sent. Empty: any host. Applies to every run.',
		},
		{
			displayName: 'Link Types for Tool Calls',
			name: 'toolLinkTypes',
			type: 'multiOptions',
			options: LINK_TYPES,
			// Every link type (LINK_VALUES), as a literal: n8n's lint reads a multiOptions default only as one.
			default: ['Film-Link', 'Link', 'Objekt-Link', 'Ogulo-Link'],
			description:
				'Which link types a tool call may set (Add Link). An Objekt-Link is published with the estate on the website and portals.',
		},
		{
			displayName: 'Max Files and Links per Tool Call',
			name: 'maxPerToolCall',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_MAX_PER_TOOL_CALL,
			description:
				'How many files and links one tool call may file; a call that asks for more files nothing',
		},
		{
			displayName: 'Tool Calls May Publish',
			name: 'toolCallsMayPublish',
			type: 'boolean',
			default: false,
			description:
				'Whether a tool call may file with Set Default Publication Rights on (onOffice\'s "Activate newly added files", which can publish files and links with the estate)',
		},
	],
};

export interface Limits {
	/** Empty: any host. */
	allowedHosts: HostPattern[];
	/** What the builder wrote, for messages. */
	allowedHostsText: string;
	maxPerToolCall: number;
	toolCallsMayPublish: boolean;
	toolLinkTypes: string[];
}

/** No limit at all: node version 1 has no Limits, and keeps working as it did. */
export const NO_LIMITS: Limits = {
	allowedHosts: [],
	allowedHostsText: '',
	maxPerToolCall: Infinity,
	toolCallsMayPublish: true,
	toolLinkTypes: LINK_VALUES,
};

/** The Limits of this run of the node; a problem (for every item) when they are not the builder's or cannot be read. */
export function readLimits(ctx: IExecuteFunctions): Limits {
	const node = ctx.getNode();
	if (node.typeVersion < 2) return NO_LIMITS;
	const raw = (node.parameters.limits ?? {}) as IDataObject;
	if (JSON.stringify(raw).includes('$fromAI')) {
		fail(
			node,
			`the ${FIELD.limits} are filled by the model ($fromAI), so they would limit nothing`,
			'Set the Limits to fixed values in the workflow; only the builder of the workflow decides them.',
		);
	}
	const limits = ctx.getNodeParameter('limits', 0, {}) as IDataObject;
	const allowedHostsText = String(limits.allowedHosts ?? '').trim();
	const allowedHosts = parseHostPatterns(allowedHostsText);
	if ('problem' in allowedHosts) {
		fail(
			node,
			`${allowedHosts.problem} (${FIELD.limits} > ${FIELD.allowedHosts})`,
			'Write host names such as youtu.be, or *. and a domain such as *.matterport.com, separated by commas.',
		);
	}
	const max = Number(limits.maxPerToolCall ?? DEFAULT_MAX_PER_TOOL_CALL);
	return {
		allowedHosts: allowedHosts as HostPattern[],
		allowedHostsText,
		maxPerToolCall: Number.isFinite(max) && max >= 1 ? Math.floor(max) : DEFAULT_MAX_PER_TOOL_CALL,
		toolCallsMayPublish: limits.toolCallsMayPublish === true,
		toolLinkTypes: Array.isArray(limits.toolLinkTypes)
			? limits.toolLinkTypes.map(String)
			: LINK_VALUES,
	};
}

/** Refuses a URL whose host the Limits do not allow; `what` says what the URL is ("the link", "the file"). */
export function checkHost(ctx: IExecuteFunctions, limits: Limits, url: string, what: string): void {
	if (hostAllowed(url, limits.allowedHosts)) return;
	throw problem(
		ctx.getNode(),
		`${what} ${url} is on ${new URL(url).hostname}, which is not one of the ${FIELD.allowedHosts} (${limits.allowedHostsText}), so nothing was sent`,
		`Only the workflow's builder can allow more hosts (the node's ${FIELD.limits} > ${FIELD.allowedHosts}); use a URL on one of those hosts.`,
	);
}

/** What a tool call asks to file (Operation.filed): how many, and what they are, as a refusal names them. */
export interface Filed {
	count: number;
	what: 'files' | 'links';
}

/** A tool call files no more than the Limits allow: refused as a whole, before anything is sent. */
export function checkToolCallSize(
	ctx: IExecuteFunctions,
	limits: Limits,
	{ count, what }: Filed,
): void {
	if (count <= limits.maxPerToolCall) return;
	throw problem(
		ctx.getNode(),
		`this call asks for ${count} ${what}, and one call may file at most ${limits.maxPerToolCall} (the node's ${FIELD.limits}), so nothing was filed`,
		`Ask for at most ${limits.maxPerToolCall} at a time, in several calls; only the workflow's builder can raise the limit.`,
	);
}

/** In a tool call, publishing (Set Default Publication Rights) only where the Limits allow it. */
export function checkPublishing(ctx: IExecuteFunctions, limits: Limits, publishes: boolean): void {
	if (!publishes || limits.toolCallsMayPublish) return;
	throw problem(
		ctx.getNode(),
		"a tool call may not publish: Set Default Publication Rights is on, and the node's Limits do not let tool calls publish, so nothing was sent",
		"File it without publishing, or ask the workflow's builder to turn on Tool Calls May Publish in the node's Limits.",
	);
}

/** In a tool call, only the link types the Limits allow. */
export function checkLinkType(ctx: IExecuteFunctions, limits: Limits, art: string): void {
	if (limits.toolLinkTypes.includes(art)) return;
	throw problem(
		ctx.getNode(),
		`a tool call may not set the link type ${art}: the node's Limits allow ${limits.toolLinkTypes.join(', ') || 'none'}, so nothing was sent`,
		`Use one of ${limits.toolLinkTypes.join(', ') || 'no link type'}; only the workflow's builder can allow others.`,
	);
}
