import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { transferFile } from '../transport/linking';
import { binarySelection, fileOptions, fileSource } from './common.description';
import { eachFile, readFileOptions, type ItemOutcome } from './shared';

const properties: INodeProperties[] = [...fileSource, ...binarySelection, fileOptions];

export const description = updateDisplayOptions({ show: { operation: ['stageFile'] } }, properties);

/** Stage File: uploads into onOffice's file cache (module tmpUpload) and returns its cacheFileUuid. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	const options = readFileOptions(this, itemIndex);
	return eachFile(this, itemIndex, options, async (file) => {
		const { staged, linked } = await transferFile(
			this,
			file,
			{ module: 'tmpUpload', parameters: { module: 'tmpUpload', file: file.fileName, title: file.fileName } },
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
	}, (fileName) => `${fileName} was not staged`);
}
