import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ItemErrors } from '../helpers/errors';
import type { OperationContext } from './types';

/** Runs `fn` for every input item: pairedItem on every output, Continue On Fail turns errors into items. */
export async function forEachItem(
	ctx: IExecuteFunctions,
	op: OperationContext,
	fn: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	const errors = new ItemErrors(ctx, out);
	for (let i = 0; i < op.items.length; i++) {
		try {
			const result = await fn(i);
			for (const json of Array.isArray(result) ? result : [result])
				out.push({ json, pairedItem: { item: i } });
		} catch (error) {
			errors.add(error, i);
		}
	}
	return out;
}
