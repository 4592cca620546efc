import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { hooxRequest } from '../../../shared/transport';
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

export async function listFolders(
	ctx: Parameters<typeof hooxRequest>[0],
	type: string,
	itemIndex?: number,
	abortSignal?: AbortSignal,
): Promise<IDataObject[]> {
	const response = await hooxRequest(ctx, {
		method: 'GET',
		path: '/folder/list',
		qs: type ? { type } : {},
		itemIndex,
		abortSignal,
	});
	return Array.isArray(response.folders) ? (response.folders as IDataObject[]) : [];
}

export async function execute(
	this: IExecuteFunctions,
	op: OperationContext,
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, op, async (i) =>
		listFolders(this, this.getNodeParameter('folderType', i, '') as string, i, op.abortSignal),
	);
}
