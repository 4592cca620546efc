/** Description invariants and the local-only webhook lifecycle of the Hoox Trigger. */
import type { INodeProperties } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { MIN_TOKEN_LENGTH } from '../../../nodes/HooxTrigger/tokenStrength';
import type { IDataObject } from 'n8n-workflow';
import { createHookContext } from '../../../harness/n8nContext';
import { params, TOKEN, trigger, WEBHOOK_URL } from './helpers';

const description = trigger.description;

function hook(parameters: Record<string, unknown>, staticData = {}, triggerToken?: IDataObject) {
	return createHookContext({
		parameters,
		staticData,
		otherCredentials: triggerToken ? { hooxTriggerApi: triggerToken } : undefined,
		webhookUrl: WEBHOOK_URL,
		node: { name: 'Hoox Trigger' },
	});
}

describe('Hoox Trigger description', () => {
	it('follows the trigger conventions', () => {
		expect(description).toMatchObject({
			name: 'hooxTrigger',
			displayName: 'Hoox Trigger',
			group: ['trigger'],
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			icon: { light: 'file:../../icons/hoox.svg', dark: 'file:../../icons/hoox.dark.svg' },
			version: [1, 1.1],
			defaultVersion: 1.1,
			credentials: [
				{ name: 'hooxApi', required: true, testedBy: 'hooxApiConnectionTest' },
				{
					name: 'hooxTriggerApi',
					required: true,
					testedBy: 'hooxTriggerTokenTest',
					displayOptions: { show: { authentication: ['tokenCredential'] } },
				},
			],
		});
		expect(description).not.toHaveProperty('usableAsTool');
		expect(description.webhooks).toEqual([
			expect.objectContaining({
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'hoox',
			}),
		]);
	});

	it('has the codex file of a community node', () => {
		const codex = JSON.parse(
			readFileSync(join(__dirname, '../../../nodes/HooxTrigger/HooxTrigger.node.json'), 'utf8'),
		);
		expect(codex).toMatchObject({
			node: 'n8n-nodes-hoox.hooxTrigger',
			nodeVersion: '1.0',
			codexVersion: '1.0',
		});
		expect(codex.categories).not.toContain('AI');
	});

	const all: INodeProperties[] = [];
	const walk = (props: INodeProperties[]) => {
		for (const p of props) {
			all.push(p);
			if (p.type === 'collection') walk(p.options as INodeProperties[]);
		}
	};
	walk(description.properties);

	it('defines the documented parameters, each with a default', () => {
		const names = description.properties.map((p) => p.name);
		expect(names).toEqual(
			expect.arrayContaining([
				'authentication',
				'secretToken',
				'events',
				'assetType',
				'models',
				'options',
			]),
		);
		for (const p of all) expect(p).toHaveProperty('default');
		const options = description.properties.find((p) => p.name === 'options')!;
		expect((options.options as INodeProperties[]).map((o) => [o.name, o.default])).toEqual([
			['binaryPropertyName', 'data'],
			['downloadBinary', false],
			['fetchDetails', true],
			['maxDownloadSizeMb', 100],
		]);
	});

	it('defaults to the token parameter in version 1 (saved workflows) and to the credential from 1.1', () => {
		const auths = description.properties.filter((p) => p.name === 'authentication');
		expect(auths.map((a) => [a.default, a.displayOptions?.show?.['@version']])).toEqual([
			['secretToken', [1]],
			['tokenCredential', [{ _cnd: { gte: 1.1 } }]],
		]);
		for (const auth of auths)
			expect(auth.options!.map((o) => ('name' in o ? o.name : ''))).toEqual([
				'None (Not Recommended)',
				'Secret Token in URL',
				'Token Credential',
			]);
		const token = description.properties.find((p) => p.name === 'secretToken')!;
		expect(token.typeOptions).toEqual({ password: true });
		expect(token.default).toBe('');
	});

	it('uses Title Case labels, "Whether" for booleans and sorted options', () => {
		for (const p of all) {
			if (p.type === 'notice') continue;
			for (const word of p.displayName.split(' ')) {
				if (!['as', 'in', 'of'].includes(word)) expect(word[0]).toBe(word[0].toUpperCase());
			}
			if (p.type === 'boolean') expect(p.description).toMatch(/^Whether /);
			if ((p.type === 'options' || p.type === 'multiOptions') && p.options) {
				const labels = p.options.map((o) => ('name' in o ? String(o.name) : ''));
				expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
			}
		}
	});

	it('tells the user how to build the URL with the token', () => {
		const notice = description.properties.find((p) => p.name === 'tokenNotice')!;
		expect(notice.type).toBe('notice');
		expect(notice.displayName).toMatch(/Production URL/);
		expect(notice.displayName).toMatch(/\?token=/);
		expect(notice.displayName).toMatch(/WEBHOOK_URL/);
	});
});

