import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { openBinaryFile, selectBinaryProperties } from '../helpers/binary';
import { fileName as validFileName, notEmpty } from '../helpers/validation';
import { transferFile } from '../transport/uploadfile';
import { binarySelection, fileOptions } from './common.description';
import { readFileOptions, type ItemOutcome } from './shared';

const properties: INodeProperties[] = [...binarySelection, fileOptions];

export const description = updateDisplayOptions({ show: { operation: ['stageFile'] } }, properties);

/** Stage File: uploads into onOffice's file cache (module tmpUpload) and returns its cacheFileUuid. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<ItemOutcome> {
	const options = readFileOptions(this, itemIndex);
	const names = selectBinaryProperties(
		this,
		itemIndex,
		this.getNodeParameter('uploadAllBinaryProperties', itemIndex, false) as boolean,
		this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string,
	);
	const results: IDataObject[] = [];
	try {
		for (const propertyName of names) {
			const file = await openBinaryFile(this, itemIndex, propertyName);
			const name = validFileName(this, itemIndex, options.fileName || file.fileName, options.fileName ? 'option "File Name"' : `file name of binary property "${propertyName}"`);
			notEmpty(this, itemIndex, file.size, propertyName, name);
			const { staged, linked } = await transferFile(
				this,
				{ ...file, fileName: name },
				{ module: 'tmpUpload', parameters: { module: 'tmpUpload', file: name, title: name } },
				options.upload,
			);
			results.push({
				operation: 'stageFile',
				module: 'tmpUpload',
				binaryPropertyName: propertyName,
				fileName: name,
				cacheFileUuid: linked.elements.cacheFileUuid,
				tmpUploadId: staged.tmpUploadId,
				filesize: Number(linked.elements.filesize ?? staged.filesize),
				blocks: staged.blocks,
			});
		}
	} catch (error) {
		return { itemIndex, error, partial: results };
	}
	return { itemIndex, json: results };
}
