/**
 * Reading values that came from the network (webhook bodies, query strings): measure them without
 * recursion (a 5,000-level nested object must not blow the stack), and quote them for an answer
 * or a log line without letting them forge lines or flood the log.
 */

/** Deepest nesting a webhook body may have; Hoox's own bodies are 3 levels deep. */
export const MAX_BODY_DEPTH = 32;
/** Most values (objects, arrays, scalars) a webhook body may hold. */
export const MAX_BODY_VALUES = 10_000;

/**
 * Why `value` is too deep or too large to read, or undefined. Walks it with an explicit stack, so
 * it never recurses, and stops at the first limit it meets.
 */
export function shapeProblem(
	value: unknown,
	limits: { maxDepth?: number; maxValues?: number } = {},
): string | undefined {
	const maxDepth = limits.maxDepth ?? MAX_BODY_DEPTH;
	const maxValues = limits.maxValues ?? MAX_BODY_VALUES;
	const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
	let seen = 0;
	while (stack.length > 0) {
		const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
		if (++seen > maxValues) return `it holds more than ${maxValues} values`;
		if (current === null || typeof current !== 'object') continue;
		if (depth > maxDepth) return `it is nested more than ${maxDepth} levels deep`;
		for (const child of Object.values(current as object))
			stack.push({ value: child, depth: depth + 1 });
	}
	return undefined;
}

/**
 * A short, one-line rendering of an untrusted value for messages and logs: strings are quoted
 * with control characters escaped (no forged log lines) and cut to `max` characters; other values
 * are named by their type only.
 */
export function quoteUntrusted(value: unknown, max = 64): string {
	if (typeof value === 'string') {
		const cut = value.length > max ? `${value.slice(0, max)}…` : value;
		const suffix = value.length > max ? ` (${value.length} characters)` : '';
		return `${JSON.stringify(cut).replace(/[\u2028\u2029]/g, ' ')}${suffix}`;
	}
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : typeof value;
}
