import type { INodeProperties } from 'n8n-workflow';

import * as generate from './generate/generate.operation';
import * as getStatus from './getStatus.operation';
import * as waitForCompletion from './waitForCompletion.operation';

export { generate, getStatus, waitForCompletion };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['asset'] } },
		options: [
			{
				name: 'Generate',
				value: 'generate',
				description: 'Generate images or videos with a Hoox model',
				action: 'Generate an asset',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get the current status of one or more assets',
				action: 'Get the status of assets',
			},
			{
				name: 'Wait for Completion',
				value: 'waitForCompletion',
				description: 'Wait until assets are completed or failed and return them',
				action: 'Wait for assets to complete',
			},
		],
		default: 'generate',
	},
	...generate.description,
	...getStatus.description,
	...waitForCompletion.description,
];
