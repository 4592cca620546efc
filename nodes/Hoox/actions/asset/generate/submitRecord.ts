/**
 * Submit once per execution (issue 9). POST /asset/start debits up front and Hoox has no
 * idempotency key, so the node is its own: what one run of Generate submitted is recorded where
 * the next try of the SAME run finds it, and a try never submits a recorded item again; it picks
 * up the recorded assets (wait, download, output) instead.
 *
 * Where the record lives, and why (read in n8n-core's WorkflowExecute, 1.123 and 2.41):
 * - Retry On Fail re-runs execute() inside one `runNode` loop, in the same process, with the SAME
 *   execution-stack entry object (`getExecuteData()`): on a throw, and also when the first output
 *   item carries `json.error` (with or without Continue On Fail). A later run of the node (a loop,
 *   a second batch) gets a new entry, so it submits its items as it should.
 * - So the record is kept in module memory, in a WeakMap keyed by that entry: no id to build, no
 *   cleanup (it goes when n8n drops the entry), nothing in the execution data.
 * - Resume on Webhook: n8n does not run execute() again on a resume (it disables the node and
 *   passes webhook()'s output on), so only the retries around a park need the record — and a park
 *   replaces the entry's input items with the "timed out" items: a retry after a park must take
 *   every item from the record, never from its (changed) input.
 * - Not kept in the execution's custom data or static data: n8n saves those only between nodes
 *   (or at the end), so they could not help the one case memory misses — a queue-mode worker that
 *   dies mid-node, whose execution n8n re-runs from the data saved before this node started.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { TrackedAsset } from '../../../helpers/assets';

/** One input item that reached Hoox: its assets, or none when Hoox's answer was lost. */
export interface SubmittedItem {
	itemIndex: number;
	assets: TrackedAsset[];
	/** Credits priced for it (0 when there was no cap): spent from the execution's budget. */
	cost: number;
	/** Set when the request may have been charged but its answer never came (timeout, reset, 5xx). */
	unanswered?: { message: string };
}

export class SubmitRecord {
	/** How many tries of this run started so far (1 on the first). */
	tries = 0;
	/**
	 * Set once every input item was submitted: a later try takes them all from here, and reads no
	 * input (a park replaces the input items with the "timed out" items).
	 */
	complete = false;
	private readonly items = new Map<number, SubmittedItem>();

	has(itemIndex: number): boolean {
		return this.items.has(itemIndex);
	}

	add(item: SubmittedItem): void {
		this.items.set(item.itemIndex, item);
	}

	/** Every recorded item, by input item. */
	all(): SubmittedItem[] {
		return [...this.items.values()].sort((a, b) => a.itemIndex - b.itemIndex);
	}

	/** Every asset paid for so far, by input item. */
	assets(): TrackedAsset[] {
		return this.all().flatMap((item) => item.assets);
	}

	/** Credits of the items submitted so far (Max Credits per Execution is a budget across tries). */
	spent(): number {
		return Math.round(this.all().reduce((sum, item) => sum + item.cost, 0) * 1000) / 1000;
	}

	get size(): number {
		return this.items.size;
	}
}

const records = new WeakMap<object, SubmitRecord>();

/**
 * This run's record, started on the first try. Keyed by the execution-stack entry n8n passes to
 * every try; without one (an n8n that lacks getExecuteData), by the input items array, which
 * n8n also passes unchanged to every try.
 */
export function submitRecordFor(ctx: IExecuteFunctions): SubmitRecord {
	const key = runKey(ctx);
	let record = records.get(key);
	if (!record) {
		record = new SubmitRecord();
		records.set(key, record);
	}
	record.tries++;
	return record;
}

function runKey(ctx: IExecuteFunctions): object {
	try {
		const entry = typeof ctx.getExecuteData === 'function' ? ctx.getExecuteData() : undefined;
		if (entry && typeof entry === 'object') return entry;
	} catch {
		// fall back to the input items
	}
	return ctx.getInputData() as INodeExecutionData[];
}

/** The log line of a try that found items submitted by an earlier try of the same run. */
export function describeRetry(record: SubmitRecord, executionId: string): string {
	const assets = record.assets();
	const unanswered = record.all().filter((item) => item.unanswered);
	const parts = [
		`Hoox: try ${record.tries} of this node in execution ${executionId} found ${record.size} item(s) already submitted`,
		`by an earlier try; they are not submitted again (no second charge)`,
	];
	let text = `${parts.join(' ')}.`;
	if (assets.length)
		text += ` Picking up asset(s): ${assets.map((a) => `${a.assetId} (item ${a.itemIndex})`).join(', ')}.`;
	if (unanswered.length)
		text += ` Item(s) ${unanswered.map((u) => u.itemIndex).join(', ')}: Hoox's answer to the submit was lost, so they stay failed rather than risk a second charge.`;
	return text;
}

/**
 * Whether a failed submit may have reached Hoox and been charged: anything but an HTTP 4xx answer
 * (Hoox refused it: nothing was created). Network errors count as charged even when the
 * connection was refused: the request door already resent those, and a second charge is worse
 * than an item left failed.
 */
export function mayHaveCharged(error: unknown): boolean {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		const status = Number((error as NodeApiError).httpCode);
		if (Number.isInteger(status) && status >= 400 && status < 500) return false;
	}
	return true;
}

/** The error of an item whose submit got no usable answer in an earlier try of this run. */
export function unansweredError(
	ctx: IExecuteFunctions,
	item: SubmittedItem,
	record: SubmitRecord,
): NodeOperationError {
	const paid = record.assets();
	const others = paid.length
		? ` Assets of this run (not lost): ${paid.map((a) => `${a.assetId} (item ${a.itemIndex})`).join(', ')}.`
		: '';
	return new NodeOperationError(
		ctx.getNode(),
		`[item ${item.itemIndex}] ${stripItem(item.unanswered?.message ?? 'The generation request to Hoox got no answer')} (earlier try of this execution)`,
		{
			itemIndex: item.itemIndex,
			description:
				`Retry On Fail ran the node again, but this item was already sent to Hoox once and may have been charged, so it was not sent again. ` +
				`Check the assets in your Hoox space before running this item again.${others}`,
		},
	);
}

function stripItem(message: string): string {
	return message.replace(/^\[item \d+\]\s*/, '');
}
