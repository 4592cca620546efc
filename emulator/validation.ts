/**
 * Request validation for `POST /asset/start` (SPEC §7.3, in that order) and `POST /asset/pricing`.
 * The first failing rule wins; every 400 names the offending field in `details[0].field`.
 * Credits are checked by the caller (last rule, 402) because they depend on the balance.
 */
import { Catalog, KNOWN_SLOTS, ModelRules, SettingRule, modelRules } from './catalog';
import { ApiError, invalid, notFound } from './errors';
import {
	PriceInput,
	costPerGeneration,
	isPricedPerReference,
	snapToNearest,
	totalCost,
} from './pricing';
import type { ModelDefinition } from './types';

type Json = Record<string, unknown>;

export interface StartPlan {
	model: ModelDefinition;
	rules: ModelRules;
	type: string;
	generationCount: number;
	costPerGeneration: number;
	totalCost: number;
	webhookUrl?: string;
	folderId?: string;
	parentMediaId?: string;
	/** Effective parameters (defaults filled in), recorded as the assets' `generation_params`. */
	generationParams: Json;
	aspectRatio?: string;
	resolution?: string;
	duration?: number;
}

export interface PricingAnswer {
	model: string;
	cost_per_generation: number;
	total_cost: number;
	currency: 'credits';
	generation_count: number;
	normalized?: Json;
}

export const isPlainObject = (v: unknown): v is Json =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (v: unknown): boolean => v !== undefined && v !== null;

export function isHttpUrl(v: unknown): boolean {
	if (typeof v !== 'string' || !v) return false;
	try {
		const u = new URL(v);
		return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname;
	} catch {
		return false;
	}
}

function requireModel(catalog: Catalog, name: string): ModelDefinition {
	const model = catalog.get(name);
	if (!model) throw notFound(`Model '${name}' not found`, 'model');
	return model;
}

/* -------------------------------- references and slots ---------------------------------- */

function checkReferenceObject(value: unknown, field: string): void {
	if (!isPlainObject(value)) {
		throw invalid(field, `${field} must be an object with exactly one of url, asset_id, avatar_id`);
	}
	const keys = ['url', 'asset_id', 'avatar_id'].filter((k) => present(value[k]));
	if (keys.length !== 1) {
		throw invalid(
			field,
			`${field} must have exactly one of url, asset_id, avatar_id (got ${keys.length ? keys.join(', ') : 'none'})`,
		);
	}
	const k = keys[0];
	const v = value[k];
	if (typeof v !== 'string' || !v.trim())
		throw invalid(field, `${field}.${k} must be a non-empty string`);
	if (k === 'url' && !isHttpUrl(v))
		throw invalid(field, `${field}.url must be an absolute http(s) URL`);
}

