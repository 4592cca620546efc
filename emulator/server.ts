import type { Emulator, EmulatorOptions } from './types';

/** Starts an emulator on 127.0.0.1 (implementation in progress). */
export async function startEmulator(_opts: EmulatorOptions = {}): Promise<Emulator> {
	throw new Error('emulator: not implemented yet');
}
