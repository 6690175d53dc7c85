// Retention of closed complaints: the record-keeping period per regime (each citing its basis), when a closed case's
// period ends, and the redaction at its end that removes personal data while the facts, the outcome and the audit
// chain stay (redacted events keep their data digest, so every link still recomputes).
//
// Periods count from closure. Every rule cited here counts from receipt (DISP) or from the end of the relationship
// (CPC); closure is never earlier than receipt, so counting from closure keeps a record at least as long as the rule
// asks. Where no rule sets a period the figure is an organisation default and says so: check it with your compliance
// team, and override it per regime with RETENTION_YEARS.
import { plusUtcYears } from './time-zone';
import type { Case } from '#schemas/complaint';
import type { AuditEvent, Note, Task } from '#schemas/children';
import type { Evidence } from '#schemas/evidence';
import type { Approval, Resolution } from '#schemas/resolution';
import type { Escalation } from '#schemas/escalation';
import type { CaseChild } from '#ports/case-repository';
import { redactEvent } from './audit-chain';
import { own } from './own';
import type { Change } from './lifecycle';

export interface RetentionPeriod {
  regime: string;
  /** Years from closure until the personal data is redacted. */
  years: number;
  /** `rule`: a record-keeping rule sets a minimum; `policy`: the organisation's own default (no rule found). */
  basis: 'rule' | 'policy';
  citation: string;
  /** The least the rule allows (an override below it is refused); absent for policy defaults. */
  minYears?: number;
  /** Why this figure, and what to check. */
  note: string;
}

/** Seven years, as the evidence bucket's default Object Lock period (DEFAULT_EVIDENCE_RETENTION_DAYS). */
export const ORGANISATION_DEFAULT_YEARS = 7;

const organisationDefault = (regime: string, note: string): RetentionPeriod => ({
  regime,
  years: ORGANISATION_DEFAULT_YEARS,
  basis: 'policy',
  citation: 'Organisation default (no record-keeping rule for complaint records identified) — check with your compliance team',
  note,
});

const AU_NOTE =
  'ASIC RG 271 requires complaints to be recorded, but we found no retention period in it: seven years is an organisation default (it mirrors common Australian record-keeping periods, e.g. financial records under Corporations Act 2001 s 286, which is not a complaints rule). Check with your compliance team.';

export const RETENTION_PERIODS: Readonly<Record<string, RetentionPeriod>> = {
  UK_FCA_DISP: {
    regime: 'UK_FCA_DISP',
    years: 5,
    basis: 'rule',
    minYears: 3,
    citation: 'FCA Handbook DISP 1.9.1R (complaints record rule); MiFID complaints: DISP 1.1A with article 72 of the MiFID Org Regulation',
    note:
      'DISP 1.9.1R: keep a record of each complaint and the measures taken for its resolution for at least five years where it relates to collective portfolio management services for a UCITS scheme, three years for all other complaints, from receipt; MiFID complaints (DISP 1.1A) keep the MiFID Org Regulation’s five years. A case does not record whether it is MiFID or UCITS business, so five years is used; a firm with no such complaints may set 3.',
  },
  UK_FCA_PSD: {
    regime: 'UK_FCA_PSD',
    years: 3,
    basis: 'rule',
    minYears: 3,
    citation: 'FCA Handbook DISP 1.9.1R(2)',
    note: 'Payment services and e-money complaints are “all other complaints” under DISP 1.9.1R: three years from receipt (here from closure, never earlier).',
  },
  US_CFPB: organisationDefault(
    'US_CFPB',
    'No single federal rule sets how long a CFPB-portal complaint record is kept. Record rules of the underlying product are shorter (e.g. Regulation E 12 CFR 1005.13 and Regulation Z 12 CFR 1026.25: two years for their own records) and state rules vary: seven years is a conservative organisation default.',
  ),
  AU_ASIC_RG271: organisationDefault('AU_ASIC_RG271', AU_NOTE),
  AU_ASIC_RG271_SUPER: organisationDefault('AU_ASIC_RG271_SUPER', AU_NOTE),
  AU_ASIC_RG271_HARDSHIP: organisationDefault('AU_ASIC_RG271_HARDSHIP', AU_NOTE),
  IE_CBI_CPC: {
    regime: 'IE_CBI_CPC',
    years: 6,
    basis: 'rule',
    minYears: 6,
    citation: 'Central Bank of Ireland Consumer Protection Code 2012, Chapter 11 (records and compliance procedures): six years',
    note:
      'The Code’s record-keeping chapter requires six years (we believe Provision 11.6, counted from the end of the relationship with the consumer for consumer records — check the paragraph and its starting point with your compliance team, and the revised Code that applies from 24 March 2026).',
  },
  INTERNAL_STANDARD: organisationDefault('INTERNAL_STANDARD', 'No external rule applies: the organisation sets its own period (seven years by default).'),
};

