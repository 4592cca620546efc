/**
 * What a failed status read means for a wait (round.ts), and how the errors it ends with read.
 * 401 stops the wait (no read can succeed); 400/403/404/410 fail that asset; anything else is
 * transient (polled again, listed in `lastPollErrors`).
 */
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { AssetStatus } from '../../shared/api';

export const NOT_A_STATUS =
	'Hoox answered the status request with something that is not an asset status';

export type ReadErrorKind = 'fatal' | 'final' | 'transient';

/** What a poll failure means for the wait. */
export function classify(error: unknown): ReadErrorKind {
	if (!(error instanceof NodeApiError)) return 'fatal';
	const code = httpCodeOf(error);
	if (code === 401) return 'fatal';
	if (code === 400 || code === 403 || code === 404 || code === 410) return 'final';
	return 'transient';
}

export function httpCodeOf(error: unknown): number | undefined {
	const code = Number((error as NodeApiError)?.httpCode);
	return Number.isFinite(code) && code > 0 ? code : undefined;
}

export function messageOf(error: unknown): string {
	const message = (error as Error)?.message;
	return typeof message === 'string' && message ? message : String(error);
}

/** The asset's status after a read that failed for good (its last known fields kept). */
export function failedByPoll(
	id: string,
	before: AssetStatus | undefined,
	error: NodeApiError,
): AssetStatus {
	const httpCode = httpCodeOf(error);
	const hooxCode = error.errorResponse?.hooxCode;
	const code =
		typeof hooxCode === 'string' && hooxCode
			? hooxCode
			: httpCode === 404 || httpCode === 410
				? 'not_found'
				: httpCode === 403
					? 'forbidden'
					: 'status_unavailable';
	const failure: IDataObject = {
		code,
		message: messageOf(error),
		...(httpCode ? { http_code: httpCode } : {}),
	};
	return { ...(before ?? {}), asset_id: id, status: 'failed', error: failure };
}

/** Adds the unfinished asset ids to a fatal error, so the user can find them later. */
export function withUnfinished(error: unknown, ids: string[]): unknown {
	if (error instanceof NodeApiError && ids.length > 0) {
		const note = `Assets not finished when the wait stopped (they keep generating; check them later with Get Status): ${ids.join(', ')}.`;
		error.description = error.description ? `${error.description} ${note}` : note;
	}
	return error;
}
