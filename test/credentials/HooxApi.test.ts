import axios from 'axios';

import { HooxApi } from '../../credentials/HooxApi.credentials';
import { startEmulator, TEST_API_KEY, type Emulator } from '../../emulator';
import { DEFAULT_BASE_URL, normalizeBaseUrl } from '../../nodes/shared/api';

/**
 * Runs the credential's own test request the way n8n's credential tester does: resolve the
 * request's expressions against the credential data, apply `authenticate`, send it, and map
 * the status through the credential's `rules`. (The e2e suite runs the real tester in n8n.)
 */
async function runCredentialTest(data: { apiKey: string; baseUrl: string }) {
	const credential = new HooxApi();
	const { request, rules } = credential.test;
	const resolve = (value: string) =>
		value.startsWith('={{')
			? // test-only evaluation of the `={{ … }}` expression with $credentials in scope
				new Function('$credentials', `return (${value.slice(3, -2)});`)(data)
			: value;
	const headers = Object.fromEntries(
		Object.entries(credential.authenticate.properties.headers ?? {}).map(([name, template]) => [
			name,
			String(template).replace(/^=/, '').replace('{{$credentials.apiKey}}', data.apiKey),
		]),
	);
	const response = await axios.request({
		method: request.method ?? 'GET',
		baseURL: resolve(request.baseURL as string),
		url: request.url,
		params: request.qs,
		headers,
		validateStatus: () => true,
	});
	if (response.status < 300) return { status: 'OK' as const, httpStatus: response.status };
	const rule = rules?.find(
		(r) => r.type === 'responseCode' && r.properties.value === response.status,
	);
	return {
		status: 'Error' as const,
		httpStatus: response.status,
		message:
			rule && 'message' in rule.properties ? rule.properties.message : `HTTP ${response.status}`,
	};
}

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => emulator.close());

describe('HooxApi credential', () => {
	it('declares a password API key, a Hoox base URL and Bearer authentication', () => {
		const credential = new HooxApi();
		expect(credential.name).toBe('hooxApi');
		const apiKey = credential.properties.find((p) => p.name === 'apiKey');
		expect(apiKey?.typeOptions?.password).toBe(true);
		const baseUrl = credential.properties.find((p) => p.name === 'baseUrl');
		expect(baseUrl?.default).toBe('https://app.hoox.video/api/public/v1');
		expect(credential.authenticate.properties.headers).toEqual({
			Authorization: '=Bearer {{$credentials.apiKey}}',
		});
	});

	it('the Base URL says what a bare connection error code from the test means', async () => {
		// n8n shows a declarative test's connection failure as the code alone: the field explains it
		const baseUrl = new HooxApi().properties.find((p) => p.name === 'baseUrl');
		expect(baseUrl?.description).toMatch(
			/ECONNREFUSED, ENOTFOUND or ETIMEDOUT, nothing answered at this URL/,
		);
	});

	it('test request succeeds against the sandbox with a good key, and is a read-only call', async () => {
		emulator.reset();
		const result = await runCredentialTest({
			apiKey: TEST_API_KEY,
			baseUrl: `${emulator.baseUrl}/`,
		});
		expect(result).toEqual({ status: 'OK', httpStatus: 200 });
		const requests = emulator.requests();
		expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /asset/models']);
	});

	it('test request base URL is normalised like normalizeBaseUrl: trimmed, no trailing slashes, Hoox when empty', () => {
		const expression = new HooxApi().test.request.baseURL as string;
		expect(expression.startsWith('={{') && expression.endsWith('}}')).toBe(true);
		const evaluate = (baseUrl: unknown) =>
			new Function('$credentials', `return (${expression.slice(3, -2)});`)({
				apiKey: 'k',
				baseUrl,
			}) as string;
		for (const value of [
			'  http://127.0.0.1:5680/api/public/v1//  ',
			'http://127.0.0.1:5680/api/public/v1/',
			'\thttp://127.0.0.1:5680/api/public/v1',
		]) {
			expect(evaluate(value)).toBe(normalizeBaseUrl(value));
			expect(evaluate(value)).toBe('http://127.0.0.1:5680/api/public/v1');
		}
		for (const value of ['', '   ', undefined]) {
			expect(evaluate(value)).toBe(DEFAULT_BASE_URL);
			expect(evaluate(value)).toBe(normalizeBaseUrl(value as string | undefined));
		}
	});

	it('test request succeeds with spaces and slashes around the Base URL', async () => {
		emulator.reset();
		const result = await runCredentialTest({
			apiKey: TEST_API_KEY,
			baseUrl: ` ${emulator.baseUrl}// `,
		});
		expect(result).toEqual({ status: 'OK', httpStatus: 200 });
	});

	it('test request fails with a clear message with a bad key', async () => {
		const result = await runCredentialTest({ apiKey: 'not-a-hoox-key', baseUrl: emulator.baseUrl });
		expect(result.status).toBe('Error');
		expect(result.httpStatus).toBe(401);
		expect(result.message).toMatch(/Hoox rejected the API key/);
	});

	it('test request fails with a clear message when the Base URL has no Hoox API', async () => {
		const result = await runCredentialTest({
			apiKey: TEST_API_KEY,
			baseUrl: `${emulator.origin}/not-the-api`,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/No Hoox API at this Base URL/);
	});
});
