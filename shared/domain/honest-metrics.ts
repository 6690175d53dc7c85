// Honest metrics (issue 32 item 4): marking spam and duplicates (supervisor, four eyes, reversible) and the closure
// outcomes that are not resolutions (closed for customer inactivity, withdrawn), each applied by a cited rule.
import type { Case, Cycle } from '#schemas/complaint';
import type { CaseMarking, ClosureOutcome, Inactivity, Withdrawal } from '#schemas/marking';
import { ConflictError, ForbiddenError, InvalidInputError } from './errors';
import type { Change } from './lifecycle';
import type { Principal } from './principal';

/** The date these citations were last checked (the register's CITATIONS_CHECKED_AT). */
const CHECKED = '2026-12-06';

export interface HonestMetricsRule {
  id: string;
  rule: string;
  citation: { ref: string; version: string };
  verification: string;
}

/** Regimes whose time limit runs to a final response that a customer's silence does not remove. */
export const FINAL_RESPONSE_REGIMES: ReadonlySet<string> = new Set(['UK_FCA_DISP', 'UK_FCA_PSD']);

/** ORG.INACTIVITY.CHASE: documented attempts before a case may be closed for inactivity, and the quiet time after the last. */
export const INACTIVITY_MIN_CHASES = 2;
export const INACTIVITY_QUIET_DAYS = 14;

export const HONEST_METRICS_RULES: readonly HonestMetricsRule[] = [
  {
    id: 'HM.DISP.COMPLAINT',
    rule: 'Only an expression of dissatisfaction about the provision of (or failure to provide) a financial service, alleging loss, distress or inconvenience, is a complaint: a case marked spam is none, so it leaves the KPIs and the regulator returns; a duplicate is the same complaint, counted once under the case it duplicates.',
    citation: { ref: 'FCA Handbook Glossary, "complaint" (G197) (2) and (4)', version: '2018-01-03' },
    verification: 'Glossary G197 read in the point-in-time view of 03/01/2018; a later amendment, if any, was not read.',
  },
  {
    id: 'HM.DISP.INACTIVE-FINAL-RESPONSE',
    rule: 'UK_FCA_DISP and UK_FCA_PSD: a case is closed for customer inactivity only after its final response was sent: the time limit runs to the final response (no provision stops it for a customer’s silence).',
    citation: { ref: 'DISP 1.6.2R(1), DISP 1.6.2AR(1)', version: '2026-06-01' },
    verification: 'The time limits are the regime rules UK.DISP.1.6.2R and UK.DISP.1.6.2AR-1 (read); that silence does not stop them is the team’s reading: DISP 1.6 has no pause.',
  },
  {
    id: 'ORG.INACTIVITY.CHASE',
    rule: `Organisation policy: closed_inactive needs a documented chase of at least ${INACTIVITY_MIN_CHASES} attempts within the cycle, the last at least ${INACTIVITY_QUIET_DAYS} calendar days before the closure.`,
    citation: { ref: 'Organisation complaint-handling policy: closing for customer inactivity', version: CHECKED },
    verification: 'Policy: the organisation’s own standard, versioned by its approval.',
  },
  {
    id: 'ORG.WITHDRAWN',
    rule: 'Organisation policy: withdrawn records when and how the customer withdrew (within the cycle, not in the future); a withdrawn or inactive cycle stays in the return’s opened and closed figures (it was a complaint) but is not a resolution in the KPIs.',
    citation: { ref: 'Organisation complaint-handling policy: withdrawn complaints', version: CHECKED },
    verification: 'Policy.',
  },
  {
    id: 'ORG.FCR',
    rule: 'First-contact resolution: a case whose first cycle ended resolved, within the summary-resolution window (DISP 1.5.1R; RG 271 informal resolution) or with the first final response, and was never reopened; of the cases whose first cycle closed resolved. Counted when the first cycle closed.',
    citation: { ref: 'Organisation KPI definition: first-contact resolution', version: CHECKED },
    verification: 'Policy: a KPI definition, not a regulatory rule (DISP 1.5.1R, read for UK.DISP.1.5.1R, gives the window).',
  },
];
export const honestMetricsRuleIds = (): string[] => HONEST_METRICS_RULES.map((r) => r.id);
const cite = (id: string) => {
  const r = HONEST_METRICS_RULES.find((x) => x.id === id)!;
  return { rule: r.id, citation: r.citation.ref, version: r.citation.version };
};

// ---------- marking ----------

/** Four eyes: a supervisor marks someone else's case, never their own (it would drop out of their own figures). */
const assertNotOwner = (p: Principal, c: Case): void => {
  if (c.ownerId === p.sub) throw new ForbiddenError('the case owner may not mark their own case as spam or a duplicate (four eyes)');
};

export const markSpam = (p: Principal, c: Case, reason: string, now: string): Change => {
  assertNotOwner(p, c);
  if (c.marking) throw new ConflictError(`the case is already marked ${c.marking.kind}; unmark it first`, { marking: c.marking.kind });
  const marking: CaseMarking = { kind: 'spam', reason, by: p.sub, at: now };
  return { case: { ...c, marking }, result: undefined, drafts: [{ actor: p.sub, action: 'complaint.marked', data: { kind: 'spam', reason, ...cite('HM.DISP.COMPLAINT') } }] };
};

