/** Step 1 of validation: every value the user gave, with its source; Additional Body Fields last, so they win. */
import type { IDataObject } from 'n8n-workflow';

import { asObject } from '../checks';
import { COMMON_FIELDS, commonField } from '../commonFields';
import { looksLikeReference } from '../references';
import {
	extraParameter,
	inputError,
	PARAMETER,
	settingParameter,
	slotNames,
	slotParameter,
	within,
	type Given,
	type Source,
} from '../source';
import type { GenerateInput, ModelSpec } from '../spec';
import { isEmpty, quote } from '../values';

export interface Gathered {
	/** Common fields (COMMON_FIELDS) by body key. */
	fields: Map<string, Given>;
	slots: Map<string, Given>;
	settings: Map<string, Given>;
	extras: Map<string, Given>;
	/** Additional Body Fields the model does not describe: sent as they are. */
	passthrough: IDataObject;
}

function givenEach(
	values: Record<string, unknown> | undefined,
	parameterOf: (key: string) => string,
): Map<string, Given> {
	const out = new Map<string, Given>();
	for (const [key, value] of Object.entries(values ?? {})) {
		if (!isEmpty(value)) out.set(key, { value, src: { parameter: parameterOf(key) } });
	}
	return out;
}

/** An Additional Body Fields key that is neither a common field nor model_settings. */
function gatherOtherKey(spec: ModelSpec, into: Gathered, key: string, item: Given): void {
	const { value, src } = item;
	if (spec.slots.some((s) => s.name === key) || (!spec.hasSchema && looksLikeReference(value))) {
		into.slots.set(key, item);
	} else if (spec.extraFields.some((f) => f.name === key)) {
		into.extras.set(key, item);
	} else if (spec.hasSchema && looksLikeReference(value)) {
		throw inputError(
			src,
			`${spec.name} has no input named ${quote(key)}` +
				(spec.slots.length ? `; its inputs are ${slotNames(spec)}` : ''),
		);
	} else if (spec.hasSchema && spec.settings.some((x) => x.key === key)) {
		throw inputError(src, `${key} is a setting of ${spec.name}; put it inside model_settings`);
	} else {
		into.passthrough[key] = value as IDataObject[string];
	}
}

function gatherAdditional(spec: ModelSpec, additionalFields: unknown, into: Gathered): void {
	const parameter = PARAMETER.additionalFields;
	for (const [key, value] of Object.entries(asObject(additionalFields, { parameter }))) {
		if (isEmpty(value)) continue;
		const src: Source = { parameter, where: key };
		if (commonField(key)) {
			into.fields.set(key, { value, src });
		} else if (key === 'model_settings') {
			for (const [k, v] of Object.entries(asObject(value, src))) {
				if (!isEmpty(v)) into.settings.set(k, { value: v, src: within(src, k) });
			}
		} else {
			gatherOtherKey(spec, into, key, { value, src });
		}
	}
}

export function gatherInput(spec: ModelSpec, input: GenerateInput): Gathered {
	const fields = new Map<string, Given>();
	for (const field of COMMON_FIELDS) {
		const value = input[field.input];
		if (!isEmpty(value)) fields.set(field.body, { value, src: { parameter: field.parameter } });
	}
	const gathered: Gathered = {
		fields,
		slots: givenEach(input.slots, (name) => slotParameter(spec, name)),
		settings: givenEach(input.modelSettings, (key) => settingParameter(spec, key)),
		extras: givenEach(input.extraFields, (name) => extraParameter(spec, name)),
		passthrough: {},
	};
	if (input.additionalFields !== undefined && input.additionalFields !== null) {
		gatherAdditional(spec, input.additionalFields, gathered);
	}
	return gathered;
}