/** Returns the number of reference inputs sent (array items or named slots). */
function checkReferences(body: Json, rules: ModelRules): number {
	const model = rules.name;
	const hasRefs = present(body.references);
	const sentSlots = KNOWN_SLOTS.filter((s) => present(body[s]));
	for (const s of rules.slots) if (present(body[s]) && !sentSlots.includes(s)) sentSlots.push(s);

	if (hasRefs && !Array.isArray(body.references))
		throw invalid('references', 'references must be an array');
	const refs = (hasRefs ? body.references : []) as unknown[];

	switch (rules.refMode) {
		case 'references': {
			if (sentSlots.length) {
				throw invalid(
					sentSlots[0],
					`Model '${model}' takes reference media in 'references', not in named slot '${sentSlots[0]}'`,
				);
			}
			if (refs.length < rules.refMin || refs.length > rules.refMax) {
				throw invalid(
					'references',
					`Model '${model}' needs ${rules.refMin === rules.refMax ? rules.refMin : `${rules.refMin}–${rules.refMax}`} reference(s), got ${refs.length}`,
				);
			}
			break;
		}
		case 'slots': {
			if (hasRefs) {
				throw invalid(
					'references',
					`Model '${model}' uses named input slots (${rules.slots.join(', ')}); 'references' is not accepted`,
				);
			}
			const unknown = sentSlots.find((s) => !rules.slots.includes(s));
			if (unknown)
				throw invalid(
					unknown,
					`Model '${model}' has no input slot '${unknown}' (slots: ${rules.slots.join(', ')})`,
				);
			const missing = rules.requiredSlots.find((s) => !present(body[s]));
			if (missing) throw invalid(missing, `Model '${model}' requires '${missing}'`);
			// A later optional slot requires every earlier slot (schema order), e.g. end_image needs start_image.
			for (let i = 0; i < rules.slots.length; i++) {
				if (!present(body[rules.slots[i]])) continue;
				const gap = rules.slots.slice(0, i).find((s) => !present(body[s]));
				if (gap) throw invalid(gap, `'${rules.slots[i]}' requires '${gap}'`);
			}
			break;
		}
		case 'none': {
			if (hasRefs) throw invalid('references', `Model '${model}' accepts no reference media`);
			if (sentSlots.length)
				throw invalid(sentSlots[0], `Model '${model}' has no input slot '${sentSlots[0]}'`);
			break;
		}
		case 'either': {
			if (hasRefs && sentSlots.length) {
				throw invalid(
					'references',
					`'references' cannot be combined with named slots (${sentSlots.join(', ')})`,
				);
			}
			const n = hasRefs ? refs.length : sentSlots.length;
			if (n < rules.refMin || n > rules.refMax) {
				throw invalid(
					'references',
					`Model '${model}' needs ${rules.refMin}–${rules.refMax} reference(s), got ${n}`,
				);
			}
			break;
		}
	}
	refs.forEach((r, i) => checkReferenceObject(r, `references[${i}]`));
	for (const s of sentSlots) checkReferenceObject(body[s], s);
	return hasRefs ? refs.length : sentSlots.length;
}

/* ------------------------------------ enums ----------------------------------------------- */

function checkStringEnum(
	body: Json,
	field: 'aspect_ratio' | 'resolution',
	rules: ModelRules,
): string | undefined {
	const rule = rules[field === 'aspect_ratio' ? 'aspectRatio' : 'resolution'];
	const v = body[field];
	if (!present(v)) return rule.allowed ? rule.default : undefined;
	if (!rule.allowed) throw invalid(field, `Model '${rules.name}' does not accept '${field}'`);
	if (typeof v !== 'string') throw invalid(field, `${field} must be a string`);
	if (rule.values && !rule.values.includes(v)) {
		throw invalid(
			field,
			`${field} '${v}' is not supported by '${rules.name}' (allowed: ${rule.values.join(', ')})`,
		);
	}
	return v;
}

function checkDuration(body: Json, rules: ModelRules): number | undefined {
	const rule = rules.duration;
	const v = body.duration;
	if (!present(v)) return rule.allowed ? rule.default : undefined;
	if (!rule.allowed) throw invalid('duration', `Model '${rules.name}' does not accept 'duration'`);
	if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
		throw invalid('duration', 'duration must be a positive integer number of seconds');
	}
	if (rule.values && !rule.values.includes(v)) {
		throw invalid(
			'duration',
			`duration ${v} is not supported by '${rules.name}' (allowed: ${rule.values.join(', ')})`,
		);
	}
	return v;
}

function checkGenerationCount(body: Json, rules: ModelRules): number {
	const v = body.generation_count;
	if (!present(v)) return 1;
	if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > rules.generationCountMax) {
		throw invalid(
			'generation_count',
			`generation_count must be an integer from 1 to ${rules.generationCountMax}`,
		);
	}
	return v;
}

/* ---------------------------------- model_settings ---------------------------------------- */

