// Powertools Logger, Tracer and Metrics: one instance each per process.
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.SERVICE_NAME ?? 'complaints';

export { logger } from './logger';
export const tracer = new Tracer({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Complaints' });
