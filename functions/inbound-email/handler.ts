// SES receiving → raw message in the inbound mail bucket → S3 "Object Created" (via EventBridge) → this function:
// size check before reading (too large: recorded, never parsed), MIME parse (malformed: recorded), then the email
// intake: the sender check on SES's verdict headers (virus: recorded rejection; unauthenticated: a complaint of its
// own marked unverifiedSender, or a rejection), then a reply to one of the sender's cases, or a new complaint.
// Errors other than refusals propagate: EventBridge retries and then dead-letters the event.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { channelIntake, mailParser, rawMailStore } from '#http/channels-container';
import { config } from '#http/config';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';
import { MalformedMessageError } from '#ports/mail-parser';
import type { EmailIntakeResult } from '#schemas/channels';

export const InboundObjectCreated = z.object({
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), size: z.number().int().min(0).optional() }),
  }),
});

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export const handler = defineEventHandler('inbound-email', async (event: unknown): Promise<EmailIntakeResult | { outcome: 'ignored'; reason: string }> => {
  const parsed = InboundObjectCreated.safeParse(event);
  if (!parsed.success) {
    logger.warn('not an S3 Object Created event', { issues: parsed.error.issues });
    return { outcome: 'ignored', reason: 'not_object_created' };
  }
  const store = rawMailStore();
  if (parsed.data.detail.bucket.name !== store.bucket) return { outcome: 'ignored', reason: 'other_bucket' };
  const key = decodeURIComponent(parsed.data.detail.object.key.replace(/\+/g, ' '));
  logger.appendKeys({ key });
  const intake = channelIntake();
  const max = config().INBOUND_EMAIL_MAX_BYTES;
  const size = parsed.data.detail.object.size ?? (await store.size(key));
  let out: EmailIntakeResult;
  if (size > max) {
    out = await intake.rejectEmail({ reason: 'too_large', detail: `the message is ${mib(size)} (${size} bytes); the limit is ${mib(max)} (INBOUND_EMAIL_MAX_BYTES)`, sizeBytes: size, objectKey: key });
  } else {
    const raw = await store.read(key, max);
    try {
      const mail = await mailParser().parse(raw);
      out = mail.from
        ? await intake.receiveEmail({ ...mail, from: mail.from }, { objectKey: key, bytes: raw })
        : await intake.rejectEmail({ reason: 'no_sender', detail: 'the From header has no address', sizeBytes: raw.length, objectKey: key, ...(mail.subject ? { subject: mail.subject.slice(0, 300) } : {}) });
    } catch (err) {
      if (!(err instanceof MalformedMessageError)) throw err;
      out = await intake.rejectEmail({ reason: 'malformed', detail: err.message, sizeBytes: raw.length, objectKey: key });
    }
  }
  metrics.addMetric(`InboundEmail_${out.outcome}`, MetricUnit.Count, 1);
  // Spoofing attempts and mis-configured senders show up here, apart from the genuine intake volume.
  if (out.outcome !== 'rejected' && out.unverifiedSender) metrics.addMetric('InboundEmail_unverified_sender', MetricUnit.Count, 1);
  if (out.outcome === 'rejected') logger.warn('inbound email rejected', { rejection: out.rejection });
  else logger.info('inbound email', { outcome: out.outcome, caseId: out.caseId, evidence: out.evidence.length });
  return out;
});