export const markDuplicate = (p: Principal, c: Case, original: Case, reason: string, now: string): Change => {
  assertNotOwner(p, c);
  if (original.id === c.id) throw new InvalidInputError('a case cannot duplicate itself', [{ field: 'body.caseId', message: 'must name another case' }]);
  if (c.marking) throw new ConflictError(`the case is already marked ${c.marking.kind}; unmark it first`, { marking: c.marking.kind });
  // The original stays counted: it must be a counted case itself (no chains, no cycle through a marked case).
  if (original.marking) throw new ConflictError(`case ${original.reference} is itself marked ${original.marking.kind}: name the case that stays counted`, { original: original.id });
  const marking: CaseMarking = { kind: 'duplicate', duplicateOf: { caseId: original.id, reference: original.reference }, reason, by: p.sub, at: now };
  return {
    case: { ...c, marking },
    result: undefined,
    drafts: [{ actor: p.sub, action: 'complaint.marked', data: { kind: 'duplicate', duplicateOf: marking.duplicateOf, reason, ...cite('HM.DISP.COMPLAINT') } }],
  };
};

export const unmark = (p: Principal, c: Case, reason: string): Change => {
  assertNotOwner(p, c);
  if (!c.marking) throw new ConflictError('the case is not marked');
  const { marking, ...rest } = c;
  return { case: rest, result: undefined, drafts: [{ actor: p.sub, action: 'complaint.unmarked', data: { was: marking, reason } }] };
};

// ---------- closure outcomes ----------

const DAY_MS = 86_400_000;

/**
 * Checks a closure that is not a resolution against its rules and returns what the audit event records; `resolved`
 * (or no outcome) returns nothing. Throws 400 for a chase or withdrawal that does not fit the cycle, 409 where the
 * regime forbids the closure now.
 */
export const checkClosure = (
  c: Case,
  cycle: Cycle,
  body: { outcome?: ClosureOutcome | undefined; inactivity?: Inactivity | undefined; withdrawal?: Withdrawal | undefined },
  now: string,
): Record<string, unknown> | undefined => {
  const outcome = body.outcome ?? 'resolved';
  if (outcome === 'resolved') return undefined;
  const within = (at: string) => Date.parse(at) >= Date.parse(cycle.startedAt) && Date.parse(at) <= Date.parse(now);
  if (outcome === 'withdrawn') {
    const w = body.withdrawal!;
    if (!within(w.at)) throw new InvalidInputError('the withdrawal must lie within the current cycle and not in the future', [{ field: 'body.withdrawal.at', message: `must be between ${cycle.startedAt} and ${now}` }]);
    return { outcome, withdrawal: { ...w, at: new Date(w.at).toISOString() }, ...cite('ORG.WITHDRAWN') };
  }
  const chases = body.inactivity!.chases.map((x) => ({ ...x, at: new Date(x.at).toISOString() })).sort((a, b) => a.at.localeCompare(b.at));
  chases.forEach((x, i) => {
    if (!within(x.at)) throw new InvalidInputError('every chase must lie within the current cycle and not in the future', [{ field: `body.inactivity.chases.${i}.at`, message: `must be between ${cycle.startedAt} and ${now}` }]);
  });
  if (chases.length < INACTIVITY_MIN_CHASES) {
    throw new InvalidInputError(`closing for inactivity needs a documented chase of at least ${INACTIVITY_MIN_CHASES} attempts (ORG.INACTIVITY.CHASE)`, [{ field: 'body.inactivity.chases', message: `at least ${INACTIVITY_MIN_CHASES}` }]);
  }
  const last = chases[chases.length - 1]!;
  const quietUntil = new Date(Date.parse(last.at) + INACTIVITY_QUIET_DAYS * DAY_MS).toISOString();
  if (now < quietUntil) throw new ConflictError(`the customer has had ${INACTIVITY_QUIET_DAYS} days to answer the last chase only from ${quietUntil} (ORG.INACTIVITY.CHASE)`, { quietUntil, ...cite('ORG.INACTIVITY.CHASE') });
  if (FINAL_RESPONSE_REGIMES.has(c.regime) && !cycle.respondedAt) {
    throw new ConflictError(`${c.regime}: send the final response before closing for inactivity; the time limit still runs (${c.finalResponseDueAt})`, {
      finalResponseDueAt: c.finalResponseDueAt,
      ...cite('HM.DISP.INACTIVE-FINAL-RESPONSE'),
    });
  }
  return {
    outcome,
    inactivity: { chases },
    ...cite('ORG.INACTIVITY.CHASE'),
    ...(FINAL_RESPONSE_REGIMES.has(c.regime) ? { regimeRule: cite('HM.DISP.INACTIVE-FINAL-RESPONSE') } : {}),
  };
};
