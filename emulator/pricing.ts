/**
 * The one price function shared by `POST /asset/pricing` and `POST /asset/start` (SPEC §7.5).
 *
 * The real price tables are unknown, so the emulator uses a simple, documented model:
 *   cost_per_generation = base_cost                          (model defaults; 1 when the entry has none)
 *     × duration / default_duration                          (video, when both are known)
 *     × 1.5 ^ (index(resolution) − index(default))           (each resolution step up ×1.5, down ÷1.5)
 *     × 1.25 for each `affects_cost` setting that differs from its default
 *     × max(1, image_count)                                  (per-reference models only, e.g. reve-fast)
 *   rounded to 2 decimals; total_cost = cost_per_generation × generation_count (rounded).
 */
import { DEFAULTS } from './constants';
import type { ModelRules } from './catalog';
import type { ModelDefinition } from './types';

/** Models priced per reference image (SPEC §4.3). A model entry may also set `price_per_reference: true`. */
const PER_REFERENCE_MODELS = new Set(['reve-fast']);

export const RESOLUTION_STEP_FACTOR = 1.5;
export const SETTING_FACTOR = 1.25;

export interface PriceInput {
	duration?: number;
	resolution?: string;
	model_settings?: Record<string, unknown>;
	/** Number of reference images (per-reference models only). */
	image_count?: number;
}

export function round2(n: number): number {
	return Math.round((n + Number.EPSILON) * 100) / 100;
}

export function isPricedPerReference(model: ModelDefinition): boolean {
	return model.price_per_reference === true || PER_REFERENCE_MODELS.has(model.name);
}

export function baseCost(model: ModelDefinition): number {
	return typeof model.base_cost === 'number' && Number.isFinite(model.base_cost)
		? model.base_cost
		: DEFAULTS.baseCost;
}

export function costPerGeneration(
	model: ModelDefinition,
	rules: ModelRules,
	input: PriceInput,
): number {
	let cost = baseCost(model);
	const defDuration = rules.duration.default;
	if (typeof input.duration === 'number' && typeof defDuration === 'number' && defDuration > 0) {
		cost *= input.duration / defDuration;
	}
	const resolutions = rules.resolution.values;
	if (input.resolution !== undefined && resolutions && rules.resolution.default !== undefined) {
		const i = resolutions.indexOf(input.resolution);
		const d = resolutions.indexOf(rules.resolution.default);
		if (i >= 0 && d >= 0) cost *= Math.pow(RESOLUTION_STEP_FACTOR, i - d);
	}
	const settings = input.model_settings ?? {};
	for (const [key, rule] of Object.entries(rules.settings)) {
		if (!rule.affectsCost) continue;
		if (key in settings && settings[key] !== undefined && settings[key] !== rule.default)
			cost *= SETTING_FACTOR;
	}
	if (isPricedPerReference(model)) cost *= Math.max(1, input.image_count ?? 1);
	return round2(cost);
}

export function totalCost(perGeneration: number, generationCount: number): number {
	return round2(perGeneration * generationCount);
}

/** Nearest allowed value (ties go to the smaller one). */
export function snapToNearest(values: number[], wanted: number): number {
	let best = values[0];
	for (const v of values) {
		if (
			Math.abs(v - wanted) < Math.abs(best - wanted) ||
			(Math.abs(v - wanted) === Math.abs(best - wanted) && v < best)
		) {
			best = v;
		}
	}
	return best;
}
