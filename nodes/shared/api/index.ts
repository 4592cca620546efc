export { acquire, budgetKey, currentBudget, release, reserveFor, resetBudgets } from './budget';
export { hooxCredentials } from './credentials';
export * from './endpoints';
export { describeNetworkCode, readHooxError, type HooxErrorInfo } from './errors';
export { printableUrl, redactSecrets, urlSecret } from './secrets';
export { mergeRateLimitInfo, rateLimitWait, readRateLimit } from './rateLimit';
export { hooxRequest, hooxRequestWithMeta, normalizeBaseUrl } from './request';
export * from './types';
