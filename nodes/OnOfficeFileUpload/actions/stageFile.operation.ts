import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { transferFile } from '../resources/linking';
import {
	binarySelection,
	fileOptions as fileOptionsParameter,
	fileSource,
} from './common.description';
import { eachFile, pendingFiles } from './files';
import { limitsParameter } from './limits';
import { eachItem, type ItemOutcome, type Run } from './operation';
import { concurrency, fileOptions } from './parameters';

const properties: INodeProperties[] = [
	...fileSource,
	...binarySelection,
	limitsParameter,
	fileOptionsParameter,
];

export const description = updateDisplayOptions({ show: { operation: ['stageFile'] } }, properties);

/** Stage File: uploads into onOffice's file cache (module tmpUpload) and returns its cacheFileUuid. */
export async function execute(
	this: IExecuteFunctions,
	items: number[],
	run: Run,
): Promise<ItemOutcome[]> {
	return eachItem(items, run, concurrency(this), (itemIndex) => stageItem(this, itemIndex, run));
}

export { filed } from './files';

async function stageItem(
	ctx: IExecuteFunctions,
	itemIndex: number,
	run: Run,
): Promise<ItemOutcome> {
	const options = fileOptions(ctx, itemIndex);
	return eachFile(
		ctx,
		itemIndex,
		pendingFiles(ctx, itemIndex, options, run.limits),
		options,
		async (file) => {
			const { staged, linked } = await transferFile(
				ctx,
				file,
				{
					module: 'tmpUpload',
					parameters: { module: 'tmpUpload', file: file.fileName, title: file.fileName },
				},
				options.upload,
			);
			return {
				operation: 'stageFile',
				module: 'tmpUpload',
				...file.origin,
				fileName: file.fileName,
				cacheFileUuid: linked.elements.cacheFileUuid,
				tmpUploadId: staged.tmpUploadId,
				filesize: Number(linked.elements.filesize ?? staged.filesize),
				blocks: staged.blocks,
			};
		},
		(fileName) => `${fileName} was not staged`,
	);
}
