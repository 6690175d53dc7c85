// Powertools Logger, Tracer and Metrics: one instance each per process. The functions no HTTP request reaches
// (event-handler.ts) use all three; the API functions (handler-core.ts) import logger.ts and metrics.ts only, so
// their bundles hold no X-Ray SDK (Lambda active tracing still records each invocation; see docs/architecture.md).
import { Tracer } from '@aws-lambda-powertools/tracer';

export { logger } from './logger';
export { metrics } from './metrics';
export const tracer = new Tracer({ serviceName: process.env.SERVICE_NAME ?? 'complaints' });
