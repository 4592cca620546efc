/**
 * A Hoox model's description (GET /asset/models/{name}) turned into what the node needs:
 * the inputs it takes (references or named slots), its enums, its settings, validation of a
 * request before any credit is spent, and the request bodies. No HTTP here.
 *
 * Everything is read from the model's `input_schema` (and `capabilities`/`settings` where the
 * schema is silent): no model names or per-model rules live in this file. A model Hoox adds
 * tomorrow, with a new named slot (any top-level object property shaped like a reference:
 * `oneOf` url/asset_id/avatar_id, or an object with those properties), a new setting under
 * `model_settings`, or a new top-level scalar field, works without a code change.
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
	 * How reference media are passed: a `references` array, named slots, or not at all.
	 * Without an input_schema: 'references' when capabilities give `max_images` > 0, else 'none'
	 * (and buildStartBody then only checks the shape of what it is given).
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
	/**
	 * Pricing only: reference images to price for when none are given as references or slots
	 * (Pricing → Estimate's Image Count). The larger of the two counts is priced.
	 */
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

/** Node parameter names used as `ModelInputError.parameter`. */
export const PARAMETER = {
	type: 'Type',
	model: 'Model',
	prompt: 'Prompt',
	references: 'References',
	modelParameters: 'Model Parameters',
	aspectRatio: 'Aspect Ratio',
	resolution: 'Resolution',
	duration: 'Duration',
	generationCount: 'Generation Count',
	parentMediaId: 'Parent Media ID',
	folderId: 'Folder ID',
	webhookUrl: 'Webhook URL',
	additionalFields: 'Additional Body Fields',
} as const;

/** Prefix of the resource-mapper ids of settings: `model_settings.<key>`. */
export const SETTING_ID_PREFIX = 'model_settings.';

/** The request fields every model shares; any other top-level schema property is a slot or an extra field. */
const RESERVED_FIELDS = new Set([
	'prompt',
	'references',
	'aspect_ratio',
	'resolution',
	'duration',
	'generation_count',
	'model_settings',
	'webhook_url',
	'parent_media_id',
	'folder_id',
	'type',
	'model',
]);

