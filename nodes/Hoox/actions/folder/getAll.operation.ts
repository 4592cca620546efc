import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listFolders } from '../../../shared/api';
import { forEachItem } from '../forEachItem';
import type { OperationContext } from '../types';

const show = { resource: ['folder'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Folder Type',
		name: 'folderType',
		type: 'options',
		options: [
			{ name: 'All', value: '' },
			{ name: 'Assets', value: 'assets' },
			{ name: 'Videos', value: 'videos' },
		],
		default: '',
		description: 'Which folders to list',
		displayOptions: { show },
	},
];

export async function execute(
	this: IExecuteFunctions,
	op: OperationContext,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, op, async (i) =>
		listFolders(this, this.getNodeParameter('folderType', i, '') as string, {
			itemIndex: i,
			abortSignal: op.abortSignal,
		}),
	);
}
