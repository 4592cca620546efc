import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as asset from './actions/asset/Asset.resource';
import * as folder from './actions/folder/Folder.resource';
import * as model from './actions/model/Model.resource';
import * as pricing from './actions/pricing/Pricing.resource';
import { router } from './actions/router';
import { hooxApiConnectionTest } from '../shared/credentialTest';
import { getAspectRatios, getDurations, getFolders, getResolutions } from './methods/loadOptions';
import { searchModels } from './methods/listSearch';
import { getModelParameters } from './methods/resourceMapping';
import { resumeWebhook, resumeWebhooks } from './wait/resume';

export class Hoox implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Hoox',
		name: 'hoox',
		icon: { light: 'file:../../icons/hoox.svg', dark: 'file:../../icons/hoox.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] + ($parameter["model"] && $parameter["model"].value ? ": " + $parameter["model"].value : "") }}',
		description: 'Generate AI images and videos with Hoox and wait for them',
		defaults: { name: 'Hoox' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'hooxApi', required: true, testedBy: 'hooxApiConnectionTest' }],
		// Hoox's callbacks to $execution.resumeUrl (Wait Mode "Resume on Webhook", wait/resume/).
		webhooks: resumeWebhooks,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Asset', value: 'asset' },
					{ name: 'Folder', value: 'folder' },
					{ name: 'Model', value: 'model' },
					{ name: 'Pricing', value: 'pricing' },
				],
				default: 'asset',
			},
			...asset.description,
			...model.description,
			...pricing.description,
			...folder.description,
		],
	};

	methods = {
		credentialTest: { hooxApiConnectionTest },
		listSearch: { searchModels },
		loadOptions: { getAspectRatios, getDurations, getFolders, getResolutions },
		resourceMapping: { getModelParameters },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	webhook = resumeWebhook;
}
