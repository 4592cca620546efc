import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ModelInputError } from '../model';

/** Turns a ModelInputError (or anything else thrown while preparing an item) into a node error naming the item. */
export function toItemError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeOperationError | NodeApiError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context && error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof ModelInputError) {
		return new NodeOperationError(
			ctx.getNode(),
			`[item ${itemIndex}] ${error.parameter}: ${error.message}`,
			{
				itemIndex,
				description: error.description,
			},
		);
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), `[item ${itemIndex}] ${message}`, { itemIndex });
}

/**
 * The item a failed input becomes when "Continue On Fail" is on. `error` is an object like the
 * one of a failed asset item (`{ message, … }`): `{ message, description?, http_code? }`.
 */
export function errorItem(
	error: unknown,
	itemIndex: number,
	extra: IDataObject = {},
): INodeExecutionData {
	const err = error as { message?: string; description?: string | null; httpCode?: string | null };
	const details: IDataObject = {
		message: typeof err?.message === 'string' ? err.message : String(error),
	};
	if (err?.description) details.description = err.description;
	const httpCode = Number(err?.httpCode);
	if (Number.isFinite(httpCode) && httpCode > 0) details.http_code = httpCode;
	return { json: { ...extra, error: details }, pairedItem: { item: itemIndex } };
}

/** Adds a sentence to an error's description (used to list assets already paid for). */
export function appendDescription(
	error: NodeOperationError | NodeApiError,
	text: string,
): NodeOperationError | NodeApiError {
	error.description = error.description ? `${error.description} ${text}` : text;
	return error;
}

/**
 * The one Continue-On-Fail rule: an item's error is thrown, or (Continue On Fail) kept as that
 * item's error item. A cancelled execution always throws.
 */
export class ItemErrors {
	private readonly continueOnFail: boolean;
	private added = 0;

	/** `output`: where error items go (the operation's output, so they keep their order). */
	constructor(
		private readonly ctx: IExecuteFunctions,
		readonly output: INodeExecutionData[] = [],
	) {
		this.continueOnFail = ctx.continueOnFail();
	}

	/** Records (or throws) the error of one item. */
	add(error: unknown, itemIndex: number, abortSignal?: AbortSignal): void {
		this.addForAll(error, [itemIndex], abortSignal);
	}

	/** Records (or throws) one error for several items, e.g. a run stopped before any submit. */
	addForAll(error: unknown, itemIndexes: number[], abortSignal?: AbortSignal): void {
		const nodeError = toItemError(this.ctx, error, itemIndexes[0] ?? 0);
		if (!this.continueOnFail || abortSignal?.aborted) throw nodeError;
		for (const itemIndex of itemIndexes) this.output.push(errorItem(nodeError, itemIndex));
		this.added += itemIndexes.length;
	}

	/** Error items recorded so far. */
	get count(): number {
		return this.added;
	}
}
