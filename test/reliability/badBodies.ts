/**
 * Bad webhook bodies of every wrong shape, depth and size (issue 9, item 5), for both webhooks
 * that take Hoox's asset events: the Hoox Trigger's and the Hoox node's resume URL.
 */
import type { IDataObject } from 'n8n-workflow';

export function nested(depth: number, leaf: unknown = 'x'): unknown {
	let value: unknown = leaf;
	for (let i = 0; i < depth; i++) value = { a: value };
	return value;
}

export const HUGE = `line one\nHoox Trigger: forged log line\r\n${'x'.repeat(100_000)}`;
/** [label, parsed body as n8n hands it over, raw body]; `valid` is the event each case spoils. */
export function badBodies(valid: IDataObject): Array<[string, unknown, Buffer | undefined]> {
	const list: Array<[string, unknown, Buffer | undefined]> = [];
	const add = (label: string, body: unknown, raw?: string | Buffer) =>
		list.push([label, body, raw === undefined ? undefined : Buffer.from(raw)]);
	// not an object
	for (const [label, body] of [
		['string', 'not json'],
		['number', 42],
		['null', null],
		['true', true],
		['array', [valid]],
		['empty object', {}],
	] as Array<[string, unknown]>)
		add(label, body);
	add('raw garbage', {}, Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7b]));
	add('raw invalid JSON', {}, '{"asset_id": "a", ');
	add('raw huge string', {}, JSON.stringify(HUGE));
	add('raw deep array', {}, `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
	add('raw deep object', {}, `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`);
	add('raw __proto__', {}, '{"__proto__":{"polluted":true},"asset_id":"a1","status":"completed"}');
	// nesting 5,000 levels in each field
	for (const field of ['result', 'status', 'task', 'asset_id', 'error', 'extra'])
		add(`5,000 levels in ${field}`, { ...valid, [field]: nested(5_000) });
	add('20,000 keys', Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i])));
	// task
	for (const task of [HUGE, { a: 1 }, 7, ['asset_generation'], ''])
		add(`task ${typeof task}`, { ...valid, task });
	// asset_id
	for (const assetId of [
		'',
		' ',
		'..',
		'../../etc/passwd',
		'a\nb',
		'x'.repeat(300),
		'%2e%2e',
		'a\u0000b',
		'é',
		5,
		{},
		[],
	])
		add(`asset_id ${JSON.stringify(assetId).slice(0, 20)}`, { ...valid, asset_id: assetId });
	// status
	for (const status of ['generating', '', 'COMPLETED', HUGE, 5, { s: 1 }, null])
		add(`status ${JSON.stringify(status)?.slice(0, 20)}`, { ...valid, status });
	// result / error of wrong types
	for (const result of ['x', [1, 2], null, 5, nested(40)])
		add(`result ${typeof result}`, { ...valid, result });
	for (const error of [HUGE, [1], nested(40)])
		add(`error ${typeof error}`, { ...valid, status: 'failed', error });
	return list;
}
