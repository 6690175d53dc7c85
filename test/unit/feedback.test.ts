// Satisfaction follow-up (pure parts and the HMAC signer): scheduled with the final response whatever the regime,
// planned and fired as a case timer, tokens that verify only as signed, expire, and answer once.
import { encodeClaims, parseToken, recordFeedback, scheduleFollowUp, assertNotExpired, sanitiseComment } from '#domain/feedback';
import { feedbackTokenId, fireTimer, plannedTimers } from '#domain/timers';
import { GoneError, UnauthorizedError } from '#domain/errors';
import { eventNeedsRedaction, redactCase, REDACTED } from '#domain/retention';
import { HmacTokenSigner } from '#adapters/hmac-token-signer';
import type { Case } from '#schemas/complaint';
import { CASE_ID, DAY, NOW, at, openedCase } from './fixtures';

const POLICY = { followUpDays: 7, linkValidDays: 30 };
const answered = (over: Partial<Case> = {}): Case => {
  const c = openedCase();
  return scheduleFollowUp({ ...c, status: 'resolved', cycles: c.cycles.map((cy) => ({ ...cy, stoppedAt: NOW, respondedAt: NOW })), ...over }, NOW, POLICY);
};
const timerOf = (c: Case) => plannedTimers(c).find((t) => t.kind === 'feedback')!;
const issued = (c: Case): Case => {
  const out = fireTimer(c, timerOf(c), at(NOW, 7 * DAY));
  if (!out.fired) throw new Error(out.reason);
  return out.change.case;
};

describe('satisfaction follow-up timer', () => {
  it('is planned 7 days after the final response, regime-independent, and issues the link once', () => {
    for (const regime of ['UK_FCA_DISP', 'US_CFPB', 'INTERNAL_STANDARD']) {
      const c = answered({ regime });
      const t = timerOf(c);
      expect(t).toMatchObject({ kind: 'feedback', at: at(NOW, 7 * DAY), name: `${CASE_ID}-1-feedback` });
      expect(fireTimer(c, t, at(NOW, 6 * DAY))).toEqual({ fired: false, reason: 'not_yet_due' });
      const out = fireTimer(c, t, at(NOW, 7 * DAY));
      expect(out.fired && out.change.drafts[0]).toMatchObject({ action: 'feedback.requested', data: { tokenId: feedbackTokenId(1), expiresAt: at(NOW, 37 * DAY) } });
      const next = issued(c);
      expect(plannedTimers(next).some((x) => x.kind === 'feedback')).toBe(false);
      expect(fireTimer(next, t, at(NOW, 8 * DAY))).toEqual({ fired: false, reason: 'already_done' });
    }
  });

  it('is not planned while the case runs again after a reopen', () => {
    expect(plannedTimers(answered({ status: 'open' })).some((t) => t.kind === 'feedback')).toBe(false);
  });
});

describe('feedback tokens', () => {
  const signer = new HmacTokenSigner(() => Promise.resolve(Buffer.alloc(32, 7)));
  const other = new HmacTokenSigner(() => Promise.resolve(Buffer.alloc(32, 8)));
  const claims = { caseId: CASE_ID, tokenId: 'c1', expiresAt: at(NOW, 30 * DAY) };

  it('round-trips the claims and verifies only with the key that signed them', async () => {
    const signed = encodeClaims(claims);
    const token = `${signed}.${await signer.sign(signed)}`;
    const parsed = parseToken(token);
    expect(parsed.claims).toEqual(claims);
    expect(await signer.verify(parsed.signed, parsed.signature)).toBe(true);
    expect(await other.verify(parsed.signed, parsed.signature)).toBe(false);
    // A changed claim (another case, a later expiry) no longer matches its signature.
    const tampered = encodeClaims({ ...claims, expiresAt: at(NOW, 300 * DAY) });
    expect(await signer.verify(tampered, parsed.signature)).toBe(false);
  });

  it.each(['garbage', 'v1..', 'v2.e30.abc', `v1.${Buffer.from('{"c":"x"}').toString('base64url')}.sig`, 'v1.%%%.sig'])('treats %s as forged (401)', (t) => {
    expect(() => parseToken(t)).toThrow(UnauthorizedError);
  });

  it('expires at its expiry (410)', () => {
    expect(() => assertNotExpired(claims, at(NOW, 30 * DAY))).toThrow(GoneError);
    expect(() => assertNotExpired(claims, at(NOW, 29 * DAY))).not.toThrow();
  });
});

describe('recording satisfaction', () => {
  it('records once: the same token again is 410; a token the case never issued is 401', () => {
    const c = issued(answered());
    const f = c.feedback![0]!;
    const claims = { caseId: CASE_ID, tokenId: f.tokenId!, expiresAt: f.expiresAt! };
    const out = recordFeedback(c, claims, { score: 4, comment: ' Quick\u0007 and fair ' }, at(NOW, 8 * DAY));
    expect(out.result.response).toEqual({ score: 4, comment: 'Quick and fair', receivedAt: at(NOW, 8 * DAY) });
    expect(out.drafts[0]).toMatchObject({ action: 'feedback.received', data: { score: 4, category: 'service_delay' } });
    expect(() => recordFeedback(out.case, claims, { score: 1 }, at(NOW, 9 * DAY))).toThrow(GoneError);
    expect(() => recordFeedback(c, { ...claims, tokenId: 'c9' }, { score: 1 }, at(NOW, 9 * DAY))).toThrow(UnauthorizedError);
    expect(sanitiseComment('a\r\nb\u202e')).toBe('a\nb');
  });
});

describe('retention of satisfaction answers', () => {
  it('redacts the customer’s comment and keeps the score; the received event counts as free text, the request as facts', () => {
    const c = issued(answered());
    const f = c.feedback![0]!;
    const out = recordFeedback(c, { caseId: CASE_ID, tokenId: f.tokenId!, expiresAt: f.expiresAt! }, { score: 2, comment: 'Ada found it slow' }, at(NOW, 8 * DAY));
    expect(redactCase(out.case).feedback![0]!.response).toEqual({ score: 2, comment: REDACTED, receivedAt: at(NOW, 8 * DAY) });
    const event = (action: string, data: Record<string, unknown>) => ({ seq: 1, at: NOW, actor: 'system:feedback', action, data, prevHash: '', hash: '' });
    expect(eventNeedsRedaction(event('feedback.received', out.drafts[0]!.data))).toBe(true);
    expect(eventNeedsRedaction(event('feedback.requested', { tokenId: 'c1' }))).toBe(false);
  });
});
