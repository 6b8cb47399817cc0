// The files already on a record, changed (`modify fileRelation`: type, title, document attribute) or removed
// (`delete fileRelation`), and what an error after a file was linked means for it.
import type { IDataObject, INode, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { sendAction, sendActions } from '../transport';
import { buildAction } from '../transport/actions';
import { onOfficeApiError, onOfficeDetails } from '../transport/errors';
import type { OnOfficeContext, SendOptions } from '../transport/http';
import { stopDetails, withOutcome } from '../transport/stop';

/** `modify fileRelation`: changes an estate file's Art, title, free text or document attribute (estates only). */
export async function modifyEstateFile(
	ctx: OnOfficeContext,
	estateId: number,
	fileId: number,
	changes: IDataObject,
	send: Partial<SendOptions>,
	doing: string,
): Promise<void> {
	const action = buildAction(
		'modify',
		'fileRelation',
		{ relationtype: 'estate', parentid: estateId, fileId, ...changes },
		{ identifier: 'modify' },
	);
	await sendAction(ctx, action, { ...send, doing });
}

/** `delete fileRelation` for several files of one record, in one request; the first failure is thrown. */
export async function deleteFiles(
	ctx: OnOfficeContext,
	module: string,
	recordId: number,
	fileIds: number[],
	send: Partial<SendOptions>,
	doing: string,
): Promise<void> {
	if (fileIds.length === 0) return;
	const actions = fileIds.map((fileId, i) =>
		buildAction(
			'delete',
			'fileRelation',
			{ relationtype: module, parentid: recordId, fileId },
			{ identifier: `delete-${i}` },
		),
	);
	const outcomes = await sendActions(ctx, actions, { ...send, doing });
	const failed = outcomes.find((o) => !o.ok);
	if (failed && !failed.ok) throw onOfficeApiError(ctx.getNode(), failed.error);
}

/**
 * An error after the new file or link was linked (its old one not removed, or not yet changed): says so first, with
 * onOffice's code, so nobody uploads it again blindly. A stop stays a stop and says the same.
 */
export function afterLinkingError(
	node: INode,
	error: unknown,
	what: string,
): NodeApiError | NodeOperationError {
	const stop = stopDetails(error);
	if (stop)
		return withOutcome(
			node,
			error,
			`${what}${stop.inFlight ? ' (unless the request that was aborted went through)' : ''}`,
		);
	const details = onOfficeDetails(error);
	return onOfficeApiError(node, {
		level: details?.level ?? 'action',
		code: details?.code,
		message: `${what}: ${details?.message ?? (error as Error).message}`,
		doing: details?.doing,
	});
}
