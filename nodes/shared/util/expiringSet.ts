/**
 * A small in-process set whose keys expire: what one n8n process remembers between webhook calls
 * (the Hoox node's resume claims, the Hoox Trigger's recent deliveries). Bounded in time and size;
 * the oldest keys go first. Not shared between n8n instances.
 */
export class ExpiringSet {
	private readonly added = new Map<string, number>();

	constructor(
		private readonly ttlMs: number,
		private readonly maxKeys: number,
	) {}

	/** Adds the key; false when it was already there (and not expired). */
	add(key: string, now = Date.now()): boolean {
		this.prune(now);
		if (this.added.has(key)) return false;
		this.added.set(key, now);
		while (this.added.size > this.maxKeys) {
			const oldest = this.added.keys().next().value as string;
			this.added.delete(oldest);
		}
		return true;
	}

	has(key: string, now = Date.now()): boolean {
		this.prune(now);
		return this.added.has(key);
	}

	delete(key: string): void {
		this.added.delete(key);
	}

	private prune(now: number): void {
		// Insertion order is time order: stop at the first key still fresh.
		for (const [key, at] of this.added) {
			if (now - at <= this.ttlMs) break;
			this.added.delete(key);
		}
	}
}
