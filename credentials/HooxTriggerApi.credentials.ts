import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret a Hoox Trigger checks on every delivery. Hoox signs nothing, so the token in the
 * webhook URL is the only proof a delivery comes from your own submission. Kept as a credential
 * (encrypted, shared by several triggers, never part of a workflow export).
 */
export class HooxTriggerApi implements ICredentialType {
	name = 'hooxTriggerApi';

	displayName = 'Hoox Trigger Token API';

	icon: Icon = { light: 'file:../icons/hoox.svg', dark: 'file:../icons/hoox.dark.svg' };

	documentationUrl = 'https://docs.hoox.video/webhooks/overview';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. 3f9c1e7a5b2d48c6a0e1f7b9d3c5a8e2',
			description:
				'A long random string you choose (at least 16 characters, no spaces; e.g. 32 hex characters from a password manager). Append it to the Hoox Trigger URL you give Hoox as ?token=…',
		},
	];
}
