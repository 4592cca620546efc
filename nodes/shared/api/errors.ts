/** Turns a failed Hoox call into an error a no-code user can act on, with no secret in it. */
import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { parseBody } from './body';
import { printableUrl, redactSecrets, urlSecret } from './secrets';
import type { HooxContext, HooxRequest, Outcome } from './types';
import { isObject } from '../util/loose';

/** Hoox error bodies come in two shapes: {error, details[{code,message,field}]} and {error, code}. */
export interface HooxErrorInfo {
	summary?: string;
	code?: string;
	field?: string;
	detail?: string;
}

/** What the request door knows about a failure besides the failure itself. */
export interface FailureInfo {
	baseUrl: string;
	apiKey: string;
	attempts: number;
	isSubmit: boolean;
}

interface Explanation {
	message: string;
	description: string;
	httpCode?: string;
	hoox: HooxErrorInfo;
}

type HttpFailure = Extract<Outcome, { kind: 'http' }>;

/** What one HTTP status means, given the request, the Hoox error and the failure info. */
interface StatusCase {
	request: HooxRequest;
	failure: HttpFailure;
	info: FailureInfo;
	hoox: HooxErrorInfo;
	/** What Hoox said (the detail, else the summary). */
	said?: string;
	/** " (tried N times)" after retries. */
	retried: string;
}

export function readHooxError(body: unknown): HooxErrorInfo {
	const parsed = parseBody(body);
	if (!parsed || typeof parsed !== 'object') {
		return typeof parsed === 'string' && parsed.trim()
			? { summary: parsed.trim().slice(0, 300) }
			: {};
	}
	const data = parsed as IDataObject;
	const details = Array.isArray(data.details) ? (data.details as IDataObject[]) : [];
	const first = details.find((d) => d && typeof d === 'object') ?? {};
	const errorValue = data.error as IDataObject | string | undefined;
	const nested = typeof errorValue === 'object' && errorValue !== null ? errorValue : {};
	const summary = [errorValue, nested.message, data.message].find(
		(value): value is string => typeof value === 'string',
	);
	const code = stringOf(data.code) ?? stringOf(first.code) ?? stringOf(nested.code);
	return {
		summary,
		code: code ? code.toLowerCase().slice(0, 100) : undefined,
		field: typeof first.field === 'string' ? first.field.slice(0, 100) : undefined,
		detail: typeof first.message === 'string' ? first.message : undefined,
	};
}

/** The NodeApiError of a failure: sanitized, with the item index and the asset ids. */
export function toNodeApiError(
	ctx: HooxContext,
	request: HooxRequest,
	failure: Outcome,
	info: FailureInfo,
): NodeApiError {
	const { message, description, httpCode, hoox } = explain(request, failure, info);
	const assets = request.assetIds?.length ? ` Asset IDs: ${request.assetIds.join(', ')}.` : '';
	const password = urlSecret(info.baseUrl);
	const clean = (text: string) => redactSecrets(text, info.apiKey, password);
	// Only sanitized data goes into the error: n8n stores it in the execution, and the raw
	// request error carries the Authorization header.
	const errorResponse: JsonObject = {
		message: clean(message),
		...(hoox.code ? { hooxCode: clean(hoox.code) } : {}),
		...(hoox.field ? { field: clean(hoox.field) } : {}),
		...(httpCode ? { httpCode } : {}),
	};
	return new NodeApiError(ctx.getNode(), errorResponse, {
		message: clean(message),
		description: clean(`${description}${assets}`.trim()),
		httpCode,
		itemIndex: request.itemIndex,
	});
}

function explain(request: HooxRequest, failure: Outcome, info: FailureInfo): Explanation {
	const retried = info.attempts > 1 ? ` (tried ${info.attempts} times)` : '';
	if (failure.kind === 'network') return explainNetwork(failure, info, retried);
	const hoox = readHooxError(failure.response.body);
	const said = cut(hoox.detail ?? hoox.summary, MAX_SAID);
	const status = failure.response.statusCode;
	const explainer = STATUS_EXPLAINERS[status] ?? (status >= 500 ? explainServerError : undefined);
	const text = explainer
		? explainer({ request, failure, info, hoox, said, retried })
		: {
				message: `Hoox answered HTTP ${status}${said ? `: ${said}` : ''}`,
				description: 'Unexpected answer from Hoox.',
			};
	return { ...text, httpCode: String(status), hoox };
}

function explainNetwork(
	failure: Extract<Outcome, { kind: 'network' }>,
	info: FailureInfo,
	retried: string,
): Explanation {
	const what = describeNetworkCode(failure.code);
	if (info.isSubmit && failure.reachedServer) {
		return {
			message: `The generation request to Hoox failed (${what}) and may have been received`,
			description: `It was not sent again, because a repeated request could start and charge a second generation. ${CHECK_SPACE}`,
			hoox: {},
		};
	}
	return {
		message: `Could not reach Hoox at ${printableUrl(info.baseUrl)} (${what})${retried}`,
		description: 'Check the Base URL in the Hoox credential and your network, then try again.',
		hoox: {},
	};
}

const CHECK_SPACE = 'Check the assets in your Hoox space before running this item again.';

type Text = Pick<Explanation, 'message' | 'description'>;

