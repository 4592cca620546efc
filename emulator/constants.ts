/** A fixed, well-formed key that every emulator accepts (also when acceptAnyWellFormedKey is false). */
export const TEST_API_KEY =
	'hx_live_4af5b6dca225cc24937af56a9447ce9ffc8a76d6d141f28c8a797971832408c7';

/** Path prefix of the public API; `Emulator.baseUrl` = origin + API_PREFIX. */
export const API_PREFIX = '/api/public/v1';

export const KEY_PATTERN = /^hx_live_[0-9a-f]{64}$/;

export const DEFAULTS = {
	initialBalance: 10000,
	rateLimitPerMinute: 100,
	imageMs: 300,
	videoMs: 800,
	pendingMs: 0,
	webhookRetryDelaysMs: [1000, 2000, 4000],
	webhookTimeoutMs: 10000,
	largeMediaBytes: 200 * 1024 * 1024,
	/** base_cost used for models whose entry has none. */
	baseCost: 1,
	/** Largest request body accepted (bytes). */
	maxBodyBytes: 1024 * 1024,
} as const;
