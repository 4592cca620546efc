/**
 * The packed package inside a real n8n: every node and credential type that package.json declares
 * is loaded, and the editor's credential test passes with a good key and says what is wrong with a
 * bad key, a wrong Base URL or a Base URL where nothing listens.
 */
import { freePort, readPackageInfo } from '../../harness/n8n';
import { describeN8n } from './harness/jest';

jest.setTimeout(60_000);

const pkg = readPackageInfo();
/** Well-formed but unknown to the emulator (it runs with acceptAnyWellFormedKey: false here). */
const UNKNOWN_KEY = `hx_live_${'0'.repeat(64)}`;

describeN8n(
	'package',
	(ctx) => {
		it('loads without "Failed to load package" in the log', () => {
			ctx.n8n.assertLogClean();
		});

		it('reports the pinned n8n version', () => {
			expect(ctx.n8n.versionCli).toBe(ctx.version);
		});

		for (const node of pkg.nodes) {
			const test = node.built ? it : it.skip;
			test(`registers node ${node.typeName ?? `${node.file} (not built yet)`}`, async () => {
				const names = (await ctx.n8n.nodeTypes()).map((t) => t.name);
				expect(names).toContain(node.typeName);
				// n8n derives an AI-agent tool variant from nodes marked usableAsTool.
				if (node.usableAsTool) expect(names).toContain(`${node.typeName}Tool`);
			});
		}

		for (const cred of pkg.credentials) {
			const test = cred.built ? it : it.skip;
			test(`registers credential ${cred.typeName ?? `${cred.file} (not built yet)`}`, async () => {
				const types = await ctx.n8n.credentialTypes();
				const found = types.find((t) => t.name === cred.typeName);
				expect(found).toBeDefined();
				expect(found!.displayName).toBe(cred.displayName);
				expect(found!.displayName).toMatch(/^Hoox .*API$/);
				// Every built node of the package that declares this credential lists it as supported.
				const users = pkg.nodes.filter(
					(n) => n.built && n.credentialNames?.includes(cred.typeName!),
				);
				expect(users.length).toBeGreaterThan(0);
				for (const node of users) {
					expect(found!.supportedNodes ?? []).toContain(node.typeName);
				}
			});
		}

		it('credential test: OK with a good key, against GET /asset/models', async () => {
			ctx.emulator.reset();
			const result = await ctx.n8n.testCredential(ctx.credential);
			expect(result).toMatchObject({ status: 'OK' });
			const calls = ctx.emulator.requests({ method: 'GET', path: '/asset/models' });
			expect(calls.length).toBeGreaterThanOrEqual(1);
			expect(calls[0].headers.authorization).toMatch(/^Bearer hx_live_/);
			expect(calls[0].status).toBe(200);
		});

		it('credential test: Error with an unknown key (401)', async () => {
			ctx.emulator.reset();
			const result = await ctx.n8n.testCredential(ctx.credential, { apiKey: UNKNOWN_KEY });
			expect(result).toEqual({
				status: 'Error',
				message: 'Hoox rejected the API key: check that it is current and starts with hx_live_',
			});
			expect(result.message).not.toContain(UNKNOWN_KEY);
			const calls = ctx.emulator.requests({ method: 'GET', path: '/asset/models' });
			expect(calls.length).toBeGreaterThanOrEqual(1);
			expect(calls.every((c) => c.status === 401)).toBe(true);
		});

		it('credential test: Error with a wrong Base URL (404)', async () => {
			const result = await ctx.n8n.testCredential(ctx.credential, {
				baseUrl: `${ctx.emulator.origin}/not-the-api`,
			});
			expect(result).toEqual({
				status: 'Error',
				message: 'No Hoox API at this Base URL: check the Base URL',
			});
		});

		it('credential test: names the Base URL when nothing listens there (not a bare ECONNREFUSED)', async () => {
			const baseUrl = `http://127.0.0.1:${await freePort()}/api/public/v1`;
			const result = await ctx.n8n.testCredential(ctx.credential, { baseUrl: `${baseUrl}/` });
			expect(result).toEqual({
				status: 'Error',
				message: `Nothing answered at ${baseUrl} (connection refused) — check the Base URL`,
			});
		});
	},
	{ emulator: { acceptAnyWellFormedKey: false } },
);
