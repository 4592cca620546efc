import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { ItemErrors } from '../../../helpers/errors';
import { finishWait } from '../../../wait/finish';
import { planResume, settledWaitMode } from '../../../wait/resume/plan';
import { readWaitSettings } from '../../../wait/settings';
import type { OperationContext } from '../../types';
import { readCreditCap, withinCreditCap } from './creditCap';
import { prepareItems } from './prepare';
import { submitAll } from './submit';
import { describeRetry, failUnanswered, submitRecordFor } from './submitRecord';

export { description } from './description';

/** Generate: prepare and validate every item, check the credit cap, submit, wait. */
export async function execute(
	this: IExecuteFunctions,
	op: OperationContext,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	const errors = new ItemErrors(this, out);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const cap = readCreditCap(options);
	const settings = readWaitSettings(options, true);
	const resume = await planResume(this, settings);
	// n8n's Retry On Fail runs this again: items an earlier try submitted are never sent again.
	const record = submitRecordFor(this);
	if (record.size > 0) this.logger?.info(describeRetry(record, this.getExecutionId()));
	failUnanswered(this, record, errors);

	const prepared = await prepareItems(this, op, { cap, resume, errors, record });
	// A resumed execution would lose the error items: poll, decided before anything is submitted.
	if (errors.count > 0) {
		resume?.fallBack(
			`${errors.count} item(s) failed before submitting, and a resumed execution would lose their error items`,
		);
	}
	if (!(await withinCreditCap(this, op, { prepared, cap, errors, record }))) return sortByItem(out);

	const waitMode = settledWaitMode(settings, resume);
	const tracked = await submitAll(this, op, prepared, { errors, record });
	// Every item is in the record: a later try takes them all from it, whatever its input.
	if (errors.count === 0) record.complete = true;
	// Info, with the ids: paid assets stay traceable in n8n's log even if this process dies while
	// waiting (queue mode: a killed worker's execution is not saved and not run again).
	if (tracked.length) {
		this.logger?.info(
			`Hoox: execution ${this.getExecutionId?.() ?? ''} submitted ${tracked.length} asset(s) for ${record.size} item(s) (try ${record.tries}); ` +
				`wait mode ${waitMode}. Assets: ${tracked.map((t) => t.assetId).join(', ')}`,
		);
	}
	const items = await finishWait(this, {
		assets: tracked,
		settings: { ...settings, waitMode },
		abortSignal: op.abortSignal,
		continueOnFail: this.continueOnFail(),
		otherItems: out.length,
	});
	out.push(...items);
	return sortByItem(out);
}

function sortByItem(items: INodeExecutionData[]): INodeExecutionData[] {
	const index = (item: INodeExecutionData) => {
		const paired = item.pairedItem;
		return typeof paired === 'object' && paired !== null && !Array.isArray(paired)
			? paired.item
			: 0;
	};
	return items
		.map((item, position) => ({ item, position }))
		.sort((a, b) => index(a.item) - index(b.item) || a.position - b.position)
		.map(({ item }) => item);
}
