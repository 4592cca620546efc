/**
 * Hoox API emulator — public entry point.
 *
 *   import { startEmulator, TEST_API_KEY } from '../../emulator';
 *   const emu = await startEmulator({ durations: { image: 50, video: 50 } });
 *   // credential Base URL = emu.baseUrl, API key = TEST_API_KEY
 *   await emu.close();
 *
 * See emulator/README.md for options, the /__control HTTP API and the `x_emulator` knobs.
 */
export { startEmulator } from './server';
export { TEST_API_KEY, API_PREFIX } from './constants';
export type {
	AssetRecord,
	AssetStatus,
	Emulator,
	EmulatorOptions,
	Fault,
	JsonSchemaProperty,
	LedgerEntry,
	ModelCapabilities,
	ModelDefinition,
	ModelInputSchema,
	ModelSetting,
	RecordedRequest,
	RequestFilter,
	WebhookDelivery,
	WebhookFanout,
	WebhookPayload,
} from './types';