const REFERENCE_KEYS = ['url', 'asset_id', 'avatar_id'] as const;
type ReferenceKey = (typeof REFERENCE_KEYS)[number];
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** '' (after trim), null and undefined mean "not given": the model default applies. */
function isEmpty(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

function toInteger(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
	return undefined;
}

function toFiniteNumber(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	return undefined;
}

/** First non-null JSON-schema type (`type` may be a string or an array of strings). */
function schemaType(prop: IDataObject): string | undefined {
	const t = prop.type;
	if (typeof t === 'string') return t;
	if (Array.isArray(t)) return t.find((x): x is string => typeof x === 'string' && x !== 'null');
	return undefined;
}

function quote(value: unknown): string {
	if (typeof value === 'string') return `"${value}"`;
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

function listWords(values: unknown[], conjunction = 'or'): string {
	const parts = values.map((v) => String(v));
	if (parts.length <= 1) return parts.join('');
	return `${parts.slice(0, -1).join(', ')} ${conjunction} ${parts[parts.length - 1]}`;
}

/** Generic abbreviations written in capitals in labels (never words taken from model names). */
const UPPER_WORDS = new Set(['id', 'url', 'uri', 'api']);

/** `generateAudio` -> "Generate Audio", `camera_fixed` -> "Camera Fixed", `asset_id` -> "Asset ID". */
export function titleCase(text: string): string {
	return text
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
		.split(/[\s_\-.]+/)
		.filter((w) => w !== '')
		.map((w) =>
			UPPER_WORDS.has(w.toLowerCase()) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1),
		)
		.join(' ');
}

/** How a value is shown in option lists and "(Default: …)": booleans as On/Off, words capitalised. */
function displayValue(value: unknown): string {
	if (value === true) return 'On';
	if (value === false) return 'Off';
	if (typeof value === 'string')
		return value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ');
	return String(value);
}

function secondsLabel(seconds: number): string {
	return `${seconds} ${seconds === 1 ? 'Second' : 'Seconds'}`;
}

/** True for an absolute http(s) URL with a host. */
export function isHttpUrl(value: unknown): value is string {
	if (typeof value !== 'string' || value !== value.trim() || /\s/.test(value)) return false;
	if (!/^https?:\/\/[^/?#]/i.test(value)) return false;
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

// ---------------------------------------------------------------------------------------------
// describeModel
// ---------------------------------------------------------------------------------------------

/** A property whose value is one reference object (`oneOf` url/asset_id/avatar_id, or an object with those properties). */
function isReferenceSchema(prop: IDataObject): boolean {
	const t = schemaType(prop);
	if (t !== undefined && t !== 'object') return false;
	if (Array.isArray(prop.oneOf) || Array.isArray(prop.anyOf)) {
		const clauses = (Array.isArray(prop.oneOf) ? prop.oneOf : prop.anyOf) as unknown[];
		const keys = clauses.flatMap((c) =>
			isObject(c) && Array.isArray(c.required) ? c.required : [],
		);
		if (keys.length > 0 && keys.every((k) => (REFERENCE_KEYS as readonly unknown[]).includes(k)))
			return true;
	}
	if (isObject(prop.properties)) {
		const keys = Object.keys(prop.properties);
		const refKeys = keys.filter((k) => (REFERENCE_KEYS as readonly string[]).includes(k));
		if (refKeys.length >= 2 || (refKeys.length === 1 && keys.length === 1)) return true;
	}
	return false;
}

function enumValues(prop: IDataObject): Array<string | number> | undefined {
	if (!Array.isArray(prop.enum)) return undefined;
	const values = prop.enum.filter(
		(v): v is string | number =>
			typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)),
	);
	return values.length > 0 ? values : undefined;
}

function describeExtraField(
	name: string,
	prop: IDataObject,
	required: boolean,
): ExtraFieldSpec | undefined {
	const t = schemaType(prop);
	const options = enumValues(prop);
	let type: ExtraFieldSpec['type'];
	if (options) type = 'options';
	else if (t === 'boolean') type = 'boolean';
	else if (t === 'number' || t === 'integer') type = 'number';
	else if (t === undefined || t === 'string') type = 'string';
	else return undefined; // objects/arrays: pass them through Additional Body Fields
	const field: ExtraFieldSpec = { name, displayName: titleCase(name), type, required };
	if (options) field.options = options;
	if (typeof prop.description === 'string') field.description = prop.description;
	if (prop.default !== undefined) field.default = prop.default;
	if (t === 'integer') field.integer = true;
	const minimum = toFiniteNumber(prop.minimum);
	const maximum = toFiniteNumber(prop.maximum);
	if (minimum !== undefined) field.minimum = minimum;
	if (maximum !== undefined) field.maximum = maximum;
	return field;
}

function describeGenerationCount(prop: unknown): ModelSpec['generationCount'] {
	const p = isObject(prop) ? prop : {};
	const min = Math.max(1, toInteger(p.minimum) ?? 1);
	const max = Math.max(min, toInteger(p.maximum) ?? 4);
	let def = toInteger(p.default) ?? 1;
	if (def < min || def > max) def = min;
	return { min, max, default: def };
}

function describeStringEnum(
	hasSchema: boolean,
	prop: unknown,
	capValues: unknown,
	capDefault: unknown,
): EnumSpec<string> | undefined {
	const fromCaps = Array.isArray(capValues)
		? capValues.filter((v) => typeof v === 'string' || typeof v === 'number').map(String)
		: [];
	// With a schema, a field the schema does not list is not accepted by the model.
	if (hasSchema && !isObject(prop)) return undefined;
	const p = isObject(prop) ? prop : {};
	const fromSchema = enumValues(p)?.map(String);
	if (!hasSchema && fromCaps.length === 0) return undefined;
	const values = fromSchema ?? fromCaps;
	const rawDefault = p.default ?? capDefault;
	const spec: EnumSpec<string> = { values };
	if (typeof rawDefault === 'string' || typeof rawDefault === 'number')
		spec.default = String(rawDefault);
	return spec;
}

/** `5`, `"5"`, `"5s"`, `"5 seconds"` -> 5. Undefined when it is not a number of seconds; may be fractional. */
function parseSeconds(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const match = /^\s*(\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?)?\s*$/i.exec(value);
	return match ? Number(match[1]) : undefined;
}

function describeDurations(
	hasSchema: boolean,
	prop: unknown,
	capValues: unknown,
	capDefault: unknown,
): EnumSpec<number> | undefined {
	const wholeSeconds = (list: unknown[]): number[] =>
		list.map(parseSeconds).filter((n): n is number => n !== undefined && Number.isInteger(n));
	const fromCaps = Array.isArray(capValues) ? wholeSeconds(capValues) : [];
	if (hasSchema && !isObject(prop)) return undefined;
	const p = isObject(prop) ? prop : {};
	if (!hasSchema && fromCaps.length === 0) return undefined;
	let values = Array.isArray(p.enum) ? wholeSeconds(p.enum) : [];
	if (values.length === 0) {
		const min = toInteger(p.minimum);
		const max = toInteger(p.maximum);
		if (min !== undefined && max !== undefined && max >= min && max - min <= 600) {
			values = Array.from({ length: max - min + 1 }, (_, i) => min + i);
		} else {
			values = fromCaps;
		}
	}
	const spec: EnumSpec<number> = { values };
	const def = parseSeconds(p.default ?? capDefault);
	if (def !== undefined && Number.isInteger(def)) spec.default = def;
	return spec;
}

type SettingEntry = NonNullable<ModelDetail['settings']>[number];

function settingOptions(raw: unknown[] | undefined): {
	values: Array<string | number>;
	labels?: string[];
} {
	const values: Array<string | number> = [];
	const labels: string[] = [];
	let labelled = false;
	for (const item of raw ?? []) {
		if (typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item))) {
			values.push(item);
			labels.push(displayValue(item));
		} else if (
			isObject(item) &&
			(typeof item.value === 'string' || typeof item.value === 'number')
		) {
			values.push(item.value);
			const label = item.label ?? item.name;
			labelled = labelled || typeof label === 'string';
			labels.push(typeof label === 'string' ? label : displayValue(item.value));
		}
	}
	return labelled ? { values, labels } : { values };
}

function describeSettings(
	modelSettingsProp: unknown,
	settings: ModelDetail['settings'],
): SettingSpec[] {
	const schemaProps: IDataObject =
		isObject(modelSettingsProp) && isObject(modelSettingsProp.properties)
			? modelSettingsProp.properties
			: {};
	const entries = new Map<string, SettingEntry>();
	for (const s of Array.isArray(settings) ? settings : []) {
		if (isObject(s) && typeof s.key === 'string' && s.key !== '') entries.set(s.key, s);
	}
	const keys = [
		...Object.keys(schemaProps),
		...[...entries.keys()].filter((k) => !(k in schemaProps)),
	];
	return keys.map((key) => {
		const sp: IDataObject = isObject(schemaProps[key]) ? schemaProps[key] : {};
		const entry = entries.get(key);
		const t = schemaType(sp);
		const entryType = typeof entry?.type === 'string' ? entry.type.toLowerCase() : undefined;
		const schemaOptions = enumValues(sp);
		const entryOptions = settingOptions(entry?.options);
		let type: SettingSpec['type'];
		const scalar = t === undefined || t === 'string' || t === 'number' || t === 'integer';
		if (schemaOptions || (scalar && entryOptions.values.length > 0)) type = 'options';
		else if (t === 'boolean') type = 'boolean';
		else if (t === 'number' || t === 'integer') type = 'number';
		else if (t === 'string') type = 'string';
		else if (entryType === 'boolean') type = 'boolean';
		else if (entryType === 'number' || entryType === 'integer') type = 'number';
		else type = 'string';

		const label = typeof entry?.label === 'string' && entry.label.trim() ? entry.label : key;
		const spec: SettingSpec = {
			key,
			displayName: titleCase(label),
			type,
			affectsCost: entry?.affects_cost === true,
		};
		const def = sp.default !== undefined ? sp.default : entry?.default_value;
		if (def !== undefined && def !== null) spec.default = def;
		if (type === 'options') {
			if (schemaOptions) {
				spec.options = schemaOptions;
				// Reuse labels from settings[] when they describe the same values.
				if (entryOptions.labels && entryOptions.values.length === schemaOptions.length) {
					spec.optionLabels = schemaOptions.map((v) => {
						const i = entryOptions.values.indexOf(v);
						return i >= 0 && entryOptions.labels ? entryOptions.labels[i] : displayValue(v);
					});
				}
			} else {
				spec.options = entryOptions.values;
				if (entryOptions.labels) spec.optionLabels = entryOptions.labels;
			}
		}
		if (t === 'integer' || entryType === 'integer') spec.integer = true;
		const minimum = toFiniteNumber(sp.minimum);
		const maximum = toFiniteNumber(sp.maximum);
		if (minimum !== undefined) spec.minimum = minimum;
		if (maximum !== undefined) spec.maximum = maximum;
		if (typeof sp.description === 'string') spec.description = sp.description;
		return spec;
	});
}

