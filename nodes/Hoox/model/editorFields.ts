/** What the node's editor shows for a model: enum dropdowns and the Model Parameters resource mapper. */
import type { INodePropertyOptions, ResourceMapperField } from 'n8n-workflow';

import { looksLikeReference } from './references';
import {
	SETTING_ID_PREFIX,
	type ChoiceField,
	type EnumSpec,
	type GenerateInput,
	type ModelSpec,
	type ReferenceObject,
} from './spec';
import { displayValue, secondsLabel } from './values';

/**
 * Dropdown options led by "Model Default" (value ''), e.g. `Model Default (9:16)`, `16:9`, …;
 * durations as `5 Seconds` with number values. A model (with a schema) that lacks the field gets
 * only `Not Available for This Model`.
 */
export function enumOptions(spec: ModelSpec, field: ChoiceField): INodePropertyOptions[] {
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

const BASE = { display: true, defaultMatch: false, canBeUsedToMatch: false } as const;

/** A typed mapper field; its default (which older n8n versions ignore) is also shown in its name. */
function typedField(
	id: string,
	displayName: string,
	typed: { type: ResourceMapperField['type']; default?: unknown; options?: Array<string | number> },
	required: boolean,
	optionLabels?: string[],
): ResourceMapperField {
	const field: ResourceMapperField = { ...BASE, id, displayName, type: typed.type, required };
	if (typed.type === 'options') field.options = mapperOptions(typed.options ?? [], optionLabels);
	if (isPrimitive(typed.default)) {
		field.defaultValue = typed.default;
		field.displayName = `${displayName} (Default: ${defaultLabel(typed.default, typed.options, optionLabels)})`;
	}
	return field;
}

/**
 * Resource-mapper fields for the model's inputs: slots (id = slot name), extra fields (id = name),
 * settings (id = `model_settings.<key>`). Nothing is matchable; every field is displayed.
 */
export function modelParameterFields(spec: ModelSpec): ResourceMapperField[] {
	const slots = spec.slots.map((slot): ResourceMapperField => ({
		...BASE,
		id: slot.name,
		displayName: `${slot.displayName} (URL or Asset ID)`,
		type: 'string',
		required: slot.required,
	}));
	const extras = spec.extraFields.map((extra) =>
		typedField(extra.name, extra.displayName, extra, extra.required),
	);
	const settings = spec.settings.map((setting) =>
		typedField(
			`${SETTING_ID_PREFIX}${setting.key}`,
			setting.displayName,
			setting,
			false,
			setting.optionLabels,
		),
	);
	return [...slots, ...extras, ...settings];
}

/**
 * Splits a resource-mapper value (field id -> value) back into slots, extra fields and settings.
 * Unknown ids go to extraFields, so buildStartBody can reject (or, without a schema, pass on) them.
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
