import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { maxDownloadSizeOption } from '../shared/assets/downloadOption';
import { AUTH_CREDENTIAL, AUTH_NONE, AUTH_PARAMETER } from './auth';
import { MIN_TOKEN_LENGTH } from './tokenStrength';

/**
 * Authentication, with the default of each node version: version 1 kept the token in a node
 * parameter (saved workflows store no value for a default, so it must stay the default there);
 * version 1.1 defaults to the credential, which keeps the token out of workflow exports.
 */
function authenticationParameter(
	defaultValue: string,
	version: NonNullable<IDisplayOptions['show']>,
): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'None (Not Recommended)',
				value: AUTH_NONE,
				description: 'Accept deliveries without a token (Hoox still has to confirm each event)',
			},
			{
				name: 'Secret Token in URL',
				value: AUTH_PARAMETER,
				description:
					'Accept only deliveries that carry the Secret Token set below (saved in the workflow)',
			},
			{
				name: 'Token Credential',
				value: AUTH_CREDENTIAL,
				description:
					'Accept only deliveries that carry the token of a Hoox Trigger Token credential (kept out of the workflow)',
			},
		],
		default: defaultValue,
		description:
			'How a delivery proves it comes from your Hoox submission (?token=… or an X-Hoox-Token header; Hoox itself signs nothing)',
		displayOptions: { show: version },
	};
}

/** Parameters of the Hoox Trigger (webhook description and lifecycle live in the node file). */
export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			"Hoox does not sign its webhooks, so this trigger checks a secret token and then asks Hoox to confirm every event. Give Hoox this node's Production URL followed by ?token= and your token — e.g. https://n8n.example.com/webhook/…/hoox?token=YOUR_TOKEN — in the Webhook URL of the Hoox node's Generate operation (or as webhook_url of POST /asset/start). n8n must be reachable from the internet at that URL (set WEBHOOK_URL). When the workflow is activated, the URL to use is written to the n8n log (the token itself never is).",
		name: 'tokenNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: [AUTH_PARAMETER, AUTH_CREDENTIAL] } },
	},
	{
		displayName:
			"Not recommended: without a token, anyone who knows this URL can post made-up events. Each one costs a status request to Hoox (at most 30 a minute; beyond, deliveries are refused until the minute is over), and only events Hoox confirms start the workflow. Give Hoox this node's Production URL as the Webhook URL of the Hoox node's Generate operation.",
		name: 'noAuthNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: [AUTH_NONE] } },
	},
	authenticationParameter(AUTH_PARAMETER, { '@version': [1] }),
	authenticationParameter(AUTH_CREDENTIAL, { '@version': [{ _cnd: { gte: 1.1 } }] }),
	{
		displayName: 'Secret Token',
		name: 'secretToken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		placeholder: 'e.g. 3f9c1e7a5b2d48c6a0e1f7b9d3c5a8e2',
		description: `A long random string you choose (at least ${MIN_TOKEN_LENGTH} characters, no spaces; e.g. 32 hex characters from a password manager). It is saved in the workflow and its exports: prefer Authentication "Token Credential". Append it to the webhook URL you give Hoox as ?token=…; deliveries without it are answered 401, with a wrong one 403, and start no execution.`,
		displayOptions: { show: { authentication: [AUTH_PARAMETER] } },
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
					'Whether to output every field Hoox has for the asset. The trigger now always reads the asset from Hoox (GET /asset/status) to confirm the event, so the output always has the full details; kept so saved workflows load unchanged.',
			},
			maxDownloadSizeOption,
		],
	},
];
