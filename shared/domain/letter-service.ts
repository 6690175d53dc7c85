// Letter use cases: preview a letter from the case and its regime, and send the acknowledgement and the final
// response with the exact text sent kept as evidence (written to the vault with its SHA-256, in the same case
// transaction as the acknowledgement or final response it records). The final response also schedules the
// satisfaction follow-up.
import { createHash } from 'node:crypto';
import type { Case } from '#schemas/complaint';
import type { Evidence } from '#schemas/evidence';
import type { LetterKind, LetterPreview } from '#schemas/letters';
import type { ApprovalRules, Resolution } from '#schemas/resolution';
import type { LetterArchive } from '#ports/evidence-vault';
import type { IdGenerator } from '#ports/ids';
import type { LetterRenderer, RenderedLetter } from '#ports/letter-renderer';
import { assertVisible } from './access';
import { assertApprovalsCover, DEFAULT_APPROVAL_RULES, planApprovals } from './approval-rules';
import { mutateCase, type MutationDeps } from './case-mutation';
import { caseObjectPrefix } from './evidence';
import { ConflictError, ForbiddenError, NotFoundError } from './errors';
import { scheduleFollowUp, type FeedbackPolicy } from './feedback';
import { letterModel, letterRules, profileOf, type Letterhead } from './letters';
import * as life from './lifecycle';
import { hasRole, type Principal } from './principal';
import { regimeOfCase, type RegimeOptions } from './regimes';
import { assertNoAdmission, findAdmissions } from './outbound-text';
import { assertApprovedText, caseResolution, sendFinalResponse } from './resolution';

export interface LetterServiceDeps extends MutationDeps {
  ids: IdGenerator;
  renderer: LetterRenderer;
  archive: LetterArchive;
  letterhead: Letterhead;
  feedback: FeedbackPolicy;
  regimes?: RegimeOptions;
  /** The approval rules the last gate before sending checks the case's current facts against. */
  rules?: ApprovalRules;
}

/** Where a sent letter is kept: under the case's objects, outside the `evidence/` keys the upload verifier settles. */
export const letterKey = (caseId: string, evidenceId: string): string => `${caseObjectPrefix(caseId)}letters/${evidenceId}`;

const LETTER_CONTENT_TYPE = 'text/plain';

/** The text as sent: subject line, blank line, body (what the customer receives by email or post). */
export const sentText = (r: Pick<RenderedLetter, 'subject' | 'text'>): string => `Subject: ${r.subject}\n\n${r.text}`;

export class LetterService {
  constructor(private readonly deps: LetterServiceDeps) {}

  private async resolutionOf(c: Case): Promise<Resolution | undefined> {
    const summary = caseResolution(c);
    return summary ? this.deps.repo.getResolution(c.id, summary.id) : undefined;
  }

  private render(kind: LetterKind, c: Case, resolution: Resolution | undefined, now: string): RenderedLetter {
    const regime = regimeOfCase(c, this.deps.regimes);
    const model = letterModel({ kind, case: c, regime, resolution, letterhead: this.deps.letterhead, now });
    return this.deps.renderer.render(kind, profileOf(regime.id).family, model);
  }

  /** GET …/letters/{kind}: the owner, a supervisor or compliance (restricted cases as every read: 404 to others). */
  async preview(p: Principal, caseId: string, kind: LetterKind): Promise<LetterPreview> {
    const rec = await this.deps.repo.get(caseId);
    if (!rec) throw new NotFoundError(`complaint ${caseId} not found`);
    assertVisible(p, rec.case);
    if (rec.case.ownerId !== p.sub && !hasRole(p, 'supervisor', 'compliance')) throw new ForbiddenError('only the case owner, a supervisor or compliance may preview its letters');
    const now = this.deps.clock.now();
    const r = this.render(kind, rec.case, kind === 'final_response' ? await this.resolutionOf(rec.case) : undefined, now);
    const rules = letterRules(rec.case.regime, kind).map(({ id, ref, version, checkedAt }) => ({ id, ref, version, checkedAt }));
    // The scan every sent text passes, shown before sending (holding and summary-resolution letters are sent by staff).
    const admissions = findAdmissions(sentText(r));
    return { caseId, kind, regime: rec.case.regime, subject: r.subject, text: r.text, html: r.html, template: r.template, mergeFields: r.mergeFields, rules, admissions, renderedAt: now };
  }

