import type { Emulator } from '../../emulator';

/** The next status read of this asset answers `status` (as Hoox would once it is done). */
export function hooxSays(emu: Emulator, assetId: string, status: 'completed' | 'failed'): void {
	emu.injectFault({
		route: `GET /asset/status/${assetId}`,
		count: 1,
		status: 200,
		body: {
			asset_id: assetId,
			status,
			type: 'image',
			...(status === 'completed'
				? { url: `${emu.origin}/media/${assetId}.png` }
				: { error: { code: 'GENERATION_FAILED', message: 'Hoox says failed' } }),
		},
	});
}
