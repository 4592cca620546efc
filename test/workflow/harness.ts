/**
 * Runs a workflow (n8n's JSON) through n8n-core's real WorkflowExecute, against the emulator on
 * loopback, and returns what each node output plus the emulator's request log of the run.
 *
 *   const result = await runWorkflow(workflow, { emulator: emu });
 *   result.items('Hoox'); result.requests('/asset/start');
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	IPinData,
	IRun,
	IRunExecutionData,
	ITaskData,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { Emulator, RecordedRequest } from '../../emulator';
import { TEST_API_KEY } from '../../emulator';
import { setUpInstance, tearDownInstance, TestCredentialsHelper, TestNodeTypes } from './engine';

export interface WorkflowJson {
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	pinData?: IPinData;
}

export interface RunOptions {
	emulator: Emulator;
	/** The Hoox credential's data; default: the emulator's base URL and test key. */
	credentials?: { apiKey: string; baseUrl: string };
	/** Node the run starts from; default: the workflow's trigger (n8n's start node). */
	startNode?: string;
	/** The start node's input items; a webhook node passes them on (n8n hands it the webhook's output). */
	startItems?: INodeExecutionData[];
	mode?: WorkflowExecuteMode;
	executionId?: string;
	/**
	 * The n8n instance's address as the nodes see it ($execution.resumeUrl, webhook URLs).
	 * Default: a loopback port nothing listens on, so that no callback reaches a real n8n.
	 */
	instanceUrl?: string;
}

export interface RunResult {
	run: IRun;
	status: IRun['status'];
	/** The workflow's error (the failing node's, when no Continue On Fail). */
	error?: ExecutionError;
	/** Every run of a node (one per execution of it; Retry On Fail tries are inside one run). */
	runs(node: string): ITaskData[];
	/** Items of a node's first output, in its last run; [] when it did not output any. */
	items(node: string): INodeExecutionData[];
	/** The emulator's log for this run, optionally only one path (prefix, e.g. '/asset/start'). */
	requests(path?: string): RecordedRequest[];
}

let executionCounter = 0;
// unique across test files: a node may keep per-execution state at module level
const executionPrefix = `${process.pid}${Date.now() % 100000}`;

const NOWHERE = 'http://127.0.0.1:9';

function additionalData(
	credentials: TestCredentialsHelper,
	hooks: ExecutionLifecycleHooks,
	executionId: string,
	base: string,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: credentials,
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not part of the workflow tier');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('Task runners are not part of the workflow tier');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

function startStack(workflow: Workflow, options: RunOptions): IRunExecutionData {
	const start = options.startNode
		? workflow.getNode(options.startNode)
		: (workflow.getStartNode() ?? null);
	if (!start) throw new Error(`No start node ${options.startNode ?? ''} in the test workflow`);
	return {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [
				{ node: start, data: { main: [options.startItems ?? [{ json: {} }]] }, source: null },
			],
		},
	} as unknown as IRunExecutionData;
}

/** A workflow loaded as n8n loads it, with the execution's additional data (hooks included). */
export interface PreparedExecution {
	workflow: Workflow;
	additionalData: IWorkflowExecuteAdditionalData;
	finished: Promise<IRun>;
	mode: WorkflowExecuteMode;
}

export async function prepareExecution(
	json: WorkflowJson,
	options: RunOptions,
): Promise<PreparedExecution> {
	await setUpInstance();
	const executionId = options.executionId ?? `${executionPrefix}${++executionCounter}`;
	const mode = options.mode ?? 'manual';
	const identity = { id: 'workflow-tier', name: json.name ?? 'Workflow tier test', active: false };
	const workflow = new Workflow({
		...identity,
		nodes: json.nodes,
		connections: json.connections,
		settings: json.settings ?? { executionOrder: 'v1' },
		nodeTypes: new TestNodeTypes(),
		staticData: {},
	});
	const credentials = new TestCredentialsHelper({
		hooxApi: (options.credentials ?? {
			apiKey: TEST_API_KEY,
			baseUrl: options.emulator.baseUrl,
		}) as unknown as IDataObject as never,
	});
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		...json,
		...identity,
	} as unknown as IWorkflowBase);
	let finish: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));
	const base = options.instanceUrl ?? NOWHERE;
	return {
		workflow,
		additionalData: additionalData(credentials, hooks, executionId, base),
		finished,
		mode,
	};
}

/** Runs `json` once, like n8n runs a saved workflow, and collects what happened. */
export async function runWorkflow(
	json: WorkflowJson,
	options: RunOptions,
	prepared?: PreparedExecution,
): Promise<RunResult> {
	const { workflow, additionalData, finished, mode } =
		prepared ?? (await prepareExecution(json, options));
	const firstRequest = lastSeq(options.emulator) + 1;
	const runData = startStack(workflow, options);
	if (json.pinData) runData.resultData.pinData = json.pinData;
	await new WorkflowExecute(additionalData, mode, runData).processRunExecutionData(workflow);
	const run = await finished;

	const runsOf = (node: string) => run.data.resultData.runData[node] ?? [];
	return {
		run,
		status: run.status,
		error: run.data.resultData.error,
		runs: runsOf,
		items: (node) => runsOf(node).at(-1)?.data?.main?.[0] ?? [],
		requests: (path) =>
			options.emulator
				.requests(path ? { path } : undefined)
				.filter((request) => request.seq >= firstRequest),
	};
}

function lastSeq(emulator: Emulator): number {
	return emulator.requests().at(-1)?.seq ?? 0;
}

// The instance folder (settings, binary files) of this test file goes when the file is done.
afterAll(() => tearDownInstance());
