/** Options → Max Credits per Execution: the field, and the check that prices the run before any submit. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { price } from '../../../../shared/api';
import { appendDescription, toItemError, type ItemErrors } from '../../../helpers/errors';
import type { OperationContext } from '../../types';
import type { Prepared } from './prepare';
import type { SubmitRecord } from './submitRecord';

const FIELD = 'Options → Max Credits per Execution';

export const maxCreditsOption: INodeProperties = {
	displayName: 'Max Credits per Execution',
	name: 'maxCredits',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 2 },
	default: 0,
	description:
		'Refuse to submit anything when the estimated total of all items is above this many credits (priced with Hoox before submitting). 0 means no cap.',
};

/** The cap in credits; 0 = no cap. */
export function readCreditCap(options: IDataObject): number {
	return Math.max(0, Number(options.maxCredits ?? 0) || 0);
}

/**
 * Prices every item (a dry run) and compares the total with the cap. False when the run must stop
 * before any submit: it could not be priced, or it costs more (every item gets the error). The cap
 * is a budget for the execution: what earlier tries of the node spent (the record) counts.
 */
export async function withinCreditCap(
	ctx: IExecuteFunctions,
	op: OperationContext,
	{
		prepared,
		cap,
		errors,
		record,
	}: { prepared: Prepared[]; cap: number; errors: ItemErrors; record: SubmitRecord },
): Promise<boolean> {
	if (cap <= 0 || prepared.length === 0) return true;
	const all = prepared.map((p) => p.itemIndex);
	const costs: Array<{ itemIndex: number; cost: number }> = [];
	// No price, no submit: a pricing failure stops the whole run before anything is spent.
	let pricing = all[0];
	try {
		for (const p of prepared) {
			pricing = p.itemIndex;
			p.cost = await priceOf(ctx, op, p);
			costs.push({ itemIndex: p.itemIndex, cost: p.cost });
		}
	} catch (error) {
		const nodeError = toItemError(ctx, error, pricing);
		if (!(error instanceof NodeOperationError)) {
			appendDescription(
				nodeError,
				`${FIELD}: the run could not be priced, so nothing was submitted.`,
			);
		}
		errors.addForAll(nodeError, all, op.abortSignal);
		return false;
	}
	const spent = record.spent();
	const total = Math.round(costs.reduce((sum, c) => sum + c.cost, spent) * 1000) / 1000;
	if (total <= cap) return true;
	const earlier = spent
		? `, on top of ${spent} credits spent by earlier tries of this execution (assets ${record
				.assets()
				.map((a) => a.assetId)
				.join(', ')})`
		: '';
	const error = new NodeOperationError(
		ctx.getNode(),
		`[item ${all[0]}] ${FIELD}: this run would cost ${total} credits, above the cap of ${cap}`,
		{
			itemIndex: all[0],
			description: `Nothing ${spent ? 'more ' : ''}was submitted. Estimated costs (${costs.map((c) => `item ${c.itemIndex}: ${c.cost}`).join(', ')})${earlier}. Raise the cap (0 = no cap), or lower the number of items, the generation count, the duration or the resolution.`,
		},
	);
	errors.addForAll(error, all);
	return false;
}

/** One item's total_cost; an error when Hoox sent none that can be used. */
async function priceOf(ctx: IExecuteFunctions, op: OperationContext, p: Prepared): Promise<number> {
	const answer = await price(ctx, p.pricingBody ?? { model: p.model }, {
		itemIndex: p.itemIndex,
		abortSignal: op.abortSignal,
	});
	const total = answer?.total_cost;
	const cost = typeof total === 'number' || typeof total === 'string' ? Number(total) : NaN;
	if (total === '' || !Number.isFinite(cost) || cost < 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			`[item ${p.itemIndex}] ${FIELD}: Hoox sent no price for this item`,
			{
				itemIndex: p.itemIndex,
				description: `The pricing answer has no usable total_cost (${JSON.stringify(total ?? null)}), so the cap cannot be checked. Nothing was submitted.`,
			},
		);
	}
	return cost;
}
