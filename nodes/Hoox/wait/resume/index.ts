export { resumeWebhook, resumeWebhooks } from './callback';
