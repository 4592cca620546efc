/**
 * A 201 answer of /asset/start whose asset_ids are not a list of IDs: the submit may have been
 * charged, so the item fails saying so, with the IDs of the answer that are valid — no made-up
 * IDs ("null", "[object Object]"), no status read of an invalid one.
 */
import { startEmulator, type Emulator } from '../../../../emulator';
import { generateParameters, run } from '../../../support/hooxNode';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ durations: { image: 20, video: 20 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const VALID = '65a1b2c3d4e5f60718293a4b';

const answers: Array<[string, { body?: unknown; rawBody?: string }, string[]]> = [
	['numbers, null and an object', { body: { asset_ids: [123, null, {}] } }, []],
	['one valid ID among junk', { body: { asset_ids: [VALID, null, { id: 1 }, ''] } }, [VALID]],
	['an ID that is a path', { body: { asset_ids: ['..', 'a/b', '%2F', ' x y '] } }, []],
	['asset_ids is text', { body: { asset_ids: VALID } }, []],
	['asset_ids missing', { body: { status: 'generating' } }, []],
	['an empty list', { body: { asset_ids: [] } }, []],
	['a list nested in a list', { body: { asset_ids: [[VALID]] } }, []],
	['a huge ID', { body: { asset_ids: ['a'.repeat(50_000)] } }, []],
	['an array answer', { body: [VALID] }, []],
	['not JSON', { rawBody: '{"asset_ids": ["' }, []],
	['HTML', { rawBody: '<html><body>ok</body></html>' }, []],
	['null', { body: null }, []],
];

describe('a malformed 201 answer after a submit', () => {
	it.each(answers)('%s: an item error saying it may have been charged', async (_l, answer, ids) => {
		emu.injectFault({ route: 'POST /asset/start', count: 1, status: 201, ...answer });
		const { items } = await run(emu, {
			parameters: generateParameters(),
			continueOnFail: true,
		});
		expect(items).toHaveLength(1);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		const error = items[0].json.error as { message: string; description: string };
		expect(error.message).toMatch(/^\[item 0\] /);
		expect(`${error.message} ${error.description}`).toMatch(/may (have been|be) charged/);
		const text = `${error.message} ${error.description}`;
		for (const id of ids) expect(text).toContain(id);
		if (ids.length === 0) expect(text).toMatch(/no valid asset ID/i);
		expect(text).not.toMatch(/\[object Object\]|"null"|, null\b/);
		expect(text.length).toBeLessThan(1500);
		// nothing was made up: no status read of an ID the answer did not validly carry
		const reads = emu.requests({ method: 'GET', path: '/asset/status' }).map((r) => r.path);
		expect(reads.every((p) => ids.some((id) => p.endsWith(`/${id}`)))).toBe(true);
	});

	it('without Continue On Fail the error is thrown, naming the item', async () => {
		emu.injectFault({
			route: 'POST /asset/start',
			count: 1,
			status: 201,
			body: { asset_ids: [123, null, {}] },
		});
		await expect(run(emu, { parameters: generateParameters() })).rejects.toMatchObject({
			message: expect.stringMatching(/^\[item 0\] /),
			context: expect.objectContaining({ itemIndex: 0 }),
		});
	});
});
