import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { enumOptions } from '../model';
import { listFolders } from '../../shared/api';
import { loadModel } from '../helpers/modelCache';

export function currentModel(ctx: ILoadOptionsFunctions): string {
	try {
		const value = ctx.getCurrentNodeParameter('model', { extractValue: true });
		return typeof value === 'string' ? value.trim() : '';
	} catch {
		return '';
	}
}

function reason(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

async function modelEnum(
	ctx: ILoadOptionsFunctions,
	field: 'aspectRatios' | 'resolutions' | 'durations',
): Promise<INodePropertyOptions[]> {
	const model = currentModel(ctx);
	if (!model) {
		return [
			{ name: 'Model Default', value: '', description: 'Choose a model first to see its options' },
		];
	}
	try {
		const { spec } = await loadModel(ctx, model);
		return enumOptions(spec, field);
	} catch (error) {
		return [
			{
				name: 'Model Default',
				value: '',
				description: `Could not load the options of "${model}": ${reason(error)}`,
			},
		];
	}
}

export async function getAspectRatios(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await modelEnum(this, 'aspectRatios');
}

export async function getResolutions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await modelEnum(this, 'resolutions');
}

export async function getDurations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await modelEnum(this, 'durations');
}

export async function getFolders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const folders = await listFolders(this, 'assets');
		const options = folders
			.map((f) => ({
				name: String(f.name ?? f.id),
				value: String(f.id),
				description: f.parent_folder_id ? 'Subfolder' : undefined,
			}))
			.sort((a, b) => a.name.localeCompare(b.name));
		return [{ name: 'None', value: '', description: 'Keep the default location' }, ...options];
	} catch (error) {
		return [
			{ name: 'None', value: '', description: `Could not load the folders: ${reason(error)}` },
		];
	}
}
