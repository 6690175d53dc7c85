// The single error-to-HTTP mapping point: every failure leaves as problem+json.
import type { MiddlewareObj } from '@middy/core';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from '../logger';
import { metrics } from '../metrics';
import { problemResponse, toProblem } from '../problem';

export const problemHandler = (): MiddlewareObj => ({
  onError: (request) => {
    const mapped = toProblem(request.error);
    if (mapped.internal) {
      logger.error('unhandled error', { error: request.error as Error });
      metrics.addMetric('ServerError', MetricUnit.Count, 1);
    } else {
      logger.info('client error', { status: mapped.problem.status, title: mapped.problem.title, detail: mapped.problem.detail });
      metrics.addMetric('ClientError', MetricUnit.Count, 1);
    }
    const requestId = (request.event as { requestContext?: { requestId?: string } } | undefined)?.requestContext?.requestId;
    request.response = problemResponse({ ...mapped.problem, ...(requestId ? { instance: `urn:request:${requestId}` } : {}) }, mapped.headers);
  },
});
