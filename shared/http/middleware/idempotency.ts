// Idempotency-Key on POST routes via Powertools Idempotency (DynamoDB persistence).
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { MiddlewareObj } from '@middy/core';
import { config } from '../config';
import { idempotencyStore } from '../container';

/**
 * The key is scoped to the caller, route and path so two users (or two cases) never share a record.
 * `header && [...]` yields null when the header is absent, so requests without a key skip idempotency.
 * Validation hashes the parsed body: the same key with a different body is a 409.
 */
export const IDEMPOTENCY_KEY_PATH =
  'headers."idempotency-key" && [headers."idempotency-key", requestContext.authorizer.jwt.claims.sub, routeKey, rawPath]';

export const idempotency = (): MiddlewareObj =>
  makeHandlerIdempotent({
    persistenceStore: idempotencyStore(),
    config: new IdempotencyConfig({
      eventKeyJmesPath: IDEMPOTENCY_KEY_PATH,
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: config().IDEMPOTENCY_TTL_SECONDS,
    }),
  }) as MiddlewareObj;