/**
 * Reads a model description (GET /asset/models/{name}) into a ModelSpec.
 *
 * - inputMode: a `references` array property -> 'references' (min/max from minItems/maxItems,
 *   else capabilities min_images/max_images); reference-shaped object properties -> 'slots'
 *   in schema order (`required` from the schema's `required` list); neither -> 'none'.
 * - aspectRatios/resolutions/durations: from the schema property's enum + default (capabilities
 *   `supported_*`/`default_*` when the schema gives no enum, or when there is no schema).
 *   With a schema, a property it does not list means the model does not take that field.
 * - settings: `model_settings.properties` merged with `settings[]` (label, affects_cost, options).
 * - extraFields: any other top-level scalar property (e.g. `avatar_description`).
 */
export function describeModel(detail: ModelDetail): ModelSpec {
	const schema = isObject(detail.input_schema) ? detail.input_schema : undefined;
	const hasSchema = schema !== undefined;
	const props: IDataObject = schema && isObject(schema.properties) ? schema.properties : {};
	const required = new Set(
		Array.isArray(schema?.required)
			? schema.required.filter((r): r is string => typeof r === 'string')
			: [],
	);
	const caps: IDataObject = isObject(detail.capabilities) ? detail.capabilities : {};
	const capMin = toInteger(caps.min_images);
	const capMax = toInteger(caps.max_images);

	let references: ModelSpec['references'];
	const slots: SlotSpec[] = [];
	const extraFields: ExtraFieldSpec[] = [];
	if (hasSchema) {
		const refProp = props.references;
		if (isObject(refProp) && (schemaType(refProp) === 'array' || refProp.items !== undefined)) {
			let min = toInteger(refProp.minItems) ?? capMin ?? 0;
			const max = toInteger(refProp.maxItems) ?? capMax ?? NO_LIMIT;
			if (required.has('references') && min < 1) min = 1;
			min = Math.max(0, min);
			references = { min, max: Math.max(min, max) };
		}
		for (const [name, prop] of Object.entries(props)) {
			if (RESERVED_FIELDS.has(name) || !isObject(prop)) continue;
			if (isReferenceSchema(prop)) {
				const slot: SlotSpec = { name, displayName: titleCase(name), required: required.has(name) };
				if (typeof prop.description === 'string') slot.description = prop.description;
				slots.push(slot);
				continue;
			}
			const extra = describeExtraField(name, prop, required.has(name));
			if (extra) extraFields.push(extra);
		}
	} else if (capMax !== undefined && capMax > 0) {
		const min = Math.max(0, capMin ?? 0);
		references = { min, max: Math.max(min, capMax) };
	}

	const spec: ModelSpec = {
		name: detail.name,
		label:
			typeof detail.label === 'string' && detail.label.trim() !== '' ? detail.label : detail.name,
		inputMode: references ? 'references' : slots.length > 0 ? 'slots' : 'none',
		slots,
		generationCount: describeGenerationCount(props.generation_count),
		settings: describeSettings(props.model_settings, detail.settings),
		extraFields,
		hasSchema,
	};
	if (typeof detail.type === 'string' && detail.type.trim() !== '') {
		spec.type = detail.type.trim().toLowerCase() as AssetType;
	}
	if (references) spec.references = references;
	const aspectRatios = describeStringEnum(
		hasSchema,
		props.aspect_ratio,
		caps.supported_aspect_ratios,
		caps.default_aspect_ratio,
	);
	if (aspectRatios) spec.aspectRatios = aspectRatios;
	const resolutions = describeStringEnum(
		hasSchema,
		props.resolution,
		caps.supported_resolutions,
		caps.default_resolution,
	);
	if (resolutions) spec.resolutions = resolutions;
	const durations = describeDurations(
		hasSchema,
		props.duration,
		caps.supported_durations,
		caps.default_duration,
	);
	if (durations) spec.durations = durations;
	const maxPromptLength =
		toInteger(detail.max_prompt_length) ??
		(isObject(props.prompt) ? toInteger(props.prompt.maxLength) : undefined);
	if (maxPromptLength !== undefined && maxPromptLength > 0) spec.maxPromptLength = maxPromptLength;
	return spec;
}

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

/** Where a value came from: the node parameter, and (for list items / body keys) a prefix for the message. */
interface Source {
	parameter: string;
	where?: string;
}

function inputError(src: Source, message: string, description?: string): ModelInputError {
	return new ModelInputError(
		src.parameter,
		src.where ? `${src.where}: ${message}` : message,
		description,
	);
}

function within(src: Source, where: string): Source {
	return { parameter: src.parameter, where: src.where ? `${src.where} → ${where}` : where };
}

