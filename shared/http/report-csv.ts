// CSV representations of the reports (Accept: text/csv), one flat row per group or case.
import { stringify } from 'csv-stringify/sync';
import type { ControlReview, KpiReport, KpiSet } from '#schemas/reports';
import { neutraliseCell } from '#domain/reporting/csv';

/** Whether the client asked for CSV rather than JSON. */
export const wantsCsv = (accept: string | undefined): boolean => {
  if (!accept) return false;
  const csv = /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept);
  const json = /(^|,)\s*application\/(json|problem\+json)\s*(;|,|$)/i.test(accept);
  return csv && (!json || accept.toLowerCase().indexOf('text/csv') < accept.toLowerCase().search(/application\/(problem\+)?json/));
};

// Every text cell through the reports' one formula-injection rule (#domain/reporting/csv); numbers stay numbers.
const csv = (rows: (string | number | null)[][]): string => stringify(rows, { record_delimiter: '\r\n', cast: { number: (n) => String(n), string: neutraliseCell } });

const kpiColumns = (k: KpiSet): [string, string | number | null][] => [
  ['received', k.received],
  ['acknowledged_on_time', k.acknowledgedOnTime.count],
  ['acknowledgement_due', k.acknowledgedOnTime.of],
  ['acknowledged_on_time_rate', k.acknowledgedOnTime.rate],
  ['responded', k.responded],
  ['responded_within_deadline', k.respondedWithinDeadline.count],
  ['responded_within_deadline_rate', k.respondedWithinDeadline.rate],
  ['closed', k.closed],
  ['closed_within_deadline', k.closedWithinDeadline.count],
  ['closed_within_deadline_rate', k.closedWithinDeadline.rate],
  ['days_to_resolve_median', k.daysToResolve.median],
  ['days_to_resolve_p90', k.daysToResolve.p90],
  ...Object.entries(k.openAge).map(([b, v]): [string, number] => [`open_${b.replace('-', '_')}`, v]),
  ['overdue_now', k.overdueNow],
  ['reopened', k.reopened],
  ['reopen_rate', k.reopenRate.rate],
  ['escalated_cases', k.escalationRate.count],
  ['escalation_rate', k.escalationRate.rate],
  ['escalations', k.escalations],
  ['waivers', k.waivers],
  ['handoffs', k.handoffs],
  ['handoffs_per_case', k.handoffsPerCase],
  ['approvals_concluded', k.approvals.concluded],
  ['approvals_approved', k.approvals.approved],
  ['approvals_timed_out', k.approvals.timedOut],
  ['approval_turnaround_hours_median', k.approvals.turnaroundHours.median],
  ['approval_turnaround_hours_p90', k.approvals.turnaroundHours.p90],
  ['upheld', k.outcomes.upheld],
  ['partially_upheld', k.outcomes.partiallyUpheld],
  ['not_upheld', k.outcomes.notUpheld],
  ['uphold_rate', k.upholdRate.rate],
  ['compensation_paid', k.compensationPaid.map((a) => `${a.amount} ${a.currency}`).join('; ')],
  ['vulnerable', k.vulnerableShare.count],
  ['vulnerable_share', k.vulnerableShare.rate],
  ['resolved', k.resolved],
  ['closed_inactive', k.closedInactive],
  ['withdrawn', k.withdrawn],
  ['first_contact_resolved', k.firstContactResolution.count],
  ['first_contact_of', k.firstContactResolution.of],
  ['first_contact_resolution_rate', k.firstContactResolution.rate],
  ['marked_spam', k.marked.spam],
  ['marked_duplicate', k.marked.duplicate],
  ['satisfaction_responses', k.satisfaction.responses],
  ['satisfaction_mean_score', k.satisfaction.meanScore],
  ...Object.entries(k.satisfaction.distribution).map(([score, v]): [string, number] => [`satisfaction_score_${score}`, v]),
];

export const kpiCsv = (r: KpiReport): string => {
  const group = r.groupBy ?? 'total';
  const header = ['from', 'to', group, ...kpiColumns(r.totals).map(([name]) => name)];
  const row = (value: string, k: KpiSet) => [r.from, r.to, value, ...kpiColumns(k).map(([, v]) => v)];
  // The normalised volumes are per business unit, not per group: one column pair per unit on every row would repeat
  // them, so they follow as rows of their own after a blank line (unit, received, denominators, rates).
  const normalised = r.normalised.length
    ? [[], ['business_unit', 'received', 'customers', 'accounts', 'per_1000_customers', 'per_1000_accounts'], ...r.normalised.map((u) => [u.unit, u.received, u.customers, u.accounts, u.per1000Customers, u.per1000Accounts])]
    : [];
  return csv([header, ...r.groups.map((g) => row(g.value, g)), row('*', r.totals), ...normalised]);
};

export const reviewCsv = (r: ControlReview): string =>
  csv([
    ['reference', 'case_id', 'status', 'regime', 'category', 'product_group', 'owner', 'received_at', 'final_response_due_at', 'cycles', 'missed_deadlines', 'acknowledged_on_time', 'handoffs', 'handoffs_without_reason', 'evidence_verified', 'evidence_pending', 'evidence_rejected', 'evidence_complete', 'approvals_required', 'approvals_approved', 'approval_status', 'approval_turnaround_hours', 'escalations', 'waivers', 'reopen_count', 'outcome', 'closed_at'],
    ...r.cases.map((c) => [
      c.reference,
      c.caseId,
      c.status,
      c.regime,
      c.category,
      c.productGroup,
      c.ownerId,
      c.receivedAt,
      c.finalResponseDueAt,
      c.cycles,
      c.missedDeadlines,
      c.acknowledgedOnTime === null ? '' : String(c.acknowledgedOnTime),
      c.handoffs,
      c.handoffsWithoutReason,
      c.evidence.verified,
      c.evidence.pending,
      c.evidence.rejected,
      String(c.evidence.complete),
      c.approvals.required,
      c.approvals.approved,
      c.approvals.status,
      c.approvals.turnaroundHours ?? '',
      c.escalations,
      c.waivers,
      c.reopenCount,
      c.outcome,
      c.closedAt ?? '',
    ]),
  ]);
