import type { ILoadOptionsFunctions, ResourceMapperFields } from 'n8n-workflow';

import { modelParameterFields } from '../model';
import { loadModel } from '../helpers/modelCache';
import { currentModel } from './loadOptions';

/** The chosen model's named inputs, extra fields and settings as typed fields. */
export async function getModelParameters(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const model = currentModel(this);
	if (!model) {
		return {
			fields: [],
			emptyFieldsNotice: 'Choose a model first: its parameters are loaded from Hoox',
		};
	}
	try {
		const { spec } = await loadModel(this, model);
		const fields = modelParameterFields(spec);
		return fields.length
			? { fields }
			: {
					fields,
					emptyFieldsNotice: `${spec.label || model} has no extra parameters: the prompt and the options above are all it takes`,
				};
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		return {
			fields: [],
			emptyFieldsNotice: `Could not load the parameters of "${model}": ${message}`,
		};
	}
}
