/**
 * The model catalogue: list/filter/summary views (SPEC §4.1, §4.2) and the per-model
 * "rules" the validator and the price function work from.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonSchemaProperty, ModelDefinition } from './types';

/** Fields that only the single-model view carries (SPEC §4.1 "summary"). */
const DETAIL_ONLY = ['settings', 'input_schema', 'max_prompt_length', 'restricted_countries'];

/** Named reference slots the API knows about (SPEC §4.4). */
export const KNOWN_SLOTS = [
	'first_frame',
	'last_frame',
	'start_image',
	'end_image',
	'motion_video',
	'source_video',
];

export function loadFixtureModels(): ModelDefinition[] {
	const file = join(__dirname, 'fixtures', 'models.json');
	return JSON.parse(readFileSync(file, 'utf8')) as ModelDefinition[];
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export class Catalog {
	private models: ModelDefinition[] = [];

	constructor(private readonly initial: ModelDefinition[]) {
		this.reset();
	}

	reset(): void {
		this.models = clone(this.initial);
	}

	add(model: ModelDefinition): void {
		if (!model || typeof model.name !== 'string' || !model.name)
			throw new Error('model.name is required');
		if (typeof model.type !== 'string' || typeof model.provider !== 'string') {
			throw new Error('model.type and model.provider are required');
		}
		const copy = clone(model);
		const i = this.models.findIndex((m) => m.name === model.name);
		if (i >= 0) this.models[i] = copy;
		else this.models.push(copy);
	}

	/** Returns false when no such model existed. */
	remove(name: string): boolean {
		const before = this.models.length;
		this.models = this.models.filter((m) => m.name !== name);
		return this.models.length !== before;
	}

	get(name: string): ModelDefinition | undefined {
		return this.models.find((m) => m.name === name);
	}

	/** Full object for `GET /asset/models/{name}` (type and provider always present). */
	detail(name: string): ModelDefinition | undefined {
		const m = this.get(name);
		return m ? clone(m) : undefined;
	}

	/** Body of `GET /asset/models` (filters, hoisting, count). */
	list(filter: { type?: string; provider?: string; tag?: string }): Record<string, unknown> {
		let items = this.models;
		if (filter.type) items = items.filter((m) => m.type === filter.type);
		if (filter.provider) items = items.filter((m) => m.provider === filter.provider);
		if (filter.tag)
			items = items.filter((m) => Array.isArray(m.tags) && m.tags.includes(filter.tag as string));
		const summaries = items.map((m) => {
			const s: Record<string, unknown> = clone(m);
			for (const k of DETAIL_ONLY) delete s[k];
			if (filter.type) delete s.type;
			if (filter.provider) delete s.provider;
			return s;
		});
		const body: Record<string, unknown> = {};
		if (filter.type) body.type = filter.type;
		if (filter.provider) body.provider = filter.provider;
		body.models = summaries;
		body.count = summaries.length;
		return body;
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Model rules                                                                                 */
/* ------------------------------------------------------------------------------------------ */

export type SettingKind = 'boolean' | 'enum' | 'number' | 'integer' | 'string' | 'any';

export interface SettingRule {
	kind: SettingKind;
	enum?: unknown[];
	default?: unknown;
	affectsCost: boolean;
}

export interface EnumRule<T> {
	/** The model accepts this field at all. */
	allowed: boolean;
	/** Allowed values; undefined = any value of the right type (lenient models). */
	values?: T[];
	default?: T;
}

/** Everything validation/pricing need to know about a model, derived once from its entry. */
export interface ModelRules {
	name: string;
	type: string;
	/** true when the entry has an input_schema (strict validation); false = lenient. */
	strict: boolean;
	maxPromptLength?: number;
	/** 'references' array, named 'slots', or 'either' (lenient models: one or the other). */
	refMode: 'references' | 'slots' | 'either' | 'none';
	refMin: number;
	refMax: number;
	/** Named slots in schema order. */
	slots: string[];
	requiredSlots: string[];
	aspectRatio: EnumRule<string>;
	resolution: EnumRule<string>;
	duration: EnumRule<number>;
	/** Known settings; `settingsOpen` = unknown keys accepted (lenient models). */
	settings: Record<string, SettingRule>;
	settingsOpen: boolean;
	avatarDescription: boolean;
	generationCountMax: number;
}

function enumFrom<T>(
	prop: JsonSchemaProperty | undefined,
	capValues?: T[],
	capDefault?: T,
): EnumRule<T> {
	if (prop) {
		return {
			allowed: true,
			values: Array.isArray(prop.enum) ? (prop.enum as T[]) : capValues,
			default: (prop.default as T | undefined) ?? capDefault,
		};
	}
	return { allowed: false };
}

function settingFromSchema(
	prop: JsonSchemaProperty,
	setting?: { default_value?: unknown; affects_cost?: boolean },
): SettingRule {
	let kind: SettingKind = 'any';
	if (Array.isArray(prop.enum)) kind = 'enum';
	else if (prop.type === 'boolean') kind = 'boolean';
	else if (prop.type === 'number') kind = 'number';
	else if (prop.type === 'integer') kind = 'integer';
	else if (prop.type === 'string') kind = 'string';
	return {
		kind,
		enum: Array.isArray(prop.enum) ? prop.enum : undefined,
		default: prop.default !== undefined ? prop.default : setting?.default_value,
		affectsCost: setting?.affects_cost === true,
	};
}

function settingFromList(s: NonNullable<ModelDefinition['settings']>[number]): SettingRule {
	let kind: SettingKind = 'any';
	if (s.type === 'boolean') kind = 'boolean';
	else if (s.type === 'select' && Array.isArray(s.options)) kind = 'enum';
	else if (s.type === 'number') kind = 'number';
	else if (s.type === 'string') kind = 'string';
	const options = Array.isArray(s.options)
		? s.options.map((o) =>
				o && typeof o === 'object' && 'value' in (o as object)
					? (o as { value: unknown }).value
					: o,
			)
		: undefined;
	return {
		kind,
		enum: kind === 'enum' ? options : undefined,
		default: s.default_value,
		affectsCost: s.affects_cost === true,
	};
}

/**
 * Derives the rules of a model. Models with an `input_schema` are validated strictly against it.
 * Models without one (catalogue entries that only carry name/type/provider) are validated
 * leniently: prompt + generation_count are checked, `references` OR named slots are accepted
 * (bounded by capabilities.min/max_images when present, else 0–10), aspect_ratio/resolution/
 * duration are accepted with the right type (checked against capabilities lists when present),
 * any model_settings key with a primitive value is accepted, as is avatar_description.
 */
export function modelRules(model: ModelDefinition): ModelRules {
	const caps = model.capabilities ?? {};
	const schema = model.input_schema;
	const settingsList = Array.isArray(model.settings) ? model.settings : [];
	if (schema && schema.properties && typeof schema.properties === 'object') {
		const props = schema.properties;
		const required = Array.isArray(schema.required) ? schema.required : [];
		const slots = Object.keys(props).filter(
			(k) => props[k]?.type === 'object' && k !== 'model_settings',
		);
		const refs = props.references;
		const settings: Record<string, SettingRule> = {};
		const msProps = props.model_settings?.properties ?? {};
		for (const [key, prop] of Object.entries(msProps)) {
			settings[key] = settingFromSchema(
				prop,
				settingsList.find((s) => s.key === key),
			);
		}
		const gc = props.generation_count;
		return {
			name: model.name,
			type: model.type,
			strict: true,
			maxPromptLength: model.max_prompt_length ?? (props.prompt?.maxLength as number | undefined),
			refMode: refs ? 'references' : slots.length ? 'slots' : 'none',
			refMin: refs ? (refs.minItems ?? caps.min_images ?? 0) : 0,
			refMax: refs ? (refs.maxItems ?? caps.max_images ?? 0) : slots.length,
			slots,
			requiredSlots: slots.filter((s) => required.includes(s)),
			aspectRatio: enumFrom(
				props.aspect_ratio,
				caps.supported_aspect_ratios,
				caps.default_aspect_ratio,
			),
			resolution: enumFrom(props.resolution, caps.supported_resolutions, caps.default_resolution),
			duration: enumFrom(props.duration, caps.supported_durations, caps.default_duration),
			settings,
			settingsOpen: false,
			avatarDescription: 'avatar_description' in props,
			generationCountMax: typeof gc?.maximum === 'number' ? gc.maximum : 4,
		};
	}
	// Lenient model (no input_schema).
	const settings: Record<string, SettingRule> = {};
	for (const s of settingsList) settings[s.key] = settingFromList(s);
	return {
		name: model.name,
		type: model.type,
		strict: false,
		maxPromptLength: model.max_prompt_length,
		refMode: 'either',
		refMin: caps.min_images ?? 0,
		refMax: caps.max_images ?? 10,
		slots: [...KNOWN_SLOTS],
		requiredSlots: [],
		aspectRatio: {
			allowed: true,
			values: caps.supported_aspect_ratios,
			default: caps.default_aspect_ratio,
		},
		resolution: {
			allowed: true,
			values: caps.supported_resolutions,
			default: caps.default_resolution,
		},
		duration: { allowed: true, values: caps.supported_durations, default: caps.default_duration },
		settings,
		settingsOpen: true,
		avatarDescription: true,
		generationCountMax: 4,
	};
}
