import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createFolder, type NewFolder } from '../../../shared/api';
import { forEachItem } from '../forEachItem';
import type { OperationContext } from '../types';

const show = { resource: ['folder'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Spring campaign',
		description: 'Name of the new folder',
		displayOptions: { show },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Folder Type',
				name: 'type',
				type: 'options',
				options: [
					{ name: 'Assets', value: 'assets' },
					{ name: 'Videos', value: 'videos' },
				],
				default: 'assets',
				description: 'Asset folders hold generated images and videos',
			},
			{
				displayName: 'Parent Folder ID',
				name: 'parentFolderId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 65a0c0ffee00000000000099',
				description: 'Create the folder inside this folder (same type)',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	op: OperationContext,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, op, async (i) => {
		const name = String(this.getNodeParameter('name', i, '') ?? '').trim();
		if (!name) {
			throw new NodeOperationError(this.getNode(), `[item ${i}] Name: the folder needs a name`, {
				itemIndex: i,
			});
		}
		const additional = this.getNodeParameter('additionalFields', i, {}) as IDataObject;
		const folder: NewFolder = { name };
		if (additional.type) folder.type = String(additional.type);
		if (typeof additional.parentFolderId === 'string' && additional.parentFolderId.trim()) {
			folder.parent_folder_id = additional.parentFolderId.trim();
		}
		return await createFolder(this, folder, { itemIndex: i, abortSignal: op.abortSignal });
	});
}
