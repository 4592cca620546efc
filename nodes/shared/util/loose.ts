/** Reading loosely typed values: JSON answers, webhook bodies, HTTP headers. */
import type { IDataObject } from 'n8n-workflow';

/** A plain object (not null, not an array). */
export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A header's value whatever its case (the first, when repeated); undefined when absent. */
export function header(headers: object | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	const key = Object.keys(headers).find((k) => k.toLowerCase() === wanted);
	const value = key === undefined ? undefined : (headers as Record<string, unknown>)[key];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}
