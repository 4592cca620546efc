/** Phase 1 of Generate: every item read and validated, its bodies built, before anything is spent. */
import type { IDataObject, IExecuteFunctions, ResourceMapperValue } from 'n8n-workflow';

import {
	buildPricingBody,
	buildStartBody,
	splitModelParameters,
	type GenerateInput,
} from '../../../model';
import type { ItemErrors } from '../../../helpers/errors';
import { readJsonObject, readModelId, readReferences } from '../../../helpers/params';
import type { ResumePlan } from '../../../wait/resume/plan';
import type { OperationContext } from '../../types';
import type { SubmitRecord } from './submitRecord';

/** One item, ready to submit. */
export interface Prepared {
	itemIndex: number;
	body: IDataObject;
	/** Built only when Max Credits per Execution is set. */
	pricingBody?: IDataObject;
	model: string;
	prompt: string;
	/** Priced credits (Max Credits per Execution), recorded against the execution's budget. */
	cost?: number;
}

export async function prepareItems(
	ctx: IExecuteFunctions,
	op: OperationContext,
	{
		cap,
		resume,
		errors,
		record,
	}: { cap: number; resume?: ResumePlan; errors: ItemErrors; record: SubmitRecord },
): Promise<Prepared[]> {
	const prepared: Prepared[] = [];
	// Items an earlier try submitted are not prepared again; once every item was submitted, none
	// is (after a park the input items are the "timed out" items, not the node's inputs).
	const count = record.complete ? 0 : op.items.length;
	for (let i = 0; i < count; i++) {
		if (record.has(i)) continue;
		try {
			const model = readModelId(ctx, i);
			const { spec } = await op.models.get(model, i);
			const mapper = ctx.getNodeParameter('modelParameters', i, null) as ResourceMapperValue | null;
			const input: GenerateInput = {
				...readInput(ctx, i, model),
				...splitModelParameters(spec, mapperValues(mapper)),
			};
			const body = buildStartBody(spec, input);
			// Resume on Webhook: each body gets this execution's resume URL.
			resume?.apply(body, i);
			const pricingBody = cap > 0 ? buildPricingBody(spec, input) : undefined;
			prepared.push({ itemIndex: i, body, pricingBody, model, prompt: input.prompt });
		} catch (error) {
			errors.add(error, i);
		}
	}
	return prepared;
}

/** A parameter value as text when it is a scalar; undefined when empty; other values unchanged (typed as text for GenerateInput, which validation checks). */
function loose(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number') return String(value);
	return value as string;
}

function readInput(
	ctx: IExecuteFunctions,
	i: number,
	specModel: string,
): Omit<GenerateInput, 'slots' | 'extraFields' | 'modelSettings'> {
	const additional = ctx.getNodeParameter('additionalFields', i, {}) as IDataObject;
	const references = readReferences(ctx.getNodeParameter('references', i, {}));
	const duration = ctx.getNodeParameter('duration', i, '') as string | number;
	// Lists and objects are passed on as they are, for validation to name the parameter (never "[object Object]").
	const text = (name: string) => loose(ctx.getNodeParameter(name, i, ''));
	const optional = (value: unknown) => {
		const given = loose(value);
		return typeof given === 'string' ? given.trim() || undefined : given;
	};
	return {
		type: text('type'),
		model: specModel,
		prompt: loose(ctx.getNodeParameter('prompt', i, '')) ?? '',
		references: references.length ? references : undefined,
		aspectRatio: text('aspectRatio'),
		resolution: text('resolution'),
		duration: duration === '' || duration === null || duration === undefined ? undefined : duration,
		generationCount: ctx.getNodeParameter('generationCount', i, 1) as number,
		parentMediaId: optional(additional.parentMediaId),
		folderId: optional(additional.folderId),
		webhookUrl: optional(additional.webhookUrl),
		additionalFields: readJsonObject(
			ctx,
			additional.additionalBodyFields,
			'Additional Fields → Additional Body Fields (JSON)',
			i,
		),
	};
}

/**
 * The Model Parameters values, without fields n8n marked as removed (left over from a model
 * chosen before, or dropped from the model by Hoox since the workflow was saved).
 */
function mapperValues(mapper: ResourceMapperValue | null): Record<string, unknown> | null {
	if (!mapper || !mapper.value) return null;
	const removed = new Set(
		(mapper.schema ?? []).filter((field) => field.removed).map((field) => field.id),
	);
	return Object.fromEntries(Object.entries(mapper.value).filter(([id]) => !removed.has(id)));
}
