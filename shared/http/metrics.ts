// The Powertools Metrics of this process (EMF lines in the function's log), apart from the Tracer: the API functions
// load the logger and metrics only; Lambda active tracing records their invocations without the X-Ray SDK.
import { Metrics } from '@aws-lambda-powertools/metrics';

export const metrics = new Metrics({ serviceName: process.env.SERVICE_NAME ?? 'complaints', namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Complaints' });
