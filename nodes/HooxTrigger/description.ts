import type { INodeProperties } from 'n8n-workflow';

import { MIN_TOKEN_LENGTH } from './delivery';

/** Parameters of the Hoox Trigger (webhook description and lifecycle live in the node file). */
export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			"Hoox does not sign its webhooks, so this trigger checks a secret token. Give Hoox this node's Production URL followed by ?token= and your Secret Token — e.g. https://n8n.example.com/webhook/…/hoox?token=YOUR_SECRET_TOKEN — in the Webhook URL of the Hoox node's Generate operation (or as webhook_url of POST /asset/start). n8n must be reachable from the internet at that URL (set WEBHOOK_URL). When the workflow is activated, the URL to use is written to the n8n log (the token itself never is).",
		name: 'tokenNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['secretToken'] } },
	},
	{
		displayName:
			"Not recommended: without a token, anyone who knows this URL can start the workflow with a made-up asset event. Give Hoox this node's Production URL as the Webhook URL of the Hoox node's Generate operation.",
		name: 'noAuthNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['none'] } },
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'None (Not Recommended)',
				value: 'none',
				description: 'Accept every delivery to this URL',
			},
			{
				name: 'Secret Token in URL',
				value: 'secretToken',
				description:
					'Accept only deliveries that carry the Secret Token (?token=… or an X-Hoox-Token header)',
			},
		],
		default: 'secretToken',
		description:
			'How a delivery proves it comes from your Hoox submission (Hoox itself signs nothing)',
	},
	{
		displayName: 'Secret Token',
		name: 'secretToken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		placeholder: 'e.g. 3f9c1e7a5b2d48c6a0e1f7b9d3c5a8e2',
		description: `A long random string you choose (at least ${MIN_TOKEN_LENGTH} characters; e.g. generate 32 hex characters with a password manager). Append it to the webhook URL you give Hoox as ?token=…; deliveries without it are answered 401, with a wrong one 403, and start no execution.`,
		displayOptions: { show: { authentication: ['secretToken'] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: [
			{ name: 'Completed', value: 'completed', description: 'An asset was generated' },
			{
				name: 'Failed',
				value: 'failed',
				description: 'A generation failed (its credits are refunded)',
			},
		],
		default: ['completed', 'failed'],
		description: 'Which asset events start the workflow; none selected means all',
	},
	{
		displayName: 'Asset Type',
		name: 'assetType',
		type: 'options',
		options: [
			{ name: 'Any', value: 'any' },
			{ name: 'Image', value: 'image' },
			{ name: 'Video', value: 'video' },
		],
		default: 'any',
		description:
			'Start the workflow only for assets of this type. Failed events do not state the type, so the trigger asks Hoox for it.',
	},
	{
		displayName: 'Models',
		name: 'models',
		type: 'string',
		default: '',
		placeholder: 'e.g. veo-3.1, kling-v3-pro',
		description:
			'Comma-separated model identifiers; leave empty for all. The webhook does not state the model, so the trigger asks Hoox for it (GET /asset/status) whenever this is set.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Binary Property',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description:
					'Name of the binary field the downloaded file is put in (used with Download Output as Binary)',
			},
			{
				displayName: 'Download Output as Binary',
				name: 'downloadBinary',
				type: 'boolean',
				default: false,
				description:
					'Whether to download the generated file of completed events into a binary field (videos can be large)',
			},
			{
				displayName: 'Fetch Full Asset Details',
				name: 'fetchDetails',
				type: 'boolean',
				default: true,
				description:
					'Whether to ask Hoox for the asset (GET /asset/status) so the output has the same fields as the Hoox node (model, prompt, cost, created_at, …). If that call fails, the item is still emitted from the webhook with a warning.',
			},
		],
	},
];
