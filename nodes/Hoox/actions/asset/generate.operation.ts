import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	ResourceMapperValue,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	buildPricingBody,
	buildStartBody,
	splitModelParameters,
	type GenerateInput,
} from '../../model';
import { hooxRequest } from '../../../shared/transport';
import type { AssetStatus } from '../../../shared/waiter';
import { readWaitSettings, type TrackedAsset } from '../../helpers/assets';
import {
	ASPECT_RATIO,
	DURATION,
	generationCountField,
	modelEnumField,
	modelLocator,
	RESOLUTION,
	typeField,
} from '../../helpers/descriptions';
import { appendDescription, errorItem, toItemError } from '../../helpers/errors';
import { startedAssetIds } from '../../../shared/api/answers';
import { readJsonObject, readModelId, readReferences } from '../../helpers/params';
import { waitOptions } from './waitOptions';
import { finishGenerate, planResume, RESUME_WAIT_MODE } from './resume';
import {
	describeRetry,
	mayHaveCharged,
	submitRecordFor,
	unansweredError,
} from './generate/submitRecord';
import type { OperationContext } from '../types';

const show = { resource: ['asset'], operation: ['generate'] };

export const description: INodeProperties[] = [
	typeField(
		show,
		'Whether to generate an image or a video; the model list shows models of this type',
	),
	modelLocator(show, 'The Hoox model that generates the asset'),
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'e.g. A paper boat drifting down a rain-soaked street, low angle',
		description:
			"What to generate. The model's maximum prompt length is checked before anything is sent.",
		displayOptions: { show },
	},
	{
		displayName: 'References',
		name: 'references',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Reference',
		default: {},
		description:
			'Reference media for models that take a list of references (each is a URL, an asset ID or an avatar ID). Models with named inputs (start image, first frame…) take them under Model Parameters instead.',
		displayOptions: { show },
		options: [
			{
				displayName: 'Reference',
				name: 'reference',
				values: [
					{
						displayName: 'Source',
						name: 'source',
						type: 'options',
						options: [
							{
								name: 'Asset ID',
								value: 'assetId',
								description: 'An asset of your Hoox space, e.g. an earlier generation',
							},
							{
								name: 'Avatar ID',
								value: 'avatarId',
								description: 'An avatar defined in your Hoox space',
							},
							{ name: 'URL', value: 'url', description: 'A direct, publicly reachable file URL' },
						],
						default: 'url',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. https://example.com/image.png',
						description: 'The URL, asset ID or avatar ID',
					},
				],
			},
		],
	},
	{
		displayName: 'Model Parameters',
		name: 'modelParameters',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		description:
			"The model's named inputs, extra fields and settings, loaded from Hoox for the chosen model",
		typeOptions: {
			loadOptionsDependsOn: ['model.value'],
			resourceMapper: {
				resourceMapperMethod: 'getModelParameters',
				// 'add': n8n marks required fields as mandatory (no bin) instead of removable
				mode: 'add',
				fieldWords: { singular: 'parameter', plural: 'parameters' },
				addAllFields: true,
				supportAutoMap: false,
				multiKeyMatch: false,
				noFieldsError: 'This model has no extra parameters',
				refreshStaleSchemaOnOpen: true,
			},
		},
		displayOptions: { show },
	},
	modelEnumField(show, ASPECT_RATIO),
	modelEnumField(show, RESOLUTION),
	modelEnumField(show, DURATION),
	generationCountField(
		show,
		'How many variations to generate (1–4); each is one asset and one charge',
	),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Additional Body Fields (JSON)',
				name: 'additionalBodyFields',
				type: 'json',
				default: '{}',
				description:
					'Fields merged into the request body, for options Hoox adds before this node knows them. They are validated like the rest.',
			},
			{
				displayName: 'Folder Name or ID',
				name: 'folderId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getFolders' },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			{
				displayName: 'Parent Media ID',
				name: 'parentMediaId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 662f8c1d3a4b5e6f70123456',
				description:
					'The asset this one derives from (edit, animate, variation): links it in the Hoox history and puts it in the same folder',
			},
			{
				displayName: 'Webhook URL',
				name: 'webhookUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/hooks/hoox',
				description:
					'Hoox calls this URL when each asset is completed or failed (e.g. a Hoox Trigger URL)',
			},
		],
	},
	waitOptions(show, true, true, true),
];

