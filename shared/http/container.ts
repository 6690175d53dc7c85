// Composition root: builds adapters from configuration once per process (module scope, never per request).
// Split by what a function needs (this file: the case table; integrations.ts: Scheduler, EventBridge, SNS;
// evidence-container.ts: S3), so a function bundles only the AWS clients it calls.
import { monotonicFactory } from 'ulid';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { ComplaintService, type ComplaintServiceDeps } from '#domain/complaint-service';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import { createDynamoClients } from '#adapters/aws/dynamo/client';
import { DynamoCaseRepository } from '#adapters/aws/dynamo/case-repository';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { clock } from './clock';
import { logger, metrics } from './observability';
import { triageModels } from './triage-container';
import { config, ConfigError, requireSetting } from './config';
import { checkRegimeOptions } from '#domain/regimes';

export { clock } from './clock';

let clients: ReturnType<typeof createDynamoClients> | undefined;
let complaints: ComplaintService | undefined;
let idempotency: DynamoDBPersistenceLayer | undefined;

export const ulidIds = (c: Clock): IdGenerator => {
  const next = monotonicFactory();
  return { next: () => next(Date.parse(c.now())) };
};

export const dynamo = () => {
  const cfg = config();
  return (clients ??= createDynamoClients({ region: cfg.AWS_REGION, ...(cfg.DYNAMODB_ENDPOINT ? { endpoint: cfg.DYNAMODB_ENDPOINT } : {}) }));
};

/** The case table adapter (one per call site; stateless besides the shared client). */
export const caseRepository = (): DynamoCaseRepository => new DynamoCaseRepository(dynamo().doc, { tableName: requireSetting('TABLE_NAME'), listShards: config().LIST_SHARDS, referenceBlock: config().REFERENCE_BLOCK_SIZE });

/** What every ComplaintService is built from (the intake service adds triage: #http/triage-container). */
export const complaintServiceDeps = (): ComplaintServiceDeps => {
  const cfg = config();
  try {
    checkRegimeOptions(cfg.regimes); // an unknown holiday region or zone is a deployment error: fail at start, not mid-request
  } catch (err) {
    throw new ConfigError(`invalid configuration: ${(err as Error).message}`);
  }
  const repo = caseRepository();
  const c = clock();
  return {
    repo,
    clock: c,
    ids: ulidIds(c),
    assignment: cfg.assignment,
    regimes: cfg.regimes,
    dependencyBlockedMs: cfg.DEPENDENCY_BLOCKED_HOURS * 3_600_000,
    // A reclassification that changes a fact the approval rules read re-plans the standing proposal with these.
    approvals: { ...(cfg.APPROVAL_RULES ? { rules: cfg.APPROVAL_RULES } : {}), stageTimeoutMs: cfg.APPROVAL_STAGE_TIMEOUT_HOURS * 3_600_000 },
    // Every intake path (API, email, helpdesk) opens cases through this service, so every one is triaged.
    // A failing model never fails the intake (the case opens without suggestions); each failure is logged and counted.
    triage: {
      models: triageModels(),
      settings: cfg.triage,
      onFailure: (f) => {
        logger.warn(f.kind === 'fallback' ? 'triage model failed; trying the next' : 'triage unavailable; the case opens without suggestions', { triage: f });
        metrics.addMetric(f.kind === 'fallback' ? 'TriageModelFailed' : 'TriageUnavailable', MetricUnit.Count, 1);
      },
    },
  };
};

export const complaintService = (): ComplaintService => (complaints ??= new ComplaintService(complaintServiceDeps()));

export const idempotencyStore = (): DynamoDBPersistenceLayer =>
  (idempotency ??= new DynamoDBPersistenceLayer({ tableName: requireSetting('IDEMPOTENCY_TABLE_NAME'), awsSdkV3Client: dynamo().raw }));

