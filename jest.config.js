/**
 * Unit/integration tests run against the in-process emulator; e2e tests drive a real n8n through
 * its REST API; browser tests drive the n8n editor in Chromium (test/browser/README.md).
 */
const transform = {
	'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
};

module.exports = {
	projects: [
		{
			displayName: 'unit',
			testEnvironment: 'node',
			transform,
			roots: ['<rootDir>/test'],
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/browser/'],
		},
		{
			displayName: 'e2e',
			testEnvironment: 'node',
			transform,
			roots: ['<rootDir>/test/e2e'],
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/queue/'],
		},
		{
			// n8n queue mode: PostgreSQL + Redis + main, workers and webhook processes (test/e2e/queue/)
			displayName: 'queue',
			testEnvironment: 'node',
			transform,
			roots: ['<rootDir>/test/e2e/queue'],
			testMatch: ['**/*.test.ts'],
		},
		{
			displayName: 'browser',
			testEnvironment: 'node',
			transform,
			roots: ['<rootDir>/test/browser'],
			testMatch: ['**/*.test.ts'],
		},
	],
};
