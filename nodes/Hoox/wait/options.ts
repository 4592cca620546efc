/** Options → the wait fields of Generate and Wait for Completion (names and defaults are public API). */
import type { INodeProperties } from 'n8n-workflow';

import { maxDownloadSizeOption } from '../../shared/assets/downloadOption';
import {
	DEFAULT_MAX_INTERVAL_SECONDS,
	DEFAULT_MIN_INTERVAL_SECONDS,
	DEFAULT_TIMEOUT_SECONDS,
	RESUME_WAIT_MODE,
} from './settings';

type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

export interface WaitOptionsFields {
	/** Add "Wait for Completion" (Generate: the wait is optional there). */
	waitToggle?: boolean;
	/** Add "Wait Mode" (Generate: Poll or Resume on Webhook). */
	waitMode?: boolean;
	/** Other options of the operation's collection (e.g. Max Credits per Execution). */
	extra?: INodeProperties[];
}

/** Options → Wait Mode (Generate only). See wait/resume/README.md for the details. */
export const waitModeOption: INodeProperties = {
	displayName: 'Wait Mode',
	name: 'waitMode',
	type: 'options',
	options: [
		{
			name: 'Poll',
			value: 'poll',
			description:
				'The node checks the status of the assets until all are done; the execution runs the whole time',
		},
		{
			name: 'Resume on Webhook (Frees the Worker While Waiting)',
			value: RESUME_WAIT_MODE,
			description:
				"Hoox calls this execution's resume URL when each asset is done; the execution waits without running and resumes when all are done",
		},
	],
	default: 'poll',
	description:
		'How to wait when Wait for Completion is on. Resume on Webhook needs an n8n that Hoox can reach (WEBHOOK_URL) and keeps up to about 130 asset IDs per execution; otherwise, and as an AI-agent tool, the node polls.',
};

const waitFields: INodeProperties[] = [
	{
		displayName: 'Binary Property',
		name: 'binaryProperty',
		type: 'string',
		default: 'data',
		description:
			'Name of the binary property the file is written to, when Download Output as Binary is on',
	},
	{
		displayName: 'Download Output as Binary',
		name: 'downloadBinary',
		type: 'boolean',
		default: false,
		description:
			'Whether to download each completed image or video into n8n binary data (the URL is always in the output)',
	},
	maxDownloadSizeOption,
	{
		displayName: 'Poll Interval Max (Seconds)',
		name: 'pollIntervalMax',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: DEFAULT_MAX_INTERVAL_SECONDS,
		description:
			'Longest pause between two status checks (a rate limit that is running out can ask for longer)',
	},
	{
		displayName: 'Poll Interval Min (Seconds)',
		name: 'pollIntervalMin',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: DEFAULT_MIN_INTERVAL_SECONDS,
		description:
			'First pause between two status checks for a model this n8n has not waited for yet; also the shortest pause until one of the assets is done',
	},
	{
		displayName: 'Wait Timeout (Seconds)',
		name: 'waitTimeout',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: DEFAULT_TIMEOUT_SECONDS,
		description:
			'Stop waiting after this long; the error lists every asset ID with its last status. As an AI-agent tool, the node returns the IDs and statuses instead.',
	},
];

const waitToggleField: INodeProperties = {
	displayName: 'Wait for Completion',
	name: 'waitForCompletion',
	type: 'boolean',
	default: true,
	description:
		'Whether to wait until every asset is completed or failed. Off: return the asset IDs at once (collect them later with Wait for Completion or a Hoox Trigger).',
};

/** The "Options" collection of a waiting operation, sorted by display name. */
export function waitOptions(show: Show, fields: WaitOptionsFields = {}): INodeProperties {
	const options = [
		...waitFields,
		...(fields.waitToggle ? [waitToggleField] : []),
		...(fields.waitMode ? [waitModeOption] : []),
		...(fields.extra ?? []),
	].sort((a, b) => a.displayName.localeCompare(b.displayName));
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options,
	};
}