const REFERENCE_HINT =
	'A reference is a URL (https://…), an asset ID (asset:ID or the bare ID), an avatar (avatar:ID), ' +
	'or an object with exactly one of url, asset_id or avatar_id.';

function checkReference(value: unknown, src: Source): ReferenceObject {
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') throw inputError(src, 'Reference is empty', REFERENCE_HINT);
		if (text.startsWith('{')) {
			let parsed: unknown;
			try {
				parsed = JSON.parse(text);
			} catch {
				throw inputError(src, `Reference ${quote(text)} is not valid JSON`, REFERENCE_HINT);
			}
			if (!isObject(parsed))
				throw inputError(src, 'Reference JSON must be an object', REFERENCE_HINT);
			return checkReference(parsed, src);
		}
		if (/^https?:\/\//i.test(text)) {
			if (!isHttpUrl(text))
				throw inputError(src, `${quote(text)} is not a valid http(s) URL`, REFERENCE_HINT);
			return { url: text };
		}
		const prefixed = /^(avatar|asset)\s*:\s*(.*)$/i.exec(text);
		if (prefixed) {
			const id = prefixed[2].trim();
			const key: ReferenceKey = prefixed[1].toLowerCase() === 'avatar' ? 'avatar_id' : 'asset_id';
			if (id === '' || /\s/.test(id))
				throw inputError(
					src,
					`${quote(text)} has no valid ID after "${prefixed[1]}:"`,
					REFERENCE_HINT,
				);
			return { [key]: id };
		}
		if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
			throw inputError(src, `${quote(text)} is not an http(s) URL`, REFERENCE_HINT);
		}
		if (/[\s/\\]/.test(text)) {
			throw inputError(src, `${quote(text)} is neither a URL nor an asset ID`, REFERENCE_HINT);
		}
		return { asset_id: text };
	}
	if (!isObject(value)) {
		throw inputError(
			src,
			`Reference must be a string or an object, not ${quote(value)}`,
			REFERENCE_HINT,
		);
	}
	const unknown = Object.keys(value).filter(
		(k) => !(REFERENCE_KEYS as readonly string[]).includes(k),
	);
	if (unknown.length > 0) {
		throw inputError(
			src,
			`Reference has unknown key${unknown.length > 1 ? 's' : ''} ${listWords(unknown, 'and')}; use exactly one of url, asset_id or avatar_id`,
			REFERENCE_HINT,
		);
	}
	const set = REFERENCE_KEYS.filter((k) => !isEmpty(value[k]));
	if (set.length !== 1) {
		const found = set.length === 0 ? 'none is set' : `${listWords(set, 'and')} are all set`;
		throw inputError(
			src,
			`Set exactly one of url, asset_id or avatar_id (${found})`,
			REFERENCE_HINT,
		);
	}
	const key = set[0];
	const raw = value[key];
	if (typeof raw !== 'string')
		throw inputError(src, `${key} must be a string, not ${quote(raw)}`, REFERENCE_HINT);
	const text = raw.trim();
	if (key === 'url' && !isHttpUrl(text)) {
		throw inputError(src, `url ${quote(text)} is not an absolute http(s) URL`, REFERENCE_HINT);
	}
	return { [key]: text };
}

/**
 * `https://…` -> url, `avatar:ID` -> avatar_id, `asset:ID` or a bare ID -> asset_id, a string
 * starting with `{` is read as a JSON object; objects must set exactly one of url, asset_id,
 * avatar_id (url: absolute http(s)). Throws ModelInputError naming `parameter`
 * (e.g. "References → item 2").
 */
export function parseReference(
	value: ReferenceObject | string,
	parameter: string,
): ReferenceObject {
	return checkReference(value, { parameter });
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

interface Given {
	value: unknown;
	src: Source;
}

interface ValidatedInput {
	type?: string;
	prompt?: string;
	references?: ReferenceObject[];
	/** Slot name -> reference, in schema order (then unknown names, for models without a schema). */
	slots: Array<[string, ReferenceObject]>;
	aspectRatio?: string;
	resolution?: string;
	duration?: number;
	generationCount: number;
	modelSettings: IDataObject;
	extras: IDataObject;
	parentMediaId?: string;
	folderId?: string;
	webhookUrl?: string;
	passthrough: IDataObject;
}

interface Typed {
	type: 'boolean' | 'options' | 'number' | 'string';
	options?: Array<string | number>;
	integer?: boolean;
	minimum?: number;
	maximum?: number;
}

/** Coerces a value to a setting/extra field's type ("true" -> true, "2.5" -> 2.5, option case-insensitively). */
function coerceTyped(field: Typed, value: unknown, src: Source): string | number | boolean {
	switch (field.type) {
		case 'boolean': {
			if (typeof value === 'boolean') return value;
			if (typeof value === 'string') {
				const text = value.trim().toLowerCase();
				if (text === 'true') return true;
				if (text === 'false') return false;
			}
			throw inputError(src, `Must be true or false, not ${quote(value)}`);
		}
		case 'number': {
			let n: number | undefined;
			if (typeof value === 'number' && Number.isFinite(value)) n = value;
			else if (typeof value === 'string' && /^\s*-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value))
				n = Number(value);
			if (n === undefined) throw inputError(src, `Must be a number, not ${quote(value)}`);
			if (field.integer && !Number.isInteger(n))
				throw inputError(src, `Must be a whole number, not ${n}`);
			if (field.minimum !== undefined && n < field.minimum) {
				throw inputError(src, `Must be at least ${field.minimum}, not ${n}`);
			}
			if (field.maximum !== undefined && n > field.maximum) {
				throw inputError(src, `Must be at most ${field.maximum}, not ${n}`);
			}
			return n;
		}
		case 'options': {
			const options = field.options ?? [];
			if (typeof value === 'string' || typeof value === 'number') {
				const exact = options.find((o) => o === value);
				if (exact !== undefined) return exact;
				const text = String(value).trim().toLowerCase();
				const loose = options.find((o) => String(o).toLowerCase() === text);
				if (loose !== undefined) return loose;
			}
			throw inputError(
				src,
				`${quote(value)} is not an option; choose ${listWords(options.map((o) => quote(o)))}`,
			);
		}
		default: {
			if (typeof value === 'string') return value;
			if (typeof value === 'number' || typeof value === 'boolean') return String(value);
			throw inputError(src, `Must be text, not ${quote(value)}`);
		}
	}
}

