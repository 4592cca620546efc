import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/** The Hoox API (the same as DEFAULT_BASE_URL in nodes/shared/transport.ts). */
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
				'Leave as is for Hoox. Change it only for a proxy or the local Hoox sandbox (e.g. http://127.0.0.1:5680/api/public/v1). If the connection test says only ECONNREFUSED, ENOTFOUND or ETIMEDOUT, nothing answered at this URL: check it.',
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

	// Listing image models is read-only, free and fast: a good proof that key and URL work.
	// Declarative on purpose: n8n reports its connection failures as the bare error code (hence the
	// Base URL description), and a function test could only use the request helper n8n's scanner
	// rejects as deprecated.
	test: ICredentialTestRequest = {
		request: {
			// like normalizeBaseUrl (transport.ts): trimmed, the Hoox URL when empty, no trailing slash
			baseURL: `={{(String($credentials.baseUrl || "").trim() || "${HOOX_BASE_URL}").replace(/\\/+$/, "")}}`,
			url: '/asset/models',
			method: 'GET',
			qs: { type: 'image' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Hoox rejected the API key: check that it is current and starts with hx_live_',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'This Hoox space has no API access: the Hoox API needs the Enterprise plan',
				},
			},
			{
				type: 'responseCode',
				properties: { value: 404, message: 'No Hoox API at this Base URL: check the Base URL' },
			},
		],
	};
}
