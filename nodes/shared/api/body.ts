/** A response body as JSON when it is JSON (n8n may hand it over as text or a Buffer). */
export function parseBody(body: unknown): unknown {
	if (typeof body === 'string') {
		try {
			return JSON.parse(body);
		} catch {
			return body;
		}
	}
	if (
		body &&
		typeof body === 'object' &&
		'type' in body &&
		(body as { type: string }).type === 'Buffer'
	) {
		return parseBody(Buffer.from((body as unknown as { data: number[] }).data).toString('utf8'));
	}
	if (Buffer.isBuffer(body)) return parseBody(body.toString('utf8'));
	return body;
}