function matchEnum(
	enumSpec: EnumSpec<string> | undefined,
	value: unknown,
	src: Source,
	spec: ModelSpec,
	what: string,
): string {
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw inputError(src, `Must be text, not ${quote(value)}`);
	}
	const text = String(value).trim();
	if (!enumSpec) {
		if (!spec.hasSchema) return text;
		throw inputError(
			src,
			`${spec.name} has no ${what} option; leave it at "Model Default"`,
			`Only the fields listed in the model's input_schema are accepted.`,
		);
	}
	if (enumSpec.values.length === 0) return text;
	const exact = enumSpec.values.find((v) => v === text);
	if (exact !== undefined) return exact;
	const loose = enumSpec.values.find((v) => v.toLowerCase() === text.toLowerCase());
	if (loose !== undefined) return loose;
	throw inputError(
		src,
		`${quote(text)} is not supported by ${spec.name}; choose ${listWords(enumSpec.values)}`,
	);
}

function checkDuration(spec: ModelSpec, value: unknown, src: Source): number {
	const seconds = parseSeconds(value);
	if (seconds === undefined || !Number.isInteger(seconds)) {
		throw inputError(src, `${quote(value)} is not a whole number of seconds (e.g. 5)`);
	}
	if (!spec.durations) {
		if (!spec.hasSchema) return seconds;
		throw inputError(src, `${spec.name} has no duration option; leave it at "Model Default"`);
	}
	const values = spec.durations.values;
	if (values.length > 0 && !values.includes(seconds)) {
		throw inputError(
			src,
			`${seconds} seconds is not available for ${spec.name}; choose ${listWords(values)} seconds`,
		);
	}
	return seconds;
}

function checkGenerationCount(spec: ModelSpec, value: unknown, src: Source): number {
	const { min, max } = spec.generationCount;
	let n: number | undefined;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) n = Number(value);
	if (n === undefined || !Number.isInteger(n) || n < min || n > max) {
		throw inputError(src, `Must be a whole number from ${min} to ${max}, not ${quote(value)}`);
	}
	return n;
}

function checkId(value: unknown, src: Source): string {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') throw inputError(src, `Must be an ID (text), not ${quote(value)}`);
	const text = value.trim();
	if (/\s/.test(text)) throw inputError(src, `${quote(text)} is not a valid ID`);
	return text;
}

/** A list given as an array, one item, or a JSON array string. */
function asList(value: unknown, src: Source): unknown[] {
	if (Array.isArray(value)) return value;
	if (typeof value === 'string' && value.trim().startsWith('[')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(value);
		} catch {
			throw inputError(src, 'Is not a valid JSON array');
		}
		if (!Array.isArray(parsed)) throw inputError(src, 'Must be a JSON array');
		return parsed;
	}
	return [value];
}

function asObject(value: unknown, src: Source): IDataObject {
	if (isObject(value)) return value;
	if (typeof value === 'string' && value.trim().startsWith('{')) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(value);
		} catch {
			throw inputError(src, 'Is not valid JSON');
		}
		if (isObject(parsed)) return parsed;
	}
	throw inputError(src, `Must be an object, not ${quote(value)}`);
}

function looksLikeReference(value: unknown): boolean {
	return isObject(value) && REFERENCE_KEYS.some((k) => k in value);
}

function slotParameter(spec: ModelSpec, name: string): string {
	const slot = spec.slots.find((s) => s.name === name);
	return `${PARAMETER.modelParameters} → ${slot ? slot.displayName : titleCase(name)}`;
}

function settingParameter(spec: ModelSpec, key: string): string {
	const setting = spec.settings.find((s) => s.key === key);
	return `${PARAMETER.modelParameters} → ${setting ? setting.displayName : titleCase(key)}`;
}

function extraParameter(spec: ModelSpec, name: string): string {
	const extra = spec.extraFields.find((f) => f.name === name);
	return `${PARAMETER.modelParameters} → ${extra ? extra.displayName : titleCase(name)}`;
}

/** "Start Image and End Image". */
function slotNames(spec: ModelSpec): string {
	return listWords(
		spec.slots.map((s) => s.displayName),
		'and',
	);
}

/**
 * Validates an input against a model and returns it normalised. The checks run in a fixed order,
 * so the first error a user sees is the most basic one: gather every value (Additional Body Fields
 * last, they win), then model and type, prompt, reference media (counts, slots, order, then each
 * item's shape), enums, generation count, settings, extra fields, and last ids and webhook URL.
 * `strict` = for /asset/start: prompt, type and required inputs must be present. Pricing only
 * checks what it is given.
 */
