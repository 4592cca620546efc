/**
 * GET /asset/models/{name} -> ModelSpec. Everything is read from the model's input_schema (and
 * capabilities/settings where it is silent), so a model with new slots, settings or fields works
 * without a code change.
 */
import type { IDataObject } from 'n8n-workflow';

import { enumValues } from './choices';
import { COMMON_FIELDS, RESERVED_FIELDS } from './commonFields';
import { describeSettings } from './describeSettings';
import { isReferenceKey } from './references';
import type { AssetType, ExtraFieldSpec, ModelDetail, ModelSpec, SlotSpec } from './spec';
import { isObject, schemaType, shorten, titleCase, toFiniteNumber, toInteger } from './values';

const NO_LIMIT = Number.MAX_SAFE_INTEGER;

/** A property whose value is one reference object (`oneOf` url/asset_id/avatar_id, or an object with those properties). */
function isReferenceSchema(prop: IDataObject): boolean {
	const t = schemaType(prop);
	if (t !== undefined && t !== 'object') return false;
	if (Array.isArray(prop.oneOf) || Array.isArray(prop.anyOf)) {
		const clauses = (Array.isArray(prop.oneOf) ? prop.oneOf : prop.anyOf) as unknown[];
		const keys = clauses.flatMap((c) =>
			isObject(c) && Array.isArray(c.required) ? c.required : [],
		);
		if (keys.length > 0 && keys.every(isReferenceKey)) return true;
	}
	if (isObject(prop.properties)) {
		const keys = Object.keys(prop.properties);
		const refKeys = keys.filter(isReferenceKey);
		if (refKeys.length >= 2 || (refKeys.length === 1 && keys.length === 1)) return true;
	}
	return false;
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

/** What the schema (or, without one, the capabilities) says about the input model. */
interface SchemaView {
	hasSchema: boolean;
	props: IDataObject;
	required: Set<string>;
	caps: IDataObject;
}

function readSchema(detail: ModelDetail): SchemaView {
	const schema = isObject(detail.input_schema) ? detail.input_schema : undefined;
	const required = Array.isArray(schema?.required)
		? schema.required.filter((r): r is string => typeof r === 'string')
		: [];
	return {
		hasSchema: schema !== undefined,
		props: schema && isObject(schema.properties) ? schema.properties : {},
		required: new Set(required),
		caps: isObject(detail.capabilities) ? detail.capabilities : {},
	};
}

/** A `references` array property (min/max from minItems/maxItems, else capabilities min_images/max_images). */
function describeReferences(view: SchemaView): ModelSpec['references'] {
	const capMin = toInteger(view.caps.min_images);
	const capMax = toInteger(view.caps.max_images);
	if (!view.hasSchema) {
		if (capMax === undefined || capMax <= 0) return undefined;
		const min = Math.max(0, capMin ?? 0);
		return { min, max: Math.max(min, capMax) };
	}
	const refProp = view.props.references;
	if (!isObject(refProp) || (schemaType(refProp) !== 'array' && refProp.items === undefined))
		return undefined;
	let min = toInteger(refProp.minItems) ?? capMin ?? 0;
	const max = toInteger(refProp.maxItems) ?? capMax ?? NO_LIMIT;
	if (view.required.has('references') && min < 1) min = 1;
	min = Math.max(0, min);
	return { min, max: Math.max(min, max) };
}

/** Every other top-level property: a reference-shaped one is a slot, a scalar one an extra field. */
function describeOwnFields(view: SchemaView): Pick<ModelSpec, 'slots' | 'extraFields'> {
	const slots: SlotSpec[] = [];
	const extraFields: ExtraFieldSpec[] = [];
	for (const [name, prop] of Object.entries(view.props)) {
		if (RESERVED_FIELDS.has(name) || !isObject(prop)) continue;
		const required = view.required.has(name);
		if (isReferenceSchema(prop)) {
			const slot: SlotSpec = { name, displayName: titleCase(name), required };
			if (typeof prop.description === 'string') slot.description = prop.description;
			slots.push(slot);
			continue;
		}
		const extra = describeExtraField(name, prop, required);
		if (extra) extraFields.push(extra);
	}
	return { slots, extraFields };
}

/** The enums of the common fields (aspect ratios, resolutions, durations). */
function describeChoices(view: SchemaView, spec: ModelSpec): void {
	for (const { body, choices } of COMMON_FIELDS) {
		if (!choices) continue;
		const described = choices.describe({
			hasSchema: view.hasSchema,
			prop: view.props[body],
			capValues: view.caps[choices.capabilities.supported],
			capDefault: view.caps[choices.capabilities.default],
		});
		if (described) Object.assign(spec, { [choices.field]: described });
	}
}

/** A name or label from Hoox as text for messages: '' when it is not text, cut when huge. */
function readableText(value: unknown): string {
	return typeof value === 'string' ? shorten(value.trim()) : '';
}

/**
 * Reads a model description into a ModelSpec. With a schema, a common field it does not list
 * means the model does not take that field; settings merge `model_settings.properties` with
 * `settings[]` (label, affects_cost, options).
 */
export function describeModel(detail: ModelDetail): ModelSpec {
	const view = readSchema(detail);
	const references = describeReferences(view);
	const { slots, extraFields } = view.hasSchema
		? describeOwnFields(view)
		: { slots: [], extraFields: [] };
	const name = readableText(detail.name);
	const spec: ModelSpec = {
		name,
		label: readableText(detail.label) || name,
		inputMode: references ? 'references' : slots.length > 0 ? 'slots' : 'none',
		slots,
		generationCount: describeGenerationCount(view.props.generation_count),
		settings: describeSettings(view.props.model_settings, detail.settings),
		extraFields,
		hasSchema: view.hasSchema,
	};
	if (typeof detail.type === 'string' && detail.type.trim() !== '') {
		spec.type = detail.type.trim().toLowerCase() as AssetType;
	}
	if (references) spec.references = references;
	describeChoices(view, spec);
	const maxPromptLength =
		toInteger(detail.max_prompt_length) ??
		(isObject(view.props.prompt) ? toInteger(view.props.prompt.maxLength) : undefined);
	if (maxPromptLength !== undefined && maxPromptLength > 0) spec.maxPromptLength = maxPromptLength;
	return spec;
}