/** Per-regime years that replace the defaults (RETENTION_YEARS). */
export type RetentionYears = Partial<Record<string, number>>;

/** The period of a regime with the organisation's override; an unknown (retired) regime gets the organisation default. */
export const retentionPeriod = (regime: string, overrides: RetentionYears = {}): RetentionPeriod => {
  const base = own(RETENTION_PERIODS, regime) ?? organisationDefault(regime, 'Regime not in the retention table: organisation default.');
  const years = own(overrides, regime);
  return years === undefined ? base : { ...base, years };
};

/** What is wrong with an override (unknown regime, below the rule's minimum, not a whole number of years ≥ 1). */
export const retentionOverrideProblems = (overrides: RetentionYears): string[] =>
  Object.entries(overrides).flatMap(([regime, years]) => {
    const period = own(RETENTION_PERIODS, regime);
    if (!period) return [`${regime} is not a regime (valid: ${Object.keys(RETENTION_PERIODS).join(', ')})`];
    if (years === undefined || !Number.isInteger(years) || years < 1) return [`${regime} must be a whole number of years, at least 1`];
    if (period.minYears !== undefined && years < period.minYears) return [`${regime} must be at least ${period.minYears} years (${period.citation})`];
    return [];
  });

/** When the record-keeping period of a case closed at `closedAt` ends (calendar years in UTC; 29 Feb → 28 Feb). */
export const retainUntilOf = (regime: string, closedAt: string, overrides: RetentionYears = {}): string =>
  plusUtcYears(closedAt, retentionPeriod(regime, overrides).years);

// ---------- redaction ----------

/** What replaces every personal or free-text value. */
export const REDACTED = '[redacted]';
export const RETENTION_ACTOR = 'system:retention';
/** The audit event that records a redaction; `data.redactedSeqs` lists every event whose data it removed. */
export const RETENTION_EVENT = 'retention.redacted';

/**
 * Audit actions whose data holds facts only (ids, times, counts, enums, amounts, system-written details such as a
 * checksum mismatch): never redacted.
 */
export const FACT_ONLY_ACTIONS: ReadonlySet<string> = new Set([
  // The feedback link was issued: token id, expiry and channel only.
  'feedback.requested',
  'complaint.received',
  'owner.assigned',
  // Ids, times and the suggested owner only.
  'owner.absence_flagged',
  'checkpoint.reached',
  'deadline.breached',
  'dependency.blocked',
  'acknowledgement.overdue',
  'escalation.started',
  'escalation.level_raised',
  'escalation.resolved',
  'approval.requested',
  'approval.reminded',
  'approval.escalated',
  'approval.expired',
  'resolution.approved',
  'evidence.verified',
  'evidence.rejected',
  'evidence.upload_refused',
  'export.requested',
  'export.started',
  'export.completed',
  'export.failed',
  'export.download_issued',
  'export.legal_hold_applied',
  'export.legal_hold_released',
  RETENTION_EVENT,
]);

/** Actions that may carry personal data or free text: redacted when one of FREE_TEXT_KEYS (at any depth) holds a value. */
export const FREE_TEXT_ACTIONS: ReadonlySet<string> = new Set([
  'complaint.reclassified',
  'complaint.closed',
  'complaint.reopened',
  // A supervisor's reason for marking (or unmarking) a case as spam or a duplicate.
  'complaint.marked',
  'complaint.unmarked',
  'owner.changed',
  'acknowledgement.sent',
  'task.created',
  'task.updated',
  'note.added',
  'clock.paused',
  'clock.resumed',
  'clock.extended',
  'clock.delay_recorded',
  'clock.recounted',
  'escalation.raised',
  'escalation.notified',
  'escalation.acknowledged',
  'escalation.waived',
  'escalation.unacknowledged',
  'resolution.proposed',
  'resolution.replanned',
  'approval.approved',
  'approval.rejected',
  'final_response.sent',
  'evidence.registered',
  'evidence.download_issued',
  'legal_hold.applied',
  'legal_hold.released',
  // A release outside the organisation: the recipient, the reasons and the approvers' comments.
  'release.requested',
  'release.approved',
  'release.rejected',
  // The customer's satisfaction comment.
  'feedback.received',
  // A problem record's own chain (#32): its title, root cause and each link's reason are written by people. (These
  // events live in the problem's partition, not a case's; a case's redaction does not reach them: see the register.)
  'problem.opened',
  'problem.updated',
  'problem.complaint_linked',
  'problem.complaint_unlinked',
  'problem.closed',
]);

