/** The enums a model lists for a common field, read from its schema property or, failing that, its capabilities. */
import type { IDataObject } from 'n8n-workflow';

import type { EnumSpec } from './spec';
import { isObject, parseSeconds, toInteger } from './values';

/** Where a model's enum for one field is read from. */
export interface ChoiceSource {
	hasSchema: boolean;
	/** The field's property in input_schema. */
	prop: unknown;
	/** capabilities.supported_* and capabilities.default_*. */
	capValues: unknown;
	capDefault: unknown;
}

export function enumValues(prop: IDataObject): Array<string | number> | undefined {
	if (!Array.isArray(prop.enum)) return undefined;
	const values = prop.enum.filter(
		(v): v is string | number =>
			typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)),
	);
	return values.length > 0 ? values : undefined;
}

export function describeStringEnum(from: ChoiceSource): EnumSpec<string> | undefined {
	const { hasSchema, prop, capValues, capDefault } = from;
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

export function describeDurations(from: ChoiceSource): EnumSpec<number> | undefined {
	const { hasSchema, prop, capValues, capDefault } = from;
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
		// A range becomes its whole seconds, unless it is too long to list.
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
