import type { IAuthenticateGeneric, Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/** The Hoox API (the same as DEFAULT_BASE_URL in nodes/shared/api/types.ts). */
const HOOX_BASE_URL = 'https://app.hoox.video/api/public/v1';

export class HooxApi implements ICredentialType {
	name = 'hooxApi';

	displayName = 'Hoox API';

	icon: Icon = { light: 'file:../icons/hoox.svg', dark: 'file:../icons/hoox.dark.svg' };

	documentationUrl = 'https://docs.hoox.video/authentication';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. hx_live_0123…',
			description:
				'Your Hoox API key (Enterprise plan): in Hoox, open Your Space > Settings > API. It starts with hx_live_.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: HOOX_BASE_URL,
			description:
				'Leave as is for Hoox. Change it only for a proxy or the local Hoox sandbox (e.g. http://127.0.0.1:5680/api/public/v1).',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// No declarative `test`: n8n would use it before the nodes' `testedBy`, and it can only show a
	// connection failure as the bare error code. The Hoox nodes test this credential with
	// hooxApiConnectionTest (nodes/shared/credentialTest.ts), which names the Base URL instead.
}
