/** A model's settings: `model_settings.properties` of its schema merged with its `settings[]` list. */
import type { IDataObject } from 'n8n-workflow';

import { enumValues } from './choices';
import type { ModelDetail, SettingSpec } from './spec';
import { displayValue, isObject, schemaType, titleCase, toFiniteNumber } from './values';

type SettingEntry = NonNullable<ModelDetail['settings']>[number];

interface EntryOptions {
	values: Array<string | number>;
	labels?: string[];
}

function settingOptions(raw: unknown[] | undefined): EntryOptions {
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

function settingType(
	t: string | undefined,
	entryType: string | undefined,
	hasOptions: boolean,
): SettingSpec['type'] {
	const scalar = t === undefined || t === 'string' || t === 'number' || t === 'integer';
	if (hasOptions && scalar) return 'options';
	if (t === 'boolean') return 'boolean';
	if (t === 'number' || t === 'integer') return 'number';
	if (t === 'string') return 'string';
	if (entryType === 'boolean') return 'boolean';
	if (entryType === 'number' || entryType === 'integer') return 'number';
	return 'string';
}

function setOptions(
	spec: SettingSpec,
	schemaOptions: Array<string | number> | undefined,
	entryOptions: EntryOptions,
): void {
	if (!schemaOptions) {
		spec.options = entryOptions.values;
		if (entryOptions.labels) spec.optionLabels = entryOptions.labels;
		return;
	}
	spec.options = schemaOptions;
	// Reuse labels from settings[] when they describe the same values.
	if (entryOptions.labels && entryOptions.values.length === schemaOptions.length) {
		spec.optionLabels = schemaOptions.map((v) => {
			const i = entryOptions.values.indexOf(v);
			return i >= 0 && entryOptions.labels ? entryOptions.labels[i] : displayValue(v);
		});
	}
}

function describeSetting(
	key: string,
	sp: IDataObject,
	entry: SettingEntry | undefined,
): SettingSpec {
	const t = schemaType(sp);
	const entryType = typeof entry?.type === 'string' ? entry.type.toLowerCase() : undefined;
	const schemaOptions = enumValues(sp);
	const entryOptions = settingOptions(entry?.options);
	const type = schemaOptions
		? 'options'
		: settingType(t, entryType, entryOptions.values.length > 0);
	const label = typeof entry?.label === 'string' && entry.label.trim() ? entry.label : key;
	const spec: SettingSpec = {
		key,
		displayName: titleCase(label),
		type,
		affectsCost: entry?.affects_cost === true,
	};
	const def = sp.default !== undefined ? sp.default : entry?.default_value;
	if (def !== undefined && def !== null) spec.default = def;
	if (type === 'options') setOptions(spec, schemaOptions, entryOptions);
	if (t === 'integer' || entryType === 'integer') spec.integer = true;
	const minimum = toFiniteNumber(sp.minimum);
	const maximum = toFiniteNumber(sp.maximum);
	if (minimum !== undefined) spec.minimum = minimum;
	if (maximum !== undefined) spec.maximum = maximum;
	if (typeof sp.description === 'string') spec.description = sp.description;
	return spec;
}

export function describeSettings(
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
	return keys.map((key) =>
		describeSetting(key, isObject(schemaProps[key]) ? schemaProps[key] : {}, entries.get(key)),
	);
}