function checkSettingValue(key: string, value: unknown, rule: SettingRule): void {
	const field = `model_settings.${key}`;
	switch (rule.kind) {
		case 'boolean':
			if (typeof value !== 'boolean') throw invalid(field, `${field} must be a boolean`);
			return;
		case 'enum':
			if (!rule.enum?.includes(value))
				throw invalid(field, `${field} must be one of ${(rule.enum ?? []).map(String).join(', ')}`);
			return;
		case 'number':
			if (typeof value !== 'number' || !Number.isFinite(value))
				throw invalid(field, `${field} must be a number`);
			return;
		case 'integer':
			if (typeof value !== 'number' || !Number.isInteger(value))
				throw invalid(field, `${field} must be an integer`);
			return;
		case 'string':
			if (typeof value !== 'string') throw invalid(field, `${field} must be a string`);
			return;
		default:
			if (!['string', 'number', 'boolean'].includes(typeof value))
				throw invalid(field, `${field} must be a string, number or boolean`);
	}
}

/** Validates model_settings; returns the effective settings (defaults + given). */
export function checkModelSettings(body: Json, rules: ModelRules): Json {
	const effective: Json = {};
	for (const [k, r] of Object.entries(rules.settings))
		if (r.default !== undefined) effective[k] = r.default;
	const v = body.model_settings;
	if (!present(v)) return effective;
	if (!isPlainObject(v)) throw invalid('model_settings', 'model_settings must be an object');
	for (const [key, value] of Object.entries(v)) {
		if (value === undefined) continue;
		const rule = rules.settings[key];
		if (!rule && !rules.settingsOpen) {
			const known = Object.keys(rules.settings);
			throw invalid(
				`model_settings.${key}`,
				`Model '${rules.name}' has no setting '${key}'${known.length ? ` (settings: ${known.join(', ')})` : ' (it has no settings)'}`,
			);
		}
		checkSettingValue(key, value, rule ?? { kind: 'any', affectsCost: false });
		effective[key] = value;
	}
	return effective;
}

/* ------------------------------------- start ---------------------------------------------- */

/** Validates a `/asset/start` body (without the `x_emulator` key). Throws ApiError. */
export function validateStart(body: unknown, catalog: Catalog): StartPlan {
	if (!isPlainObject(body)) throw invalid('body', 'Request body must be a JSON object');
	for (const f of ['type', 'model', 'prompt']) {
		const v = body[f];
		if (typeof v !== 'string' || !v.trim()) {
			throw invalid(
				f,
				present(v) && typeof v !== 'string' ? `${f} must be a string` : `${f} is required`,
			);
		}
	}
	const model = requireModel(catalog, body.model as string);
	const rules = modelRules(model);
	if (body.type !== model.type) {
		throw invalid(
			'type',
			`type '${String(body.type)}' does not match model '${model.name}' (type '${model.type}')`,
		);
	}
	const prompt = body.prompt as string;
	if (rules.maxPromptLength !== undefined && prompt.length > rules.maxPromptLength) {
		throw invalid(
			'prompt',
			`prompt is ${prompt.length} characters; '${model.name}' accepts at most ${rules.maxPromptLength}`,
		);
	}
	const referenceCount = checkReferences(body, rules);
	const aspectRatio = checkStringEnum(body, 'aspect_ratio', rules);
	const resolution = checkStringEnum(body, 'resolution', rules);
	const duration = checkDuration(body, rules);
	const generationCount = checkGenerationCount(body, rules);
	const settings = checkModelSettings(body, rules);
	if (present(body.avatar_description)) {
		if (!rules.avatarDescription)
			throw invalid(
				'avatar_description',
				`Model '${model.name}' does not accept 'avatar_description'`,
			);
		if (typeof body.avatar_description !== 'string')
			throw invalid('avatar_description', 'avatar_description must be a string');
	}
	for (const f of ['folder_id', 'parent_media_id']) {
		if (present(body[f]) && (typeof body[f] !== 'string' || !(body[f] as string).trim())) {
			throw invalid(f, `${f} must be a non-empty string`);
		}
	}
	if (present(body.webhook_url) && !isHttpUrl(body.webhook_url)) {
		throw invalid(
			'webhook_url',
			'webhook_url must be a valid absolute http(s) URL',
			'INVALID_WEBHOOK_URL',
		);
	}

	const priceInput: PriceInput = {
		duration,
		resolution,
		model_settings: isPlainObject(body.model_settings) ? body.model_settings : undefined,
		image_count: isPricedPerReference(model) ? referenceCount : undefined,
	};
	const perGeneration = costPerGeneration(model, rules, priceInput);

	const params: Json = { model: model.name, prompt };
	if (aspectRatio !== undefined) params.aspect_ratio = aspectRatio;
	if (resolution !== undefined) params.resolution = resolution;
	if (duration !== undefined) params.duration = duration;
	params.generation_count = generationCount;
	if (Object.keys(settings).length) params.model_settings = settings;
	if (present(body.references)) params.references = body.references;
	for (const s of KNOWN_SLOTS) if (present(body[s])) params[s] = body[s];
	if (present(body.avatar_description)) params.avatar_description = body.avatar_description;

	return {
		model,
		rules,
		type: model.type,
		generationCount,
		costPerGeneration: perGeneration,
		totalCost: totalCost(perGeneration, generationCount),
		webhookUrl: present(body.webhook_url) ? (body.webhook_url as string) : undefined,
		folderId: present(body.folder_id) ? (body.folder_id as string) : undefined,
		parentMediaId: present(body.parent_media_id) ? (body.parent_media_id as string) : undefined,
		generationParams: params,
		aspectRatio,
		resolution,
		duration,
	};
}

