import type { INodeProperties } from 'n8n-workflow';

import {
	ASPECT_RATIO,
	DURATION,
	generationCountField,
	modelEnumField,
	modelLocator,
	RESOLUTION,
	typeField,
} from '../../../helpers/descriptions';
import { waitOptions } from '../../../wait/options';
import { maxCreditsOption } from './creditCap';

const show = { resource: ['asset'], operation: ['generate'] };

export const description: INodeProperties[] = [
	typeField(
		show,
		'Whether to generate an image or a video; the model list shows models of this type',
	),
	modelLocator(show, 'The Hoox model that generates the asset'),
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'e.g. A paper boat drifting down a rain-soaked street, low angle',
		description:
			"What to generate. The model's maximum prompt length is checked before anything is sent.",
		displayOptions: { show },
	},
	{
		displayName: 'References',
		name: 'references',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Reference',
		default: {},
		description:
			'Reference media for models that take a list of references (each is a URL, an asset ID or an avatar ID). Models with named inputs (start image, first frame…) take them under Model Parameters instead.',
		displayOptions: { show },
		options: [
			{
				displayName: 'Reference',
				name: 'reference',
				values: [
					{
						displayName: 'Source',
						name: 'source',
						type: 'options',
						options: [
							{
								name: 'Asset ID',
								value: 'assetId',
								description: 'An asset of your Hoox space, e.g. an earlier generation',
							},
							{
								name: 'Avatar ID',
								value: 'avatarId',
								description: 'An avatar defined in your Hoox space',
							},
							{ name: 'URL', value: 'url', description: 'A direct, publicly reachable file URL' },
						],
						default: 'url',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. https://example.com/image.png',
						description: 'The URL, asset ID or avatar ID',
					},
				],
			},
		],
	},
	{
		displayName: 'Model Parameters',
		name: 'modelParameters',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		description:
			"The model's named inputs, extra fields and settings, loaded from Hoox for the chosen model",
		typeOptions: {
			loadOptionsDependsOn: ['model.value'],
			resourceMapper: {
				resourceMapperMethod: 'getModelParameters',
				// 'add': n8n marks required fields as mandatory (no bin) instead of removable
				mode: 'add',
				fieldWords: { singular: 'parameter', plural: 'parameters' },
				addAllFields: true,
				supportAutoMap: false,
				multiKeyMatch: false,
				noFieldsError: 'This model has no extra parameters',
				refreshStaleSchemaOnOpen: true,
			},
		},
		displayOptions: { show },
	},
	modelEnumField(show, ASPECT_RATIO),
	modelEnumField(show, RESOLUTION),
	modelEnumField(show, DURATION),
	generationCountField(
		show,
		'How many variations to generate (1–4); each is one asset and one charge',
	),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Additional Body Fields (JSON)',
				name: 'additionalBodyFields',
				type: 'json',
				default: '{}',
				description:
					'Fields merged into the request body, for options Hoox adds before this node knows them. They are validated like the rest.',
			},
			{
				displayName: 'Folder Name or ID',
				name: 'folderId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getFolders' },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			{
				displayName: 'Parent Media ID',
				name: 'parentMediaId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 662f8c1d3a4b5e6f70123456',
				description:
					'The asset this one derives from (edit, animate, variation): links it in the Hoox history and puts it in the same folder',
			},
			{
				displayName: 'Webhook URL',
				name: 'webhookUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/hooks/hoox',
				description:
					'Hoox calls this URL when each asset is completed or failed (e.g. a Hoox Trigger URL)',
			},
		],
	},
	waitOptions(show, { waitToggle: true, waitMode: true, extra: [maxCreditsOption] }),
];
