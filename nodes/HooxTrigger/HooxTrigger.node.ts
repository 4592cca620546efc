/**
 * Hoox Trigger: starts a workflow when Hoox reports that an asset generation completed or failed.
 *
 * Hoox POSTs one JSON event per asset to the `webhook_url` given at submit time; it signs nothing,
 * retries non-2xx answers after 1, 2 and 4 s, then drops the event. So this trigger:
 *   1. checks a secret token (query `?token=` or header `X-Hoox-Token`) → 401 / 403, no execution;
 *   2. validates the body → 400, no execution;
 *   3. filters on event and (when the payload says it) asset type → 200, no execution;
 *   4. collapses duplicate deliveries of one asset event (bounded state in the node's static data);
 *   5. answers 200 right away — before any call to Hoox or download — so Hoox never retries
 *      because we were slow;
 *   6. then enriches the item from GET /asset/status, applies the model / type filters that need
 *      it, downloads the file if asked, and starts the workflow. Nothing after step 5 may fail the
 *      delivery: problems become a `warning` field on the item.
 *
 * Hoox has no webhook-subscription API: the lifecycle methods only keep local bookkeeping.
 */
import type {
	IDataObject,
	IHookFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	callbackAssetType,
	downloadAsset,
	mergeEventWithStatus,
	parsePayload,
	readCallbackBody,
	statusFromWebhook,
	toAssetItem,
	type AssetItem,
	type HooxEventPayload,
} from '../shared/assets';
import { getStatus } from '../shared/api';
import {
	checkToken,
	deliveryKey,
	MIN_TOKEN_LENGTH,
	parseModelList,
	presentedToken,
	rememberDelivery,
	rememberInProcess,
	SEEN_KEY,
	TOKEN_QUERY_PARAMETER,
} from './delivery';
import { triggerProperties } from './description';

/** Static-data keys of the local webhook bookkeeping. */
const REGISTERED_URL_KEY = 'webhookUrl';
const REGISTERED_AT_KEY = 'registeredAt';

/** The status call runs after Hoox has been answered, but it delays the execution: keep it short. */
const ENRICH_TIMEOUT_MS = 15_000;
const ENRICH_RETRY = {
	maxRetries: 2,
	baseDelayMs: 500,
	maxDelayMs: 2000,
	maxRateLimitWaitMs: 5000,
};

export class HooxTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Hoox Trigger',
		name: 'hooxTrigger',
		icon: { light: 'file:../../icons/hoox.svg', dark: 'file:../../icons/hoox.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") || "all events" }}',
		description: 'Starts the workflow when a Hoox image or video generation completes or fails',
		defaults: { name: 'Hoox Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		// Needed for "Fetch Full Asset Details", the model filter and the type filter of failed events.
		credentials: [{ name: 'hooxApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'hoox',
			},
		],
		properties: triggerProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				const url = this.getNodeWebhookUrl('default');
				const known = staticData[REGISTERED_URL_KEY] === url;
				this.logger.info(
					`Hoox Trigger: Hoox has no webhook subscription API, nothing to check at Hoox; local record for ${url ?? 'this webhook'} ${known ? 'found' : 'not found'}`,
				);
				return known;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default');
				if (!url) {
					throw new NodeOperationError(
						this.getNode(),
						'n8n did not provide a webhook URL for the Hoox Trigger',
					);
				}
				const authentication = this.getNodeParameter('authentication', 'secretToken') as string;
				let urlToGive = url;
				if (authentication === 'secretToken') {
					const token = this.getNodeParameter('secretToken', '') as string;
					if (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH) {
						throw new NodeOperationError(
							this.getNode(),
							'The Secret Token is missing or too short',
							{
								description: `Set a Secret Token of at least ${MIN_TOKEN_LENGTH} random characters, or choose Authentication "None (Not Recommended)".`,
							},
						);
					}
					urlToGive = `${url}${url.includes('?') ? '&' : '?'}${TOKEN_QUERY_PARAMETER}=<your Secret Token>`;
				}
				const staticData = this.getWorkflowStaticData('node');
				staticData[REGISTERED_URL_KEY] = url;
				staticData[REGISTERED_AT_KEY] = new Date().toISOString();
				this.logger.info(
					`Hoox Trigger: Hoox has no webhook subscription API, so nothing was registered at Hoox. Give Hoox this URL as the Webhook URL of a generation: ${urlToGive}`,
				);
				if (authentication === 'none') {
					this.logger.warn(
						'Hoox Trigger: Authentication is "None": anyone who knows the URL can start this workflow',
					);
				}
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				const url = staticData[REGISTERED_URL_KEY];
				delete staticData[REGISTERED_URL_KEY];
				delete staticData[REGISTERED_AT_KEY];
				this.logger.info(
					`Hoox Trigger: local record of ${typeof url === 'string' ? url : 'the webhook'} removed; Hoox has no subscription to delete. Generations already submitted with this URL will still call it (and get 404 while the workflow is inactive).`,
				);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleDelivery.call(this);
	}
}