const STATUS_EXPLAINERS: Record<number, (c: StatusCase) => Text> = {
	400: ({ hoox, said }) => ({
		message: `Hoox rejected the request: invalid${hoox.field ? ` "${hoox.field}"` : ''}${said ? `: ${said}` : ''}`,
		description: hoox.field
			? `Fix the value sent as "${hoox.field}" (see the model's options), then run again.`
			: 'Check the parameters against the model (Model → Get), then run again.',
	}),
	401: () => ({
		message: 'Hoox rejected the API key',
		description:
			'The key is missing, invalid, expired or was regenerated. Paste a current key (it starts with hx_live_) into the Hoox credential.',
	}),
	402: ({ failure, said }) => {
		const needed = creditsNeeded(failure.response.body);
		return {
			message: `Not enough Hoox credits${needed ? `: this request needs ${needed}` : ''}`,
			description: `${said ? `${said}. ` : ''}Top up the credits of your Hoox space, or lower the generation count, duration or resolution.`,
		};
	},
	403: ({ hoox, said }) =>
		hoox.code === 'plan_required'
			? {
					message: 'Your Hoox plan does not include API access',
					description:
						'The Hoox API needs the Enterprise plan. Upgrade the plan of the space this key belongs to.',
				}
			: {
					message: `Hoox refused access${said ? `: ${said}` : ''}`,
					description:
						'The resource may belong to another Hoox space, or the model may need another plan (see Model → Get, "required_plans").',
				},
	404: ({ request, said }) => ({
		message: notFoundMessage(request, said),
		description: notFoundHint(request.notFound),
	}),
	429: ({ retried }) => ({
		message: `Hoox rate limit reached${retried}`,
		description:
			'Hoox allows about 100 requests per minute per space. Wait a minute, lower the number of items per run, or use webhooks instead of polling.',
	}),
};

function explainServerError({ failure, info, said, retried }: StatusCase): Text {
	const status = failure.response.statusCode;
	return info.isSubmit
		? {
				message: `Hoox failed while starting the generation (HTTP ${status})`,
				description: `It was not sent again, because the generation may have started and been charged. ${CHECK_SPACE}`,
			}
		: {
				message: `Hoox had a server error (HTTP ${status})${retried}`,
				description: `${said ? `${said}. ` : ''}Try again in a moment.`,
			};
}

const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed',
	ECONNRESET: 'connection reset',
	ETIMEDOUT: 'timed out',
	ECONNABORTED: 'timed out',
	ESOCKETTIMEDOUT: 'timed out',
	EPIPE: 'connection closed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ABORTED: 'cancelled',
};

/** A network error code in words, e.g. "connection refused" for ECONNREFUSED. */
export function describeNetworkCode(code: string): string {
	return NETWORK_WORDS[code] ?? `network error ${code.toLowerCase()}`;
}

/** Longest text Hoox said that a message repeats. */
const MAX_SAID = 300;

function cut(text: string | undefined, max: number): string | undefined {
	return text !== undefined && text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The credits a 402 says the request needs, when Hoox's answer states it (a field or its text). */
function creditsNeeded(body: unknown): string | undefined {
	const data = parseBody(body);
	if (!data || typeof data !== 'object') return undefined;
	const record = data as IDataObject;
	const nested = isObject(record.error) ? record.error : {};
	const details = Array.isArray(record.details) ? record.details.filter(isObject) : [];
	for (const source of [record, nested, ...details]) {
		for (const key of NEEDED_FIELDS) {
			const amount = amountOf(source[key]);
			if (amount !== undefined) return `${amount} credits`;
		}
	}
	const text = [record.error, nested.message, record.message, ...details.map((d) => d.message)]
		.filter((t): t is string => typeof t === 'string')
		.join(' ')
		.slice(0, 1000); // bounded: the patterns below run on text from the answer
	for (const pattern of NEEDED_PATTERNS) {
		const amount = amountOf(pattern.exec(text)?.[1]);
		if (amount !== undefined) return `${amount} credits`;
	}
	// one amount and no balance in the text: it can only be the one needed
	const amounts = text.match(/\d+(?:\.\d+)?\s*credits?\b/gi) ?? [];
	if (amounts.length === 1 && !/availab|balance|remain|\bleft\b|\bhave\b/i.test(text)) {
		return `${amountOf(/[\d.]+/.exec(amounts[0])?.[0])} credits`;
	}
	return undefined;
}

/** Fields in which an answer may state the credits needed, most specific first. */
const NEEDED_FIELDS = [
	'required_credits',
	'credits_required',
	'credits_needed',
	'required',
	'needed',
	'total_cost',
	'cost',
];

/** "12 credits needed", "requires 12 credits", "needed: 12" (not the balance it also states). */
const NEEDED_PATTERNS = [
	/(\d+(?:\.\d+)?)\s*credits?\s+(?:are\s+|is\s+)?(?:needed|required)/i,
	/(?:needs?|needed|requires?|required|costs?)\s*:?\s*(\d+(?:\.\d+)?)/i,
];

/** A non-negative amount from a number or a numeric string, without floating-point noise. */
function amountOf(value: unknown): number | undefined {
	const amount =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value.trim())
				? Number(value)
				: NaN;
	return Number.isFinite(amount) && amount >= 0 ? Number(amount.toPrecision(12)) : undefined;
}

/** An unknown model or asset is bad input of an item: named like the validation errors. */
function notFoundMessage(request: HooxRequest, said?: string): string {
	const subject = request.notFound;
	const item = request.itemIndex === undefined ? '' : `[item ${request.itemIndex}] `;
	if (subject?.kind === 'model') return `${item}Unknown Hoox model "${subject.id}"`;
	if (subject?.kind === 'asset') return `${item}Unknown Hoox asset "${subject.id}"`;
	return `Hoox could not find what was asked for${said ? `: ${said}` : ''}`;
}

function notFoundHint(subject: HooxRequest['notFound']): string {
	if (subject?.kind === 'model')
		return 'Pick a model from the list (Model → Get Many shows the current catalogue).';
	if (subject?.kind === 'asset') return 'Check the asset ID: it must come from this Hoox space.';
	return 'Check the Base URL in the Hoox credential.';
}

function stringOf(value: unknown): string | undefined {
	return typeof value === 'string' && value ? value : undefined;
}
