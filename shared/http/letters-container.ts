// Composition root for the letter and feedback functions: the Handlebars renderer (templates precompiled at build), the
// letter archive (the evidence bucket), the feedback-link signer (Secrets Manager in AWS, a key file under npm start)
// and the attempt counter.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LetterService } from '#domain/letter-service';
import { FeedbackService } from '#domain/feedback-service';
import type { TokenSigner } from '#ports/feedback-links';
import { HandlebarsLetterRenderer } from '#adapters/letters/handlebars-letters';
import { HmacTokenSigner } from '#adapters/hmac-token-signer';
import { secretsManagerKey } from '#adapters/aws/secrets-manager-key';
import { localKeyFile } from '#adapters/local/local-key-file';
import { DynamoFeedbackAttempts } from '#adapters/aws/dynamo/feedback-attempts';
import { config, requireSetting } from './config';
import type { Timer } from '#schemas/timer';
import { caseRepository, clock, complaintService, dynamo, ulidIds } from './container';
import { deadlineIntegrations } from './integrations';
import { evidenceObjects } from './evidence-container';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

let letters: LetterService | undefined;
let feedback: FeedbackService | undefined;
let renderer: HandlebarsLetterRenderer | undefined;

export const letterRenderer = (): HandlebarsLetterRenderer => (renderer ??= new HandlebarsLetterRenderer());

export const letterService = (): LetterService => {
  if (!letters) {
    const cfg = config();
    const c = clock();
    letters = new LetterService({
      repo: caseRepository(),
      clock: c,
      ids: ulidIds(c),
      renderer: letterRenderer(),
      archive: evidenceObjects(),
      letterhead: { name: cfg.LETTER_ORGANISATION_NAME, team: cfg.LETTER_TEAM_NAME, contact: cfg.LETTER_CONTACT, ...(cfg.LETTER_ANNEX_3R_WORDING ? { annex3r: cfg.LETTER_ANNEX_3R_WORDING } : {}) },
      feedback: { followUpDays: cfg.FEEDBACK_FOLLOW_UP_DAYS, linkValidDays: cfg.FEEDBACK_LINK_DAYS },
      regimes: cfg.regimes,
      ...(cfg.APPROVAL_RULES ? { rules: cfg.APPROVAL_RULES } : {}),
    });
  }
  return letters;
};

const tokenSigner = (): TokenSigner => {
  const cfg = config();
  if (cfg.FEEDBACK_SIGNING_SECRET_ARN) return new HmacTokenSigner(secretsManagerKey(withoutSdkLogger(new SecretsManagerClient({ region: cfg.AWS_REGION })), cfg.FEEDBACK_SIGNING_SECRET_ARN));
  return new HmacTokenSigner(localKeyFile(requireSetting('FEEDBACK_SIGNING_KEY_FILE')));
};

/** The public feedback route never notifies; the checkpoint function sends links through the deadline notifier (SNS, or the local outbox). */
export const feedbackService = (): FeedbackService => {
  if (!feedback) {
    const cfg = config();
    feedback = new FeedbackService({
      repo: caseRepository(),
      clock: clock(),
      signer: tokenSigner(),
      attempts: new DynamoFeedbackAttempts(dynamo().doc, requireSetting('TABLE_NAME')),
      notifier: () => deadlineIntegrations().notifier,
      maxAttempts: cfg.FEEDBACK_MAX_ATTEMPTS,
      linkFor: (token) => cfg.FEEDBACK_LINK_TEMPLATE.replace('{token}', encodeURIComponent(token)),
    });
  }
  return feedback;
};

/**
 * Applies a delivered case timer and, for a satisfaction follow-up whose link was issued (now, or found done: a
 * redelivery after a failed send), sends the customer that link. Both timer paths use it: the checkpoint function
 * (Scheduler) and the case stream (a timer already due when planned).
 */
export const fireCaseTimer = async (t: Timer) => {
  const out = await complaintService().fireTimer(t);
  if (t.kind !== 'feedback' || !(out.outcome === 'fired' || out.reason === 'already_done')) return out;
  return { ...out, feedbackLink: await feedbackService().sendLink(t.caseId, t.cycle) };
};
