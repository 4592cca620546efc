/** What Hoox says about a model (ModelDetail), what the node reads from it (ModelSpec), and what a user asks for (GenerateInput). */
import type { IDataObject } from 'n8n-workflow';

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
	/** Title Case of the name, e.g. "Start Image" (used in error parameters: "Model Parameters → Start Image"). */
	displayName: string;
	required: boolean;
	description?: string;
}

export interface EnumSpec<T extends string | number> {
	/** Allowed values, in the model's order. Empty = the model takes the field but lists no values (anything is passed on). */
	values: T[];
	default?: T;
}

export interface SettingSpec {
	key: string;
	/** Title Case of the setting's label, else of its key (`generateAudio` -> "Generate Audio"). */
	displayName: string;
	type: 'boolean' | 'options' | 'number' | 'string';
	default?: unknown;
	options?: Array<string | number>;
	/** Display names for `options` (same order), when Hoox gave labelled options. */
	optionLabels?: string[];
	affectsCost: boolean;
	/** For `number`: only whole numbers are accepted (schema type `integer`). */
	integer?: boolean;
	minimum?: number;
	maximum?: number;
	description?: string;
}

/** Extra top-level scalar fields a model's schema lists (e.g. `avatar_description`). */
export interface ExtraFieldSpec {
	name: string;
	displayName: string;
	type: 'string' | 'number' | 'boolean' | 'options';
	required: boolean;
	options?: Array<string | number>;
	description?: string;
	default?: unknown;
	/** For `number`: only whole numbers are accepted (schema type `integer`). */
	integer?: boolean;
	minimum?: number;
	maximum?: number;
}

export interface ModelSpec {
	name: string;
	/** `label` from Hoox, else the name. */
	label: string;
	type?: AssetType;
	/**
	 * How reference media are passed. Without an input_schema: 'references' when capabilities give
	 * `max_images` > 0, else 'none' (then only the shape of what is given is checked).
	 */
	inputMode: 'references' | 'slots' | 'none';
	/** Allowed number of `references` items (max is Number.MAX_SAFE_INTEGER when Hoox gives no cap). */
	references?: { min: number; max: number };
	/** Named slots in the schema's order. */
	slots: SlotSpec[];
	aspectRatios?: EnumSpec<string>;
	resolutions?: EnumSpec<string>;
	/** Whole seconds. */
	durations?: EnumSpec<number>;
	generationCount: { min: number; max: number; default: number };
	settings: SettingSpec[];
	extraFields: ExtraFieldSpec[];
	maxPromptLength?: number;
	/** False when Hoox gave no input_schema: validation is then left to the API. */
	hasSchema: boolean;
}

/** The enums a model may list for the common fields (see COMMON_FIELDS). */
export type ChoiceField = 'aspectRatios' | 'resolutions' | 'durations';

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
	/** Pricing only: reference images to price for (Estimate's Image Count); the larger count is priced. */
	imageCount?: number;
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

/** Prefix of the resource-mapper ids of settings: `model_settings.<key>`. */
export const SETTING_ID_PREFIX = 'model_settings.';
