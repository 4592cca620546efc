/**
 * The request fields every model shares, one row each: adding a common field is adding a row here
 * (plus its property in GenerateInput and, for an enum, in ModelSpec). Rows are in the order they
 * are checked, so the first error a user sees is the most basic one.
 */
import { describeDurations, describeStringEnum, type ChoiceSource } from './choices';
import { checkDuration, checkGenerationCount, checkId, checkWebhookUrl, matchEnum } from './checks';
import type { Source } from './source';
import type { ChoiceField, EnumSpec, GenerateInput, ModelSpec } from './spec';

export interface CommonField {
	/** Key in the request body and in Additional Body Fields. */
	body: string;
	/** Where GenerateInput holds the node parameter's value. */
	input: keyof GenerateInput;
	/** The node parameter named in errors. */
	parameter: string;
	/**
	 * 'option': checked with the media options (before model settings); 'id': after the model's
	 * settings and fields; 'last': also sent after them, so no model field can replace it.
	 * Without a phase the field has its own validation step (model, type, prompt, references).
	 */
	phase?: 'option' | 'id' | 'last';
	check?: (spec: ModelSpec, value: unknown, src: Source) => string | number;
	/** Sent when not given (the model's default). */
	fallback?: (spec: ModelSpec) => string | number;
	/** Also sent to POST /asset/pricing (it changes the price). */
	priced?: boolean;
	/** The enum a model may list for it: the ModelSpec property and how it is read. */
	choices?: {
		field: ChoiceField;
		capabilities: { supported: string; default: string };
		describe: (from: ChoiceSource) => EnumSpec<string> | EnumSpec<number> | undefined;
	};
}

function enumCheck(field: 'aspectRatios' | 'resolutions', what: string): CommonField['check'] {
	return (spec, value, src) => matchEnum(spec[field], value, src, spec, what);
}

export const COMMON_FIELDS: readonly CommonField[] = [
	{ body: 'model', input: 'model', parameter: 'Model' },
	{ body: 'type', input: 'type', parameter: 'Type' },
	{ body: 'prompt', input: 'prompt', parameter: 'Prompt' },
	{ body: 'references', input: 'references', parameter: 'References' },
	{
		body: 'aspect_ratio',
		input: 'aspectRatio',
		parameter: 'Aspect Ratio',
		phase: 'option',
		check: enumCheck('aspectRatios', 'aspect ratio'),
		choices: {
			field: 'aspectRatios',
			capabilities: { supported: 'supported_aspect_ratios', default: 'default_aspect_ratio' },
			describe: describeStringEnum,
		},
	},
	{
		body: 'resolution',
		input: 'resolution',
		parameter: 'Resolution',
		phase: 'option',
		check: enumCheck('resolutions', 'resolution'),
		priced: true,
		choices: {
			field: 'resolutions',
			capabilities: { supported: 'supported_resolutions', default: 'default_resolution' },
			describe: describeStringEnum,
		},
	},
	{
		body: 'duration',
		input: 'duration',
		parameter: 'Duration',
		phase: 'option',
		check: checkDuration,
		priced: true,
		choices: {
			field: 'durations',
			capabilities: { supported: 'supported_durations', default: 'default_duration' },
			describe: describeDurations,
		},
	},
	{
		body: 'generation_count',
		input: 'generationCount',
		parameter: 'Generation Count',
		phase: 'option',
		check: checkGenerationCount,
		fallback: (spec) => spec.generationCount.default,
		priced: true,
	},
	{
		body: 'parent_media_id',
		input: 'parentMediaId',
		parameter: 'Parent Media ID',
		phase: 'id',
		check: (_spec, value, src) => checkId(value, src),
	},
	{
		body: 'folder_id',
		input: 'folderId',
		parameter: 'Folder ID',
		phase: 'id',
		check: (_spec, value, src) => checkId(value, src),
	},
	{
		body: 'webhook_url',
		input: 'webhookUrl',
		parameter: 'Webhook URL',
		phase: 'last',
		check: (_spec, value, src) => checkWebhookUrl(value, src),
	},
];

const BY_BODY = new Map(COMMON_FIELDS.map((field) => [field.body, field]));

export function commonField(body: string): CommonField | undefined {
	return BY_BODY.get(body);
}

/** The node parameter of a common field, e.g. 'Model'. */
export function commonParameter(body: string): string {
	return BY_BODY.get(body)?.parameter ?? body;
}

/** Top-level schema properties that are not a model's own slots or extra fields. */
export const RESERVED_FIELDS = new Set([...BY_BODY.keys(), 'model_settings']);