/** Keys whose values are written by people or name the customer. */
export const FREE_TEXT_KEYS: ReadonlySet<string> = new Set([
  'reason',
  'text',
  'title',
  'findings',
  'blockedReason',
  'body',
  'followUpAction',
  'justification',
  'comment',
  'note',
  'acknowledgementNote',
  'finalResponse',
  'description',
  'summary',
  'fileName',
  'customer',
  'name',
  'email',
  'phone',
]);

const holdsFreeText = (v: unknown): boolean => {
  if (Array.isArray(v)) return v.some(holdsFreeText);
  if (typeof v !== 'object' || v === null) return false;
  return Object.entries(v).some(([k, x]) => (FREE_TEXT_KEYS.has(k) && x !== null && x !== undefined && x !== '') || holdsFreeText(x));
};

/**
 * Whether retention removes an event's data: facts-only actions never; free-text actions when their data holds free
 * text; any other action (one this list does not know yet) always, the safe default. Redacted events are done.
 */
export const eventNeedsRedaction = (e: AuditEvent): boolean => {
  if (e.redaction) return false;
  if (FACT_ONLY_ACTIONS.has(e.action)) return false;
  if (FREE_TEXT_ACTIONS.has(e.action)) return holdsFreeText(e.data);
  return true;
};

/** Non-blank text becomes the marker; blank stays blank (a handoff without a reason stays one, for the control review). */
const text = (s: string): string => (s.trim() ? REDACTED : s);
const optText = (s: string | undefined): string | undefined => (s === undefined ? undefined : text(s));
/** Assigns only the keys that exist, so an absent optional field stays absent. */
const present = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * The case without personal data. Removed: the customer's id, name, email and phone (the id too: it is what the
 * customer index finds a person by, and the repository drops the index entry once `redaction` is set); summary,
 * description, follow-up action, root-cause description, handoff and escalation reasons, waiver justifications and
 * the clock's pause and extension reasons. Kept: ids, reference, external reference, regime, category, severity,
 * product, channel, status, owner and team, every date, deadline, checkpoint and cycle (with its decision and
 * compensation), the alleged loss, the vulnerable flag, counts and flags.
 */
export const redactCase = (c: Case): Case => ({
  ...c,
  customer: present({ id: REDACTED, name: REDACTED, vulnerable: c.customer.vulnerable }),
  ...(c.unverifiedSender ? { unverifiedSender: { ...c.unverifiedSender, email: REDACTED } } : {}),
  summary: text(c.summary),
  description: text(c.description),
  handoffs: c.handoffs.map((h) => ({ ...h, reason: text(h.reason) })),
  escalations: c.escalations.map((e) => ({ ...e, reason: text(e.reason) })),
  ...(c.waivers ? { waivers: c.waivers.map((w) => ({ ...w, justification: text(w.justification) })) } : {}),
  ...(c.rootCause ? { rootCause: { ...c.rootCause, description: text(c.rootCause.description) } } : {}),
  ...(c.followUpAction !== undefined ? { followUpAction: text(c.followUpAction) } : {}),
  ...(c.clock ? { clock: present({ ...c.clock, pauseReason: optText(c.clock.pauseReason), extensionReason: optText(c.clock.extensionReason) }) } : {}),
  // Satisfaction scores stay (reporting); the customer's comments go.
  ...(c.feedback ? { feedback: c.feedback.map((f) => (f.response ? { ...f, response: present({ ...f.response, comment: optText(f.response.comment) }) } : f)) } : {}),
});

const redactTask = (t: Task): Task => present({ ...t, title: text(t.title), findings: optText(t.findings), blockedReason: optText(t.blockedReason) });
const redactNote = (n: Note): Note => ({ ...n, body: text(n.body) });
const redactEvidence = (e: Evidence): Evidence => ({ ...e, fileName: text(e.fileName) });
const redactResolution = (r: Resolution): Resolution => ({
  ...r,
  finalResponse: text(r.finalResponse),
  rootCause: { ...r.rootCause, description: text(r.rootCause.description) },
  ...(r.remedy ? { remedy: { ...r.remedy, description: text(r.remedy.description) } } : {}),
});
const redactApproval = <A extends Approval>(a: A): A => present({ ...a, comment: optText(a.comment) });
const redactEscalation = <E extends Escalation>(e: E): E =>
  present({ ...e, reason: text(e.reason), acknowledgementNote: optText(e.acknowledgementNote), justification: optText(e.justification) });

