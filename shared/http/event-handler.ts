// The middy stack of functions that no HTTP request reaches (Scheduler targets, stream consumers):
// Powertools logger, tracer and metrics around the implementation; errors propagate so the source retries.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { readSettingsSecret } from '#adapters/aws/settings-secret';
import { loadExternalSettings } from './external-settings';
import { logger, metrics, tracer } from './observability';

export type EventHandler<E, R> = (event: E, context: Context) => Promise<R>;

export const defineEventHandler = <E, R>(name: string, impl: (event: E, context: Context) => Promise<R>): EventHandler<E, R> => {
  const stack = middy<E, R>(async (event: E, context: Context) => {
    logger.appendKeys({ function: name });
    return impl(event, context);
  })
    // First: the settings kept outside the environment (a no-op without SETTINGS_SECRET_ARN), once per container.
    .use({ before: () => loadExternalSettings(readSettingsSecret) })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }));
  // Locally many invocations share one process and metrics are off: flushing would only warn.
  if (process.env.POWERTOOLS_METRICS_DISABLED !== 'true') stack.use(logMetrics(metrics));
  return stack;
};
