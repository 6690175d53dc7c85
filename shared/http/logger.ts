// The Powertools Logger of this process, apart from Tracer and Metrics, so the routes that touch no data (health,
// openapi) load the logger alone (static-handler.ts).
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.SERVICE_NAME ?? 'complaints' });