describe('Hoox Trigger webhook lifecycle (local bookkeeping only)', () => {
	const methods = trigger.webhookMethods.default;

	it('create() records the URL, logs where to paste it (without the token) and says nothing was registered at Hoox', async () => {
		const ctx = hook(params());
		await expect(methods.create.call(ctx)).resolves.toBe(true);
		expect(ctx.recorder.staticData).toMatchObject({
			webhookUrl: WEBHOOK_URL,
			registeredAt: expect.any(String),
		});
		const info = ctx.recorder.logs
			.filter((l) => l.level === 'info')
			.map((l) => l.message)
			.join('\n');
		expect(info).toContain(`${WEBHOOK_URL}?token=<your token>`);
		expect(info).toMatch(/no webhook subscription API/);
		expect(JSON.stringify(ctx.recorder.logs)).not.toContain(TOKEN);
	});

	const weakTokens = [
		'',
		'x',
		'Zq3vN8rT1xK5mW7'.slice(0, MIN_TOKEN_LENGTH - 1),
		' '.repeat(MIN_TOKEN_LENGTH),
		'x'.repeat(MIN_TOKEN_LENGTH),
		'abab'.repeat(8),
		'Zq3vN8rT 1xK5mW7pB2cY9',
	];

	it('create() refuses a missing or weak Secret Token, without quoting it', async () => {
		for (const secretToken of weakTokens) {
			const ctx = hook(params({ secretToken }));
			await expect(methods.create.call(ctx)).rejects.toThrow(/Secret Token is too weak/);
			expect(ctx.recorder.staticData.webhookUrl).toBeUndefined();
		}
		const error = await methods.create
			.call(hook(params({ secretToken: 'abab'.repeat(8) })))
			.catch((e) => e);
		expect(`${error.message} ${error.description}`).not.toContain('abab');
	});

	it('create() reads the token of a Hoox Trigger Token credential, and refuses a weak or missing one', async () => {
		const credential = params({ authentication: 'tokenCredential', secretToken: undefined });
		const ctx = hook(credential, {}, { token: TOKEN });
		await expect(methods.create.call(ctx)).resolves.toBe(true);
		expect(JSON.stringify(ctx.recorder.logs)).not.toContain(TOKEN);
		for (const token of weakTokens) {
			await expect(methods.create.call(hook(credential, {}, { token }))).rejects.toThrow(
				/Token of the Hoox Trigger Token credential is too weak/,
			);
		}
		await expect(methods.create.call(hook(credential))).rejects.toThrow(
			/No Hoox Trigger Token credential/,
		);
	});

	it('create() with Authentication "None" works and warns', async () => {
		const ctx = hook(params({ authentication: 'none', secretToken: undefined }));
		await expect(methods.create.call(ctx)).resolves.toBe(true);
		expect(
			ctx.recorder.logs.some((l) => l.level === 'info' && l.message.endsWith(WEBHOOK_URL)),
		).toBe(true);
		expect(ctx.recorder.logs.some((l) => l.level === 'warn')).toBe(true);
	});

	it('checkExists() is true only for the URL recorded by create(), and logs', async () => {
		const staticData = {};
		const before = hook(params(), staticData);
		await expect(methods.checkExists.call(before)).resolves.toBe(false);
		expect(before.recorder.logs.some((l) => l.level === 'info')).toBe(true);
		await methods.create.call(hook(params(), staticData));
		await expect(methods.checkExists.call(hook(params(), staticData))).resolves.toBe(true);
		const elsewhere = createHookContext({
			parameters: params(),
			staticData,
			webhookUrl: 'http://127.0.0.1:5678/webhook-test/x/hoox',
		});
		await expect(methods.checkExists.call(elsewhere)).resolves.toBe(false);
	});

	it('delete() removes the bookkeeping, keeps the duplicate state, and logs', async () => {
		const staticData: Record<string, unknown> = { seenDeliveries: { 'a:completed': 1 } };
		await methods.create.call(hook(params(), staticData));
		const ctx = hook(params(), staticData);
		await expect(methods.delete.call(ctx)).resolves.toBe(true);
		expect(staticData).toEqual({ seenDeliveries: { 'a:completed': 1 } });
		expect(
			ctx.recorder.logs.some(
				(l) => l.level === 'info' && /no subscription to delete/.test(l.message),
			),
		).toBe(true);
		await expect(methods.delete.call(hook(params(), staticData))).resolves.toBe(true);
	});
});