interface Prepared {
	itemIndex: number;
	body: IDataObject;
	pricingBody?: IDataObject;
	model: string;
	prompt: string;
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

export async function execute(
	this: IExecuteFunctions,
	op: OperationContext,
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const out: INodeExecutionData[] = [];
	const prepared: Prepared[] = [];
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const cap = Math.max(0, Number(options.maxCredits ?? 0) || 0);
	// Wait Mode "Resume on Webhook": each body gets this execution's resume URL (resume.ts).
	const settings = readWaitSettings(options, true);
	const resume = await planResume(this, settings);
	// n8n's Retry On Fail runs this again: items an earlier try submitted are never sent again.
	const record = submitRecordFor(this);
	if (record.size > 0) this.logger?.info(describeRetry(record, this.getExecutionId()));
	for (const item of record.all()) {
		if (!item.unanswered) continue;
		const nodeError = unansweredError(this, item, record);
		if (!continueOnFail) throw nodeError;
		out.push(errorItem(nodeError, item.itemIndex));
	}

	// 1. Validate every item before spending anything (all of them were submitted once complete:
	// after a park the input items are no longer the node's inputs).
	const itemCount = record.complete ? 0 : op.items.length;
	for (let i = 0; i < itemCount; i++) {
		if (record.has(i)) continue;
		try {
			const model = readModelId(this, i);
			const { spec } = await op.models.get(model, i);
			const mapper = this.getNodeParameter(
				'modelParameters',
				i,
				null,
			) as ResourceMapperValue | null;
			const input: GenerateInput = {
				...readInput(this, i, model),
				...splitModelParameters(spec, mapperValues(mapper)),
			};
			const body = buildStartBody(spec, input);
			resume?.apply(body, i);
			const pricingBody = cap > 0 ? buildPricingBody(spec, input) : undefined;
			prepared.push({ itemIndex: i, body, pricingBody, model, prompt: input.prompt });
		} catch (error) {
			const nodeError = toItemError(this, error, i);
			if (!continueOnFail) throw nodeError;
			out.push(errorItem(nodeError, i));
		}
	}

	// A resumed execution would lose the error items: poll, decided before anything is submitted.
	if (out.length > 0) {
		resume?.fallBack(
			`${out.length} item(s) failed before submitting, and a resumed execution would lose their error items`,
		);
	}

	// 2. Max Credits per Execution: dry-run the total of every item first. A budget for the
	// execution: what earlier tries spent counts.
	const costOf = new Map<number, number>();
	const spent = record.spent();
	if (cap > 0 && prepared.length) {
		let total = spent;
		const costs: string[] = [];
		// No price, no submit: a pricing failure or an answer without a usable total_cost stops
		// the whole run before anything is spent (with Continue On Fail: an error item per item).
		let priced: Prepared | undefined;
		try {
			for (const p of prepared) {
				priced = p;
				const price = await hooxRequest(this, {
					method: 'POST',
					path: '/asset/pricing',
					body: p.pricingBody ?? { model: p.model },
					itemIndex: p.itemIndex,
					abortSignal: op.abortSignal,
				});
				const cost =
					typeof price?.total_cost === 'number' || typeof price?.total_cost === 'string'
						? Number(price.total_cost)
						: NaN;
				if (price?.total_cost === '' || !Number.isFinite(cost) || cost < 0) {
					throw new NodeOperationError(
						this.getNode(),
						`[item ${p.itemIndex}] Options → Max Credits per Execution: Hoox sent no price for this item`,
						{
							itemIndex: p.itemIndex,
							description: `The pricing answer has no usable total_cost (${JSON.stringify(price?.total_cost ?? null)}), so the cap cannot be checked. Nothing was submitted.`,
						},
					);
				}
				total += cost;
				costOf.set(p.itemIndex, cost);
				costs.push(`item ${p.itemIndex}: ${cost}`);
			}
		} catch (error) {
			const itemIndex = priced?.itemIndex ?? prepared[0].itemIndex;
			const nodeError = toItemError(this, error, itemIndex);
			if (!(error instanceof NodeOperationError)) {
				appendDescription(
					nodeError,
					'Options → Max Credits per Execution: the run could not be priced, so nothing was submitted.',
				);
			}
			if (!continueOnFail || op.abortSignal?.aborted) throw nodeError;
			for (const p of prepared) out.push(errorItem(nodeError, p.itemIndex));
			return sortByItem(out);
		}
		total = Math.round(total * 1000) / 1000;
		if (total > cap) {
			const error = new NodeOperationError(
				this.getNode(),
				`[item ${prepared[0].itemIndex}] Options → Max Credits per Execution: this run would cost ${total} credits, above the cap of ${cap}`,
				{
					itemIndex: prepared[0].itemIndex,
					description: `Nothing ${spent ? 'more ' : ''}was submitted. Estimated costs (${costs.join(', ')})${
						spent
							? `, on top of ${spent} credits spent by earlier tries of this execution (assets ${record
									.assets()
									.map((a) => a.assetId)
									.join(', ')})`
							: ''
					}. Raise the cap (0 = no cap), or lower the number of items, the generation count, the duration or the resolution.`,
				},
			);
			if (!continueOnFail) throw error;
			for (const p of prepared) out.push(errorItem(error, p.itemIndex));
			return sortByItem(out);
		}
	}

	// The wait mode is settled here, before the submits: by webhook only while the plan is active.
	const waitMode =
		settings.waitMode === 'none' ? 'none' : resume?.active ? RESUME_WAIT_MODE : 'poll';

	// 3. Submit, one item after the other; each is recorded as soon as it may have been charged.
	for (const p of prepared) {
		const cost = costOf.get(p.itemIndex) ?? 0;
		try {
			const started = await hooxRequest(this, {
				method: 'POST',
				path: '/asset/start',
				body: p.body,
				itemIndex: p.itemIndex,
				abortSignal: op.abortSignal,
			});
			const ids = startedAssetIds(this, started, p.itemIndex);
			const tracked: TrackedAsset[] = [];
			for (const assetId of ids) {
				const status: AssetStatus = {
					asset_id: assetId,
					status: typeof started.status === 'string' ? started.status : 'generating',
				};
				if (typeof p.body.type === 'string') status.type = p.body.type;
				if (typeof started.cost_per_generation === 'number')
					status.cost = started.cost_per_generation;
				tracked.push({ assetId, itemIndex: p.itemIndex, model: p.model, prompt: p.prompt, status });
			}
			record.add({ itemIndex: p.itemIndex, assets: tracked, cost });
		} catch (error) {
			const nodeError = toItemError(this, error, p.itemIndex);
			if (mayHaveCharged(error)) {
				record.add({ itemIndex: p.itemIndex, assets: [], cost, unanswered: nodeError });
			}
			const paid = record.assets();
			if (paid.length) {
				appendDescription(
					nodeError,
					`Already submitted in this run (not lost): ${paid.map((t) => `${t.assetId} (item ${t.itemIndex})`).join(', ')}.`,
				);
			}
			if (!continueOnFail) throw nodeError;
			out.push(errorItem(nodeError, p.itemIndex));
		}
	}
	// Every item is in the record: a later try takes them all from it, whatever its input.
	if (out.length === 0) record.complete = true;
	const tracked = record.assets();

	// 4. Wait (one loop for every asset of every item) and build the output.
	// Info, with the ids: paid assets stay traceable in n8n's log even if this process dies while
	// waiting (queue mode: a killed worker's execution is not saved and not run again).
	if (tracked.length) {
		this.logger?.info(
			`Hoox: execution ${this.getExecutionId?.() ?? ''} submitted ${tracked.length} asset(s) for ${record.size} item(s) (try ${record.tries}); ` +
				`wait mode ${waitMode}. Assets: ${tracked.map((t) => t.assetId).join(', ')}`,
		);
	}
	out.push(
		...(await finishGenerate(
			this,
			tracked,
			{ ...settings, waitMode },
			op.abortSignal,
			continueOnFail,
			out.length,
		)),
	);
	return sortByItem(out);
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
