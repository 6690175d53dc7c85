// Idempotency-Key on POST routes via Powertools Idempotency (DynamoDB persistence).
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { MiddlewareObj } from '@middy/core';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { config, requireSetting } from '../config';
import { dynamo } from '../container';
import { logger } from '../logger';

let store: DynamoDBPersistenceLayer | undefined;

/** Here rather than in the container, so the functions without a POST route bundle no Powertools Idempotency. */
export const idempotencyStore = (): DynamoDBPersistenceLayer =>
  (store ??= new DynamoDBPersistenceLayer({ tableName: requireSetting('IDEMPOTENCY_TABLE_NAME'), awsSdkV3Client: dynamo().raw }));

/**
 * The key is scoped to the caller, route and path so two users (or two cases) never share a record.
 * `(header || null) && [...]` yields null when the header is absent or empty, so requests without a key
 * skip idempotency. (Without `|| null` an empty header selected "", which Powertools does not skip: every
 * empty-key request then hashed to one record per function, replaying one caller's response to another.)
 * Validation hashes the parsed body: the same key with a different body is a 409.
 */
export const IDEMPOTENCY_KEY_PATH =
  '(headers."idempotency-key" || `null`) && [headers."idempotency-key", requestContext.authorizer.jwt.claims.sub, routeKey, rawPath]';

/**
 * Powertools' middleware (2.35) deletes the key's record in `onError` even when its own `before`
 * rejected the request: a concurrent duplicate (in progress) or a different body (409) then
 * deleted the first request's lock or completed record, and the next retry opened a second case
 * (aws-powertools/powertools-lambda-typescript#5675). Only a request that acquired the record may
 * delete it, and only until its result is being saved, as in the upstream fix (#5676).
 */
export const idempotency = (): MiddlewareObj => {
  const inner = makeHandlerIdempotent({
    persistenceStore: idempotencyStore(),
    config: new IdempotencyConfig({
      eventKeyJmesPath: IDEMPOTENCY_KEY_PATH,
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: config().IDEMPOTENCY_TTL_SECONDS,
    }),
  }) as MiddlewareObj;
  const acquired = new WeakSet<object>();
  return {
    before: async (request) => {
      const replayed: unknown = await inner.before?.(request);
      if (replayed !== undefined) return replayed;
      acquired.add(request);
      return undefined;
    },
    after: async (request) => {
      acquired.delete(request);
      await inner.after?.(request);
    },
    onError: async (request) => {
      if (!acquired.delete(request)) return;
      try {
        await inner.onError?.(request);
      } catch (err) {
        // Releasing the key's in-progress record failed too (the table throttled or answered 5xx): a throw here would
        // leave middy's error stack before the problem mapping and answer a bare 500 (the 5,000-operation chaos run
        // met it). The request's own error is the answer; the record lapses at its in-progress expiry (the function's
        // remaining time), after which a retry with the same key runs afresh, so nothing is lost or doubled.
        logger.warn('could not release the idempotency record after a failed request; it lapses at its in-progress expiry', { error: err as Error });
      }
    },
  };
};
