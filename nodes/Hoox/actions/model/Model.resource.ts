import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAll from './getAll.operation';

export { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['model'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: "Get a model's details: settings, limits and input schema",
				action: 'Get a model',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the Hoox models, filtered by type, provider or tag',
				action: 'Get many models',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
