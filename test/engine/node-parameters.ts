// What a saved workflow may rely on: the node's parameters at one typeVersion (names, types, defaults, option
// values), and a check of saved parameters against the current description. Both read the description the way
// n8n-workflow's NodeHelpers do (displayOptions, `@version`), so what they report is what n8n will do with a save.
import {
	NodeHelpers,
	type IDisplayOptions,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyCollection,
	type INodePropertyOptions,
	type INodeTypeDescription,
} from 'n8n-workflow';

/** One parameter as saved workflows depend on it. */
export interface ParameterContract {
	type: string;
	default: unknown;
	/** Values of an options or multiOptions parameter with a fixed list. */
	options?: unknown[];
	/** The method that lists the values instead (they come from onOffice). */
	loadOptionsMethod?: string;
	/** A resource locator's modes, which saved values name (`"mode": "propertyNumber"`). */
	modes?: string[];
}

/** Operation -> parameter path (`additionalFields.position`, `options.fileFilter.rules.minSizeKiB`) -> contract. */
export type Contract = Record<string, Record<string, ParameterContract>>;

/** Parameters not tied to an operation (the Operation selector itself). */
export const EVERY_OPERATION = '*';

/** Only the `@version` part of a displayOptions block. */
function versionGate(options: IDisplayOptions['show']): IDisplayOptions['show'] | undefined {
	return options && '@version' in options ? { '@version': options['@version'] } : undefined;
}

/** Whether n8n shows the parameter at this typeVersion at all, judged by its `@version` conditions only. */
export function existsAtVersion(
	parameter: INodeProperties,
	version: number,
	description: INodeTypeDescription,
): boolean {
	const show = versionGate(parameter.displayOptions?.show);
	const hide = versionGate(parameter.displayOptions?.hide);
	if (!show && !hide) return true;
	return NodeHelpers.displayParameter(
		{},
		{ ...parameter, displayOptions: { show, hide } },
		{ typeVersion: version },
		description,
	);
}

function contractOf(parameter: INodeProperties): ParameterContract {
	const entry: ParameterContract = { type: parameter.type, default: parameter.default };
	if (parameter.type === 'options' || parameter.type === 'multiOptions') {
		const method = parameter.typeOptions?.loadOptionsMethod;
		if (method) entry.loadOptionsMethod = method;
		else entry.options = ((parameter.options ?? []) as INodePropertyOptions[]).map((o) => o.value);
	}
	if (parameter.type === 'resourceLocator')
		entry.modes = (parameter.modes ?? []).map((m) => m.name);
	return entry;
}

function addParameter(
	into: Record<string, ParameterContract>,
	path: string,
	parameter: INodeProperties,
): void {
	// Two parameters of one name for one operation (e.g. per module) would need their display conditions in the contract.
	if (into[path])
		throw new Error(
			`The description has two parameters "${path}" for one operation; the contract cannot tell them apart`,
		);
	into[path] = contractOf(parameter);
	if (parameter.type === 'collection') {
		for (const option of (parameter.options ?? []) as INodeProperties[])
			addParameter(into, `${path}.${option.name}`, option);
	}
	if (parameter.type === 'fixedCollection') {
		for (const group of (parameter.options ?? []) as INodePropertyCollection[]) {
			for (const value of group.values)
				addParameter(into, `${path}.${group.name}.${value.name}`, value);
		}
	}
}

/** The node's parameters at `version`, per operation, as a contract file holds them. */
export function parameterContract(description: INodeTypeDescription, version: number): Contract {
	const contract: Contract = {};
	for (const parameter of description.properties) {
		if (!existsAtVersion(parameter, version, description)) continue;
		const operations = (parameter.displayOptions?.show?.operation as string[] | undefined) ?? [
			EVERY_OPERATION,
		];
		for (const operation of operations)
			addParameter((contract[operation] ??= {}), parameter.name, parameter);
	}
	return contract;
}

/**
 * What differs between a contract written when a version was released and the description now, worded for the
 * person who changed the description. New parameters count too: from now on saved workflows rely on them.
 */
export function contractChanges(released: Contract, current: Contract, version: number): string[] {
	const changes: string[] = [];
	for (const [operation, parameters] of Object.entries(released)) {
		for (const [path, was] of Object.entries(parameters)) {
			const now = current[operation]?.[path];
			const name = `v${version} parameter "${path}" (operation ${operation})`;
			if (!now) {
				changes.push(
					`${name} is gone: renamed or removed. Saved workflows that set it lose their value silently; keep the name, or change it in a new node version.`,
				);
				continue;
			}
			if (now.type !== was.type)
				changes.push(`${name} changed its type from ${was.type} to ${now.type}`);
			if (JSON.stringify(now.default) !== JSON.stringify(was.default)) {
				changes.push(
					`${name} changed its default from ${JSON.stringify(was.default)} to ${JSON.stringify(now.default)}: workflows saved without it now do something else; put the new default behind a new node version`,
				);
			}
			for (const value of was.options ?? []) {
				if (!(now.options ?? []).includes(value))
					changes.push(
						`${name} no longer offers the value ${JSON.stringify(value)}, which saved workflows may hold`,
					);
			}
			for (const mode of was.modes ?? []) {
				if (!(now.modes ?? []).includes(mode))
					changes.push(
						`${name} no longer has the mode ${JSON.stringify(mode)}, which saved workflows may hold`,
					);
			}
			if (now.loadOptionsMethod !== was.loadOptionsMethod) {
				changes.push(
					`${name} lists its values with ${now.loadOptionsMethod ?? 'a fixed list'} instead of ${was.loadOptionsMethod ?? 'a fixed list'}`,
				);
			}
		}
	}
	for (const [operation, parameters] of Object.entries(current)) {
		for (const path of Object.keys(parameters)) {
			if (!released[operation]?.[path]) {
				changes.push(
					`v${version} parameter "${path}" (operation ${operation}) is new: add it to the contract file with its default, which must keep what v${version} workflows saved without it do`,
				);
			}
		}
	}
	return changes;
}

