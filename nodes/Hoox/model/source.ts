/** Where a value came from, so every error names the node parameter (and list item or body key) at fault. */
import { ModelInputError, type ModelSpec } from './spec';
import { listWords, shorten, titleCase } from './values';

/** Node parameter names used as `ModelInputError.parameter` outside COMMON_FIELDS. */
export const PARAMETER = {
	modelParameters: 'Model Parameters',
	additionalFields: 'Additional Body Fields',
} as const;

export interface Source {
	parameter: string;
	/** For list items and body keys: a prefix for the message, e.g. "item 2". */
	where?: string;
}

/** A value as given, with its source. */
export interface Given {
	value: unknown;
	src: Source;
}

export function inputError(src: Source, message: string, description?: string): ModelInputError {
	return new ModelInputError(
		src.parameter,
		src.where ? `${src.where}: ${message}` : message,
		description,
	);
}

export function within(src: Source, where: string): Source {
	return { parameter: src.parameter, where: src.where ? `${src.where} → ${where}` : where };
}

function modelParameter(displayName: string | undefined, name: string): string {
	return `${PARAMETER.modelParameters} → ${shorten(displayName ?? titleCase(name))}`;
}

export function slotParameter(spec: ModelSpec, name: string): string {
	return modelParameter(spec.slots.find((s) => s.name === name)?.displayName, name);
}

export function settingParameter(spec: ModelSpec, key: string): string {
	return modelParameter(spec.settings.find((s) => s.key === key)?.displayName, key);
}

export function extraParameter(spec: ModelSpec, name: string): string {
	return modelParameter(spec.extraFields.find((f) => f.name === name)?.displayName, name);
}

/** "Start Image and End Image". */
export function slotNames(spec: ModelSpec): string {
	return listWords(
		spec.slots.map((s) => s.displayName),
		'and',
	);
}