  /**
   * Writes the letter's bytes to the vault (verified by storage against their SHA-256) and describes them as a
   * verified evidence item of the case. Runs inside the mutation attempt, before the commit: the item is never
   * recorded without its object. A lost race leaves an unreferenced, locked object under the case (harmless).
   */
  private async archive(c: Case, kind: LetterKind, text: string, rendered: RenderedLetter | undefined, actor: string, now: string): Promise<Evidence> {
    const evidenceId = this.deps.ids.next();
    const body = new TextEncoder().encode(text);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const key = letterKey(c.id, evidenceId);
    const stored = await this.deps.archive.writeLetter({ key, body, contentType: `${LETTER_CONTENT_TYPE}; charset=utf-8`, sha256, legalHold: c.legalHold });
    return {
      id: evidenceId,
      caseId: c.id,
      fileName: `${kind.replace(/_/g, '-')}-${c.reference}.txt`,
      contentType: LETTER_CONTENT_TYPE,
      sizeBytes: body.byteLength,
      sha256,
      key,
      status: 'verified',
      registeredBy: actor,
      registeredAt: now,
      uploadExpiresAt: now,
      verifiedAt: now,
      legalHold: c.legalHold,
      ...(stored.versionId ? { versionId: stored.versionId } : {}),
      uploadRef: stored.versionId ?? key,
      letter: { kind, template: rendered ? rendered.template : null },
    };
  }

  /** What the audit event of the sending records about the letter (the text itself is in the event as before). */
  private letterFacts = (e: Evidence) => ({ evidenceId: e.id, key: e.key, sha256: e.sha256, sizeBytes: e.sizeBytes, template: e.letter?.template ?? null });

  /** POST …/acknowledgement: records the acknowledgement; without `text`, the rendered acknowledgement letter is sent. */
  async acknowledge(p: Principal, caseId: string, body: { channel?: string; text?: string }, ifMatch?: number): Promise<{ case: Case; evidence: Evidence }> {
    const out = await mutateCase(
      this.deps,
      p,
      caseId,
      ifMatch,
      'owner',
      async (c, now) => {
        // The state rules first (409 before anything is rendered or written).
        life.acknowledge(c, body, p.sub, now);
        const rendered = body.text === undefined ? this.render('acknowledgement', c, undefined, now) : undefined;
        const text = body.text ?? sentText(rendered!);
        // An acknowledgement acknowledges: it never admits liability (400 on the sender's text, 409 on the letter's).
        assertNoAdmission(text, 'an acknowledgement', body.text === undefined ? undefined : 'body.text');
        const change = life.acknowledge(c, { ...body, text }, p.sub, now);
        const evidence = await this.archive(c, 'acknowledgement', text, rendered, p.sub, now);
        return { case: change.case, result: evidence, drafts: change.drafts.map((d) => ({ ...d, data: { ...d.data, letter: this.letterFacts(evidence) } })) };
      },
      (evidence) => [{ kind: 'evidence', evidence }],
    );
    return { case: out.case, evidence: out.result };
  }

  /**
   * POST …/final-response: sends the approved final response: always the rendered final-response letter (decision, the
   * approved explanation, remedy, referral rights and time limit). A `text` other than the approved finalResponse (or
   * the letter) is refused (409: a new proposal). The letter is scanned for an admission of liability, which goes out
   * only with legal's approval. Schedules the satisfaction follow-up (FEEDBACK_FOLLOW_UP_DAYS after now).
   */
  async finalResponse(p: Principal, caseId: string, body: { channel?: string; text?: string }, ifMatch?: number): Promise<Case> {
    const out = await mutateCase(
      this.deps,
      p,
      caseId,
      ifMatch,
      'owner',
      async (c, now) => {
        const resolution = await this.resolutionOf(c);
        sendFinalResponse(c, resolution, body, p.sub, now); // the state and approval rules first
        // The approvals given must still cover the case as it is now (a flag raised after they were given: 409).
        const approvals = (await this.deps.repo.listApprovals(c.id)).filter((a) => a.resolutionId === resolution!.id);
        assertApprovalsCover(planApprovals(resolution!, c, this.deps.rules ?? DEFAULT_APPROVAL_RULES), approvals);
        // What goes out is the approved finalResponse in the regime's letter; other text is a new proposal (409).
        const rendered = this.render('final_response', c, resolution, now);
        const text = sentText(rendered);
        assertApprovedText(resolution!, body.text, [text, rendered.text]);
        // The scan of the text that leaves: an admission goes out only if legal approved it in this proposal.
        const admissions = findAdmissions(text);
        if (admissions.length && !approvals.some((a) => a.status === 'approved' && a.reasons.some((r) => r.rule === 'admission_of_liability'))) {
          throw new ConflictError(`the final response admits liability (${admissions.map((x) => `"${x}"`).join(', ')}) and legal has not approved it: propose it again so that legal approves it`, {
            code: 'admission_of_liability',
            phrases: admissions,
          });
        }
        const change = sendFinalResponse(c, resolution, { ...body, text }, p.sub, now);
        const evidence = await this.archive(c, 'final_response', text, rendered, p.sub, now);
        const next = scheduleFollowUp(change.case, now, this.deps.feedback);
        const followUpAt = next.feedback?.at(-1)?.followUpAt ?? null;
        return { case: next, result: evidence, drafts: change.drafts.map((d) => ({ ...d, data: { ...d.data, letter: this.letterFacts(evidence), feedbackFollowUpAt: followUpAt } })) };
      },
      (evidence) => [{ kind: 'evidence', evidence }],
    );
    return out.case;
  }
}
