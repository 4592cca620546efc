/**
 * Phase 3 of Generate: one /asset/start per item, in order; every error names what was already
 * submitted. Each item goes into the record as soon as it may have been charged, so no later try
 * of this run sends it again (submitRecord.ts). Returns every asset of the record, earlier tries'
 * included.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { startGeneration, type AssetStatus, type StartAnswer } from '../../../../shared/api';
import { startedAssetIds } from '../../../../shared/api/answers';
import { appendDescription, toItemError, type ItemErrors } from '../../../helpers/errors';
import type { TrackedAsset } from '../../../wait/settings';
import type { OperationContext } from '../../types';
import type { Prepared } from './prepare';
import { mayHaveCharged, type SubmitRecord } from './submitRecord';

export async function submitAll(
	ctx: IExecuteFunctions,
	op: OperationContext,
	prepared: Prepared[],
	{ errors, record }: { errors: ItemErrors; record: SubmitRecord },
): Promise<TrackedAsset[]> {
	for (const p of prepared) {
		const cost = p.cost ?? 0;
		try {
			const started = await startGeneration(ctx, p.body, {
				itemIndex: p.itemIndex,
				abortSignal: op.abortSignal,
			});
			record.add({ itemIndex: p.itemIndex, assets: trackedAssets(ctx, p, started), cost });
		} catch (error) {
			const nodeError = toItemError(ctx, error, p.itemIndex);
			if (mayHaveCharged(error)) {
				record.add({ itemIndex: p.itemIndex, assets: [], cost, unanswered: nodeError });
			}
			const tracked = record.assets();
			if (tracked.length) {
				appendDescription(
					nodeError,
					`Already submitted in this run (not lost): ${tracked.map((t) => `${t.assetId} (item ${t.itemIndex})`).join(', ')}.`,
				);
			}
			errors.add(nodeError, p.itemIndex);
		}
	}
	return record.assets();
}

/** The assets one submit started, with what the answer says about them. */
function trackedAssets(ctx: IExecuteFunctions, p: Prepared, started: StartAnswer): TrackedAsset[] {
	const ids = startedAssetIds(ctx, started, p.itemIndex);
	return ids.map((assetId) => {
		const status: AssetStatus = {
			asset_id: assetId,
			status: typeof started.status === 'string' ? started.status : 'generating',
		};
		if (typeof p.body.type === 'string') status.type = p.body.type;
		if (typeof started.cost_per_generation === 'number') status.cost = started.cost_per_generation;
		const submittedAt = Date.now();
		return {
			assetId,
			itemIndex: p.itemIndex,
			model: p.model,
			prompt: p.prompt,
			status,
			submittedAt,
		};
	});
}
