/**
 * E2E harness: drives a real n8n (2.41.1 on Node 24, 1.123.81 on the machine's Node) with the
 * packed package installed, against the in-process Hoox emulator. See test/e2e/README.md.
 *
 * Jest-free: scripts/start.ts and bench/n8n use it too. The Jest glue (describeN8n, describeQueue)
 * is in test/e2e/harness/.
 */
export * from './install';
export * from './packageInfo';
export * from './pack';
export * from './n8n';
export * from './stack';
export * from './sandbox';
export * from './services';
export * from './proxy';
export * from './n8nRole';
export * from './queueStack';
