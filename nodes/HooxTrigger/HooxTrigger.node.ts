/**
 * Hoox Trigger: starts a workflow when Hoox reports that an asset generation completed or failed.
 *
 * Hoox POSTs one JSON event per asset to the `webhook_url` given at submit time; it signs nothing,
 * retries non-2xx answers after 1, 2 and 4 s, then drops the event. A delivery is only a wake-up
 * call, so this trigger:
 *   1. checks the secret token (query `?token=` or header `X-Hoox-Token`) → 401 / 403; a missing
 *      or weak configured token → 500, no execution;
 *   2. validates the body (shape, depth, fields) → 400, no execution;
 *   3. filters on event and stated asset type, collapses duplicates → 200, no execution;
 *   4. asks Hoox whether the asset really is in that state (GET /asset/status, short): not
 *      confirmed → 409, read failed → 503 (Hoox retries both), token-less trigger over its
 *      status-read budget → 429; nothing starts;
 *   5. answers 200, then builds the item from Hoox's answer only (never from the body), applies
 *      the filters that need it, downloads the file if asked (from the URL Hoox's answer gave, with
 *      the download limits), and starts the workflow.
 *
 * Hoox has no webhook-subscription API: the lifecycle methods only keep local bookkeeping.
 */
import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { redactSecrets } from '../shared/api';
import {
	callbackAssetType,
	parsePayload,
	readCallbackBody,
	type HooxEventPayload,
} from '../shared/assets';
import { quoteUntrusted } from '../shared/util/untrusted';
import {
	AUTH_CREDENTIAL,
	AUTH_NONE,
	AUTH_PARAMETER,
	configuredToken,
	hooxTriggerTokenTest,
} from './auth';
import { hooxApiConnectionTest } from '../shared/credentialTest';
import { confirmEvent, takeStatusRead } from './confirm';
import {
	checkToken,
	deliveryKey,
	forgetInProcess,
	isRemembered,
	presentedToken,
	rememberDelivery,
	rememberInProcess,
	SEEN_KEY,
	TOKEN_QUERY_PARAMETER,
} from './delivery';
import { triggerProperties } from './description';
import { confirmedOutput } from './output';

/** Static-data keys of the local webhook bookkeeping. */
const REGISTERED_URL_KEY = 'webhookUrl';
const REGISTERED_AT_KEY = 'registeredAt';

