// Satisfaction follow-up use cases: send the customer their feedback link once the follow-up timer has fired, and
// record a submission through the link (public, no login): forged → 401, expired or used → 410, too many attempts →
// 429, otherwise the score lands on the case in one versioned transaction that also marks the link used.
import type { Case } from '#schemas/complaint';
import type { FeedbackBody, FeedbackReceipt } from '#schemas/feedback';
import type { Notifier } from '#ports/notifier';
import type { AttemptCounter, TokenSigner } from '#ports/feedback-links';
import { systemMutate, type MutationDeps } from './case-mutation';
import { GoneError, TooManyRequestsError, UnauthorizedError } from './errors';
import { assertNotExpired, encodeClaims, parseToken, recordFeedback, type FeedbackClaims } from './feedback';
import type { Notification } from './domain-events';

export interface FeedbackServiceDeps extends MutationDeps {
  signer: TokenSigner;
  attempts: AttemptCounter;
  /** Resolved when a link is sent (the submitting function never sends one, so it needs no notifier). */
  notifier: () => Notifier;
  maxAttempts: number;
  /** The customer-facing link for a token (FEEDBACK_LINK_TEMPLATE with `{token}`). */
  linkFor: (token: string) => string;
}

export class FeedbackService {
  constructor(private readonly deps: FeedbackServiceDeps) {}

  async token(claims: FeedbackClaims): Promise<string> {
    const signed = encodeClaims(claims);
    return `${signed}.${await this.deps.signer.sign(signed)}`;
  }

  /**
   * After the follow-up timer fired (or was found done: a redelivery after a failed send), sends the link of the
   * cycle's request to the customer. The same request always yields the same token and notification id, so a
   * repeated send is recognisable downstream. Nothing is sent once the customer has answered.
   */
  async sendLink(caseId: string, cycle: number): Promise<'sent' | 'nothing_to_send'> {
    const rec = await this.deps.repo.get(caseId);
    const f = rec?.case.feedback?.find((r) => r.cycle === cycle);
    if (!rec || !f?.tokenId || !f.expiresAt || f.response || rec.case.redaction) return 'nothing_to_send';
    const c = rec.case;
    const token = await this.token({ caseId, tokenId: f.tokenId, expiresAt: f.expiresAt });
    const link = this.deps.linkFor(token);
    const n: Notification = {
      id: `${caseId}:feedback:${f.tokenId}:customer:${c.customer.id}`,
      eventType: 'FeedbackRequested',
      caseId,
      reference: c.reference,
      to: { kind: 'customer', customerId: c.customer.id, email: c.customer.email ?? null },
      subject: `${c.reference}: how did we handle your complaint?`,
      text: `Dear ${c.customer.name}, we recently sent you our response to your complaint ${c.reference}. Please tell us how satisfied you are with how we handled it (one minute, no login): ${link} — the link works once and until ${f.expiresAt}.`,
    };
    await this.deps.notifier().notify([n]);
    return 'sent';
  }

  /** POST /v1/feedback/{token}. */
  async submit(token: string, body: FeedbackBody): Promise<FeedbackReceipt> {
    const { signed, signature, claims } = parseToken(token);
    if (!(await this.deps.signer.verify(signed, signature))) throw new UnauthorizedError('the feedback link is not valid');
    // The expiry is in the signed claims: refused before any read or write.
    assertNotExpired(claims, this.deps.clock.now());
    // The only write a refused attempt makes: a counter beside the case (TTL'd with the link), never the case itself.
    if (!(await this.deps.attempts.attempt(claims.caseId, claims.tokenId, this.deps.maxAttempts, claims.expiresAt))) {
      throw new TooManyRequestsError(`this feedback link has been tried more than ${this.deps.maxAttempts} times`);
    }
    const out = await systemMutate(
      this.deps,
      claims.caseId,
      (c: Case, now) => recordFeedback(c, claims, body, now),
    );
    // A signed token for a case that no longer exists (deleted after retention): we cannot honour it.
    if (out.kind === 'missing') throw new GoneError('the complaint this link belongs to is no longer held');
    if (out.kind !== 'committed') throw new GoneError('this feedback link has already been used');
    const f = out.result;
    return { caseId: out.case.id, reference: out.case.reference, cycle: f.cycle, score: f.response!.score, receivedAt: f.response!.receivedAt };
  }
}

