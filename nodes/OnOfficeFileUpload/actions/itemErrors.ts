// An item's error as the person building the workflow (or a model calling the node as a tool) reads it. "Item N" is
// written here and nowhere else: the rooms below and the parameter checks word what went wrong without the item,
// and the router hands every failed item through `forTheItem`. The hints for onOffice codes that point at a field of
// the node are added here too, since only the actions know the fields.
import type { INode } from 'n8n-workflow';
import { NodeOperationError, type NodeApiError } from 'n8n-workflow';

import { asNodeError, onOfficeDetails } from '../transport/errors';

/** What to do about the onOffice codes that point at a field of the node (the others are said by the transport). */
const FIELD_HINTS: Record<number, string> = {
	77: 'onOffice does not know this document attribute: pick one from the Document Attribute list (Administration > Singleselect, module Files, "Document features").',
	161: 'This estate already has a file with that document attribute (each attribute once per estate): pick another attribute or remove it from the old file in onOffice.',
	162: 'onOffice does not accept this file type: check the File Type field.',
	239: 'The estate already has a title picture (Titelbild): turn on "Replace Existing Title Picture" (Additional Fields) to make the new one the title picture and the old one a Foto, or upload this one as Foto.',
	292: "No address with this record number is visible to the API user: check the Related Record ID (the record number, not the customer number) and the user's rights.",
	293: "No estate with this record number is visible to the API user: check the Related Record ID and the user's rights.",
};

type ProblemError = NodeOperationError & { aboutTheItem?: boolean };

/**
 * A problem with an item's input: what is wrong (without the item, which the router names) and what to do. With
 * `aboutTheItem` the message goes on from the item itself: "Item 3 has no binary data", not "Item 3: …".
 */
export function problem(
	node: INode,
	message: string,
	fix: string,
	options: { aboutTheItem?: boolean } = {},
): NodeOperationError {
	const error: ProblemError = new NodeOperationError(node, message, { description: fix });
	if (options.aboutTheItem) error.aboutTheItem = true;
	return error;
}

/** Throws `problem(…)`. */
export function fail(
	node: INode,
	message: string,
	fix: string,
	options: { aboutTheItem?: boolean } = {},
): never {
	throw problem(node, message, fix, options);
}

/** An item's error, worded once: as n8n shows it, and as a model calling the node as a tool reads it. */
export interface ItemError {
	/** Named by the item ("Item 3: …"), with the field's hint for an onOffice code. */
	error: NodeApiError | NodeOperationError;
	/** Without the item, whose number a model does not know ("The item has …" where the message starts from it). */
	plain: string;
}

/** Words `error` for item `itemIndex`, on a copy: one error can fail several items (a batch of links). */
export function forTheItem(node: INode, error: unknown, itemIndex: number): ItemError {
	const worded = copyOf(asNodeError(node, error));
	const aboutTheItem = (worded as ProblemError).aboutTheItem === true;
	const plain = aboutTheItem ? `The item ${worded.message}` : worded.message;
	worded.message = `Item ${itemIndex}${aboutTheItem ? ' ' : ': '}${worded.message}`;
	worded.context = { ...(worded.context ?? {}), itemIndex };
	const code = onOfficeDetails(error)?.code;
	const hint = code === undefined ? undefined : FIELD_HINTS[code];
	if (hint) worded.description = [hint, worded.description].filter((text) => text).join(' ');
	return { error: worded, plain };
}

/** What a model reads of an item's error: what went wrong and what to do. */
export function forTheModel({ error, plain }: ItemError): string {
	return error.description ? `${plain}. ${error.description}` : plain;
}

function copyOf<T extends Error>(error: T): T {
	// Error's message and stack are own properties that Object.assign does not see.
	const copy = Object.assign(Object.create(Object.getPrototypeOf(error) as object), error) as T;
	copy.message = error.message;
	copy.stack = error.stack;
	return copy;
}
