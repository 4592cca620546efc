/**
 * Where the Hoox Trigger's secret token comes from (a "Hoox Trigger Token" credential, or the
 * older Secret Token parameter saved in the workflow) and whether it is strong enough. The same
 * reading serves activation and every delivery.
 */
import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IHookFunctions,
	INodeCredentialTestResult,
	IWebhookFunctions,
} from 'n8n-workflow';

import { TOKEN_ADVICE, tokenWeakness } from './tokenStrength';

/** Values of the Authentication parameter. */
export const AUTH_NONE = 'none';
/** The token as a node parameter (version 1's default; kept so saved workflows keep working). */
export const AUTH_PARAMETER = 'secretToken';
/** The token as a Hoox Trigger Token credential (the default from version 1.1). */
export const AUTH_CREDENTIAL = 'tokenCredential';
export const TRIGGER_CREDENTIAL = 'hooxTriggerApi';

export type ConfiguredToken =
	| { kind: 'none' }
	| { kind: 'token'; token: string }
	| { kind: 'invalid'; message: string; description: string };

export async function configuredToken(
	ctx: IHookFunctions | IWebhookFunctions,
): Promise<ConfiguredToken> {
	const authentication = ctx.getNodeParameter('authentication', AUTH_PARAMETER) as string;
	if (authentication === AUTH_NONE) return { kind: 'none' };
	let token: unknown;
	let where: string;
	if (authentication === AUTH_CREDENTIAL) {
		where = 'The Token of the Hoox Trigger Token credential';
		try {
			token = (await ctx.getCredentials(TRIGGER_CREDENTIAL))?.token;
		} catch {
			return {
				kind: 'invalid',
				message: 'No Hoox Trigger Token credential is selected',
				description: 'Select or create a Hoox Trigger Token credential on the Hoox Trigger.',
			};
		}
	} else {
		where = 'The Secret Token';
		token = ctx.getNodeParameter('secretToken', '');
	}
	const weakness = tokenWeakness(token);
	if (weakness !== undefined) {
		return {
			kind: 'invalid',
			message: `${where} is too weak: ${weakness}`,
			description: TOKEN_ADVICE,
		};
	}
	return { kind: 'token', token: token as string };
}

/** The credential's test in the editor: Hoox has nothing to call, so it checks the token's strength. */
export async function hooxTriggerTokenTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const weakness = tokenWeakness(credential.data?.token);
	return weakness === undefined
		? { status: 'OK', message: 'The token is strong enough' }
		: { status: 'Error', message: `The token is too weak: ${weakness}. ${TOKEN_ADVICE}` };
}
