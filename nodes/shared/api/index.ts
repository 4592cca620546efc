export { acquire, budgetKey, currentBudget, release, reserveFor, resetBudgets } from './budget';
export * from './endpoints';
export { readHooxError, redactSecrets, type HooxErrorInfo } from './errors';
export { mergeRateLimitInfo, rateLimitWait, readRateLimit } from './rateLimit';
export { hooxRequest, hooxRequestWithMeta, normalizeBaseUrl } from './request';
export * from './types';
