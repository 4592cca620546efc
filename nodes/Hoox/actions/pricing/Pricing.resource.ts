import type { INodeProperties } from 'n8n-workflow';

import * as estimate from './estimate.operation';

export { estimate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['pricing'] } },
		options: [
			{
				name: 'Estimate',
				value: 'estimate',
				description: 'Get the exact credit cost of a generation without starting it',
				action: 'Estimate a price',
			},
		],
		default: 'estimate',
	},
	...estimate.description,
];