/** Answers the delivery (refusal or 200 acknowledgement) and tells n8n to start nothing. */
function answerWithoutStarting(
	ctx: IWebhookFunctions,
	status: number,
	body: IDataObject,
): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const receivedAt = new Date();

	// 1. Authentication
	const authentication = this.getNodeParameter('authentication', 'secretToken') as string;
	if (authentication !== 'none') {
		const expected = this.getNodeParameter('secretToken', '') as string;
		if (typeof expected !== 'string' || expected === '') {
			this.logger.error(
				'Hoox Trigger: a delivery was refused because no Secret Token is set on the node',
			);
			return answerWithoutStarting(this, 500, {
				error: 'not_configured',
				message: 'The Hoox Trigger has no Secret Token configured',
			});
		}
		const check = checkToken(
			expected,
			presentedToken(this.getQueryData() as IDataObject, this.getHeaderData()),
		);
		if (!check.ok) {
			this.logger.warn(`Hoox Trigger: delivery refused with ${check.status} (${check.message})`);
			return answerWithoutStarting(this, check.status, {
				error: check.status === 401 ? 'unauthorized' : 'forbidden',
				message: check.message,
			});
		}
	}

	// 2. Validation
	const parsed = parsePayload(readCallbackBody(this));
	if (!parsed.ok) {
		this.logger.warn(`Hoox Trigger: delivery refused with 400 (${parsed.message})`);
		return answerWithoutStarting(this, 400, { error: 'invalid_payload', message: parsed.message });
	}
	const payload = parsed.payload;

	// 3. Filters that need no call to Hoox
	const events = (this.getNodeParameter('events', []) as string[]) ?? [];
	if (events.length > 0 && !events.includes(payload.status)) {
		this.logger.debug(
			`Hoox Trigger: ${payload.status} event of ${payload.asset_id} ignored (Events filter)`,
		);
		return answerWithoutStarting(this, 200, { received: true, ignored: 'event' });
	}
	const wantedType = this.getNodeParameter('assetType', 'any') as string;
	const statedType = callbackAssetType(payload);
	if (wantedType !== 'any' && statedType !== undefined && statedType !== wantedType) {
		this.logger.debug(
			`Hoox Trigger: ${statedType} asset ${payload.asset_id} ignored (Asset Type filter)`,
		);
		return answerWithoutStarting(this, 200, { received: true, ignored: 'asset_type' });
	}

	// 4. Duplicates (Hoox retries; a proxy may resend)
	const staticData = this.getWorkflowStaticData('node');
	const key = deliveryKey(payload);
	const seen = rememberDelivery(staticData[SEEN_KEY], key, receivedAt.getTime());
	staticData[SEEN_KEY] = seen.state;
	const seenHere = rememberInProcess(
		`${this.getWorkflow().id}:${this.getNode().id}`,
		key,
		receivedAt.getTime(),
	);
	if (seen.duplicate || seenHere) {
		this.logger.debug(
			`Hoox Trigger: duplicate ${payload.status} delivery of ${payload.asset_id} ignored`,
		);
		return answerWithoutStarting(this, 200, { received: true, duplicate: true });
	}

	// 5. Answer Hoox now: everything below may take a while and must not cause a retry.
	this.getResponseObject().status(200).json({ received: true });

	// 6. Enrich, filter, download — never throwing from here on.
	const models = parseModelList(this.getNodeParameter('models', ''));
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const fetchDetails = options.fetchDetails !== false;
	const needType = wantedType !== 'any' && statedType === undefined;
	const warnings: string[] = [];

	let item: AssetItem;
	try {
		item = toAssetItem(statusFromWebhook(payload));
	} catch (error) {
		this.logger.error(
			`Hoox Trigger: could not read the ${payload.status} event of ${payload.asset_id}: ${errorText(error)}`,
		);
		item = { asset_id: payload.asset_id, status: payload.status };
		warnings.push(`The webhook payload could not be read completely: ${errorText(error)}`);
	}

	if (fetchDetails || models.length > 0 || needType) {
		try {
			const { status } = await getStatus(this, payload.asset_id, {
				timeout: ENRICH_TIMEOUT_MS,
				retry: ENRICH_RETRY,
			});
			if (!status)
				throw new NodeOperationError(
					this.getNode(),
					'Hoox answered the status request with something that is not an asset status',
				);
			item = mergeWithStatus(item, toAssetItem(status), payload, warnings);
		} catch (error) {
			this.logger.warn(
				`Hoox Trigger: could not fetch asset ${payload.asset_id} from Hoox: ${errorText(error)}`,
			);
			warnings.push(`Could not fetch the asset details from Hoox: ${errorText(error)}`);
		}
	}

	const itemType = typeof item.type === 'string' ? item.type.toLowerCase() : undefined;
	if (wantedType !== 'any') {
		if (itemType === undefined) {
			warnings.push(
				`The Asset Type filter (${wantedType}) could not be applied: the asset type is unknown`,
			);
		} else if (itemType !== wantedType) {
			this.logger.debug(
				`Hoox Trigger: ${itemType} asset ${payload.asset_id} ignored (Asset Type filter)`,
			);
			return { noWebhookResponse: true };
		}
	}
	if (models.length > 0) {
		const model = typeof item.model === 'string' ? item.model.toLowerCase() : undefined;
		if (model === undefined) {
			warnings.push(
				`The Models filter could not be applied: the model of asset ${payload.asset_id} is unknown`,
			);
		} else if (!models.includes(model)) {
			this.logger.debug(
				`Hoox Trigger: asset ${payload.asset_id} of model ${model} ignored (Models filter)`,
			);
			return { noWebhookResponse: true };
		}
	}

	const output: INodeExecutionData = {
		json: { ...item, event: payload.status, received_at: receivedAt.toISOString() },
	};

	if (options.downloadBinary === true && payload.status === 'completed') {
		const property =
			typeof options.binaryPropertyName === 'string' && options.binaryPropertyName.trim() !== ''
				? options.binaryPropertyName.trim()
				: 'data';
		if (typeof item.url !== 'string' || item.url === '') {
			warnings.push('The file was not downloaded: the event has no asset URL');
		} else {
			try {
				output.binary = { [property]: await downloadAsset(this, item, { itemIndex: 0 }) };
			} catch (error) {
				this.logger.warn(
					`Hoox Trigger: could not download asset ${payload.asset_id}: ${errorText(error)}`,
				);
				warnings.push(`The file could not be downloaded: ${errorText(error)}`);
			}
		}
	}

	if (warnings.length > 0) output.json.warning = warnings.join(' | ');
	return { workflowData: [[output]], noWebhookResponse: true };
}

/**
 * The status call gives the full item. The webhook is authoritative for the event itself: if
 * Hoox's status endpoint has not caught up yet (still "generating"), keep the event's fields.
 */
function mergeWithStatus(
	fromWebhook: AssetItem,
	fromStatus: AssetItem,
	payload: HooxEventPayload,
	warnings: string[],
): AssetItem {
	const { merged, lagging } = mergeEventWithStatus(fromWebhook, fromStatus);
	if (lagging) {
		warnings.push(
			`Hoox's status endpoint reported "${String(fromStatus.status)}" for this ${payload.status} event; the event's fields were kept`,
		);
	}
	return merged;
}

function errorText(error: unknown): string {
	if (
		error &&
		typeof error === 'object' &&
		typeof (error as { message?: unknown }).message === 'string'
	) {
		return (error as { message: string }).message;
	}
	return String(error);
}
