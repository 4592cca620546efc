/**
 * Is a trigger token strong enough to be the only thing standing between the internet and the
 * workflow? Checked when the workflow is activated AND on every delivery (a token set by an
 * expression, or saved before this check existed, must not slip through at run time).
 *
 * Not a password meter: it refuses what is plainly guessable (short, blank, one character
 * repeated, a short chunk repeated, too few distinct characters) and accepts any random string of
 * 16+ characters from a generator.
 */

/** Shortest token accepted. */
export const MIN_TOKEN_LENGTH = 16;
/** Longest token accepted (it travels in a URL). */
export const MAX_TOKEN_LENGTH = 512;

const MIN_DISTINCT_CHARACTERS = 6;
/** Empirical entropy (bits per character × length); 16 random hex characters give ≥ 34. */
const MIN_ENTROPY_BITS = 32;

/** Why `token` is too weak, or undefined when it is fine. Never includes the token itself. */
export function tokenWeakness(token: unknown): string | undefined {
	if (typeof token !== 'string' || token === '') return 'it is empty';
	if (token.length < MIN_TOKEN_LENGTH)
		return `it has ${token.length} characters, fewer than ${MIN_TOKEN_LENGTH}`;
	if (token.length > MAX_TOKEN_LENGTH) return `it is longer than ${MAX_TOKEN_LENGTH} characters`;
	// whitespace and control characters do not survive a URL intact
	if (/\s/.test(token) || [...token].some(isControl))
		return 'it contains spaces or control characters';
	const counts = new Map<string, number>();
	for (const character of token) counts.set(character, (counts.get(character) ?? 0) + 1);
	if (counts.size < MIN_DISTINCT_CHARACTERS)
		return `it uses only ${counts.size} different characters`;
	if (isRepeatedChunk(token)) return 'it repeats a shorter sequence';
	if (entropyBits(counts, token.length) < MIN_ENTROPY_BITS) return 'it is too predictable';
	return undefined;
}

/** The advice given with every refusal. */
export const TOKEN_ADVICE = `Use at least ${MIN_TOKEN_LENGTH} random characters without spaces, e.g. 32 hex characters from a password manager.`;

function isControl(character: string): boolean {
	const code = character.charCodeAt(0);
	return code < 0x20 || code === 0x7f;
}

function isRepeatedChunk(token: string): boolean {
	for (let size = 1; size <= token.length / 2; size++) {
		if (token.length % size !== 0) continue;
		if (token.slice(0, size).repeat(token.length / size) === token) return true;
	}
	return false;
}

function entropyBits(counts: Map<string, number>, length: number): number {
	let bitsPerCharacter = 0;
	for (const count of counts.values()) {
		const p = count / length;
		bitsPerCharacter -= p * Math.log2(p);
	}
	return bitsPerCharacter * length;
}
