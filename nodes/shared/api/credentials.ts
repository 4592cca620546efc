import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CREDENTIAL_TYPE, type HooxContext } from './types';

const byContext = new WeakMap<object, Promise<ICredentialDataDecryptedObject>>();

/**
 * The Hoox credential of a context, read once per context (one node run, one webhook call): n8n
 * decrypts it on every getCredentials, and a queue-mode webhook process also resolves it anew,
 * which under a burst of callbacks took seconds per call.
 */
export async function hooxCredentials(ctx: HooxContext): Promise<ICredentialDataDecryptedObject> {
	let found = byContext.get(ctx);
	if (!found) {
		found = ctx.getCredentials(CREDENTIAL_TYPE);
		byContext.set(ctx, found);
		found.catch(() => byContext.delete(ctx)); // a failure is not kept: the next call asks again
	}
	return await found;
}
