// S3 "Object Created" (via EventBridge) → verify the upload against its registration: size and the stored SHA-256
// (HeadObject, ChecksumMode ENABLED; streamed hash where storage keeps none). Idempotent; errors propagate so
// EventBridge retries.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { evidenceService } from '#http/evidence-container';
import { provideEvidenceVault } from '#http/evidence-vault';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';

// Uploads are inspected (and held) in the evidence bucket.
provideEvidenceVault();

const ObjectCreatedEvent = z.object({
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  time: z.string(),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), size: z.number().int().min(0).optional(), 'version-id': z.string().optional(), sequencer: z.string().optional() }),
  }),
});

export const handler = defineEventHandler('evidence-verifier', async (event: unknown) => {
  const parsed = ObjectCreatedEvent.safeParse(event);
  if (!parsed.success) {
    logger.warn('not an S3 Object Created event', { issues: parsed.error.issues });
    return { outcome: 'ignored', reason: 'not_object_created' };
  }
  const { detail, time } = parsed.data;
  // EventBridge carries the key URL-encoded as in S3 notifications ("+" for spaces).
  const key = decodeURIComponent(detail.object.key.replace(/\+/g, ' '));
  logger.appendKeys({ key });
  const out = await evidenceService().verify({
    key,
    sizeBytes: detail.object.size ?? 0,
    ...(detail.object['version-id'] ? { versionId: detail.object['version-id'] } : {}),
    ...(detail.object.sequencer ? { sequencer: detail.object.sequencer } : {}),
    time: new Date(time).toISOString(),
  });
  metrics.addMetric(`Evidence_${out.outcome}`, MetricUnit.Count, 1);
  logger.info('upload checked', { ...out });
  return out;
});