function validate(spec: ModelSpec, input: GenerateInput, strict: boolean): ValidatedInput {
	const ADD = PARAMETER.additionalFields;
	const addSrc = (key: string): Source => ({ parameter: ADD, where: key });
	const given = (value: unknown, parameter: string): Given | undefined =>
		isEmpty(value) ? undefined : { value, src: { parameter } };

	// 1. Gather everything, Additional Body Fields last (they win).
	let type = given(input.type, PARAMETER.type);
	let model = given(input.model, PARAMETER.model);
	let prompt = given(input.prompt, PARAMETER.prompt);
	let references =
		input.references === undefined || input.references === null
			? undefined
			: { value: input.references as unknown, src: { parameter: PARAMETER.references } as Source };
	const slots = new Map<string, Given>();
	for (const [name, value] of Object.entries(input.slots ?? {})) {
		if (!isEmpty(value)) slots.set(name, { value, src: { parameter: slotParameter(spec, name) } });
	}
	let aspectRatio = given(input.aspectRatio, PARAMETER.aspectRatio);
	let resolution = given(input.resolution, PARAMETER.resolution);
	let duration = given(input.duration, PARAMETER.duration);
	let generationCount = given(input.generationCount, PARAMETER.generationCount);
	const settings = new Map<string, Given>();
	for (const [key, value] of Object.entries(input.modelSettings ?? {})) {
		if (!isEmpty(value))
			settings.set(key, { value, src: { parameter: settingParameter(spec, key) } });
	}
	const extras = new Map<string, Given>();
	for (const [name, value] of Object.entries(input.extraFields ?? {})) {
		if (!isEmpty(value))
			extras.set(name, { value, src: { parameter: extraParameter(spec, name) } });
	}
	let parentMediaId = given(input.parentMediaId, PARAMETER.parentMediaId);
	let folderId = given(input.folderId, PARAMETER.folderId);
	let webhookUrl = given(input.webhookUrl, PARAMETER.webhookUrl);
	const passthrough: IDataObject = {};

	if (input.additionalFields !== undefined && input.additionalFields !== null) {
		const additional = asObject(input.additionalFields, { parameter: ADD });
		for (const [key, value] of Object.entries(additional)) {
			if (isEmpty(value)) continue;
			const src = addSrc(key);
			const item: Given = { value, src };
			switch (key) {
				case 'type':
					type = item;
					break;
				case 'model':
					model = item;
					break;
				case 'prompt':
					prompt = item;
					break;
				case 'references':
					references = item;
					break;
				case 'aspect_ratio':
					aspectRatio = item;
					break;
				case 'resolution':
					resolution = item;
					break;
				case 'duration':
					duration = item;
					break;
				case 'generation_count':
					generationCount = item;
					break;
				case 'parent_media_id':
					parentMediaId = item;
					break;
				case 'folder_id':
					folderId = item;
					break;
				case 'webhook_url':
					webhookUrl = item;
					break;
				case 'model_settings':
					for (const [k, v] of Object.entries(asObject(value, src))) {
						if (!isEmpty(v)) settings.set(k, { value: v, src: within(src, k) });
					}
					break;
				default:
					if (
						spec.slots.some((s) => s.name === key) ||
						(!spec.hasSchema && looksLikeReference(value))
					) {
						slots.set(key, item);
					} else if (spec.extraFields.some((f) => f.name === key)) {
						extras.set(key, item);
					} else if (spec.hasSchema && looksLikeReference(value)) {
						throw inputError(
							src,
							`${spec.name} has no input named "${key}"` +
								(spec.slots.length ? `; its inputs are ${slotNames(spec)}` : ''),
						);
					} else if (spec.hasSchema && spec.settings.some((x) => x.key === key)) {
						throw inputError(
							src,
							`${key} is a setting of ${spec.name}; put it inside model_settings`,
						);
					} else {
						passthrough[key] = value;
					}
			}
		}
	}

	// 2. Model and type.
	if (!model) {
		if (strict || isEmpty(spec.name)) throw new ModelInputError(PARAMETER.model, 'Choose a model');
	} else if (typeof model.value !== 'string' || model.value.trim() !== spec.name) {
		throw inputError(
			model.src,
			`${quote(model.value)} does not match the selected model ${spec.name}`,
		);
	}
	let assetType: string | undefined = spec.type;
	if (type) {
		const wanted = typeof type.value === 'string' ? type.value.trim().toLowerCase() : '';
		if (wanted === '')
			throw inputError(type.src, `Must be image or video, not ${quote(type.value)}`);
		if (spec.type && wanted !== spec.type) {
			throw inputError(
				type.src,
				`${spec.label} makes ${spec.type}s, but Type is ${quote(wanted)}`,
				`Set Type to ${spec.type} or choose a ${wanted} model.`,
			);
		}
		assetType = wanted;
	}
	if (strict && !assetType)
		throw new ModelInputError(PARAMETER.type, 'Choose the type of asset (image or video)');

	// 3. Prompt.
	let promptText: string | undefined;
	if (!prompt) {
		if (strict)
			throw new ModelInputError(PARAMETER.prompt, 'The prompt is empty; describe what to generate');
	} else {
		if (typeof prompt.value !== 'string' && typeof prompt.value !== 'number') {
			throw inputError(prompt.src, `Must be text, not ${quote(prompt.value)}`);
		}
		promptText = String(prompt.value);
		if (spec.maxPromptLength !== undefined && promptText.length > spec.maxPromptLength) {
			throw inputError(
				prompt.src,
				`The prompt is ${promptText.length} characters long; ${spec.name} accepts at most ${spec.maxPromptLength}`,
				`Shorten it by ${promptText.length - spec.maxPromptLength} characters.`,
			);
		}
	}

	// 4. Reference media: counts, slots, order; then each item's shape.
	const result: ValidatedInput = {
		slots: [],
		generationCount: spec.generationCount.default,
		modelSettings: {},
		extras: {},
		passthrough,
	};
	let refList: Array<{ value: unknown; src: Source }> = [];
	if (references) {
		const list = asList(references.value, references.src);
		refList = list
			.map((value, i) => ({
				value,
				src: within(references!.src, `${references!.src.where ? 'item' : 'Item'} ${i + 1}`),
			}))
			.filter((r) => !isEmpty(r.value));
	}
	if (spec.hasSchema) {
		if (refList.length > 0 && !spec.references) {
			throw inputError(
				references!.src,
				spec.slots.length > 0
					? `${spec.name} takes no References list; set its inputs (${slotNames(spec)}) under Model Parameters`
					: `${spec.name} does not take reference media`,
			);
		}
		for (const [name, item] of slots) {
			if (!spec.slots.some((s) => s.name === name)) {
				throw inputError(
					item.src,
					`${spec.name} has no input named "${name}"` +
						(spec.slots.length > 0
							? `; its inputs are ${slotNames(spec)}`
							: spec.references
								? '; give reference media under References'
								: ''),
				);
			}
		}
		if (refList.length > 0 && slots.size > 0) {
			throw inputError(
				references!.src,
				`References cannot be combined with named inputs (${slotNames(spec)})`,
			);
		}
		if (spec.references && (strict || refList.length > 0)) {
			const { min, max } = spec.references;
			const n = refList.length;
			if (n < min || n > max) {
				const range =
					min === max
						? `exactly ${min}`
						: max === NO_LIMIT
							? `at least ${min}`
							: min === 0
								? `at most ${max}`
								: `${min} to ${max}`;
				throw inputError(
					references?.src ?? { parameter: PARAMETER.references },
					`${spec.name} needs ${range} reference${min === max && min === 1 ? '' : 's'}; ${n === 0 ? 'none was' : n === 1 ? '1 was' : `${n} were`} given`,
				);
			}
		}
		spec.slots.forEach((slot, index) => {
			const item = slots.get(slot.name);
			if (!item) {
				if (strict && slot.required) {
					throw new ModelInputError(
						slotParameter(spec, slot.name),
						`${slot.displayName} is required by ${spec.name}`,
						slot.description,
					);
				}
				return;
			}
			if (!slot.required) {
				const missing = spec.slots.slice(0, index).filter((s) => !slots.has(s.name));
				if (missing.length > 0) {
					throw inputError(
						item.src,
						`${slot.displayName} also needs ${listWords(
							missing.map((s) => s.displayName),
							'and',
						)}; ${spec.name} takes its inputs in order (${slotNames(spec)})`,
					);
				}
			}
		});
	}
	result.references =
		refList.length > 0 ? refList.map((r) => checkReference(r.value, r.src)) : undefined;
	const orderedSlots = [
		...spec.slots.map((s) => s.name).filter((n) => slots.has(n)),
		...[...slots.keys()].filter((n) => !spec.slots.some((s) => s.name === n)),
	];
	for (const name of orderedSlots) {
		const item = slots.get(name)!;
		result.slots.push([name, checkReference(item.value, item.src)]);
	}

	// 5. Enums.
	if (aspectRatio)
		result.aspectRatio = matchEnum(
			spec.aspectRatios,
			aspectRatio.value,
			aspectRatio.src,
			spec,
			'aspect ratio',
		);
	if (resolution)
		result.resolution = matchEnum(
			spec.resolutions,
			resolution.value,
			resolution.src,
			spec,
			'resolution',
		);
	if (duration) result.duration = checkDuration(spec, duration.value, duration.src);

	// 6. Generation count.
	if (generationCount)
		result.generationCount = checkGenerationCount(spec, generationCount.value, generationCount.src);

	// 7. Settings.
	for (const [key, item] of settings) {
		const setting = spec.settings.find((s) => s.key === key);
		if (!setting) {
			if (!spec.hasSchema) {
				result.modelSettings[key] = item.value as IDataObject[string];
				continue;
			}
			throw inputError(
				item.src,
				`${spec.name} has no setting "${key}"` +
					(spec.settings.length > 0
						? `; its settings are ${listWords(
								spec.settings.map((s) => s.key),
								'and',
							)}`
						: ''),
			);
		}
		result.modelSettings[key] = coerceTyped(setting, item.value, item.src);
	}

	// 8. Extra fields.
	for (const field of spec.extraFields) {
		const item = extras.get(field.name);
		if (!item) {
			if (strict && field.required) {
				throw new ModelInputError(
					extraParameter(spec, field.name),
					`${field.displayName} is required by ${spec.name}`,
					field.description,
				);
			}
			continue;
		}
		result.extras[field.name] = coerceTyped(field, item.value, item.src);
	}
	for (const [name, item] of extras) {
		if (spec.extraFields.some((f) => f.name === name)) continue;
		if (spec.hasSchema) throw inputError(item.src, `${spec.name} does not accept "${name}"`);
		result.extras[name] = item.value as IDataObject[string];
	}

	// 9. Ids and webhook.
	if (parentMediaId) result.parentMediaId = checkId(parentMediaId.value, parentMediaId.src);
	if (folderId) result.folderId = checkId(folderId.value, folderId.src);
	if (webhookUrl) {
		const url = typeof webhookUrl.value === 'string' ? webhookUrl.value.trim() : webhookUrl.value;
		if (!isHttpUrl(url)) {
			throw inputError(
				webhookUrl.src,
				`${quote(url)} is not an absolute http(s) URL`,
				'Hoox calls this URL when the generation completes, e.g. https://example.org/webhook.',
			);
		}
		result.webhookUrl = url;
	}

	if (assetType) result.type = assetType;
	if (promptText !== undefined) result.prompt = promptText;
	return result;
}

