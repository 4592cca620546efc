import type { IDataObject } from 'n8n-workflow';

import { getModel, type HooxContext } from '../../shared/api';
import { describeModel, type ModelDetail, type ModelSpec } from '../model';

export interface CachedModel {
	detail: ModelDetail;
	spec: ModelSpec;
}

/**
 * One GET /asset/models/{name} per model per execution (not per item): the cache lives for
 * one execute() call or one dropdown load.
 */
export class ModelCache {
	private readonly entries = new Map<string, Promise<CachedModel>>();

	constructor(
		private readonly ctx: HooxContext,
		private readonly abortSignal?: AbortSignal,
	) {}

	async get(name: string, itemIndex?: number): Promise<CachedModel> {
		let entry = this.entries.get(name);
		if (!entry) {
			entry = loadModel(this.ctx, name, itemIndex, this.abortSignal);
			this.entries.set(name, entry);
			// a failed load is not cached: the next item may retry it (and report its own index)
			entry.catch(() => this.entries.delete(name));
		}
		return await entry;
	}
}

export async function loadModel(
	ctx: HooxContext,
	name: string,
	itemIndex?: number,
	abortSignal?: AbortSignal,
): Promise<CachedModel> {
	const detail = await getModel<ModelDetail & IDataObject>(ctx, name, { itemIndex, abortSignal });
	return { detail, spec: describeModel(detail) };
}
