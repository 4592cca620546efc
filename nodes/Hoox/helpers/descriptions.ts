import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

/** The asset types, as the `type` of Generate, Estimate and the model filter offer them. */
export const ASSET_TYPES: INodePropertyOptions[] = [
	{ name: 'Image', value: 'image' },
	{ name: 'Video', value: 'video' },
];

export function typeField(show: Show, description: string): INodeProperties {
	return {
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: ASSET_TYPES,
		default: 'image',
		description,
		displayOptions: { show },
	};
}

export function modelLocator(show: Show, description: string): INodeProperties {
	return {
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a model…',
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. veo-3.1',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
							errorMessage: 'A model ID looks like veo-3.1 or gpt-image-2',
						},
					},
				],
			},
		],
		displayOptions: { show },
	};
}

const DYNAMIC_OPTIONS_HINT =
	'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>';

/** A dropdown of the values the chosen model supports (aspect ratio, resolution, duration). */
export function modelEnumField(
	show: Show,
	field: { displayName: string; name: string; loadOptionsMethod: string; hide?: Show },
): INodeProperties {
	return {
		displayName: `${field.displayName} Name or ID`,
		name: field.name,
		type: 'options',
		typeOptions: {
			loadOptionsMethod: field.loadOptionsMethod,
			loadOptionsDependsOn: ['model.value'],
		},
		default: '',
		description: DYNAMIC_OPTIONS_HINT,
		displayOptions: field.hide ? { show, hide: field.hide } : { show },
	};
}

export const ASPECT_RATIO = {
	displayName: 'Aspect Ratio',
	name: 'aspectRatio',
	loadOptionsMethod: 'getAspectRatios',
};
export const RESOLUTION = {
	displayName: 'Resolution',
	name: 'resolution',
	loadOptionsMethod: 'getResolutions',
};
/** Hidden for images, so switching Type to Image drops a video's duration from the node. */
export const DURATION = {
	displayName: 'Duration',
	name: 'duration',
	loadOptionsMethod: 'getDurations',
	hide: { type: ['image'] },
};

/** Generation Count (1–4): one asset and one charge per generation. */
export function generationCountField(show: Show, description: string): INodeProperties {
	return {
		displayName: 'Generation Count',
		name: 'generationCount',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 4 },
		default: 1,
		description,
		displayOptions: { show },
	};
}