/* ------------------------------------ pricing --------------------------------------------- */

/** Parses 8, "8" or "8s" into seconds; undefined when it is none of those. */
function parseSeconds(v: unknown): number | undefined {
	if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
	if (typeof v === 'string') {
		const m = /^\s*(\d+(?:\.\d+)?)\s*s?\s*$/i.exec(v);
		if (m) return Number(m[1]);
	}
	return undefined;
}

/** Answers `POST /asset/pricing`. Throws ApiError. */
export function priceRequest(body: unknown, catalog: Catalog): PricingAnswer {
	if (!isPlainObject(body)) throw invalid('body', 'Request body must be a JSON object');
	if (typeof body.model !== 'string' || !body.model.trim())
		throw invalid('model', 'model is required');
	const model = requireModel(catalog, body.model);
	const rules = modelRules(model);
	const normalized: Json = {};

	let duration: number | undefined;
	if (present(body.duration)) {
		if (!rules.duration.allowed)
			throw invalid('duration', `Model '${model.name}' does not accept 'duration'`);
		const secs = parseSeconds(body.duration);
		if (secs === undefined) throw invalid('duration', 'duration must be a number of seconds');
		duration = secs;
		const values = rules.duration.values;
		if (values && values.length && !values.includes(secs)) duration = snapToNearest(values, secs);
		else if (!Number.isInteger(secs)) duration = Math.round(secs);
		if (duration !== body.duration) normalized.duration = duration;
	} else if (rules.duration.allowed) {
		duration = rules.duration.default;
	}
	const resolution = checkStringEnum(body, 'resolution', rules);
	const generationCount = checkGenerationCount(body, rules);
	checkModelSettings(body, rules);
	let imageCount: number | undefined;
	if (present(body.image_count)) {
		if (
			typeof body.image_count !== 'number' ||
			!Number.isInteger(body.image_count) ||
			body.image_count < 0
		) {
			throw invalid('image_count', 'image_count must be a non-negative integer');
		}
		imageCount = body.image_count;
	}
	const perGeneration = costPerGeneration(model, rules, {
		duration,
		resolution,
		model_settings: isPlainObject(body.model_settings) ? body.model_settings : undefined,
		image_count: imageCount,
	});
	const answer: PricingAnswer = {
		model: model.name,
		cost_per_generation: perGeneration,
		total_cost: totalCost(perGeneration, generationCount),
		currency: 'credits',
		generation_count: generationCount,
	};
	if (Object.keys(normalized).length) answer.normalized = normalized;
	return answer;
}

export { ApiError };
