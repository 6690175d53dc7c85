// DynamoDB clients, created once per process; an optional observer counts requests per command.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

export interface DynamoClientOptions {
  region: string;
  /** Set for DynamoDB Local; unset in AWS. */
  endpoint?: string;
}

export type RequestObserver = (commandName: string) => void;
const observers = new Set<RequestObserver>();

/** Benchmarks subscribe here to count the DynamoDB requests an API operation makes. */
export const observeDynamoRequests = (fn: RequestObserver): (() => void) => {
  observers.add(fn);
  return () => observers.delete(fn);
};

export const createDynamoClients = (opts: DynamoClientOptions) => {
  const raw = withoutSdkLogger(
    new DynamoDBClient({
      region: opts.region,
      ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    }),
  );
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      if (observers.size > 0) for (const fn of observers) fn(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'requestObserver' },
  );
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  return { raw, doc };
};
