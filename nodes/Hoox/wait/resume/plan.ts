/** Generate's side of Resume on Webhook before anything is submitted: can this run park? */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { hooxCredentials, normalizeBaseUrl } from '../../../shared/api';
import { isToolExecution, RESUME_WAIT_MODE, type WaitMode, type WaitSettings } from '../settings';
import {
	encodeWaitState,
	executeCustomData,
	freeStateKeys,
	maxWaitingAssets,
	TYPICAL_ID_LENGTH,
} from './state';

/** Says in the log why this run polls instead. */
export function logFallBack(ctx: IExecuteFunctions, reason: string): void {
	ctx.logger?.info(
		`Hoox: Wait Mode "Resume on Webhook" falls back to polling for this run: ${reason}`,
	);
}

/**
 * Whether this run of Generate waits by webhook: the mode is chosen, the node waits for completion,
 * and it does not run as an AI-agent tool (a tool call must answer, so it polls within its budget).
 */
export function usesResumeMode(
	ctx: IExecuteFunctions,
	settings: Pick<WaitSettings, 'waitMode'>,
): boolean {
	if (settings.waitMode !== RESUME_WAIT_MODE) return false;
	if (isToolExecution(ctx)) {
		ctx.logger?.debug(
			'Hoox: Wait Mode "Resume on Webhook" is not used as an AI-agent tool; polling instead',
		);
		return false;
	}
	return true;
}

/** `$execution.resumeUrl`, exactly as n8n gives it (2.x: with its `?signature=`). */
export function resumeUrlOf(ctx: IExecuteFunctions, itemIndex = 0): string {
	const url = ctx.evaluateExpression('{{ $execution.resumeUrl }}', itemIndex);
	if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`[item ${itemIndex}] Options → Wait Mode: n8n gave no resume URL for this execution`,
			{
				itemIndex,
				description: 'Resume on Webhook needs a resume URL from n8n. Set Wait Mode to "Poll" here.',
			},
		);
	}
	return url;
}

/**
 * Generate's side of the mode before anything is submitted: puts the resume URL into each item's
 * /asset/start body (`apply`), and drops back to polling for the whole run, before any submit,
 * when the asset ids could not be kept in the execution's custom data.
 */
export class ResumePlan {
	/** False once the plan fell back to polling. */
	active = true;
	readonly resumeUrl: string;
	private readonly ctx: IExecuteFunctions;
	private readonly settings: WaitSettings;
	private readonly bodies: IDataObject[] = [];
	private readonly plannedItems: number[] = [];

	constructor(ctx: IExecuteFunctions, settings: WaitSettings, resumeUrl: string) {
		this.ctx = ctx;
		this.settings = settings;
		this.resumeUrl = resumeUrl;
	}

	/**
	 * One item's body: sets `webhook_url` to the resume URL. A webhook URL the user set (Additional
	 * Fields or the JSON body fields) cannot be combined with this mode: Hoox calls one URL per asset.
	 */
	apply(body: IDataObject, itemIndex: number): void {
		const given = body.webhook_url;
		if (
			given !== undefined &&
			given !== null &&
			String(given).trim() !== '' &&
			given !== this.resumeUrl
		) {
			throw new NodeOperationError(
				this.ctx.getNode(),
				`[item ${itemIndex}] Additional Fields → Webhook URL cannot be combined with Options → Wait Mode "Resume on Webhook"`,
				{
					itemIndex,
					description:
						"In this mode Hoox calls this execution's resume URL when each asset is done, and Hoox takes one webhook URL per asset. " +
						'Remove the Webhook URL (also from Additional Body Fields), or set Wait Mode to "Poll".',
				},
			);
		}
		if (!this.active) return;
		const count = Math.max(1, Math.floor(Number(body.generation_count ?? 1)) || 1);
		const items = [...this.plannedItems, ...Array.from({ length: count }, () => itemIndex)];
		if (!fitsInCustomData(this.ctx, items, this.settings)) {
			this.fallBack(
				`about ${items.length} assets would not fit in the execution's custom data (the limit is about ${maxWaitingAssets()} per execution, fewer when the workflow sets custom data itself)`,
			);
			return;
		}
		this.plannedItems.push(...items.slice(this.plannedItems.length));
		body.webhook_url = this.resumeUrl;
		this.bodies.push(body);
	}

