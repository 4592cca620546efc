/** Finding a secret (or any 8-character piece of it) in whatever a run left behind. */

/** Every string reachable from `value`: own properties, Error fields (message, stack, cause…), arrays, maps. */
export function allText(value: unknown): string {
	const out: string[] = [];
	const seen = new Set<unknown>();
	const visit = (v: unknown, depth: number) => {
		if (typeof v === 'string') return void out.push(v);
		if (typeof v === 'number' || typeof v === 'boolean') return void out.push(String(v));
		if (!v || typeof v !== 'object' || seen.has(v) || depth > 40) return;
		seen.add(v);
		if (v instanceof Map) return v.forEach((x, k) => (visit(k, depth + 1), visit(x, depth + 1)));
		for (const key of Object.getOwnPropertyNames(v)) {
			out.push(key);
			try {
				visit((v as Record<string, unknown>)[key], depth + 1);
			} catch {
				// a getter that throws holds nothing we could leak
			}
		}
	};
	visit(value, 0);
	return out.join('\n');
}

/**
 * The pieces of `secret` that must never show: every `min`-character window of its private part
 * (a Hoox key's public `hx_live_` prefix is documentation, not a secret).
 */
export function secretFragments(secret: string, min = 8): string[] {
	const body = secret.replace(/^hx_live_/, '');
	const out = new Set<string>();
	for (let i = 0; i + min <= body.length; i++) out.add(body.slice(i, i + min).toLowerCase());
	return [...out];
}

/** The fragments of `secret` found in `text` (case-insensitive); empty when nothing leaked. */
export function leakedFragments(text: string, secret: string, min = 8): string[] {
	const haystack = text.toLowerCase();
	return secretFragments(secret, min).filter((f) => haystack.includes(f));
}
