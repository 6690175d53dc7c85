// Powertools Tracer (and with it the X-Ray SDK): one instance per process, loaded only where tracing can be on (see
// tracing() in event-handler.ts). The API functions never load it (handler-core.ts); Lambda active tracing still records
// each invocation.
import { Tracer } from '@aws-lambda-powertools/tracer';

export const tracer = new Tracer({ serviceName: process.env.SERVICE_NAME ?? 'complaints' });