/** What a case's redaction reads: its children and its audit trail. */
export interface CaseRecords {
  tasks: Task[];
  notes: Note[];
  evidence: Evidence[];
  resolutions: Resolution[];
  approvals: (Approval & { taskToken?: string })[];
  escalations: (Escalation & { taskToken?: string })[];
  events: AuditEvent[];
}

export interface RedactionStamp {
  at: string;
  by: string;
  reason: string;
}

export interface RedactionPlan {
  /** The redacted case (with `redaction` set) and the `retention.redacted` audit event, for the normal mutation path. */
  change: Change;
  /** Children whose stored form changes (already-redacted ones are left out, so a re-run after a crash writes less). */
  children: CaseChild[];
  /** Audit events to rewrite without their data (same seq, hash and data digest). */
  events: AuditEvent[];
  counts: { events: number; items: number; keptEvents: number };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Plans the redaction of a closed case past retention. Idempotent: on records already partly redacted (a run that
 * crashed after rewriting children) it plans only what is left, and the counts are the same. Throws for an event
 * written before salted data digests: its data cannot be removed without breaking the chain.
 */
export const planRedaction = (c: Case, records: CaseRecords, stamp: RedactionStamp, period: RetentionPeriod): RedactionPlan => {
  const children: CaseChild[] = [];
  let items = 0;
  const consider = <T>(list: T[], redact: (x: T) => T, child: (x: T) => CaseChild) => {
    for (const x of list) {
      const red = redact(x);
      // Counted when it held text (redacted now or by an earlier, crashed run): the figure does not depend on crashes.
      if (holdsRedacted(red)) items++;
      if (!same(red, x)) children.push(child(red));
    }
  };
  consider(records.tasks, redactTask, (task) => ({ kind: 'task', task }));
  consider(records.notes, redactNote, (note) => ({ kind: 'note', note }));
  consider(records.evidence, redactEvidence, (evidence) => ({ kind: 'evidence', evidence }));
  consider(records.resolutions, redactResolution, (resolution) => ({ kind: 'resolution', resolution }));
  consider(records.approvals, redactApproval, (approval) => ({ kind: 'approval', approval }));
  consider(records.escalations, redactEscalation, (escalation) => ({ kind: 'escalation', escalation }));

  const eventStamp = { at: stamp.at, by: stamp.by, reason: stamp.reason };
  const events = records.events.filter(eventNeedsRedaction).map((e) => redactEvent(e, eventStamp));
  // Every event without its data after this run (an earlier, crashed run's included): the retention event names them,
  // so the chain shows which events were redacted and by which chained event.
  const redactedSeqs = [...records.events.filter((e) => e.redaction).map((e) => e.seq), ...events.map((e) => e.seq)].sort((a, b) => a - b);
  const counts = { events: redactedSeqs.length, items, keptEvents: records.events.length - redactedSeqs.length };
  const next: Case = { ...redactCase(c), redaction: { at: stamp.at, by: stamp.by, reason: stamp.reason, events: counts.events, items: counts.items } };
  return {
    change: {
      case: next,
      result: undefined,
      drafts: [
        {
          actor: stamp.by,
          action: RETENTION_EVENT,
          data: {
            regime: c.regime,
            retainUntil: c.retainUntil ?? null,
            closedAt: c.closedAt ?? null,
            years: period.years,
            basis: period.basis,
            rule: period.citation,
            redactedEvents: counts.events,
            redactedSeqs,
            keptEvents: counts.keptEvents,
            redactedItems: counts.items,
          },
        },
      ],
    },
    children,
    events,
    counts,
  };
};

/** Whether a (redacted) child holds the marker anywhere, i.e. had text that retention removed. */
const holdsRedacted = (v: unknown): boolean => {
  if (v === REDACTED) return true;
  if (Array.isArray(v)) return v.some(holdsRedacted);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(holdsRedacted);
  return false;
};

/** Whether a case is due for redaction at `now`: closed, past its retainUntil, not yet redacted. Legal hold is asked separately. */
export const isRetentionDue = (c: Pick<Case, 'status' | 'retainUntil' | 'redaction'>, now: string): boolean =>
  c.status === 'closed' && c.retainUntil !== undefined && !c.redaction && Date.parse(c.retainUntil) < Date.parse(now);
