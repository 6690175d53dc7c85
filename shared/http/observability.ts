// Powertools Logger and Metrics: one instance each per process. The functions no HTTP request reaches
// (event-handler.ts) also trace, with the Tracer in tracer.ts, which event-handler.ts loads only where tracing can be
// on; the API functions (handler-core.ts) import logger.ts and metrics.ts only, so their bundles hold no X-Ray SDK
// (Lambda active tracing still records each invocation; see docs/architecture.md).
export { logger } from './logger';
export { metrics } from './metrics';
