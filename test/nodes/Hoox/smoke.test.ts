import { startEmulator, type Emulator } from '../../../emulator';
import { generateParameters, run, startRequests } from '../../support/hooxNode';

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ port: 0, durations: { image: 20, video: 40 }, rateLimitPerMinute: 0 });
});
afterAll(async () => emu.close());

test('generate one image', async () => {
	const { items } = await run(emu, { parameters: generateParameters() });
	console.log(JSON.stringify(items, null, 1), JSON.stringify(startRequests(emu)[0].body));
});
