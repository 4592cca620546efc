/**
 * Validation of a request against a model, in a fixed order so the first error a user sees is the
 * most basic one. `strict` = for /asset/start: prompt, type and required inputs must be present;
 * pricing only checks what it is given.
 */
import type { IDataObject } from 'n8n-workflow';

import { coerceTyped } from '../checks';
import { COMMON_FIELDS, commonParameter, type CommonField } from '../commonFields';
import { extraParameter, inputError } from '../source';
import { ModelInputError, type GenerateInput, type ModelSpec } from '../spec';
import { isEmpty, listWords, quote } from '../values';
import { gatherInput, type Gathered } from './gather';
import { checkReferenceMedia, type ReferenceMedia } from './referenceMedia';

export interface ValidatedInput extends ReferenceMedia {
	type?: string;
	prompt?: string;
	/** Checked common fields with a phase, by body key. */
	fields: IDataObject;
	modelSettings: IDataObject;
	extras: IDataObject;
	passthrough: IDataObject;
}

/** Step 2: the model must be the selected one; the type must be the model's. */
function checkModelAndType(spec: ModelSpec, g: Gathered, strict: boolean): string | undefined {
	const model = g.fields.get('model');
	if (!model) {
		if (strict || isEmpty(spec.name))
			throw new ModelInputError(commonParameter('model'), 'Choose a model');
	} else if (typeof model.value !== 'string' || model.value.trim() !== spec.name) {
		throw inputError(
			model.src,
			`${quote(model.value)} does not match the selected model ${spec.name || '(Hoox sent no model name)'}`,
		);
	}
	const type = g.fields.get('type');
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
		throw new ModelInputError(commonParameter('type'), 'Choose the type of asset (image or video)');
	return assetType;
}

/** Step 3: the prompt, within the model's length cap. */
function checkPrompt(spec: ModelSpec, g: Gathered, strict: boolean): string | undefined {
	const prompt = g.fields.get('prompt');
	if (!prompt) {
		if (strict)
			throw new ModelInputError(
				commonParameter('prompt'),
				'The prompt is empty; describe what to generate',
			);
		return undefined;
	}
	if (typeof prompt.value !== 'string' && typeof prompt.value !== 'number') {
		throw inputError(prompt.src, `Must be text, not ${quote(prompt.value)}`);
	}
	const text = String(prompt.value);
	if (spec.maxPromptLength !== undefined && text.length > spec.maxPromptLength) {
		throw inputError(
			prompt.src,
			`The prompt is ${text.length} characters long; ${spec.name} accepts at most ${spec.maxPromptLength}`,
			`Shorten it by ${text.length - spec.maxPromptLength} characters.`,
		);
	}
	return text;
}

/** Steps 5–6 ('option': enums, generation count) and 9 ('id', 'last': ids, webhook URL). */
function checkCommonFields(
	spec: ModelSpec,
	g: Gathered,
	phases: Array<CommonField['phase']>,
	into: IDataObject,
): void {
	for (const field of COMMON_FIELDS) {
		if (!field.check || !phases.includes(field.phase)) continue;
		const item = g.fields.get(field.body);
		if (item) into[field.body] = field.check(spec, item.value, item.src);
		else if (field.fallback) into[field.body] = field.fallback(spec);
	}
}

/** Step 7: settings the model lists, coerced to their type (anything goes without a schema). */
function checkSettings(spec: ModelSpec, g: Gathered): IDataObject {
	const out: IDataObject = {};
	for (const [key, item] of g.settings) {
		const setting = spec.settings.find((s) => s.key === key);
		if (setting) {
			out[key] = coerceTyped(setting, item.value, item.src);
			continue;
		}
		if (!spec.hasSchema) {
			out[key] = item.value as IDataObject[string];
			continue;
		}
		throw inputError(
			item.src,
			`${spec.name} has no setting ${quote(key)}` +
				(spec.settings.length > 0
					? `; its settings are ${listWords(
							spec.settings.map((s) => s.key),
							'and',
						)}`
					: ''),
		);
	}
	return out;
}

/** Step 8: the model's extra fields (required ones when strict); unknown ones only without a schema. */
function checkExtraFields(spec: ModelSpec, g: Gathered, strict: boolean): IDataObject {
	const out: IDataObject = {};
	for (const field of spec.extraFields) {
		const item = g.extras.get(field.name);
		if (item) {
			out[field.name] = coerceTyped(field, item.value, item.src);
		} else if (strict && field.required) {
			throw new ModelInputError(
				extraParameter(spec, field.name),
				`${field.displayName} is required by ${spec.name}`,
				field.description,
			);
		}
	}
	for (const [name, item] of g.extras) {
		if (spec.extraFields.some((f) => f.name === name)) continue;
		if (spec.hasSchema) throw inputError(item.src, `${spec.name} does not accept ${quote(name)}`);
		out[name] = item.value as IDataObject[string];
	}
	return out;
}

/** Validates an input against a model and returns it normalised (step 1 gathers it). */
export function validate(spec: ModelSpec, input: GenerateInput, strict: boolean): ValidatedInput {
	const gathered = gatherInput(spec, input);
	const assetType = checkModelAndType(spec, gathered, strict);
	const prompt = checkPrompt(spec, gathered, strict);
	const media = checkReferenceMedia(spec, gathered, strict);
	const fields: IDataObject = {};
	checkCommonFields(spec, gathered, ['option'], fields);
	const modelSettings = checkSettings(spec, gathered);
	const extras = checkExtraFields(spec, gathered, strict);
	checkCommonFields(spec, gathered, ['id', 'last'], fields);
	const result: ValidatedInput = {
		...media,
		fields,
		modelSettings,
		extras,
		passthrough: gathered.passthrough,
	};
	if (assetType) result.type = assetType;
	if (prompt !== undefined) result.prompt = prompt;
	return result;
}
