/**
 * What this n8n process read from Hoox about the assets of each parked execution, so that every
 * asset is read once: a callback reads only its own asset, and the execution resumes when every
 * asset has been read completed or failed. Module memory: lost on restart, and another process
 * (queue mode) has none: for an execution this process did not park, each callback probes the
 * assets not known finished here (callback.ts), so the last one to finish finds them all.
 */
import { isTerminal, type AssetStatus } from '../../../shared/api';

export interface ExecutionMemory {
	/** This process parked the execution: every unfinished asset's callback comes here. */
	tracked: boolean;
	/** Completed/failed statuses read from Hoox. */
	finished: Map<string, AssetStatus>;
	/** Assets whose callback came but whose read did not show them finished yet (lagging status). */
	announced: Set<string>;
	/** Reads in flight, shared by duplicate callbacks of one asset. */
	reading: Map<string, Promise<StatusOutcome>>;
	/** When each asset was last read (a probe reads the least recently checked first). */
	checkedAt: Map<string, number>;
	touchedAt: number;
}

export type StatusOutcome = { ok: true; status: AssetStatus } | { ok: false; reason: string };

/** Executions remembered at most, and for how long without a callback. */
const MAX_EXECUTIONS = 2000;
const FORGET_AFTER_MS = 7 * 24 * 3600_000;

const memories = new Map<string, ExecutionMemory>();

function prune(now: number): void {
	for (const [id, memory] of memories) {
		if (memories.size <= MAX_EXECUTIONS && now - memory.touchedAt < FORGET_AFTER_MS) break;
		memories.delete(id);
	}
}

/** The memory of an execution; a new one is marked as not parked here. */
export function memoryOf(executionId: string, now = Date.now()): ExecutionMemory {
	let memory = memories.get(executionId);
	if (!memory) {
		prune(now);
		memory = {
			tracked: false,
			finished: new Map(),
			announced: new Set(),
			reading: new Map(),
			checkedAt: new Map(),
			touchedAt: now,
		};
	} else {
		memories.delete(executionId);
	}
	memory.touchedAt = now;
	memories.set(executionId, memory); // most recently used last
	return memory;
}

/** Called when this process parks an execution: what it read before parking counts. */
export function rememberParked(executionId: string, statuses: AssetStatus[], now = Date.now()) {
	const memory = memoryOf(executionId, now);
	memory.tracked = true;
	for (const status of statuses)
		if (isTerminal(status)) memory.finished.set(status.asset_id, status);
}

export function forgetExecution(executionId: string): void {
	memories.delete(executionId);
}

/** Forgets everything (tests; a restart of n8n). */
export function resetMemories(): void {
	memories.clear();
}
