import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listModels } from '../../shared/api';

function currentType(ctx: ILoadOptionsFunctions): string {
	try {
		const value = ctx.getCurrentNodeParameter('type');
		return typeof value === 'string' ? value : '';
	} catch {
		return '';
	}
}

function formatCost(value: unknown): string | undefined {
	return typeof value === 'number' ? `${value} credits` : undefined;
}

/** Model picker: models of the chosen Type, searchable by name, label, provider and tag. */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const type = currentType(this);
	const models = await listModels(this, type === 'image' || type === 'video' ? { type } : {});
	const needle = (filter ?? '').trim().toLowerCase();
	const matches = (model: IDataObject) => {
		if (!needle) return true;
		const tags = Array.isArray(model.tags) ? (model.tags as string[]) : [];
		return [model.name, model.label, model.provider, ...tags].some(
			(v) => typeof v === 'string' && v.toLowerCase().includes(needle),
		);
	};
	const results = models
		.filter(matches)
		.map((model) => {
			const name = String(model.name);
			const tags = Array.isArray(model.tags) ? (model.tags as string[]) : [];
			const hint = [
				typeof model.provider === 'string' ? model.provider : undefined,
				formatCost(model.base_cost),
			].filter(Boolean);
			const description = [...hint, tags.length ? tags.join(', ') : undefined]
				.filter(Boolean)
				.join(' · ');
			const label = typeof model.label === 'string' && model.label ? model.label : name;
			// n8n's picker shows only `name`: provider and cost go there to be seen at all
			return {
				name: [label, ...hint].join(' · '),
				value: name,
				description: description || undefined,
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}
