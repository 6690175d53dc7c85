// Composition root: builds adapters from configuration once per process (module scope, never per request).
import { monotonicFactory } from 'ulid';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { ComplaintService } from '#domain/complaint-service';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import { createDynamoClients } from '#adapters/aws/dynamo/client';
import { DynamoCaseRepository } from '#adapters/aws/dynamo/case-repository';
import { clock } from './clock';
import { config, requireSetting } from './config';

export { clock } from './clock';

let clients: ReturnType<typeof createDynamoClients> | undefined;
let complaints: ComplaintService | undefined;
let idempotency: DynamoDBPersistenceLayer | undefined;

const ulidIds = (c: Clock): IdGenerator => {
  const next = monotonicFactory();
  return { next: () => next(Date.parse(c.now())) };
};

export const dynamo = () => {
  const cfg = config();
  return (clients ??= createDynamoClients({ region: cfg.AWS_REGION, ...(cfg.DYNAMODB_ENDPOINT ? { endpoint: cfg.DYNAMODB_ENDPOINT } : {}) }));
};

export const complaintService = (): ComplaintService => {
  if (!complaints) {
    const cfg = config();
    const repo = new DynamoCaseRepository(dynamo().doc, { tableName: requireSetting('TABLE_NAME'), listShards: cfg.LIST_SHARDS });
    const c = clock();
    complaints = new ComplaintService({
      repo,
      clock: c,
      ids: ulidIds(c),
      assignment: cfg.assignment,
      regimes: cfg.INTERNAL_STANDARD_DAYS ? { internalStandardDays: cfg.INTERNAL_STANDARD_DAYS } : {},
    });
  }
  return complaints;
};

export const idempotencyStore = (): DynamoDBPersistenceLayer =>
  (idempotency ??= new DynamoDBPersistenceLayer({ tableName: requireSetting('IDEMPOTENCY_TABLE_NAME'), awsSdkV3Client: dynamo().raw }));
