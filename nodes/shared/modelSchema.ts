/**
 * A Hoox model's description (GET /asset/models/{name}) turned into what the node needs:
 * the inputs it takes (references or named slots), its enums, its settings, validation of a
 * request before any credit is spent, and the request bodies. No HTTP here.
 *
 * Everything is read from the model's `input_schema` (and `capabilities`/`settings` where the
 * schema is silent): no model names or per-model rules live in this file.
 */
import type { IDataObject, INodePropertyOptions, ResourceMapperField } from 'n8n-workflow';

export type AssetType = 'image' | 'video';

/** GET /asset/models/{name}, as Hoox returns it (only the fields we read are typed). */
export interface ModelDetail {
	name: string;
	label?: string;
	type?: string;
	provider?: string;
	base_cost?: number;
	has_audio?: boolean;
	tags?: string[];
	capabilities?: IDataObject;
	settings?: Array<{
		key: string;
		type?: string;
		label?: string;
		default_value?: unknown;
		affects_cost?: boolean;
		options?: unknown[];
	}>;
	max_prompt_length?: number;
	restricted_countries?: string[];
	input_schema?: IDataObject;
}

/** A reference medium: exactly one of the three keys is set. */
export interface ReferenceObject {
	url?: string;
	asset_id?: string;
	avatar_id?: string;
}

export interface SlotSpec {
	/** Property name in the request body, e.g. `start_image`. */
	name: string;
	displayName: string;
	required: boolean;
	description?: string;
}

export interface EnumSpec<T extends string | number> {
	values: T[];
	default?: T;
}

export interface SettingSpec {
	key: string;
	displayName: string;
	type: 'boolean' | 'options' | 'number' | 'string';
	default?: unknown;
	options?: Array<string | number>;
	affectsCost: boolean;
}

/** Extra top-level string fields a model's schema lists (e.g. `avatar_description`). */
export interface ExtraFieldSpec {
	name: string;
	displayName: string;
	type: 'string' | 'number' | 'boolean' | 'options';
	required: boolean;
	options?: Array<string | number>;
	description?: string;
}

export interface ModelSpec {
	name: string;
	label: string;
	type?: AssetType;
	/** How reference media are passed: a `references` array, named slots, or not at all. */
	inputMode: 'references' | 'slots' | 'none';
	references?: { min: number; max: number };
	/** Named slots in the schema's order. */
	slots: SlotSpec[];
	aspectRatios?: EnumSpec<string>;
	resolutions?: EnumSpec<string>;
	durations?: EnumSpec<number>;
	generationCount: { min: number; max: number; default: number };
	settings: SettingSpec[];
	extraFields: ExtraFieldSpec[];
	maxPromptLength?: number;
	/** False when Hoox gave no input_schema: validation is then left to the API. */
	hasSchema: boolean;
}

/** What the user asked for, gathered from the node's parameters (before validation). */
export interface GenerateInput {
	type?: string;
	model: string;
	prompt: string;
	/** References as given: objects, or strings (`https://…` = url, `avatar:ID`, `asset:ID` or bare ID = asset). */
	references?: Array<ReferenceObject | string>;
	/** Named slot values by slot name (same forms as references; empty values are dropped). */
	slots?: Record<string, ReferenceObject | string | null | undefined>;
	aspectRatio?: string;
	resolution?: string;
	duration?: number | string;
	generationCount?: number | string;
	/** Setting values by key; strings are coerced to the setting's type. Empty values are dropped. */
	modelSettings?: Record<string, unknown>;
	/** Values for `extraFields` by name (e.g. avatar_description). */
	extraFields?: Record<string, unknown>;
	parentMediaId?: string;
	folderId?: string;
	webhookUrl?: string;
	/** Escape hatch: merged into the body last (validated like everything else). */
	additionalFields?: IDataObject;
}

/** A request that would be refused: names the node parameter at fault. */
export class ModelInputError extends Error {
	constructor(
		readonly parameter: string,
		message: string,
		readonly description?: string,
	) {
		super(message);
		this.name = 'ModelInputError';
	}
}

export function describeModel(_detail: ModelDetail): ModelSpec {
	throw new Error('not implemented');
}

/** Validates everything the schema implies and returns the exact POST /asset/start body. Throws ModelInputError. */
export function buildStartBody(_spec: ModelSpec, _input: GenerateInput): IDataObject {
	throw new Error('not implemented');
}

/** The POST /asset/pricing body for the same input (validated the same way). */
export function buildPricingBody(_spec: ModelSpec, _input: GenerateInput): IDataObject {
	throw new Error('not implemented');
}

/** `https://…` -> url, `avatar:ID` -> avatar_id, `asset:ID` or a bare ID -> asset_id; objects are checked. */
export function parseReference(_value: ReferenceObject | string, _parameter: string): ReferenceObject {
	throw new Error('not implemented');
}

/** Dropdown options for aspect ratio / resolution / duration, led by a "Model Default" entry (value ''). */
export function enumOptions(
	_spec: ModelSpec,
	_field: 'aspectRatios' | 'resolutions' | 'durations',
): INodePropertyOptions[] {
	throw new Error('not implemented');
}

/** Resource-mapper fields for the model's slots, extra fields and settings, in schema order. */
export function modelParameterFields(_spec: ModelSpec): ResourceMapperField[] {
	throw new Error('not implemented');
}

/** Splits a resource-mapper value (field id -> value) back into slots, extra fields and settings. */
export function splitModelParameters(
	_spec: ModelSpec,
	_values: Record<string, unknown> | null | undefined,
): Pick<GenerateInput, 'slots' | 'extraFields' | 'modelSettings'> {
	throw new Error('not implemented');
}
