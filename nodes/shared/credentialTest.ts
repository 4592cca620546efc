/**
 * The Hoox API credential's test in the editor: one free, read-only model listing through the
 * request door, with a message that says what to fix, even when nothing answered at the Base URL
 * (n8n's declarative credential tests can only show the bare error code, e.g. "ECONNREFUSED").
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHttpRequestOptions,
	INode,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	CREDENTIAL_TYPE,
	describeNetworkCode,
	listModels,
	normalizeBaseUrl,
	printableUrl,
	redactSecrets,
	urlSecret,
	type HooxContext,
} from './api';

/** What the credential test says for the HTTP statuses that point at the key or the Base URL. */
const STATUS_MESSAGES: Record<string, string> = {
	'401': 'Hoox rejected the API key: check that it is current and starts with hx_live_',
	'403': 'This Hoox space has no API access: the Hoox API needs the Enterprise plan',
	'404': 'No Hoox API at this Base URL: check the Base URL',
};

/** A test answers while the user waits: one attempt, no retries, a short timeout. */
const TEST_TIMEOUT_MS = 15_000;

export async function hooxApiConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const baseUrl = normalizeBaseUrl(data.baseUrl as string | undefined);
	const apiKey = typeof data.apiKey === 'string' ? data.apiKey : '';
	const transport = legacyTransport(this.helpers, apiKey);
	try {
		await listModels(
			testContext(data, transport),
			{ type: 'image' },
			{ retry: { maxRetries: 0 }, timeout: TEST_TIMEOUT_MS },
		);
		return { status: 'OK', message: 'Connection successful: Hoox answered with its models' };
	} catch (error) {
		const message = failureMessage(error, baseUrl, transport.networkCode);
		return { status: 'Error', message: redactSecrets(message, apiKey, urlSecret(baseUrl)) };
	}
}

function failureMessage(error: unknown, baseUrl: string, networkCode?: string): string {
	const httpCode = (error as { httpCode?: unknown })?.httpCode;
	if (typeof httpCode === 'string' && STATUS_MESSAGES[httpCode]) return STATUS_MESSAGES[httpCode];
	if (networkCode && !httpCode) {
		return `Nothing answered at ${printableUrl(baseUrl)} (${describeNetworkCode(networkCode)}) — check the Base URL`;
	}
	const text = (error as Error)?.message;
	return typeof text === 'string' && text ? text : 'The Hoox connection test failed';
}

type LegacyRequest = ICredentialTestFunctions['helpers']['request'];

interface Transport {
	send: (options: IHttpRequestOptions) => Promise<unknown>;
	/** The code of the last attempt that got no HTTP answer at all. */
	networkCode?: string;
}

/**
 * n8n gives a credential test (1.x and 2.x alike) one HTTP helper only: the request-library one
 * (deprecated in execute contexts in favour of httpRequest, which a credential test lacks), and
 * without the credential's `authenticate`. This sends the request door's options through it,
 * with the Bearer header the credential declares, and keeps every HTTP status as an answer.
 */
function legacyTransport(helpers: ICredentialTestFunctions['helpers'], apiKey: string): Transport {
	const request: LegacyRequest = helpers.request;
	const transport: Transport = {
		send: async (options) => {
			try {
				return await request({
					method: options.method,
					uri: options.url,
					qs: options.qs,
					json: true,
					timeout: options.timeout,
					headers: { Authorization: `Bearer ${apiKey}` },
					resolveWithFullResponse: true,
					simple: false,
				});
			} catch (error) {
				const failure = error as { code?: unknown; response?: unknown };
				const code = typeof failure?.code === 'string' && failure.code ? failure.code : 'UNKNOWN';
				if (!failure?.response) transport.networkCode = code;
				// only the code goes on: the raw error holds the request, Authorization header included
				throw new NodeApiError(TEST_NODE, { code });
			}
		},
	};
	return transport;
}

/** The node n8n's errors name: the test runs outside any workflow. */
const TEST_NODE: INode = {
	id: 'hoox-credential-test',
	name: 'Hoox credential test',
	type: 'hoox',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/**
 * The request door uses only getCredentials, getNode, logger and
 * helpers.httpRequestWithAuthentication of its context; this provides them for the test.
 */
function testContext(data: ICredentialDataDecryptedObject, transport: Transport): HooxContext {
	const context = {
		getNode: () => TEST_NODE,
		getCredentials: async (type: string) => {
			if (type !== CREDENTIAL_TYPE) throw new Error(`No ${type} credential in this test`);
			return data;
		},
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) =>
				await transport.send(options),
		},
	};
	return context as unknown as HooxContext;
}
