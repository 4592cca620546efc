/**
 * Network failures loopback cannot produce (EHOSTUNREACH, DNS errors…), injected where n8n
 * reports them: httpRequestWithAuthentication throws them wrapped in a NodeApiError, as n8n-core
 * does. `when: 'after-send'` first delivers the request to the emulator (which handles it, and
 * charges a start), then reports the error: what Linux can do on a connection that carried it.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { TestExecuteFunctions } from '../../harness/n8nContext';

export interface NetworkFault {
	/** e.g. 'POST /asset/start'; the path is matched as a substring of the URL. */
	route: string;
	code: string;
	when: 'before-send' | 'after-send';
	/** How many matching requests fail (default 1). */
	count?: number;
}

/** An error shaped like the one axios/Node give for `code`. */
export function networkError(code: string, url: string): Error {
	const host = new URL(url).host;
	return Object.assign(new Error(`connect ${code} ${host}`), {
		code,
		errno: -1,
		syscall: code.startsWith('EAI') || code === 'ENOTFOUND' ? 'getaddrinfo' : 'connect',
		name: 'AxiosError',
	});
}

/** Makes the context's authenticated requests fail as `fault` says; returns how many failed. */
export function injectNetworkFault(ctx: TestExecuteFunctions, fault: NetworkFault): () => number {
	const helpers = ctx.helpers as unknown as {
		httpRequestWithAuthentication: (type: string, options: IHttpRequestOptions) => unknown;
	};
	const original = helpers.httpRequestWithAuthentication;
	const [method, path] = fault.route.split(' ');
	let left = fault.count ?? 1;
	let failed = 0;
	helpers.httpRequestWithAuthentication = async function (this: unknown, type, options) {
		const matches = (options.method ?? 'GET') === method && String(options.url).includes(path);
		if (!matches || left <= 0) return await original.call(this, type, options);
		left--;
		failed++;
		if (fault.when === 'after-send') await original.call(this, type, options);
		const error = networkError(fault.code, String(options.url));
		// like an AxiosError: the request config, Authorization header included, rides along
		const { apiKey } = (await ctx.getCredentials(type)) as { apiKey?: string };
		Object.assign(error, {
			config: {
				url: options.url,
				method: options.method,
				headers: { Authorization: `Bearer ${apiKey}` },
			},
		});
		throw new NodeApiError(ctx.getNode(), error as never);
	};
	return () => failed;
}
