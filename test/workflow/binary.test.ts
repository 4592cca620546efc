/**
 * Download Output as Binary with n8n's real BinaryDataService in filesystem mode (files in a temp
 * folder, as a self-hosted n8n stores them): what the node hands to n8n must be the media, byte for
 * byte, and large files must arrive whole.
 */
import { statSync } from 'node:fs';
import type { IBinaryData } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../../emulator';
import { generateParameters } from '../support/hooxNode';
import { HOOX, hooxWorkflow } from './builders';
import { createdAssetIds } from './emulatorLog';
import { runWorkflow } from './harness';
import { binaryDataService, setUpInstance } from './engine';

const LARGE_BYTES = 3 * 1024 * 1024 + 17;

let emu: Emulator;
let storagePath: string;
beforeAll(async () => {
	emu = await startEmulator({
		durations: { image: 10, video: 20 },
		rateLimitPerMinute: 0,
		largeMediaBytes: LARGE_BYTES,
	});
	storagePath = await setUpInstance();
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

async function mediaBytes(url: string): Promise<Buffer> {
	const response = await fetch(url);
	expect(response.status).toBe(200);
	return Buffer.from(await response.arrayBuffer());
}

async function storedFile(binary: IBinaryData) {
	const service = binaryDataService();
	expect(binary.id).toMatch(/^filesystem-v2:/);
	const path = service.getPath(binary.id as string);
	expect(path.startsWith(storagePath)).toBe(true);
	return { path, bytes: await service.getAsBuffer(binary) };
}

test('each image is stored by n8n in filesystem mode, byte for byte, under the chosen property', async () => {
	const parameters = generateParameters({
		prompt: '={{ $json.prompt }}',
		aspectRatio: '1:1',
		options: { downloadBinary: true, binaryProperty: 'image' },
	});
	const items = [{ prompt: 'a lighthouse' }, { prompt: 'a harbour' }];
	const result = await runWorkflow(hooxWorkflow(parameters, items), { emulator: emu });

	expect(result.status).toBe('success');
	const output = result.items(HOOX);
	expect(output).toHaveLength(2);
	const ids = createdAssetIds(emu);
	// one media download per asset, without the API key
	const downloads = result.requests('/media/').filter((r) => r.kind === 'media');
	expect(downloads.map((r) => r.path).sort()).toEqual(ids.map((id) => `/media/${id}.png`).sort());
	for (const download of downloads) expect(download.headers.authorization).toBeUndefined();
	// (the test's own reads of the media below come after)
	for (const [k, item] of output.entries()) {
		expect(item.json.asset_id).toBe(ids[k]);
		const binary = item.binary?.image as IBinaryData;
		expect(binary).toMatchObject({ mimeType: 'image/png', fileExtension: 'png' });
		expect(binary.data).toBe('filesystem-v2'); // no base64 copy in the item
		const { path, bytes } = await storedFile(binary);
		const media = await mediaBytes(String(item.json.url));
		expect(bytes.equals(media)).toBe(true);
		expect(statSync(path).size).toBe(media.length);
		expect(binary.bytes).toBe(media.length);
	}
});

test('a large file arrives whole: its size on disk is the size Hoox served', async () => {
	const parameters = generateParameters({
		options: { downloadBinary: true },
		additionalFields: {
			additionalBodyFields: JSON.stringify({ x_emulator: { large_media: true } }),
		},
	});
	const result = await runWorkflow(hooxWorkflow(parameters), { emulator: emu });

	expect(result.status).toBe('success');
	const [item] = result.items(HOOX);
	const binary = item.binary?.data as IBinaryData;
	expect(binary.bytes).toBe(LARGE_BYTES);
	const { path, bytes } = await storedFile(binary);
	expect(statSync(path).size).toBe(LARGE_BYTES);
	expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a'); // a PNG
	const downloads = result.requests('/media/').filter((r) => r.kind === 'media');
	expect(downloads).toHaveLength(1);
	expect(downloads[0].status).toBe(200);
});
