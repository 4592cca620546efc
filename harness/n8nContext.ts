/**
 * n8n execution contexts for tests: the parts of IExecuteFunctions / ILoadOptionsFunctions /
 * IWebhookFunctions / IHookFunctions our nodes use, with REAL HTTP (axios, loopback only) and
 * the credential's own `authenticate` definition applied, as n8n does it.
 *
 * Where n8n's behaviour matters (parameter lookup, resource-locator extraction, errors thrown by
 * httpRequest / httpRequestWithAuthentication, binary preparation) this mirrors n8n-core; the
 * e2e suite (test/e2e) checks the same code inside a real n8n.
 */
import axios, { type AxiosRequestConfig } from 'axios';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type {
	IBinaryData,
	IDataObject,
	IExecuteData,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { HooxApi } from '../credentials/HooxApi.credentials';

export interface Credentials {
	apiKey: string;
	baseUrl: string;
}

export interface ContextOptions {
	/** Node parameters (the same for every item unless overridden in itemParameters). */
	parameters?: Record<string, unknown>;
	/** Per-item parameter overrides, by item index. */
	itemParameters?: Array<Record<string, unknown> | undefined>;
	items?: INodeExecutionData[];
	/** null: the node has no credential. */
	credentials?: Credentials | null;
	/** Credentials of other types the node may ask for (e.g. hooxTriggerApi), by type name. */
	otherCredentials?: Record<string, IDataObject>;
	continueOnFail?: boolean;
	abortSignal?: AbortSignal;
	isToolExecution?: boolean;
	node?: Partial<INode>;
	/** What `{{ $execution.resumeUrl }}` evaluates to. */
	resumeUrl?: string;
	executionId?: string;
	/** Workflow id seen by getWorkflow(). */
	workflowId?: string;
	mode?: string;
	staticData?: IDataObject;
	/** 'filesystem' writes binary data to a temp file the way n8n's filesystem mode does. */
	binaryMode?: 'default' | 'filesystem';
	webhookUrl?: string;
	/**
	 * The node's execution-stack entry (getExecuteData). n8n passes the same entry to every try of
	 * Retry On Fail and reads the input items from it; default: a new entry per context.
	 */
	executeData?: IExecuteData;
	/** Changes a request before it is sent (a refused connection, a shorter timeout). */
	alterRequest?: (request: { method: string; url: string; timeout?: number }) => {
		url?: string;
		timeout?: number;
	} | void;
	/** Webhook request. */
	request?: {
		body?: unknown;
		headers?: Record<string, string>;
		query?: IDataObject;
		rawBody?: Buffer;
	};
}

export interface Recorder {
	logs: Array<{ level: string; message: string }>;
	/** Dates passed to putExecutionToWait. */
	waits: Date[];
	/** What prepareBinaryData received: a stream or a whole buffer. */
	binaryInputs: Array<'stream' | 'buffer'>;
	/** Every HTTP request made through the helpers (URL, method, headers sent). */
	http: Array<{
		method: string;
		url: string;
		headers: Record<string, string>;
		authenticated: boolean;
	}>;
	/** Response written by a webhook through getResponseObject(). */
	response: { status?: number; body?: unknown; headers: Record<string, string>; ended: boolean };
	staticData: IDataObject;
}

/** The Hoox node the contexts run as (options.node overrides its fields). */
export const TEST_NODE: INode = {
	id: '9f1c1a52-5d5e-4d0b-9f4c-0d7d3c1f0001',
	name: 'Hoox',
	type: 'n8n-nodes-hoox.hoox',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function lookup(source: Record<string, unknown>, path: string): unknown {
	if (path in source) return source[path];
	let current: unknown = source;
	for (const part of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

function extract(value: unknown, extractValue?: boolean): unknown {
	if (extractValue && value && typeof value === 'object' && '__rl' in (value as IDataObject)) {
		return (value as IDataObject).value;
	}
	return value;
}

function parameterReader(options: ContextOptions) {
	return (name: string, itemIndex = 0, fallback?: unknown, opts?: { extractValue?: boolean }) => {
		const merged = {
			...(options.parameters ?? {}),
			...(options.itemParameters?.[itemIndex] ?? {}),
		};
		const value = lookup(merged, name);
		if (value === undefined) {
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		}
		return extract(value, opts?.extractValue);
	};
}

function authHeaders(credentials: Credentials): Record<string, string> {
	const headers = (new HooxApi().authenticate.properties.headers ?? {}) as Record<string, string>;
	const out: Record<string, string> = {};
	for (const [name, template] of Object.entries(headers)) {
		out[name] = String(template)
			.replace(/^=/, '')
			.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, key: string) =>
				String((credentials as any)[key] ?? ''),
			);
	}
	return out;
}

/** http on 127.0.0.1, localhost or [::1] (a Base URL may carry `user:pass@`; the host decides). */
function isLoopbackHttp(url: string): boolean {
	try {
		const { protocol, hostname } = new URL(url);
		return protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
	} catch {
		return false;
	}
}

async function performRequest(
	node: INode,
	recorder: Recorder,
	options: IHttpRequestOptions,
	credentials?: Credentials,
	alter?: ContextOptions['alterRequest'],
): Promise<unknown> {
	let url = options.baseURL ? `${options.baseURL.replace(/\/+$/, '')}${options.url}` : options.url;
	const altered = alter?.({ method: options.method ?? 'GET', url, timeout: options.timeout });
	if (altered?.url) url = altered.url;
	const timeout = altered?.timeout ?? options.timeout;
	if (!isLoopbackHttp(url)) {
		throw new Error(`Test contexts only reach loopback; refused ${url}`);
	}
	const headers: Record<string, string> = {
		...((options.headers as Record<string, string>) ?? {}),
	};
	if (credentials) Object.assign(headers, authHeaders(credentials));
	recorder.http.push({
		method: options.method ?? 'GET',
		url,
		headers,
		authenticated: !!credentials,
	});
	const config: AxiosRequestConfig = {
		method: options.method ?? 'GET',
		url,
		params: options.qs,
		data: options.body,
		headers,
		timeout,
		signal: options.abortSignal as AbortSignal | undefined,
		validateStatus: () => true,
		maxRedirects: options.disableFollowRedirect ? 0 : 5,
		responseType:
			options.encoding === 'stream'
				? 'stream'
				: options.encoding === 'arraybuffer'
					? 'arraybuffer'
					: 'json',
	};
	const response = await axios.request(config);
	if (response.status >= 400 && !options.ignoreHttpStatusErrors) {
		const error = new Error(`Request failed with status code ${response.status}`) as any;
		error.response = response;
		error.code = 'ERR_BAD_RESPONSE';
		throw error;
	}
	if (options.returnFullResponse) {
		return {
			body: response.data,
			headers: response.headers,
			statusCode: response.status,
			statusMessage: response.statusText,
		};
	}
	return response.data;
}

function baseContext(options: ContextOptions) {
	const node: INode = {
		...TEST_NODE,
		...(options.node ?? {}),
		parameters: (options.parameters as any) ?? {},
	};
	const recorder: Recorder = {
		logs: [],
		waits: [],
		binaryInputs: [],
		http: [],
		response: { headers: {}, ended: false },
		staticData: options.staticData ?? {},
	};
	const credentials = options.credentials === undefined ? undefined : options.credentials;
	const getCredentials = async (type: string) => {
		const other = options.otherCredentials?.[type];
		if (other) return { ...other };
		if (type !== 'hooxApi' || !credentials)
			throw new Error(`Node does not have credentials of type "${type}"`);
		return { ...credentials } as unknown as IDataObject;
	};
	const log = (level: string) => (message: string) => recorder.logs.push({ level, message });
	const binaryDir =
		options.binaryMode === 'filesystem' ? mkdtempSync(join(tmpdir(), 'hoox-binary-')) : undefined;

	const helpers = {
		async httpRequest(requestOptions: IHttpRequestOptions) {
			return await performRequest(node, recorder, requestOptions, undefined, options.alterRequest);
		},
		async httpRequestWithAuthentication(
			this: unknown,
			type: string,
			requestOptions: IHttpRequestOptions,
		) {
			const creds = (await getCredentials(type)) as unknown as Credentials;
			try {
				return await performRequest(node, recorder, requestOptions, creds, options.alterRequest);
			} catch (error) {
				// n8n-core wraps every failure of this helper in a NodeApiError
				throw new NodeApiError(node, error as any);
			}
		},
		async prepareBinaryData(
			data: Buffer | Readable,
			fileName?: string,
			mimeType?: string,
		): Promise<IBinaryData> {
			const isStream = data instanceof Readable;
			recorder.binaryInputs.push(isStream ? 'stream' : 'buffer');
			const extension = fileName?.includes('.') ? fileName.split('.').pop() : undefined;
			if (binaryDir) {
				const path = join(binaryDir, `${recorder.binaryInputs.length}-${fileName ?? 'file'}`);
				await pipeline(isStream ? data : Readable.from([data]), createWriteStream(path));
				const { statSync } = await import('node:fs');
				const size = statSync(path).size;
				return {
					id: `filesystem-v2:${path}`,
					data: 'filesystem-v2',
					mimeType: mimeType ?? 'application/octet-stream',
					fileName,
					fileExtension: extension,
					fileSize: String(size),
				} as IBinaryData;
			}
			const buffer = isStream ? Buffer.concat(await (data as Readable).toArray()) : data;
			return {
				data: buffer.toString('base64'),
				mimeType: mimeType ?? 'application/octet-stream',
				fileName,
				fileExtension: extension,
				fileSize: String(buffer.length),
			} as IBinaryData;
		},
		returnJsonArray(data: IDataObject | IDataObject[]): INodeExecutionData[] {
			return (Array.isArray(data) ? data : [data]).map((json) => ({ json }));
		},
		constructExecutionMetaData(
			items: INodeExecutionData[],
			meta: { itemData: { item: number } | Array<{ item: number }> },
		) {
			return items.map((item) => ({ ...item, pairedItem: meta.itemData as any }));
		},
	};

	const common = {
		getNode: () => node,
		getCredentials,
		getNodeParameter: parameterReader(options),
		getWorkflowStaticData: () => recorder.staticData,
		getExecutionId: () => options.executionId ?? '1',
		getMode: () => options.mode ?? 'manual',
		getTimezone: () => 'UTC',
		getWorkflow: () => ({ id: options.workflowId ?? 'wf1', name: 'Test workflow', active: false }),
		getRestApiUrl: () => 'http://127.0.0.1:5678/rest',
		getInstanceBaseUrl: () => 'http://127.0.0.1:5678/',
		logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
		helpers,
	};
	return { node, recorder, common, helpers, binaryDir };
}

export type TestExecuteFunctions = IExecuteFunctions & { recorder: Recorder };

export function createExecuteContext(options: ContextOptions = {}): TestExecuteFunctions {
	const { node, recorder, common } = baseContext(options);
	const entry: IExecuteData = options.executeData ?? {
		node,
		data: { main: [options.items ?? [{ json: {} }]] },
		source: null,
	};
	const context = {
		...common,
		recorder,
		// like n8n-core: the input of every try is the stack entry's data
		getInputData: () => (entry.data.main[0] ?? []) as INodeExecutionData[],
		getExecuteData: () => entry,
		continueOnFail: () => options.continueOnFail ?? false,
		isToolExecution: () => options.isToolExecution ?? false,
		getExecutionCancelSignal: () => options.abortSignal,
		onExecutionCancellation: () => {},
		async putExecutionToWait(waitTill: Date) {
			recorder.waits.push(waitTill);
		},
		evaluateExpression(expression: string) {
			const trimmed = expression.replace(/^=/, '').trim();
			if (/^\{\{\s*\$execution\.resumeUrl\s*\}\}$/.test(trimmed)) {
				return (
					options.resumeUrl ?? `http://127.0.0.1:5678/webhook-waiting/${options.executionId ?? '1'}`
				);
			}
			if (/^\{\{\s*\$execution\.id\s*\}\}$/.test(trimmed)) return options.executionId ?? '1';
			throw new Error(`Test context cannot evaluate ${expression}`);
		},
		sendMessageToUI: () => {},
	};
	return context as unknown as TestExecuteFunctions;
}

export type TestLoadOptionsFunctions = ILoadOptionsFunctions & { recorder: Recorder };

export function createLoadOptionsContext(options: ContextOptions = {}): TestLoadOptionsFunctions {
	const { recorder, common } = baseContext(options);
	const read = parameterReader(options);
	const context = {
		...common,
		recorder,
		getCurrentNodeParameter: (name: string, opts?: { extractValue?: boolean }) => {
			try {
				return read(name.replace(/^\//, ''), 0, undefined, opts);
			} catch {
				return undefined;
			}
		},
		getCurrentNodeParameters: () => options.parameters ?? {},
	};
	return context as unknown as TestLoadOptionsFunctions;
}

export type TestWebhookFunctions = IWebhookFunctions & { recorder: Recorder };

/** The raw text n8n would have kept; a body too deep to stringify here (n8n parses, never stringifies it) has none. */
function jsonText(body: unknown): string {
	try {
		return JSON.stringify(body) ?? '';
	} catch {
		return '';
	}
}

export function createWebhookContext(options: ContextOptions = {}): TestWebhookFunctions {
	const { recorder, common } = baseContext(options);
	const request = options.request ?? {};
	const headers = Object.fromEntries(
		Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
	);
	const body = request.body ?? {};
	const rawBody = request.rawBody ?? Buffer.from(typeof body === 'string' ? body : jsonText(body));
	const response = {
		status(code: number) {
			recorder.response.status = code;
			return response;
		},
		setHeader(name: string, value: string) {
			recorder.response.headers[name.toLowerCase()] = value;
			return response;
		},
		json(payload: unknown) {
			recorder.response.body = payload;
			recorder.response.ended = true;
			return response;
		},
		send(payload: unknown) {
			recorder.response.body = payload;
			recorder.response.ended = true;
			return response;
		},
		end(payload?: unknown) {
			if (payload !== undefined) recorder.response.body = payload;
			recorder.response.ended = true;
			return response;
		},
	};
	const context = {
		...common,
		recorder,
		// n8n's webhook and hook contexts take (name, fallbackValue), without an item index
		getNodeParameter: (name: string, fallback?: unknown, opts?: { extractValue?: boolean }) =>
			parameterReader(options)(name, 0, fallback, opts),
		getBodyData: () => body,
		getHeaderData: () => headers,
		getQueryData: () => request.query ?? {},
		getParamsData: () => ({}),
		getRequestObject: () => ({
			body,
			headers,
			query: request.query ?? {},
			rawBody,
			method: 'POST',
		}),
		getResponseObject: () => response,
		getNodeWebhookUrl: () => options.webhookUrl,
		getWebhookName: () => 'default',
		getChildNodes: () => [],
	};
	return context as unknown as TestWebhookFunctions;
}

export type TestHookFunctions = IHookFunctions & { recorder: Recorder };

export function createHookContext(options: ContextOptions = {}): TestHookFunctions {
	const { recorder, common } = baseContext(options);
	const context = {
		...common,
		recorder,
		getNodeWebhookUrl: () => options.webhookUrl,
		getWebhookName: () => 'default',
		getWebhookDescription: () => ({ name: 'default', httpMethod: 'POST', path: 'webhook' }),
		getActivationMode: () => 'activate',
	};
	return context as unknown as TestHookFunctions;
}
