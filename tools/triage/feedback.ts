// The triage decision log for retraining: from every case's audit events, each suggestion (what the model saw and said,
// and the labels the case ended with) and each acceptance or override (model id/version, confidence, who, why), as JSONL rows.
// Reads cases through the list index (CaseRepository.everyCase: one Query per partition) and each case's events by
// its key (Query): never a Scan.
import type { AuditEvent } from '#schemas/children';
import type { Case } from '#schemas/complaint';
import type { CaseRepository } from '#ports/case-repository';
import { INTAKE_EVENT } from '#domain/triage';

export interface FeedbackRow {
  type: 'suggestion' | 'accepted' | 'overridden';
  caseId: string;
  reference: string;
  at: string;
  modelId: string;
  modelVersion: string;
  [key: string]: unknown;
}

const inRange = (at: string, from?: string, to?: string) => (!from || at >= from) && (!to || at.slice(0, 10) <= to);

/** Rows of one case (its suggestion first, then its decisions, oldest first). */
export const feedbackOf = (c: Case, events: AuditEvent[], range: { from?: string; to?: string } = {}): FeedbackRow[] => {
  const t = c.triage;
  if (!t) return [];
  const rows: FeedbackRow[] = [];
  const base = { caseId: c.id, reference: c.reference };
  for (const e of events) {
    if (!inRange(e.at, range.from, range.to)) continue;
    if (e.action === INTAKE_EVENT && e.data.triage) {
      const suggested = e.data.triage as Record<string, unknown>;
      rows.push({
        type: 'suggestion',
        ...base,
        at: e.at,
        modelId: String(suggested.modelId),
        modelVersion: String(suggested.modelVersion),
        status: suggested.status,
        // What the model saw (absent once retention has redacted the case's free text).
        ...(c.redaction ? { redacted: true } : { input: { summary: c.summary, description: c.description, channel: c.channel, product: c.product } }),
        suggested: suggested.fields ?? null,
        vulnerabilityIndicators: suggested.vulnerabilityIndicators ?? [],
        sentiment: suggested.sentiment ?? null,
        // The labels the case carries now: the training target once people have confirmed or corrected it.
        labels: { category: c.category, severity: c.severity, regulatory: c.regulatory ?? null, vulnerable: c.vulnerable },
      });
    }
    if (e.action === 'triage.accepted' || e.action === 'triage.overridden') {
      const d = e.data;
      rows.push({
        type: e.action === 'triage.accepted' ? 'accepted' : 'overridden',
        ...base,
        at: e.at,
        modelId: String(d.modelId),
        modelVersion: String(d.modelVersion),
        by: e.actor,
        field: d.field,
        suggested: d.suggested,
        confidence: d.confidence,
        value: d.value,
        reason: d.reason ?? null,
      });
    }
  }
  return rows;
};

/** Every row across the table, case by case. */
export async function* exportFeedback(repo: CaseRepository, range: { from?: string; to?: string } = {}): AsyncIterable<FeedbackRow> {
  for await (const c of repo.everyCase()) {
    if (!c.triage) continue; // cases received before triage existed have nothing to export (no event read)
    for (const row of feedbackOf(c, await repo.auditEvents(c.id), range)) yield row;
  }
}
