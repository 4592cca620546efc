/** A Hoox model's description turned into what the node needs; no HTTP and no model names here. */
export { buildPricingBody, buildStartBody } from './bodies';
export { COMMON_FIELDS, type CommonField } from './commonFields';
export { describeModel } from './describe';
export { enumOptions, modelParameterFields, splitModelParameters } from './editorFields';
export { parseReference } from './references';
export { PARAMETER } from './source';
export {
	ModelInputError,
	SETTING_ID_PREFIX,
	type AssetType,
	type ChoiceField,
	type EnumSpec,
	type ExtraFieldSpec,
	type GenerateInput,
	type ModelDetail,
	type ModelSpec,
	type ReferenceObject,
	type SettingSpec,
	type SlotSpec,
} from './spec';
export { isHttpUrl, quote, titleCase } from './values';