/** Parameters whose field was a number field once: saves hold numbers there, and the node reads them. */
export const ONCE_NUMBER_FIELDS = ['relatedRecordId'];

/** A saved value of a parameter whose list comes from onOffice: checked against what the method lists. */
export interface ListedValue {
	path: string;
	method: string;
	value: unknown;
}

export interface SavedCheck {
	problems: string[];
	listed: ListedValue[];
}

const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');
const isObject = (value: unknown): value is INodeParameters =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every saved parameter of `node` against the current description: a known name, shown for the other saved
 * values (n8n drops a hidden one when it loads the workflow), and a value of the right kind from the list.
 */
export function checkSavedParameters(node: INode, description: INodeTypeDescription): SavedCheck {
	const result: SavedCheck = { problems: [], listed: [] };
	// The values n8n works with once the workflow is loaded (defaults added): they decide what is shown.
	const resolved =
		NodeHelpers.getNodeParameters(
			description.properties,
			node.parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	const where = `node "${node.name}"`;

	const level = (
		saved: INodeParameters,
		properties: INodeProperties[],
		shownWith: INodeParameters,
		path: string,
	) => {
		for (const [key, value] of Object.entries(saved)) {
			const name = path + key;
			const candidates = properties.filter((p) => p.name === key);
			if (candidates.length === 0) {
				result.problems.push(
					`${where}: saved parameter "${name}" is not a parameter of the node any more (renamed or removed?); n8n drops its value`,
				);
				continue;
			}
			const shown = candidates.filter((p) =>
				NodeHelpers.displayParameter(shownWith, p, node, description, resolved),
			);
			if (shown.length === 0) {
				result.problems.push(
					`${where}: saved parameter "${name}" is no longer shown for these settings; n8n drops its value when it loads the workflow`,
				);
				continue;
			}
			checkValue(shown[0], value, name);
		}
	};

	const checkValue = (parameter: INodeProperties, value: unknown, name: string) => {
		const wrong = (what: string) =>
			result.problems.push(
				`${where}: saved parameter "${name}" = ${JSON.stringify(value)} ${what}`,
			);
		if (isExpression(value)) {
			if (parameter.noDataExpression)
				wrong('is an expression, which the parameter no longer takes');
			return;
		}
		switch (parameter.type) {
			case 'options':
			case 'multiOptions': {
				const values = Array.isArray(value) ? value : [value];
				if (parameter.type === 'multiOptions' && !Array.isArray(value)) wrong('is not a list');
				const method = parameter.typeOptions?.loadOptionsMethod;
				if (method) {
					for (const v of values) result.listed.push({ path: name, method, value: v });
					return;
				}
				const allowed = ((parameter.options ?? []) as INodePropertyOptions[]).map((o) => o.value);
				for (const v of values) {
					if (!allowed.includes(v as string))
						wrong(
							`is not one of its values any more (${allowed.map((a) => JSON.stringify(a)).join(', ')})`,
						);
				}
				return;
			}
			case 'boolean':
				if (typeof value !== 'boolean') wrong('is not a boolean');
				return;
			case 'number':
				if (typeof value !== 'number') wrong('is not a number');
				return;
			case 'string':
				if (typeof value === 'string') return;
				if (typeof value === 'number' && ONCE_NUMBER_FIELDS.includes(parameter.name)) return;
				wrong('is not a string');
				return;
			case 'resourceLocator': {
				const modes = (parameter.modes ?? []).map((m) => m.name);
				if (!isObject(value) || value.__rl !== true)
					return void wrong('is not a resource locator value ({ __rl: true, mode, value })');
				if (!modes.includes(String(value.mode)))
					wrong(
						`names the mode ${JSON.stringify(value.mode)}, which the parameter no longer has (${modes.join(', ')})`,
					);
				return;
			}
			case 'collection':
				if (!isObject(value)) return void wrong('is not an object');
				level(value, (parameter.options ?? []) as INodeProperties[], value, `${name}.`);
				return;
			case 'fixedCollection': {
				if (!isObject(value)) return void wrong('is not an object');
				for (const [groupName, groupValue] of Object.entries(value)) {
					const group = ((parameter.options ?? []) as INodePropertyCollection[]).find(
						(g) => g.name === groupName,
					);
					if (!group) {
						result.problems.push(
							`${where}: saved parameter "${name}.${groupName}" is not a part of "${name}" any more; n8n drops its values`,
						);
						continue;
					}
					const entries = parameter.typeOptions?.multipleValues
						? Array.isArray(groupValue)
							? groupValue
							: []
						: [groupValue];
					for (const entry of entries) {
						if (isObject(entry)) level(entry, group.values, entry, `${name}.${groupName}.`);
						else
							result.problems.push(
								`${where}: saved parameter "${name}.${groupName}" holds ${JSON.stringify(entry)}, not an object`,
							);
					}
				}
				return;
			}
			default:
				return;
		}
	};

	level(node.parameters, description.properties, resolved, '');
	return result;
}

/** The parameters as n8n's editor would save them now: only what differs from the defaults and is shown. */
export function asEditorSaves(node: INode, description: INodeTypeDescription): INodeParameters {
	const resolved =
		NodeHelpers.getNodeParameters(
			description.properties,
			node.parameters,
			true,
			false,
			node,
			description,
		) ?? {};
	return (
		NodeHelpers.getNodeParameters(
			description.properties,
			resolved,
			false,
			false,
			node,
			description,
		) ?? {}
	);
}
