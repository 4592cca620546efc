import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_MAX_INTERVAL_SECONDS,
	DEFAULT_MIN_INTERVAL_SECONDS,
	DEFAULT_TIMEOUT_SECONDS,
} from '../../helpers/assets';
import { maxDownloadSizeOption } from '../../../shared/assets/downloadOption';
import { waitModeOption } from './resume';

type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

/** The "Options" collection of Generate and Wait for Completion (sorted by display name). */
export function waitOptions(
	show: Show,
	withWaitToggle: boolean,
	withMaxCredits: boolean,
	withWaitMode = false,
): INodeProperties {
	const options: INodeProperties[] = [
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
	];
	if (withMaxCredits) {
		options.push({
			displayName: 'Max Credits per Execution',
			name: 'maxCredits',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description:
				'Refuse to submit anything when the estimated total of all items is above this many credits (priced with Hoox before submitting). 0 means no cap.',
		});
	}
	options.push(
		maxDownloadSizeOption,
		{
			displayName: 'Poll Interval Max (Seconds)',
			name: 'pollIntervalMax',
			type: 'number',
			typeOptions: { minValue: 0.01, numberPrecision: 2 },
			default: DEFAULT_MAX_INTERVAL_SECONDS,
			description:
				'Longest pause between two status checks; the pause grows from the minimum while nothing changes',
		},
		{
			displayName: 'Poll Interval Min (Seconds)',
			name: 'pollIntervalMin',
			type: 'number',
			typeOptions: { minValue: 0.01, numberPrecision: 2 },
			default: DEFAULT_MIN_INTERVAL_SECONDS,
			description: 'First pause between two status checks',
		},
	);
	if (withWaitToggle) {
		options.push({
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: true,
			description:
				'Whether to wait until every asset is completed or failed. Off: return the asset IDs at once (collect them later with Wait for Completion or a Hoox Trigger).',
		});
	}
	if (withWaitMode) options.push(waitModeOption);
	options.push({
		displayName: 'Wait Timeout (Seconds)',
		name: 'waitTimeout',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		default: DEFAULT_TIMEOUT_SECONDS,
		description:
			'Stop waiting after this long; the error lists every asset ID with its last status. As an AI-agent tool, the node returns the IDs and statuses instead.',
	});
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
