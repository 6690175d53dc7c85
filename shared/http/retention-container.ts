// Composition root of the retention job: the case table, the clock, and the object tagger for the buckets' lifecycle
// (S3 in AWS; the local table under npm start). No Scheduler, no events.
import { RetentionService } from '#domain/retention-service';
import type { RetentionObjects } from '#ports/retention-objects';
import { S3RetentionObjects } from '#adapters/aws/s3-retention-objects';
import { LocalRetentionObjects } from '#adapters/local/local-retention-objects';
import type { RetentionQueue } from '#ports/retention-queue';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeRetentionQueue } from '#adapters/aws/event-bridge-retention-queue';
import { localRetentionQueue } from '#adapters/local/local-retention-queue';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';
import { caseRepository, clock, dynamo } from './container';
import { config, requireSetting } from './config';

/** Configured where both buckets are named (the deployed job, npm start); absent elsewhere (the job then only redacts). */
export const retentionObjects = (): RetentionObjects | undefined => {
  const cfg = config();
  if (!cfg.EVIDENCE_BUCKET || !cfg.EXPORTS_BUCKET) return undefined;
  if (cfg.INTEGRATIONS === 'local') return new LocalRetentionObjects(dynamo().doc, { tableName: requireSetting('LOCAL_TABLE_NAME'), evidenceBucket: cfg.EVIDENCE_BUCKET, exportsBucket: cfg.EXPORTS_BUCKET });
  return new S3RetentionObjects({ evidenceBucket: cfg.EVIDENCE_BUCKET, exportsBucket: cfg.EXPORTS_BUCKET, region: cfg.AWS_REGION, ...(cfg.S3_ENDPOINT ? { endpoint: cfg.S3_ENDPOINT } : {}) });
};

let service: RetentionService | undefined;

export const retentionService = (): RetentionService => {
  if (!service) {
    const cfg = config();
    const objects = retentionObjects();
    service = new RetentionService({
      repo: caseRepository(),
      clock: clock(),
      ...(cfg.regimes.retentionYears ? { retentionYears: cfg.regimes.retentionYears } : {}),
      batch: cfg.RETENTION_BATCH,
      ...(objects ? { objects } : {}),
    });
  }
  return service;
};

/** Where the dispatcher queues due case ids: the bus (to the retention SQS queue) in AWS, memory under npm start. */
export const retentionQueue = (): RetentionQueue => {
  const cfg = config();
  if (cfg.INTEGRATIONS === 'local') return localRetentionQueue;
  return new EventBridgeRetentionQueue(withoutSdkLogger(new EventBridgeClient({ region: cfg.AWS_REGION })), requireSetting('EVENT_BUS_NAME'));
};
