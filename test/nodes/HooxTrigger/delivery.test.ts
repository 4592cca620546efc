import {
	checkToken,
	DEDUPE_MAX_ENTRIES,
	DEDUPE_TTL_MS,
	deliveryKey,
	parseModelList,
	presentedToken,
	rememberDelivery,
} from '../../../nodes/HooxTrigger/delivery';
import {
	callbackAssetType,
	parsePayload,
	type HooxEventPayload,
} from '../../../nodes/shared/assets';

describe('checkToken', () => {
	it('accepts the exact token', () => {
		expect(checkToken('s3cret-token-0123456789', 's3cret-token-0123456789')).toEqual({ ok: true });
	});
	it('answers 401 when no token is presented', () => {
		expect(checkToken('s3cret', undefined)).toMatchObject({ ok: false, status: 401 });
		expect(checkToken('s3cret', '')).toMatchObject({ ok: false, status: 401 });
	});
	it('answers 403 for a wrong token, whatever its length', () => {
		expect(checkToken('s3cret-token', 's3cret-tokeN')).toMatchObject({ ok: false, status: 403 });
		expect(checkToken('s3cret-token', 's3cret')).toMatchObject({ ok: false, status: 403 });
		expect(checkToken('s3cret-token', 's3cret-token-and-more')).toMatchObject({
			ok: false,
			status: 403,
		});
	});
});

describe('presentedToken', () => {
	it('reads ?token= first, then the X-Hoox-Token header (any case)', () => {
		expect(presentedToken({ token: 'q' }, { 'x-hoox-token': 'h' })).toBe('q');
		expect(presentedToken({}, { 'x-hoox-token': 'h' })).toBe('h');
		expect(presentedToken({}, { 'X-Hoox-Token': 'h' })).toBe('h');
		expect(presentedToken({ token: ['a', 'b'] }, {})).toBe('a');
		expect(presentedToken({}, {})).toBeUndefined();
	});
});

describe('parsePayload', () => {
	const ok = { task: 'asset_generation', asset_id: 'a1', status: 'completed' };
	it('accepts completed and failed events, with or without task', () => {
		expect(parsePayload(ok)).toMatchObject({ ok: true });
		expect(parsePayload({ asset_id: 'a1', status: 'failed' })).toMatchObject({ ok: true });
	});
	it('accepts a JSON object sent as text', () => {
		expect(parsePayload(JSON.stringify(ok))).toMatchObject({ ok: true, payload: ok });
		expect(parsePayload(Buffer.from(JSON.stringify(ok)))).toMatchObject({ ok: true });
	});
	it.each([
		['a string that is not JSON', 'hello'],
		['a JSON string', '"hello"'],
		['an array', [ok]],
		['null', null],
		['a number', 42],
		['no asset_id', { status: 'completed' }],
		['an empty asset_id', { asset_id: ' ', status: 'completed' }],
		['a numeric asset_id', { asset_id: 12, status: 'completed' }],
		['an absurdly long asset_id', { asset_id: 'a'.repeat(257), status: 'completed' }],
		['no status', { asset_id: 'a1' }],
		['an unknown status', { asset_id: 'a1', status: 'generating' }],
		['a status in another case', { asset_id: 'a1', status: 'COMPLETED' }],
		['another task', { task: 'video_export', asset_id: 'a1', status: 'completed' }],
	])('rejects %s', (_label, body) => {
		const result = parsePayload(body);
		expect(result.ok).toBe(false);
		expect((result as { message: string }).message).toEqual(expect.any(String));
	});
});

describe('callbackAssetType and parseModelList', () => {
	it('reads result.asset_type in lower case', () => {
		expect(callbackAssetType({ result: { asset_type: 'Video' } })).toBe('video');
		expect(callbackAssetType({ error: {} })).toBeUndefined();
	});
	it('splits, trims and lower-cases models', () => {
		expect(parseModelList(' veo-3.1, Kling-V3-Pro ,,\nflux-2-pro ')).toEqual([
			'veo-3.1',
			'kling-v3-pro',
			'flux-2-pro',
		]);
		expect(parseModelList('')).toEqual([]);
		expect(parseModelList(undefined)).toEqual([]);
	});
});

describe('rememberDelivery', () => {
	const key = deliveryKey({ asset_id: 'a1', status: 'completed' } as HooxEventPayload);

	it('keys on asset and status', () => {
		expect(key).toBe('a1:completed');
		expect(deliveryKey({ asset_id: 'a1', status: 'failed' } as HooxEventPayload)).not.toBe(key);
	});

	it('reports the second sighting of a key as a duplicate, without mutating the old state', () => {
		const first = rememberDelivery(undefined, key, 1000);
		expect(first.duplicate).toBe(false);
		const frozen = Object.freeze({ ...first.state });
		const second = rememberDelivery(frozen, key, 2000);
		expect(second.duplicate).toBe(true);
		expect(second.state[key]).toBe(1000);
	});

	it('keeps at most the newest entries', () => {
		let state: Record<string, number> = {};
		for (let i = 0; i < DEDUPE_MAX_ENTRIES + 25; i++)
			state = rememberDelivery(state, `k${i}`, i).state;
		expect(Object.keys(state)).toHaveLength(DEDUPE_MAX_ENTRIES);
		expect(state.k0).toBeUndefined();
		expect(state[`k${DEDUPE_MAX_ENTRIES + 24}`]).toBe(DEDUPE_MAX_ENTRIES + 24);
		// a pruned key counts as new again
		expect(rememberDelivery(state, 'k0', 10_000).duplicate).toBe(false);
	});

	it('forgets entries older than the TTL and ignores junk in the state', () => {
		const now = DEDUPE_TTL_MS + 10_000;
		const { duplicate, state } = rememberDelivery(
			{ old: 1, fresh: now - 5, junk: 'x', bad: Number.NaN },
			'old',
			now,
		);
		expect(duplicate).toBe(false);
		expect(Object.keys(state).sort()).toEqual(['fresh', 'old']);
		expect(state.old).toBe(now);
	});

	it('honours custom limits', () => {
		let state = rememberDelivery({}, 'a', 1, { max: 2 }).state;
		state = rememberDelivery(state, 'b', 2, { max: 2 }).state;
		state = rememberDelivery(state, 'c', 3, { max: 2 }).state;
		expect(Object.keys(state)).toEqual(['b', 'c']);
	});
});
