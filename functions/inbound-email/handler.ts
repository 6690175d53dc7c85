// SES receiving → raw message in the inbound mail bucket → S3 "Object Created" (via EventBridge) → this function:
// size check before reading (too large: recorded, never parsed), MIME parse (malformed: recorded), then the email
// intake: the sender check on SES's verdict headers (virus: recorded rejection; unauthenticated: a complaint of its
// own marked unverifiedSender, or a rejection), then a reply to one of the sender's cases, or a new complaint. Once the
// raw message is stored, no failure may lose it: any error of the intake is recorded as an `intake_failed` rejection
// that staff list and replay (POST /v1/intake/rejections/{id}/replay). Only a failure to record that (the table
// unreachable) propagates: EventBridge retries, then dead-letters the event.
// The replay route invokes this function too, with an InboundReplayInvocation: the recorded rejection's stored message
// goes through the intake again here, and refusals come back as data (#domain/inbound-replay).
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { refusalOf } from '#domain/inbound-replay';
import { emailIntake, rawMailStore } from '#http/email-container';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';
import { InboundReplayInvocation, type EmailIntakeResult, type InboundReplayReply } from '#schemas/channels';

export const InboundObjectCreated = z.object({
  'detail-type': z.literal('Object Created'),
  source: z.literal('aws.s3'),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({ key: z.string(), size: z.number().int().min(0).optional() }),
  }),
});

/** What the rejection record says about an unexpected failure (no stack: the log has it). */
const describe = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 1000);

/** A replay the route asked for: the result, or the refusal (not found, still refused, message gone) as data. */
const replay = async (request: InboundReplayInvocation): Promise<InboundReplayReply> => {
  logger.appendKeys({ rejectionId: request.rejectionId });
  try {
    const result = await emailIntake().replayRejection(request.rejectionId, request.actor);
    metrics.addMetric(`InboundEmailReplay_${result.outcome}`, MetricUnit.Count, 1);
    return { ok: true, result };
  } catch (err) {
    return refusalOf(err);
  }
};

export const handler = defineEventHandler('inbound-email', async (event: unknown): Promise<EmailIntakeResult | InboundReplayReply | { outcome: 'ignored'; reason: string }> => {
  const replayRequest = InboundReplayInvocation.safeParse(event);
  if (replayRequest.success) return replay(replayRequest.data);
  const parsed = InboundObjectCreated.safeParse(event);
  if (!parsed.success) {
    logger.warn('not an S3 Object Created event', { issues: parsed.error.issues });
    return { outcome: 'ignored', reason: 'not_object_created' };
  }
  const store = rawMailStore();
  if (parsed.data.detail.bucket.name !== store.bucket) return { outcome: 'ignored', reason: 'other_bucket' };
  const key = decodeURIComponent(parsed.data.detail.object.key.replace(/\+/g, ' '));
  logger.appendKeys({ key });
  const intake = emailIntake();
  let out: EmailIntakeResult;
  try {
    const processed = await intake.processStoredEmail(key, parsed.data.detail.object.size);
    out = processed.kind === 'refused' ? await intake.rejectEmail(processed.refusal) : processed.result;
  } catch (err) {
    logger.error('email intake failed: recording the message as a rejection to replay', { error: err as Error });
    metrics.addMetric('InboundEmailFailed', MetricUnit.Count, 1);
    out = await intake.rejectEmail({ reason: 'intake_failed', detail: describe(err), sizeBytes: parsed.data.detail.object.size ?? 0, objectKey: key });
  }
  metrics.addMetric(`InboundEmail_${out.outcome}`, MetricUnit.Count, 1);
  // Spoofing attempts and mis-configured senders show up here, apart from the genuine intake volume.
  if (out.outcome !== 'rejected' && out.unverifiedSender) metrics.addMetric('InboundEmail_unverified_sender', MetricUnit.Count, 1);
  if (out.outcome === 'rejected') logger.warn('inbound email rejected', { rejection: out.rejection });
  else logger.info('inbound email', { outcome: out.outcome, caseId: out.caseId, evidence: out.evidence.length });
  return out;
});
