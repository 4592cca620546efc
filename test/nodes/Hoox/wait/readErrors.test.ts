/**
 * What a failed status read means for a wait: fatal (stop), final (that asset failed) or
 * transient (read again). The loop's use of it is in poll.test.ts and readFailures.test.ts.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { TEST_NODE as node } from '../../../../harness/n8nContext';
import { classify, failedByPoll, withUnfinished } from '../../../../nodes/Hoox/wait/readErrors';

const apiError = (httpCode: string, hooxCode?: string) =>
	new NodeApiError(
		node,
		{ message: `HTTP ${httpCode}`, ...(hooxCode ? { hooxCode } : {}) },
		{ httpCode, message: `Hoox answered HTTP ${httpCode}` },
	);

describe('classify', () => {
	test.each([
		['401: no read can succeed', 'fatal', apiError('401')],
		['400', 'final', apiError('400')],
		['403', 'final', apiError('403')],
		['404', 'final', apiError('404')],
		['410', 'final', apiError('410')],
		['429', 'transient', apiError('429')],
		['500', 'transient', apiError('500')],
		[
			'a network error (no HTTP code)',
			'transient',
			new NodeApiError(node, { message: 'socket hang up' }),
		],
		['not an API error', 'fatal', new NodeOperationError(node, 'bug')],
		['a plain Error', 'fatal', new Error('boom')],
	])('%s → %s', (_name, kind, error) => {
		expect(classify(error)).toBe(kind);
	});
});

describe('failedByPoll', () => {
	const before = { asset_id: 'a1', status: 'generating', progress: 40 };

	test.each([
		['404', 'not_found'],
		['410', 'not_found'],
		['403', 'forbidden'],
		['400', 'status_unavailable'],
	])('HTTP %s → failed with code %s, last known fields kept', (httpCode, code) => {
		const status = failedByPoll('a1', before, apiError(httpCode));
		expect(status).toMatchObject({ asset_id: 'a1', status: 'failed', progress: 40 });
		expect(status.error).toEqual({
			code,
			message: `Hoox answered HTTP ${httpCode}`,
			http_code: Number(httpCode),
		});
	});

	it("Hoox's own error code wins", () => {
		const status = failedByPoll('a1', undefined, apiError('404', 'asset_expired'));
		expect(status).toMatchObject({ asset_id: 'a1', status: 'failed' });
		expect((status.error as { code: string }).code).toBe('asset_expired');
	});
});

describe('withUnfinished', () => {
	it('appends the unfinished asset ids to an API error description', () => {
		const error = apiError('401');
		error.description = 'Check the API key.';
		withUnfinished(error, ['a1', 'a2']);
		expect(error.description).toMatch(/^Check the API key\. Assets not finished .*: a1, a2\.$/);
	});

	it('leaves other errors and empty lists alone', () => {
		const error = apiError('401');
		const described = error.description;
		withUnfinished(error, []);
		expect(error.description).toBe(described);
		const plain = new Error('boom');
		expect(withUnfinished(plain, ['a1'])).toBe(plain);
		expect((plain as { description?: string }).description).toBeUndefined();
	});
});
