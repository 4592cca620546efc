import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { AssetStatus } from '../../shared/api';
import { maxDownloadBytes } from '../../shared/assets/downloadGuard';
import { secondsToMs } from '../helpers/params';

/**
 * How to get from "submitted" to "final": 'none' returns the assets as they are, 'poll' waits in
 * the node (one loop for every asset), 'resume' parks the execution until Hoox calls back.
 */
export type WaitMode = 'none' | 'poll' | 'resume';

/** The Wait Mode value of "Resume on Webhook" (Options → Wait Mode). */
export const RESUME_WAIT_MODE = 'resume' satisfies WaitMode;

export interface WaitSettings {
	waitMode: WaitMode;
	timeoutMs: number;
	minIntervalMs: number;
	maxIntervalMs: number;
	download: boolean;
	binaryProperty: string;
	/** Size cap of each download (Max Download Size). */
	maxDownloadBytes: number;
}

/** An asset this execution is responsible for (submitted, or given by id). */
export interface TrackedAsset {
	assetId: string;
	itemIndex: number;
	model?: string;
	prompt?: string;
	/** Last known status (from the submit answer or a status call). */
	status?: AssetStatus;
	/** When Hoox answered its submit (epoch ms): the age the wait schedules by. */
	submittedAt?: number;
}

/** One wait: what finishWait() needs, instead of a row of positional parameters. */
export interface WaitRun {
	assets: TrackedAsset[];
	settings: WaitSettings;
	abortSignal?: AbortSignal;
	continueOnFail: boolean;
	/** Error items already in the output (Continue On Fail): a resumed execution would lose them. */
	otherItems?: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 900;
export const DEFAULT_MIN_INTERVAL_SECONDS = 2.5;
export const DEFAULT_MAX_INTERVAL_SECONDS = 15;

/** Reads the "Options" collection of Generate and Wait for Completion. */
export function readWaitSettings(options: IDataObject, waitByDefault: boolean): WaitSettings {
	const wait =
		options.waitForCompletion === undefined ? waitByDefault : options.waitForCompletion !== false;
	const minIntervalMs = secondsToMs(options.pollIntervalMin, DEFAULT_MIN_INTERVAL_SECONDS);
	const maxIntervalMs = Math.max(
		minIntervalMs,
		secondsToMs(options.pollIntervalMax, DEFAULT_MAX_INTERVAL_SECONDS),
	);
	const requestedMode =
		typeof options.waitMode === 'string' ? (options.waitMode as WaitMode) : 'poll';
	return {
		waitMode: wait ? requestedMode : 'none',
		timeoutMs: secondsToMs(options.waitTimeout, DEFAULT_TIMEOUT_SECONDS),
		minIntervalMs,
		maxIntervalMs,
		download: options.downloadBinary === true,
		binaryProperty: String(options.binaryProperty || 'data').trim() || 'data',
		maxDownloadBytes: maxDownloadBytes(options.maxDownloadSizeMb),
	};
}

/** Milliseconds as seconds with one decimal, for messages ("0.2", "900"). */
export function formatSeconds(ms: number): string {
	return String(Math.round(ms / 100) / 10);
}

/** Whether the node runs as an AI-agent tool (it then answers within the wait timeout). */
export function isToolExecution(ctx: IExecuteFunctions): boolean {
	try {
		return typeof ctx.isToolExecution === 'function' && ctx.isToolExecution() === true;
	} catch {
		return false;
	}
}
