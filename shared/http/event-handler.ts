// The middy stack of functions that no HTTP request reaches (Scheduler targets, stream consumers):
// Powertools logger, tracer and metrics around the implementation; errors propagate so the source retries.
import middy, { type MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { readSettingsSecret } from '#adapters/aws/settings-secret';
import { loadExternalSettings } from './external-settings';
import { logger, metrics } from './observability';

export type EventHandler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * Powertools Tracer's middleware, unless tracing is switched off (POWERTOOLS_TRACE_ENABLED=false: the local stack and
 * the tests set it). There it would do nothing (captureLambdaHandler checks isTracingEnabled() at every step), and only
 * loading it cost: the X-Ray SDK enables a cls-hooked async hook with a destroy callback when it loads, and from then on
 * every promise of the process paid for destroy tracking (about 6 % of the access-matrix test's CPU in a profile).
 * Deployed functions do not set it and trace as before; the bundle holds the Tracer either way (esbuild follows require).
 */
const tracing = (): MiddlewareObj | undefined => {
  if (process.env.POWERTOOLS_TRACE_ENABLED === 'false') return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { captureLambdaHandler } = require('@aws-lambda-powertools/tracer/middleware') as typeof import('@aws-lambda-powertools/tracer/middleware');
  const { tracer } = require('./tracer') as typeof import('./tracer');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return captureLambdaHandler(tracer, { captureResponse: false });
};

export const defineEventHandler = <E, R>(name: string, impl: (event: E, context: Context) => Promise<R>): EventHandler<E, R> => {
  const stack = middy<E, R>(async (event: E, context: Context) => {
    logger.appendKeys({ function: name });
    return impl(event, context);
  })
    // First: the settings kept outside the environment (a no-op without SETTINGS_SECRET_ARN), once per container.
    .use({ before: () => loadExternalSettings(readSettingsSecret) })
    .use(injectLambdaContext(logger, { resetKeys: true }));
  const traced = tracing();
  if (traced) stack.use(traced);
  // Locally many invocations share one process and metrics are off: flushing would only warn.
  if (process.env.POWERTOOLS_METRICS_DISABLED !== 'true') stack.use(logMetrics(metrics));
  return stack;
};
