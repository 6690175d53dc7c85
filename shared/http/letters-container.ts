// Composition root for the letter functions: the Handlebars renderer (templates precompiled at build) and the letter
// archive (the evidence bucket, provided by the functions that send letters); and the case timers, whose satisfaction
// follow-up sends the feedback link (feedback-container.ts) through the deadline notifier (SNS, or the local outbox).
import { LetterService } from '#domain/letter-service';
import { HandlebarsLetterRenderer } from '#adapters/letters/handlebars-letters';
import { config } from './config';
import type { Timer } from '#schemas/timer';
import { caseRepository, clock, complaintService, ulidIds } from './container';
import { deadlineIntegrations } from './integrations';
import { lazyEvidenceVault } from './evidence-container';
import { feedbackService, linkNotifier } from './feedback-container';

export { feedbackService } from './feedback-container';

let letters: LetterService | undefined;
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
      // Only the letter senders write to the archive (they provide the evidence bucket); the preview never does.
      archive: lazyEvidenceVault,
      letterhead: { name: cfg.LETTER_ORGANISATION_NAME, team: cfg.LETTER_TEAM_NAME, contact: cfg.LETTER_CONTACT, ...(cfg.LETTER_ANNEX_3R_WORDING ? { annex3r: cfg.LETTER_ANNEX_3R_WORDING } : {}) },
      feedback: { followUpDays: cfg.FEEDBACK_FOLLOW_UP_DAYS, linkValidDays: cfg.FEEDBACK_LINK_DAYS },
      regimes: cfg.regimes,
      ...(cfg.APPROVAL_RULES ? { rules: cfg.APPROVAL_RULES } : {}),
    });
  }
  return letters;
};

/**
 * Applies a delivered case timer and, for a satisfaction follow-up whose link was issued (now, or found done: a
 * redelivery after a failed send), sends the customer that link. Both timer paths use it: the checkpoint function
 * (Scheduler) and the case stream (a timer already due when planned).
 */
export const fireCaseTimer = async (t: Timer) => {
  linkNotifier.provide(() => deadlineIntegrations().notifier);
  const out = await complaintService().fireTimer(t);
  if (t.kind !== 'feedback' || !(out.outcome === 'fired' || out.reason === 'already_done')) return out;
  return { ...out, feedbackLink: await feedbackService().sendLink(t.caseId, t.cycle) };
};
