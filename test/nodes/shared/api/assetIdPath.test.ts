/**
 * An asset ID becomes part of a request path: `..`, `/`, `%2F` or whitespace would turn
 * `GET /asset/status/{id}` into another request (`..` resolves to `GET /asset/`). Such IDs are
 * refused before any request, naming the parameter and the item.
 */
import { startEmulator, type Emulator } from '../../../../emulator';
import { items, run } from '../../../support/hooxNode';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 20, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const BAD_IDS = ['..', '.', '/', 'a/b', '%2F', '..%2F..', 'a\\b', '?x=1', '#x', 'a'.repeat(5000)];

describe.each(['getStatus', 'waitForCompletion'])('Asset → %s', (operation) => {
	it.each(BAD_IDS.map((id) => [id.length > 20 ? `${id.slice(0, 8)}… (${id.length})` : id, id]))(
		'refuses %j before any request',
		async (_label, id) => {
			const { items: out } = await run(emu, {
				parameters: { resource: 'asset', operation, options: { waitTimeout: 1 } },
				items: items(2),
				itemParameters: [{ assetIds: 'ok123' }, { assetIds: [id] }],
				continueOnFail: true,
			});
			const failed = out.find((i) => (i.pairedItem as { item: number }).item === 1);
			const error = failed?.json.error as { message: string };
			expect(error.message).toMatch(/^\[item 1\] Asset IDs: /);
			expect(error.message.length).toBeLessThan(300);
			const paths = emu.requests({ kind: 'api' }).map((r) => r.path);
			expect(paths.every((p) => p === '/asset/status/ok123')).toBe(true);
		},
	);
});

it('a list nested 5,000 levels deep is refused naming the parameter, not a stack overflow', async () => {
	let nested: unknown = 'ok123';
	for (let i = 0; i < 5000; i++) nested = [nested];
	for (const value of [nested, `${'['.repeat(5000)}"ok123"${']'.repeat(5000)}`]) {
		const { items: out } = await run(emu, {
			parameters: { resource: 'asset', operation: 'getStatus', assetIds: value },
			continueOnFail: true,
		});
		expect((out[0].json.error as { message: string }).message).toBe(
			'[item 0] Asset IDs: the value is nested more than 10 levels deep',
		);
	}
	expect(emu.requests({ kind: 'api' })).toHaveLength(0);
});
