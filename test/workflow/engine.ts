/**
 * The parts of an n8n instance that n8n-core's WorkflowExecute needs around it, for tests: node
 * types, a credentials helper, instance settings in a temp folder and the real BinaryDataService
 * in filesystem mode. The execution loop itself (retries, Continue On Fail, pairedItem,
 * expressions, binary storage) is n8n-core's; nothing of it is re-implemented here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinaryDataService } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper, isExpression, NodeHelpers } from 'n8n-workflow';

import { HooxApi } from '../../credentials/HooxApi.credentials';
import { Hoox } from '../../nodes/Hoox/Hoox.node';
import { HooxTrigger } from '../../nodes/HooxTrigger/HooxTrigger.node';
import { coreNodeTypes } from './coreNodes';

/** Our nodes under the names n8n gives a community package's nodes, plus the core stand-ins. */
export class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType | IVersionedNodeType> = {
		'n8n-nodes-hoox.hoox': new Hoox(),
		'n8n-nodes-hoox.hooxTrigger': new HooxTrigger(),
		...coreNodeTypes,
	};

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type in a test workflow: ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/**
 * Hands our credential's data to the nodes and applies its generic `authenticate` block the way
 * n8n does it: each template is resolved by the workflow's own expression engine.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly types: Record<string, ICredentialType> = { hooxApi: new HooxApi() };

	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type "${type}"`);
		return { ...data };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.types[typeName] ?? {};
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		if (!workflow || !node) throw new Error('Generic authentication needs the workflow and node');
		const resolve = (value: unknown) =>
			isExpression(value)
				? String(
						workflow.expression.getSimpleParameterValue(
							node,
							value as string,
							'internal',
							{ $credentials: credentials },
							undefined,
							'',
						) ?? '',
					)
				: String(value);
		const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
		for (const [part, entries] of Object.entries(authenticate.properties)) {
			target[part] = { ...(target[part] ?? {}) };
			for (const [key, value] of Object.entries(entries as IDataObject)) {
				target[part][resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('The workflow tier only decrypts credentials (getDecrypted)');
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types[type]?.properties ?? [];
	}
}

/**
 * n8n-core's services (the BinaryDataService nodes store files with) live in its DI container:
 * the copy of @n8n/di that n8n-core itself resolves, whatever npm hoists.
 */
export function binaryDataService(): BinaryDataService {
	const di = require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] });
	const { Container } = require(di) as typeof import('@n8n/di');
	return Container.get(BinaryDataService);
}

let instanceFolder: string | undefined;

/**
 * Once per test file: n8n's instance settings in a temp user folder, and the real
 * BinaryDataService storing files under it (filesystem mode). Returns the storage path.
 */
export async function setUpInstance(): Promise<string> {
	if (instanceFolder) return join(instanceFolder, 'binaryData');
	instanceFolder = mkdtempSync(join(tmpdir(), 'hoox-n8n-core-'));
	// n8n-core reads its configuration from the environment when a class is first resolved
	process.env.N8N_USER_FOLDER = instanceFolder;
	process.env.N8N_LOG_LEVEL = 'silent';
	process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
	process.env.N8N_BINARY_DATA_STORAGE_PATH = join(instanceFolder, 'binaryData');
	process.env.N8N_ENCRYPTION_KEY = 'workflow-tier-test-key';
	process.env.N8N_BINARY_DATA_SIGNING_SECRET = 'workflow-tier-test-secret';
	await binaryDataService().init();
	return join(instanceFolder, 'binaryData');
}

export function tearDownInstance(): void {
	if (instanceFolder) rmSync(instanceFolder, { recursive: true, force: true });
	instanceFolder = undefined;
}
