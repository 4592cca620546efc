import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_DOWNLOAD_MB, MAX_DOWNLOAD_MB_LIMIT } from './downloadGuard';

/** The size cap of "Download Output as Binary", the same option on the Hoox node and the trigger. */
export const maxDownloadSizeOption: INodeProperties = {
	displayName: 'Max Download Size (MB)',
	name: 'maxDownloadSizeMb',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_DOWNLOAD_MB_LIMIT },
	default: DEFAULT_MAX_DOWNLOAD_MB,
	description:
		"Largest file downloaded with Download Output as Binary; a larger one is not downloaded (its URL stays in the item). In n8n's default binary mode a file is held in memory, so keep this modest.",
};
