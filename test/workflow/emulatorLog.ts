/** Reading the emulator's log and ledger the way the workflow tests assert on them. */
import type { Emulator } from '../../emulator';
import type { RunResult } from './harness';

/** POST /asset/start requests of the run, counted by the prompt they carried (one prompt per item). */
export function startsByPrompt(result: RunResult, onlyAccepted = false): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const request of result.requests('/asset/start')) {
		if (request.method !== 'POST' || (onlyAccepted && request.status !== 201)) continue;
		const prompt = String((request.body as { prompt?: unknown })?.prompt);
		counts[prompt] = (counts[prompt] ?? 0) + 1;
	}
	return counts;
}

/** Credits the space paid since the last reset: debits minus refunds (of failed assets). */
export function netCreditsSpent(emulator: Emulator): number {
	const net = emulator
		.ledger()
		.reduce(
			(sum, entry) =>
				entry.kind === 'debit'
					? sum + entry.amount
					: entry.kind === 'refund'
						? sum - entry.amount
						: sum,
			0,
		);
	return Math.round(net * 1000) / 1000;
}

/** Ids of the assets Hoox created since the last reset, in order. */
export function createdAssetIds(emulator: Emulator): string[] {
	return emulator
		.ledger()
		.filter((entry) => entry.kind === 'debit')
		.flatMap((entry) => entry.asset_ids);
}
