/**
 * The token a delivery must present: from a Hoox Trigger Token credential or the older Secret
 * Token parameter, and refused on every delivery when it is weak (not only at activation: a
 * token set by an expression or saved before the check existed must not let deliveries in).
 */
import type { ICredentialTestFunctions, ICredentialsDecrypted } from 'n8n-workflow';

import { HooxTriggerApi } from '../../../credentials/HooxTriggerApi.credentials';
import { completedPayload, deliver, params, TOKEN, trigger } from './helpers';

const credentialMode = params({ authentication: 'tokenCredential', secretToken: undefined });

describe('Hoox Trigger webhook: token from a Hoox Trigger Token credential', () => {
	it('refuses deliveries without (401) or with a wrong token (403), before any call to Hoox', async () => {
		for (const [query, status] of [
			[{}, 401],
			[{ token: TOKEN.slice(0, -1) + 'x' }, 403],
		] as const) {
			const { result, ctx } = await deliver({
				parameters: credentialMode,
				triggerCredential: { token: TOKEN },
				body: completedPayload(),
				query,
			});
			expect(result.workflowData).toBeUndefined();
			expect(ctx.recorder.response.status).toBe(status);
			expect(ctx.recorder.http).toHaveLength(0);
			expect(JSON.stringify([ctx.recorder.response, ctx.recorder.logs])).not.toContain(TOKEN);
		}
	});

	it('lets the right token through to the confirmation with Hoox', async () => {
		const { ctx } = await deliver({
			parameters: credentialMode,
			triggerCredential: { token: TOKEN },
			body: completedPayload(),
			query: { token: TOKEN },
		});
		// the token passed; Hoox (unreachable here) could not confirm: 503, nothing started
		expect(ctx.recorder.response.status).toBe(503);
		expect(ctx.recorder.http.length).toBeGreaterThan(0);
	});
});

describe('Hoox Trigger webhook: weak configured tokens refuse every delivery', () => {
	it.each([
		['a 1-character parameter', params({ secretToken: 'x' })],
		['16 spaces', params({ secretToken: ' '.repeat(16) })],
		['one character repeated', params({ secretToken: 'a'.repeat(40) })],
	])('%s: 500 not_configured even when the caller presents it', async (_label, parameters) => {
		const token = parameters.secretToken as string;
		const { result, ctx } = await deliver({
			parameters,
			body: completedPayload(),
			query: { token },
		});
		expect(result.workflowData).toBeUndefined();
		expect(ctx.recorder.response).toMatchObject({ status: 500, body: { error: 'not_configured' } });
		expect(ctx.recorder.http).toHaveLength(0);
		expect(ctx.recorder.logs.some((l) => l.level === 'error' && /too weak/.test(l.message))).toBe(
			true,
		);
	});

	it('a weak credential token: 500, and a missing credential: 500', async () => {
		for (const triggerCredential of [{ token: 'short' }, undefined]) {
			const { ctx } = await deliver({
				parameters: credentialMode,
				triggerCredential,
				body: completedPayload(),
				query: { token: 'short' },
			});
			expect(ctx.recorder.response).toMatchObject({
				status: 500,
				body: { error: 'not_configured' },
			});
			expect(ctx.recorder.http).toHaveLength(0);
		}
	});
});

describe('Hoox Trigger Token API credential', () => {
	it('is a password field, tested by the trigger with a strength check (nothing to call)', async () => {
		const credential = new HooxTriggerApi();
		expect(credential.name).toBe('hooxTriggerApi');
		expect(credential.properties.map((p) => [p.name, p.typeOptions])).toEqual([
			['token', { password: true }],
		]);
		const test = trigger.methods.credentialTest.hooxTriggerTokenTest;
		const run = (token: string) =>
			test.call(
				{} as ICredentialTestFunctions,
				{
					id: '1',
					name: 'Hoox Trigger Token',
					type: 'hooxTriggerApi',
					data: { token },
				} as ICredentialsDecrypted,
			);
		await expect(run(TOKEN)).resolves.toEqual({ status: 'OK', message: expect.any(String) });
		const weak = await run(' '.repeat(20));
		expect(weak).toMatchObject({ status: 'Error', message: expect.stringMatching(/too weak/) });
	});
});
