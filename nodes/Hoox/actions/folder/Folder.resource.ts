import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as getAll from './getAll.operation';

export { create, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['folder'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create an asset folder',
				action: 'Create a folder',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the folders of your Hoox space',
				action: 'Get many folders',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...getAll.description,
];
