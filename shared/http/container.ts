// Composition root: builds adapters from configuration once per process (module scope, never per request).
import { monotonicFactory } from 'ulid';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { ComplaintService } from '#domain/complaint-service';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import { createDynamoClients } from '#adapters/aws/dynamo/client';
import { DynamoCaseRepository } from '#adapters/aws/dynamo/case-repository';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import type { CheckpointScheduler } from '#ports/checkpoint-scheduler';
import type { EventPublisher } from '#ports/events';
import type { Notifier } from '#ports/notifier';
import { EventBridgeCheckpointScheduler } from '#adapters/aws/scheduler';
import { EventBridgePublisher } from '#adapters/aws/event-bridge';
import { SnsNotifier } from '#adapters/aws/sns-notifier';
import { LocalScheduler } from '#adapters/local/local-scheduler';
import { localOutbox } from '#adapters/local/local-outbox';
import { EvidenceService } from '#domain/evidence-service';
import { UPLOAD_TTL_MS } from '#domain/evidence';
import type { EvidenceVault } from '#ports/evidence-vault';
import { S3EvidenceVault } from '#adapters/aws/s3-evidence-vault';
import { LocalObjectLockVault } from '#adapters/local/local-object-lock';
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
      regimes: cfg.regimes,
      dependencyBlockedMs: cfg.DEPENDENCY_BLOCKED_HOURS * 3_600_000,
    });
  }
  return complaints;
};

export const idempotencyStore = (): DynamoDBPersistenceLayer =>
  (idempotency ??= new DynamoDBPersistenceLayer({ tableName: requireSetting('IDEMPOTENCY_TABLE_NAME'), awsSdkV3Client: dynamo().raw }));

export interface Integrations {
  scheduler: CheckpointScheduler;
  events: EventPublisher;
  notifier: Notifier;
}

let integrations: Integrations | undefined;

/** Scheduler, event bus and notifier: AWS services when deployed, the embedded stand-ins under `npm start`. */
export const deadlineIntegrations = (): Integrations => {
  if (!integrations) {
    const cfg = config();
    if (cfg.INTEGRATIONS === 'local') {
      integrations = { scheduler: new LocalScheduler(dynamo().doc, { tableName: requireSetting('LOCAL_TABLE_NAME') }), events: localOutbox, notifier: localOutbox };
    } else {
      const region = { region: cfg.AWS_REGION };
      integrations = {
        scheduler: new EventBridgeCheckpointScheduler(new SchedulerClient(region), {
          groupName: requireSetting('SCHEDULE_GROUP_NAME'),
          targetArn: requireSetting('CHECKPOINT_FUNCTION_ARN'),
          roleArn: requireSetting('SCHEDULER_ROLE_ARN'),
          deadLetterArn: requireSetting('SCHEDULER_DLQ_ARN'),
        }),
        events: new EventBridgePublisher(new EventBridgeClient(region), requireSetting('EVENT_BUS_NAME')),
        notifier: new SnsNotifier(new SNSClient(region), requireSetting('NOTIFICATION_TOPIC_ARN')),
      };
    }
  }
  return integrations;
};

let evidence: EvidenceService | undefined;

/** The evidence vault: the Object Lock bucket in AWS; the S3 stand-in plus the local Object Lock record under npm start. */
export const evidenceVault = (): EvidenceVault => {
  const cfg = config();
  const s3 = new S3EvidenceVault({
    bucket: requireSetting('EVIDENCE_BUCKET'),
    region: cfg.AWS_REGION,
    ...(cfg.S3_ENDPOINT ? { endpoint: cfg.S3_ENDPOINT } : {}),
    ...(cfg.EVIDENCE_KMS_KEY_ARN ? { kmsKeyArn: cfg.EVIDENCE_KMS_KEY_ARN } : {}),
  });
  if (cfg.INTEGRATIONS !== 'local') return s3;
  return new LocalObjectLockVault(s3, dynamo().doc, { tableName: requireSetting('LOCAL_TABLE_NAME'), bucket: requireSetting('EVIDENCE_BUCKET'), retentionDays: cfg.EVIDENCE_RETENTION_DAYS });
};

export const evidenceService = (): EvidenceService => {
  if (!evidence) {
    const cfg = config();
    const c = clock();
    evidence = new EvidenceService({
      repo: new DynamoCaseRepository(dynamo().doc, { tableName: requireSetting('TABLE_NAME'), listShards: cfg.LIST_SHARDS }),
      clock: c,
      ids: ulidIds(c),
      vault: evidenceVault(),
      policy: { allowedContentTypes: cfg.evidenceContentTypes, maxBytes: cfg.EVIDENCE_MAX_BYTES, uploadTtlMs: UPLOAD_TTL_MS },
    });
  }
  return evidence;
};
