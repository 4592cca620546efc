import { request } from 'node:http';
import { inflateSync } from 'node:zlib';
import { startEmulator, type Emulator } from '../../emulator';
import { crc32 } from '../../emulator/media';
import { client, waitTerminal, type Client } from './helpers';

const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Walks PNG chunks, checking every CRC; returns IHDR size and chunk types. */
function parsePng(buf: Buffer): { width: number; height: number; types: string[]; idat: Buffer } {
	expect(buf.subarray(0, 8).equals(PNG_SIG)).toBe(true);
	const types: string[] = [];
	const idat: Buffer[] = [];
	let width = 0;
	let height = 0;
	let i = 8;
	while (i < buf.length) {
		const len = buf.readUInt32BE(i);
		const type = buf.toString('latin1', i + 4, i + 8);
		const data = buf.subarray(i + 8, i + 8 + len);
		expect(crc32(buf.subarray(i + 4, i + 8 + len))).toBe(buf.readUInt32BE(i + 8 + len));
		if (type === 'IHDR') [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
		if (type === 'IDAT') idat.push(data);
		types.push(type);
		i += 12 + len;
	}
	expect(i).toBe(buf.length);
	return { width, height, types, idat: Buffer.concat(idat) };
}

interface Box {
	type: string;
	start: number;
	size: number;
	children?: Box[];
}
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'dinf', 'stbl']);

/** Parses ISO-BMFF boxes, checking that sizes nest exactly. */
function parseBoxes(buf: Buffer, start = 0, end = buf.length): Box[] {
	const boxes: Box[] = [];
	let i = start;
	while (i < end) {
		let size = buf.readUInt32BE(i);
		const type = buf.toString('latin1', i + 4, i + 8);
		if (size === 1) size = Number(buf.readBigUInt64BE(i + 8));
		expect(size).toBeGreaterThanOrEqual(8);
		expect(i + size).toBeLessThanOrEqual(end);
		const b: Box = { type, start: i, size };
		if (CONTAINERS.has(type)) b.children = parseBoxes(buf, i + 8, i + size);
		boxes.push(b);
		i += size;
	}
	expect(i).toBe(end);
	return boxes;
}
const find = (boxes: Box[], path: string[]): Box | undefined => {
	const [head, ...rest] = path;
	const b = boxes.find((x) => x.type === head);
	return !b || !rest.length ? b : find(b.children ?? [], rest);
};

async function download(
	url: string,
	headers: Record<string, string> = {},
): Promise<{ status: number; type: string | null; length: number | null; body: Buffer }> {
	const r = await fetch(url, { headers });
	const body = Buffer.from(await r.arrayBuffer());
	return {
		status: r.status,
		type: r.headers.get('content-type'),
		length: Number(r.headers.get('content-length')),
		body,
	};
}

/** Streams a response, counting bytes without keeping them; returns count, first bytes and last bytes. */
function streamCount(
	url: string,
): Promise<{ status: number; length: number; count: number; head: Buffer; tail: Buffer }> {
	return new Promise((resolve, reject) => {
		request(url, (res) => {
			let count = 0;
			let head = Buffer.alloc(0);
			let tail = Buffer.alloc(0);
			res.on('data', (c: Buffer) => {
				if (head.length < 64) head = Buffer.concat([head, c]).subarray(0, 64);
				tail = Buffer.concat([tail, c]).subarray(-64);
				count += c.length;
			});
			res.on('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					length: Number(res.headers['content-length']),
					count,
					head,
					tail,
				}),
			);
			res.on('error', reject);
		})
			.on('error', reject)
			.end();
	});
}

