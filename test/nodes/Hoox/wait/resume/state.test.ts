/**
 * The packed wait state (v2): Hoox ids of items 0, 1, 2, … with the same count each take 16
 * characters, so about 130 assets fit in n8n's 10 custom-data keys; anything else keeps v1, and
 * executions parked with v1 still read back.
 */
import {
	decodeWaitState,
	encodeWaitState,
	maxWaitingAssets,
	type WaitState,
} from '../../../../../nodes/Hoox/wait/resume/state';

const hex = (k: number) => `65a0c0ffee${k.toString(16).padStart(14, '0')}`;

function state(count: number, perItem: number, id = hex): WaitState {
	return {
		nodeId: '6f1d0c7e-0b1a-4a57-9a51-000000000002',
		download: false,
		binaryProperty: 'data',
		assets: Array.from({ length: count }, (_, k) => ({
			assetId: id(k),
			itemIndex: Math.floor(k / perItem),
		})),
	};
}

describe('packed wait state', () => {
	test('Hoox ids, the same count per item: v2, 16 characters per asset, round trip', () => {
		const original = state(12, 3);
		const entries = encodeWaitState(original, 10)!;
		expect(JSON.parse(entries.hoox_wait)).toMatchObject({ v: 2, per: 3, assets: 12, chunks: 1 });
		expect(entries.hoox_wait_1).toHaveLength(12 * 16);
		expect(decodeWaitState(entries)).toEqual(original);
	});

	test('room for more than 80 assets: 135 in 10 free keys, each value within 255 characters', () => {
		expect(maxWaitingAssets()).toBe(135);
		const entries = encodeWaitState(state(135, 1), 10)!;
		expect(Object.keys(entries)).toHaveLength(10);
		expect(Math.max(...Object.values(entries).map((v) => v.length))).toBeLessThanOrEqual(255);
		expect(decodeWaitState(entries)?.assets).toHaveLength(135);
		expect(encodeWaitState(state(136, 1), 10)).toBeUndefined();
	});

	test('other ids or uneven items keep the v1 form', () => {
		const odd = state(4, 2, (k) => `asset-${k}`);
		expect(JSON.parse(encodeWaitState(odd, 10)!.hoox_wait).v).toBe(1);
		expect(decodeWaitState(encodeWaitState(odd, 10))).toEqual(odd);
		const uneven: WaitState = {
			...state(3, 1),
			assets: [
				{ assetId: hex(0), itemIndex: 0 },
				{ assetId: hex(1), itemIndex: 0 },
				{ assetId: hex(2), itemIndex: 1 },
			],
		};
		expect(JSON.parse(encodeWaitState(uneven, 10)!.hoox_wait).v).toBe(1);
		expect(decodeWaitState(encodeWaitState(uneven, 10))).toEqual(uneven);
		const skipping = { ...uneven, assets: [{ assetId: hex(0), itemIndex: 1 }] };
		expect(decodeWaitState(encodeWaitState(skipping, 10))).toEqual(skipping);
	});

	test('a state written as v1 (an execution parked before the upgrade) still reads back', () => {
		const v1 = {
			hoox_wait: JSON.stringify({ v: 1, node: 'n', chunks: 1, assets: 3 }),
			hoox_wait_1: `0:${hex(0)},${hex(1)};1:${hex(2)}`,
		};
		expect(decodeWaitState(v1)?.assets).toEqual([
			{ assetId: hex(0), itemIndex: 0 },
			{ assetId: hex(1), itemIndex: 0 },
			{ assetId: hex(2), itemIndex: 1 },
		]);
	});

	test('damaged packed data reads as no state', () => {
		const entries = encodeWaitState(state(4, 1), 10)!;
		expect(
			decodeWaitState({ ...entries, hoox_wait_1: entries.hoox_wait_1.slice(1) }),
		).toBeUndefined();
		expect(
			decodeWaitState({ ...entries, hoox_wait_1: `${entries.hoox_wait_1.slice(1)}!` }),
		).toBeUndefined();
		const noPer = { ...JSON.parse(entries.hoox_wait), per: 0 };
		expect(decodeWaitState({ ...entries, hoox_wait: JSON.stringify(noPer) })).toBeUndefined();
	});
});
