/** The exact request bodies of POST /asset/start and POST /asset/pricing, after validation. */
import type { IDataObject } from 'n8n-workflow';

import { COMMON_FIELDS, type CommonField } from './commonFields';
import type { GenerateInput, ModelSpec } from './spec';
import { validate, type ValidatedInput } from './validate/validate';

function copyFields(
	body: IDataObject,
	v: ValidatedInput,
	include: (field: CommonField) => boolean | undefined,
): void {
	for (const field of COMMON_FIELDS) {
		if (include(field) && v.fields[field.body] !== undefined)
			body[field.body] = v.fields[field.body];
	}
}

/**
 * Validates everything the schema implies and returns the POST /asset/start body, or throws a
 * ModelInputError naming the node parameter at fault. Empty values are left out so the model
 * default applies; without an input_schema only what is knowable is checked.
 */
export function buildStartBody(spec: ModelSpec, input: GenerateInput): IDataObject {
	const v = validate(spec, input, true);
	const body: IDataObject = { type: v.type, model: spec.name, prompt: v.prompt };
	if (v.references) body.references = v.references as IDataObject[];
	for (const [name, ref] of v.slots) body[name] = ref as IDataObject;
	copyFields(body, v, (field) => field.phase === 'option');
	if (Object.keys(v.modelSettings).length > 0) body.model_settings = v.modelSettings;
	copyFields(body, v, (field) => field.phase === 'id');
	Object.assign(body, v.extras);
	copyFields(body, v, (field) => field.phase === 'last');
	Object.assign(body, v.passthrough);
	return body;
}

/**
 * The POST /asset/pricing body for the same input, validated the same way except that what a
 * price does not depend on may be missing. `image_count` = references and slot inputs given, or
 * Image Count when larger (only when > 0).
 */
export function buildPricingBody(spec: ModelSpec, input: GenerateInput): IDataObject {
	const v = validate(spec, input, false);
	const body: IDataObject = { model: spec.name };
	copyFields(body, v, (field) => field.priced);
	if (Object.keys(v.modelSettings).length > 0) body.model_settings = v.modelSettings;
	const given = Number(input.imageCount);
	const imageCount = Math.max(
		(v.references?.length ?? 0) + v.slots.length,
		Number.isInteger(given) && given > 0 ? given : 0,
	);
	if (imageCount > 0) body.image_count = imageCount;
	return body;
}