describe('emulator: media', () => {
	let emu: Emulator;
	let api: Client;
	const LARGE = 3 * 1024 * 1024 + 7;
	beforeAll(async () => {
		emu = await startEmulator({
			rateLimitPerMinute: 0,
			durations: { image: 5, video: 5 },
			largeMediaBytes: LARGE,
		});
		api = client(emu);
	});
	afterAll(() => emu.close());
	beforeEach(() => emu.reset());

	async function completed(body: Record<string, unknown>): Promise<any> {
		const r = await api.post('/asset/start', body);
		expect(r.status).toBe(201);
		return waitTerminal(api, r.body.asset_ids[0]);
	}

	it('serves a small valid PNG for an image asset, with its width × height', async () => {
		const a = await completed({
			type: 'image',
			model: 'z-image-turbo',
			prompt: 'x',
			aspect_ratio: '4:3',
		});
		const r = await download(a.url);
		expect(r.status).toBe(200);
		expect(r.type).toBe('image/png');
		expect(r.length).toBe(r.body.length);
		expect(r.body.length).toBeLessThan(100_000);
		const png = parsePng(r.body);
		expect([png.width, png.height]).toEqual([a.width, a.height]);
		expect(png.types[0]).toBe('IHDR');
		expect(png.types[png.types.length - 1]).toBe('IEND');
		expect(inflateSync(png.idat).length).toBe((a.width + 1) * a.height); // greyscale, filter byte per row
	});

	it('serves a small valid MP4 (ftyp first, moov with an avc1 track, mdat) for a video asset', async () => {
		const a = await completed({ type: 'video', model: 'kling-v3-pro', prompt: 'x', duration: 3 });
		const r = await download(a.url);
		expect(r.status).toBe(200);
		expect(r.type).toBe('video/mp4');
		expect(r.length).toBe(r.body.length);
		expect(r.body.toString('latin1', 4, 8)).toBe('ftyp');
		expect(r.body.toString('latin1', 8, 12)).toBe('isom');
		const boxes = parseBoxes(r.body);
		expect(boxes.map((b) => b.type)).toEqual(['ftyp', 'moov', 'mdat']);
		expect(find(boxes, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stsd'])).toBeDefined();
		expect(r.body.includes(Buffer.from('avc1'))).toBe(true);
		expect(r.body.includes(Buffer.from('avcC'))).toBe(true);
		// mvhd duration (timescale 1000) = duration_seconds
		const mvhd = find(boxes, ['moov', 'mvhd'])!;
		const timescale = r.body.readUInt32BE(mvhd.start + 20);
		const duration = r.body.readUInt32BE(mvhd.start + 24);
		expect(duration / timescale).toBe(a.duration_seconds);
		// stco points inside mdat
		const stco = find(boxes, ['moov', 'trak', 'mdia', 'minf', 'stbl', 'stco'])!;
		const offset = r.body.readUInt32BE(stco.start + 16);
		const mdat = boxes[2];
		expect(offset).toBe(mdat.start + 8);
		// tkhd presentation size = the asset's width × height (16.16 fixed point)
		const tkhd = find(boxes, ['moov', 'trak', 'tkhd'])!;
		expect(r.body.readUInt32BE(tkhd.start + tkhd.size - 8) / 65536).toBe(a.width);
		expect(r.body.readUInt32BE(tkhd.start + tkhd.size - 4) / 65536).toBe(a.height);
	});

	it('serves the video thumbnail as a PNG of the same size', async () => {
		const a = await completed({
			type: 'video',
			model: 'seedance-1.5',
			prompt: 'x',
			aspect_ratio: '21:9',
			resolution: '480p',
		});
		const r = await download(a.thumbnail_url);
		expect(r.type).toBe('image/png');
		const png = parsePng(r.body);
		expect([png.width, png.height]).toEqual([a.width, a.height]);
	});

	it('streams the large variant (?size=large) with the exact content-length, still a valid PNG', async () => {
		const a = await completed({ type: 'image', model: 'grok-imagine-image', prompt: 'x' });
		const r = await download(`${a.url}?size=large`);
		expect(r.status).toBe(200);
		expect(r.length).toBe(LARGE);
		expect(r.body.length).toBe(LARGE);
		const png = parsePng(r.body);
		expect(png.types).toContain('hxPd');
		expect([png.width, png.height]).toEqual([a.width, a.height]);
	});

	it('large_media knob: the asset url itself streams the large MP4, with a consistent box structure', async () => {
		const a = await completed({
			type: 'video',
			model: 'veo-3.1',
			prompt: 'x',
			x_emulator: { large_media: true },
		});
		const r = await streamCount(a.url);
		expect(r.status).toBe(200);
		expect(r.length).toBe(LARGE);
		expect(r.count).toBe(LARGE);
		expect(r.head.toString('latin1', 4, 8)).toBe('ftyp');
		const full = await download(a.url);
		const boxes = parseBoxes(full.body);
		expect(boxes.map((b) => b.type)).toEqual(['ftyp', 'moov', 'mdat']);
		// the thumbnail stays small
		expect((await download(a.thumbnail_url)).body.length).toBeLessThan(LARGE);
	});

	it('streams 200 MB by default without buffering it (byte count only)', async () => {
		const big = await startEmulator({ durations: { image: 1 } });
		try {
			const r = await streamCount(`${big.origin}/media/sample.png?size=large`);
			expect(r.length).toBe(200 * 1024 * 1024);
			expect(r.count).toBe(200 * 1024 * 1024);
			expect(r.head.subarray(0, 8).equals(PNG_SIG)).toBe(true);
			expect(r.tail.subarray(-8, -4).toString('latin1')).toBe('IEND');
		} finally {
			await big.close();
		}
	}, 60_000);

	it('answers HEAD with headers only', async () => {
		const a = await completed({ type: 'image', model: 'z-image-turbo', prompt: 'x' });
		const r = await fetch(a.url, { method: 'HEAD' });
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toBe('image/png');
		expect(Number(r.headers.get('content-length'))).toBeGreaterThan(50);
	});

	it('serves /media/sample.png and /media/sample.mp4 at any time', async () => {
		expect(parsePng((await download(`${emu.origin}/media/sample.png`)).body).width).toBe(1024);
		expect(parseBoxes((await download(`${emu.origin}/media/sample.mp4`)).body)[0].type).toBe(
			'ftyp',
		);
	});

	it('404 for unknown ids, running assets, and the wrong extension', async () => {
		const running = await api.post('/asset/start', {
			type: 'image',
			model: 'z-image-turbo',
			prompt: 'x',
			x_emulator: { duration_ms: 60_000 },
		});
		const img = await completed({ type: 'image', model: 'z-image-turbo', prompt: 'x' });
		for (const url of [
			`${emu.origin}/media/ffffffffffffffffffffffff.png`,
			`${emu.origin}/media/${running.body.asset_ids[0]}.png`,
			`${emu.origin}/media/${img.asset_id}.mp4`,
			`${emu.origin}/media/${img.asset_id}.thumb.png`,
			`${emu.origin}/media/${img.asset_id}.gif`,
		]) {
			expect((await download(url)).status).toBe(404);
		}
	});

	it('needs no auth, and records whether an Authorization header was sent', async () => {
		const a = await completed({ type: 'image', model: 'z-image-turbo', prompt: 'x' });
		await download(a.url);
		await download(a.url, { authorization: 'Bearer hx_live_' + 'a'.repeat(64) });
		const media = emu.requests({ kind: 'media' });
		expect(media).toHaveLength(2);
		expect(media[0]).toMatchObject({
			method: 'GET',
			path: `/media/${a.asset_id}.png`,
			status: 200,
		});
		expect(media[0].headers.authorization).toBeUndefined();
		expect(media[1].headers.authorization).toBe('Bearer hx_live_…aaaa');
		expect(emu.requests({ path: '/media/' })).toHaveLength(2);
		expect(emu.requests({ kind: 'api', path: '/media/' })).toHaveLength(0);
	});
});