	/** Drops back to polling for the whole run (before any submit), and says so in the log. */
	fallBack(reason: string): void {
		if (!this.active) return;
		this.active = false;
		for (const body of this.bodies) delete body.webhook_url;
		logFallBack(this.ctx, reason);
	}
}

/**
 * The plan for this run of Generate, or undefined when it polls (Wait Mode "Poll", Wait for
 * Completion off, or an AI-agent tool call).
 */
export async function planResume(
	ctx: IExecuteFunctions,
	settings: WaitSettings,
): Promise<ResumePlan | undefined> {
	if (!usesResumeMode(ctx, settings)) return undefined;
	const fallBack = (reason: string) => {
		logFallBack(ctx, reason);
		return undefined;
	};
	if (!executeCustomData(ctx)) {
		return fallBack(
			"this n8n gives nodes no access to the execution's custom data, where the wait state is kept",
		);
	}
	const resumeUrl = resumeUrlOf(ctx);
	const hooxHost = await hooxHostname(ctx);
	if (isLocalHost(hostnameOf(resumeUrl)) && hooxHost !== undefined && !isLocalHost(hooxHost)) {
		return fallBack(
			`Hoox cannot reach this execution's resume URL (${stripQuery(resumeUrl)}): ` +
				"set n8n's WEBHOOK_URL to an address reachable from the internet",
		);
	}
	return new ResumePlan(ctx, settings, resumeUrl);
}

function hostnameOf(url: string): string {
	try {
		return new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
	} catch {
		return '';
	}
}

function stripQuery(url: string): string {
	return url.split('?')[0];
}

async function hooxHostname(ctx: IExecuteFunctions): Promise<string | undefined> {
	try {
		const credentials = await hooxCredentials(ctx);
		return hostnameOf(normalizeBaseUrl(credentials.baseUrl as string | undefined));
	} catch {
		return undefined;
	}
}

/**
 * Loopback, private, link-local and `.local` hosts: not reachable from Hoox's servers (n8n's
 * resume URL is `http://localhost:5678/…` unless WEBHOOK_URL is set). When the Hoox base URL is
 * such a host too (a local Hoox or the emulator), the resume URL is fine.
 */
export function isLocalHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (host === '' || host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local'))
		return true;
	if (host === '::1' || host === '::' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe80:/.test(host))
		return true;
	const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(host.replace(/^::ffff:/, ''));
	if (!v4) return false;
	const [a, b] = [Number(v4[1]), Number(v4[2])];
	return (
		a === 127 ||
		a === 10 ||
		a === 0 ||
		(a === 192 && b === 168) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 169 && b === 254)
	);
}

/** Whether assets of these input items (24-character ids, as Hoox's) fit in the custom data. */
function fitsInCustomData(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	settings: WaitSettings,
): boolean {
	let existing: Record<string, unknown> = {};
	try {
		existing = executeCustomData(ctx)?.getAll() ?? {};
	} catch {
		return false;
	}
	const assets = itemIndexes.map((itemIndex, n) => ({
		assetId: String(n).padStart(TYPICAL_ID_LENGTH, '0'),
		itemIndex,
	}));
	const state = {
		nodeId: ctx.getNode().id,
		download: settings.download,
		binaryProperty: settings.binaryProperty,
		assets,
	};
	return encodeWaitState(state, freeStateKeys(existing)) !== undefined;
}

/** The wait mode of a Generate run, settled before the submits: resume only while the plan is active. */
export function settledWaitMode(settings: WaitSettings, plan: ResumePlan | undefined): WaitMode {
	if (settings.waitMode === 'none') return 'none';
	return plan?.active ? RESUME_WAIT_MODE : 'poll';
}
