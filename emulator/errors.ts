/** Error bodies in the documented `{ error, code, details: [{ code, message, field? }] }` shape (SPEC §3.2). */

export interface ErrorDetail {
	code: string;
	message: string;
	field?: string;
}

export interface ErrorBody {
	error: string;
	code: string;
	details: ErrorDetail[];
}

export class ApiError {
	constructor(
		readonly status: number,
		readonly body: ErrorBody,
		readonly headers: Record<string, string> = {},
	) {}
}

export function apiError(
	status: number,
	code: string,
	message: string,
	field?: string,
	summary?: string,
): ApiError {
	const detail: ErrorDetail = { code, message };
	if (field !== undefined) detail.field = field;
	return new ApiError(status, { error: summary ?? message, code, details: [detail] });
}

/** 400 INVALID_VALUE naming the offending field. */
export function invalid(field: string, message: string, code = 'INVALID_VALUE'): ApiError {
	return apiError(400, code, message, field, 'Validation failed');
}

export function notFound(message: string, field?: string): ApiError {
	return apiError(404, 'not_found', message, field);
}

/** Default body of a status fault that has no explicit body. */
export function defaultFaultBody(status: number): ErrorBody {
	const known: Record<number, [string, string]> = {
		400: ['INVALID_VALUE', 'Bad request'],
		401: ['invalid_api_key', 'Invalid API key'],
		402: ['INSUFFICIENT_CREDITS', 'Insufficient credits'],
		403: ['plan_required', 'Enterprise plan required'],
		404: ['not_found', 'Not found'],
		409: ['already_exists', 'Resource already exists'],
		429: ['rate_limit_exceeded', 'Rate limit exceeded'],
		500: ['internal_error', 'Internal server error'],
		502: ['bad_gateway', 'Bad gateway'],
		503: ['service_unavailable', 'Service unavailable'],
		504: ['gateway_timeout', 'Gateway timeout'],
	};
	const [code, message] = known[status] ?? ['emulated_fault', `Emulated HTTP ${status}`];
	return { error: message, code, details: [{ code, message }] };
}