/**
 * Validates everything the schema implies and returns the exact POST /asset/start body.
 * Throws ModelInputError naming the node parameter at fault (see PARAMETER; slots, settings and
 * extra fields are "Model Parameters → <Display Name>").
 *
 * Empty values ('' / null / undefined) are left out so the model default applies; Additional
 * Body Fields are merged last and validated by the same rules (unknown keys are passed on).
 * Without an input_schema only the prompt, the generation count, reference shapes, ids and
 * the webhook URL are checked.
 */
export function buildStartBody(spec: ModelSpec, input: GenerateInput): IDataObject {
	const v = validate(spec, input, true);
	const body: IDataObject = { type: v.type, model: spec.name, prompt: v.prompt };
	if (v.references) body.references = v.references as IDataObject[];
	for (const [name, ref] of v.slots) body[name] = ref as IDataObject;
	if (v.aspectRatio !== undefined) body.aspect_ratio = v.aspectRatio;
	if (v.resolution !== undefined) body.resolution = v.resolution;
	if (v.duration !== undefined) body.duration = v.duration;
	body.generation_count = v.generationCount;
	if (Object.keys(v.modelSettings).length > 0) body.model_settings = v.modelSettings;
	if (v.parentMediaId !== undefined) body.parent_media_id = v.parentMediaId;
	if (v.folderId !== undefined) body.folder_id = v.folderId;
	Object.assign(body, v.extras);
	if (v.webhookUrl !== undefined) body.webhook_url = v.webhookUrl;
	Object.assign(body, v.passthrough);
	return body;
}