export class HooxTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Hoox Trigger',
		name: 'hooxTrigger',
		icon: { light: 'file:../../icons/hoox.svg', dark: 'file:../../icons/hoox.dark.svg' },
		group: ['trigger'],
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") || "all events" }}',
		description: 'Starts the workflow when a Hoox image or video generation completes or fails',
		defaults: { name: 'Hoox Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// Every event is confirmed with a status read before the workflow starts.
			{ name: 'hooxApi', required: true, testedBy: 'hooxApiConnectionTest' },
			{
				name: 'hooxTriggerApi',
				required: true,
				testedBy: 'hooxTriggerTokenTest',
				displayOptions: { show: { authentication: [AUTH_CREDENTIAL] } },
			},
		],
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

	methods = { credentialTest: { hooxApiConnectionTest, hooxTriggerTokenTest } };

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
				const token = await configuredToken(this);
				if (token.kind === 'invalid') {
					throw new NodeOperationError(this.getNode(), token.message, {
						description: `${token.description} Or choose Authentication "None (Not Recommended)".`,
					});
				}
				const urlToGive =
					token.kind === 'token'
						? `${url}${url.includes('?') ? '&' : '?'}${TOKEN_QUERY_PARAMETER}=<your token>`
						: url;
				const staticData = this.getWorkflowStaticData('node');
				staticData[REGISTERED_URL_KEY] = url;
				staticData[REGISTERED_AT_KEY] = new Date().toISOString();
				this.logger.info(
					`Hoox Trigger: Hoox has no webhook subscription API, so nothing was registered at Hoox. Give Hoox this URL as the Webhook URL of a generation: ${urlToGive}`,
				);
				if (token.kind === 'none') {
					this.logger.warn(
						'Hoox Trigger: Authentication is "None": anyone who knows the URL can post events (each one is confirmed with Hoox before the workflow starts)',
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
	const auth = await checkAuthentication(this);
	if (auth.refusal) return auth.refusal;

	const parsed = parsePayload(readCallbackBody(this));
	if (!parsed.ok) {
		// the message quotes the body, which a sender holding the token may have put it in
		const message = redactSecrets(parsed.message, auth.token);
		this.logger.warn(`Hoox Trigger: delivery refused with 400 (${quoteUntrusted(message, 200)})`);
		return answerWithoutStarting(this, 400, { error: 'invalid_payload', message });
	}
	const payload = parsed.payload;

	const ignored = ignoredBeforeConfirming(this, payload);
	if (ignored) return answerWithoutStarting(this, 200, { received: true, ignored });

	// Duplicates (Hoox retries; a proxy may resend). Only confirmed events are recorded for good.
	const staticData = this.getWorkflowStaticData('node');
	const key = deliveryKey(payload);
	const nodeKey = `${this.getWorkflow().id}:${this.getNode().id}`;
	if (
		isRemembered(staticData[SEEN_KEY], key) ||
		rememberInProcess(nodeKey, key, receivedAt.getTime())
	) {
		this.logger.debug(
			`Hoox Trigger: duplicate ${payload.status} delivery of ${payload.asset_id} ignored`,
		);
		return answerWithoutStarting(this, 200, { received: true, duplicate: true });
	}

	const confirmed = await confirmWithHoox(this, payload, nodeKey);
	if (!confirmed.ok) {
		forgetInProcess(nodeKey, key);
		return confirmed.answer;
	}
	staticData[SEEN_KEY] = rememberDelivery(staticData[SEEN_KEY], key, receivedAt.getTime()).state;

	// Answer Hoox now: the filters and the download below may take a while.
	this.getResponseObject().status(200).json({ received: true });
	const output = await confirmedOutput(this, payload, confirmed.status, receivedAt);
	if (!output) return { noWebhookResponse: true };
	return { workflowData: [[output]], noWebhookResponse: true };
}

/** The refusal of a delivery that does not present the token, else the token (if any). */
async function checkAuthentication(
	ctx: IWebhookFunctions,
): Promise<{ refusal?: IWebhookResponseData; token?: string }> {
	const configured = await configuredToken(ctx);
	if (configured.kind === 'none') return {};
	if (configured.kind === 'invalid') {
		ctx.logger.error(`Hoox Trigger: a delivery was refused: ${configured.message}`);
		const refusal = answerWithoutStarting(ctx, 500, {
			error: 'not_configured',
			message: 'The Hoox Trigger has no usable token configured',
		});
		return { refusal };
	}
	const check = checkToken(
		configured.token,
		presentedToken(ctx.getQueryData() as IDataObject, ctx.getHeaderData()),
	);
	if (check.ok) return { token: configured.token };
	ctx.logger.warn(`Hoox Trigger: delivery refused with ${check.status} (${check.message})`);
	const refusal = answerWithoutStarting(ctx, check.status, {
		error: check.status === 401 ? 'unauthorized' : 'forbidden',
		message: check.message,
	});
	return { refusal };
}

/** Filters that need no call to Hoox (the body can only make us drop its own delivery). */
function ignoredBeforeConfirming(
	ctx: IWebhookFunctions,
	payload: HooxEventPayload,
): string | undefined {
	const events = (ctx.getNodeParameter('events', []) as string[]) ?? [];
	if (events.length > 0 && !events.includes(payload.status)) {
		ctx.logger.debug(
			`Hoox Trigger: ${payload.status} event of ${payload.asset_id} ignored (Events filter)`,
		);
		return 'event';
	}
	const wantedType = ctx.getNodeParameter('assetType', 'any') as string;
	const statedType = callbackAssetType(payload);
	if (wantedType !== 'any' && statedType !== undefined && statedType !== wantedType) {
		ctx.logger.debug(`Hoox Trigger: asset ${payload.asset_id} ignored (Asset Type filter)`);
		return 'asset_type';
	}
	return undefined;
}

type Confirmed =
	| { ok: true; status: Parameters<typeof confirmedOutput>[2] }
	| { ok: false; answer: IWebhookResponseData };

/** The status read that decides the delivery; refusals are answered here. */
async function confirmWithHoox(
	ctx: IWebhookFunctions,
	payload: HooxEventPayload,
	nodeKey: string,
): Promise<Confirmed> {
	const withoutToken = ctx.getNodeParameter('authentication', AUTH_PARAMETER) === AUTH_NONE;
	if (withoutToken && !takeStatusRead(nodeKey)) {
		ctx.logger.warn(
			`Hoox Trigger: delivery of ${payload.asset_id} refused with 429 (a trigger without token reads at most a set number of statuses a minute)`,
		);
		return refused(
			ctx,
			429,
			'too_many_deliveries',
			'Too many deliveries this minute; try again later',
		);
	}
	const confirmation = await confirmEvent(ctx, payload.asset_id, payload.status);
	if (confirmation.kind === 'confirmed') return { ok: true, status: confirmation.status };
	if (confirmation.kind === 'unconfirmed') {
		ctx.logger.warn(
			`Hoox Trigger: ${payload.status} event not confirmed by Hoox, nothing started: ${confirmation.reason}`,
		);
		return refused(
			ctx,
			409,
			'unconfirmed',
			`Hoox does not confirm this event: ${confirmation.reason}`,
		);
	}
	ctx.logger.warn(
		`Hoox Trigger: could not confirm the ${payload.status} event of ${payload.asset_id} with Hoox (${confirmation.reason}); answered 503 so Hoox sends it again`,
	);
	return refused(
		ctx,
		503,
		'hoox_unavailable',
		'Could not confirm the event with Hoox; send it again later',
	);
}

function refused(
	ctx: IWebhookFunctions,
	status: number,
	error: string,
	message: string,
): Confirmed {
	return { ok: false, answer: answerWithoutStarting(ctx, status, { error, message }) };
}