/**
 * The POST /asset/pricing body for the same input, validated the same way, except that what a
 * price does not depend on may be missing (prompt, type, required inputs). `image_count` is the
 * number of references and slot inputs given (only when > 0).
 */
export function buildPricingBody(spec: ModelSpec, input: GenerateInput): IDataObject {
	const v = validate(spec, input, false);
	const body: IDataObject = { model: spec.name };
	if (v.duration !== undefined) body.duration = v.duration;
	if (v.resolution !== undefined) body.resolution = v.resolution;
	if (Object.keys(v.modelSettings).length > 0) body.model_settings = v.modelSettings;
	const given = Number(input.imageCount);
	const imageCount = Math.max(
		(v.references?.length ?? 0) + v.slots.length,
		Number.isInteger(given) && given > 0 ? given : 0,
	);
	if (imageCount > 0) body.image_count = imageCount;
	body.generation_count = v.generationCount;
	return body;
}

// ---------------------------------------------------------------------------------------------
// UI helpers
// ---------------------------------------------------------------------------------------------

/**
 * Dropdown options for aspect ratio / resolution / duration, led by a "Model Default" entry
 * (value ''), e.g. `Model Default (9:16)`, `16:9`, …; durations as `5 Seconds` with number values.
 * A model (with a schema) that lacks the field gets only `Not Available for This Model`.
 */
export function enumOptions(
	spec: ModelSpec,
	field: 'aspectRatios' | 'resolutions' | 'durations',
): INodePropertyOptions[] {
	const enumSpec = spec[field] as EnumSpec<string | number> | undefined;
	if (!enumSpec) {
		return [{ name: spec.hasSchema ? 'Not Available for This Model' : 'Model Default', value: '' }];
	}
	const label = (v: string | number): string =>
		field === 'durations' ? secondsLabel(Number(v)) : String(v);
	const first: INodePropertyOptions = {
		name:
			enumSpec.default !== undefined
				? `Model Default (${label(enumSpec.default)})`
				: 'Model Default',
		value: '',
	};
	return [first, ...enumSpec.values.map((v) => ({ name: label(v), value: v }))];
}

function mapperOptions(values: Array<string | number>, labels?: string[]): INodePropertyOptions[] {
	return values.map((value, i) => ({ name: labels?.[i] ?? displayValue(value), value }));
}

function defaultLabel(value: unknown, values?: Array<string | number>, labels?: string[]): string {
	if (values && labels) {
		const i = values.indexOf(value as string | number);
		if (i >= 0 && labels[i]) return labels[i];
	}
	return displayValue(value);
}

function isPrimitive(value: unknown): value is string | number | boolean {
	return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * Resource-mapper fields for the model's inputs, in this order: slots (schema order; id = slot
 * name, "Start Image (URL or Asset ID)"), extra fields (id = name), settings (id =
 * `model_settings.<key>`, "Quality (Default: Medium)", `defaultValue` = the default, which
 * older n8n versions ignore). Nothing is matchable; every field is displayed.
 */
export function modelParameterFields(spec: ModelSpec): ResourceMapperField[] {
	const base = { display: true, defaultMatch: false, canBeUsedToMatch: false } as const;
	const fields: ResourceMapperField[] = [];
	for (const slot of spec.slots) {
		fields.push({
			...base,
			id: slot.name,
			displayName: `${slot.displayName} (URL or Asset ID)`,
			type: 'string',
			required: slot.required,
		});
	}
	for (const extra of spec.extraFields) {
		const field: ResourceMapperField = {
			...base,
			id: extra.name,
			displayName: extra.displayName,
			type: extra.type,
			required: extra.required,
		};
		if (extra.type === 'options') field.options = mapperOptions(extra.options ?? []);
		if (isPrimitive(extra.default)) {
			field.defaultValue = extra.default;
			field.displayName = `${extra.displayName} (Default: ${defaultLabel(extra.default, extra.options)})`;
		}
		fields.push(field);
	}
	for (const setting of spec.settings) {
		const field: ResourceMapperField = {
			...base,
			id: `${SETTING_ID_PREFIX}${setting.key}`,
			displayName: setting.displayName,
			type: setting.type,
			required: false,
		};
		if (setting.type === 'options')
			field.options = mapperOptions(setting.options ?? [], setting.optionLabels);
		if (isPrimitive(setting.default)) {
			field.defaultValue = setting.default;
			field.displayName = `${setting.displayName} (Default: ${defaultLabel(setting.default, setting.options, setting.optionLabels)})`;
		}
		fields.push(field);
	}
	return fields;
}

/**
 * Splits a resource-mapper value (field id -> value) back into slots, extra fields and
 * settings. `model_settings.<key>` ids (and bare keys of known settings) go to modelSettings,
 * slot names to slots; everything else goes to extraFields, so buildStartBody can reject (or,
 * without a schema, pass on) what the model does not know. Values are returned as given.
 */
export function splitModelParameters(
	spec: ModelSpec,
	values: Record<string, unknown> | null | undefined,
): Pick<GenerateInput, 'slots' | 'extraFields' | 'modelSettings'> {
	const slots: NonNullable<GenerateInput['slots']> = {};
	const extraFields: Record<string, unknown> = {};
	const modelSettings: Record<string, unknown> = {};
	for (const [id, value] of Object.entries(values ?? {})) {
		if (id.startsWith(SETTING_ID_PREFIX)) {
			modelSettings[id.slice(SETTING_ID_PREFIX.length)] = value;
		} else if (spec.slots.some((s) => s.name === id)) {
			slots[id] = value as ReferenceObject | string | null | undefined;
		} else if (spec.extraFields.some((f) => f.name === id)) {
			extraFields[id] = value;
		} else if (spec.settings.some((s) => s.key === id)) {
			modelSettings[id] = value;
		} else if (!spec.hasSchema && looksLikeReference(value)) {
			slots[id] = value as ReferenceObject;
		} else {
			extraFields[id] = value;
		}
	}
	return { slots, extraFields, modelSettings };
}
