// Triage at intake and the human decisions on it: ask the models (each with a timeout, first answer wins), apply the
// organisation's confidence threshold, raise the priority by rule, and accept or override a suggested field.
//
// Why inline at creation, not from the stream: the local model answers in milliseconds and Bedrock gets a tight timeout
// (TriageSettings.timeoutMs, default 1.5 s) before the fallback, so suggestions, pre-filled fields and the priority are on
// the case the intake call returns, assignment rules see the pre-filled category and vulnerability, and nobody works a
// case whose triage is still `pending`. A failing or slow model never fails the intake: the case is created with triage
// `unavailable`.
import type { Case, CreateComplaintBody } from '#schemas/complaint';
import type { Escalation } from '#schemas/escalation';
import { ModelOutput, type CaseTriage, type FieldSuggestion, type Priority, type TriageDecision, type TriageDecisionBody, type TriageField, type TriageSettings, type TriageView } from '#schemas/triage';
import type { TriageInput, TriageModel } from '#ports/triage-model';
import type { AuditDraft } from './audit-chain';
import { ConflictError, InvalidInputError } from './errors';
import { raiseEscalation } from './escalation';
import { assertAllowed, type Change } from './lifecycle';

/** A model that failed (the next one was tried), or a triage that gave the case no suggestion at all. */
export interface TriageFailure {
  kind: 'fallback' | 'unavailable';
  modelId: string;
  reason: string;
}

export interface TriageDeps {
  models: readonly TriageModel[];
  settings: TriageSettings;
  /** Told of every failure (the composition root logs and counts it); never allowed to fail the intake itself. */
  onFailure?: (f: TriageFailure) => void;
}

/** What the model chain produced for one complaint: an output from one model, or nothing (every model failed). */
export interface TriageRun {
  output?: ModelOutput;
  modelId: string;
  modelVersion: string;
  latencyMs: number;
  fallbacks: { modelId: string; reason: string }[];
}

const reasonOf = (err: unknown, signal: AbortSignal): string =>
  signal.aborted ? 'timeout' : err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : 'unknown error';

/** Tries each model in turn, each under its own timeout; never rejects. */
export const runTriage = async (deps: TriageDeps, input: TriageInput): Promise<TriageRun> => {
  const started = performance.now();
  const fallbacks: TriageRun['fallbacks'] = [];
  for (const model of deps.models) {
    const signal = AbortSignal.timeout(deps.settings.timeoutMs);
    try {
      // The race makes the timeout hold even for a model that ignores its signal.
      const answer = await Promise.race([
        model.suggest(input, signal),
        new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('timeout')), { once: true })),
      ]);
      // Whatever a model answers is data: a NaN or infinite confidence or score (or a label outside the schema) would
      // reach the audit event, whose canonical JSON refuses it. Such an answer is a failure of that model.
      const checked = ModelOutput.safeParse(answer);
      if (!checked.success) throw new Error(`invalid output: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const output = checked.data;
      return { output, modelId: model.modelId, modelVersion: model.modelVersion, latencyMs: Math.round(performance.now() - started), fallbacks };
    } catch (err) {
      fallbacks.push({ modelId: model.modelId, reason: reasonOf(err, signal) });
    }
  }
  const last = deps.models[deps.models.length - 1];
  return { modelId: last?.modelId ?? 'none', modelVersion: last?.modelVersion ?? 'none', latencyMs: Math.round(performance.now() - started), fallbacks };
};

/** Why a case has high priority now: strong negative sentiment, or a vulnerable customer (by cue or as recorded). */
export const priorityOf = (c: Pick<Case, 'vulnerable' | 'triage'>, settings: TriageSettings): { priority: Priority; reasons: string[] } => {
  const rule = settings.priority;
  const reasons: string[] = [];
  const t = c.triage;
  if (t?.sentiment && t.sentiment.score <= rule.negativeSentimentAtOrBelow) reasons.push(`negative sentiment (score ${t.sentiment.score} ≤ ${rule.negativeSentimentAtOrBelow})`);
  if (rule.onVulnerability) {
    const overriddenAway = t?.fields?.vulnerable.decision?.kind === 'overridden' && t.fields.vulnerable.decision.value === false;
    const cues = overriddenAway ? [] : (t?.vulnerabilityIndicators ?? []).filter((i) => i.confidence >= rule.vulnerabilityConfidence);
    if (cues.length) reasons.push(`vulnerability cue: ${cues.map((i) => `${i.cue.replaceAll('_', ' ')} (${i.confidence})`).join(', ')}`);
    else if (c.vulnerable) reasons.push('customer recorded as vulnerable');
  }
  return { priority: reasons.length ? 'high' : 'standard', reasons };
};

export interface IntakeTriage {
  /** The intake body with the confident suggestions pre-filled (what assignment and the case are built from). */
  body: CreateComplaintBody;
  triage: CaseTriage;
}

/**
 * Applies the threshold: a suggestion above it pre-fills a field the intake left open (no severity, no vulnerability
 * flag, category `other` = not classified, and the regulatory flag, which intake never sets); a person's explicit value
 * always stands. Below the threshold it is only shown.
 */
export const intakeTriage = (body: CreateComplaintBody, run: TriageRun, settings: TriageSettings, now: string): IntakeTriage => {
  const base = { modelId: run.modelId, modelVersion: run.modelVersion, at: now, latencyMs: run.latencyMs, threshold: settings.threshold, ...(run.fallbacks.length ? { fallbacks: run.fallbacks } : {}) };
  const out = run.output;
  if (!out) return { body, triage: { ...base, status: 'unavailable', unavailableReason: run.fallbacks.map((f) => `${f.modelId}: ${f.reason}`).join('; ') || 'no model configured' } };
  // Strictly above: a threshold of 1 turns pre-filling off (suggestions are then only shown).
  const confident = (confidence: number) => confidence > settings.threshold;
  const open = { category: body.category === 'other', severity: body.severity === undefined, vulnerable: body.customer.vulnerable === undefined, regulatory: true };
  const field = (name: TriageField, s: { value: FieldSuggestion['value']; confidence: number }): FieldSuggestion => ({ value: s.value, confidence: s.confidence, applied: open[name] && confident(s.confidence) });
  const fields = {
    category: field('category', out.category),
    severity: field('severity', out.severity),
    regulatory: field('regulatory', out.regulatory),
    vulnerable: field('vulnerable', out.vulnerability.vulnerable),
  };
  const next: CreateComplaintBody = {
    ...body,
    ...(fields.category.applied ? { category: out.category.value } : {}),
    ...(fields.severity.applied ? { severity: out.severity.value } : {}),
    ...(fields.vulnerable.applied ? { customer: { ...body.customer, vulnerable: out.vulnerability.vulnerable.value } } : {}),
  };
  const sentiment = out.sentiment;
  return {
    body: next,
    triage: {
      ...base,
      status: 'suggested',
      fields,
      vulnerabilityIndicators: out.vulnerability.indicators,
      sentiment: { ...sentiment, label: sentiment.score <= -0.2 ? 'negative' : sentiment.score >= 0.2 ? 'positive' : 'neutral' },
    },
  };
};

const tell = (deps: TriageDeps, f: TriageFailure): void => {
  try {
    deps.onFailure?.(f);
  } catch {
    // Logging or counting a failure must not become one.
  }
};

/**
 * Triage at intake that never blocks it: the model chain (each failure reported), then the threshold. Should applying
 * an answer fail anyway, the case opens with triage `unavailable` and the reason, and the failure is reported.
 */
export const triageAtIntake = async (deps: TriageDeps, body: CreateComplaintBody, now: string): Promise<IntakeTriage> => {
  const run = await runTriage(deps, body);
  for (const f of run.fallbacks) tell(deps, { kind: 'fallback', ...f });
  let out: IntakeTriage;
  try {
    out = intakeTriage(body, run, deps.settings, now);
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : 'unknown error';
    out = intakeTriage(body, { ...run, output: undefined, fallbacks: [...run.fallbacks, { modelId: run.modelId, reason }] }, deps.settings, now);
  }
  if (out.triage.status === 'unavailable') tell(deps, { kind: 'unavailable', modelId: run.modelId, reason: out.triage.unavailableReason ?? 'no suggestion' });
  return out;
};

const auditOfSuggestion = (t: CaseTriage) => ({
  status: t.status,
  modelId: t.modelId,
  modelVersion: t.modelVersion,
  latencyMs: t.latencyMs,
  threshold: t.threshold,
  ...(t.fields ? { fields: t.fields } : {}),
  ...(t.vulnerabilityIndicators ? { vulnerabilityIndicators: t.vulnerabilityIndicators } : {}),
  ...(t.sentiment ? { sentiment: t.sentiment } : {}),
  ...(t.unavailableReason ? { unavailableReason: t.unavailableReason } : {}),
  ...(t.fallbacks ? { fallbacks: t.fallbacks } : {}),
});

/** The intake event that records the suggestion (`triage` and `priority` in its data; see withTriage). */
export const INTAKE_EVENT = 'complaint.received';

/**
 * Puts the triage on a newly opened case: the regulatory flag it pre-fills and the priority. The suggestion (model
 * id and version, every confidence, what was applied) and the priority are recorded in the intake event itself:
 * they are part of how the complaint was received, and the chain of every case keeps its familiar first events.
 */
export const withTriage = (change: Change, intake: IntakeTriage, settings: TriageSettings): Change => {
  const t = intake.triage;
  const regulatory = t.fields?.regulatory.applied ? { regulatory: t.fields.regulatory.value as boolean } : {};
  const withT: Case = { ...change.case, ...regulatory, triage: t };
  const { priority, reasons } = priorityOf(withT, settings);
  const c: Case = { ...withT, priority, priorityReasons: reasons };
  const drafts = change.drafts.map((d): AuditDraft =>
    d.action === INTAKE_EVENT ? { ...d, data: { ...d.data, severity: c.severity, vulnerable: c.vulnerable, triage: auditOfSuggestion(t), priority: { value: priority, reasons } } } : d,
  );
  return { ...change, case: c, drafts };
};

/**
 * With TRIAGE.priority.escalate, a case the rule raised to high priority is escalated as it is opened (written in the
 * same transaction; the stream starts its workflow like any escalation's). Undefined when there is nothing to escalate.
 */
export const intakeEscalation = (change: Change, settings: TriageSettings, ctx: { id: string; actor: string; now: string }): Change<Escalation> | undefined => {
  const c = change.case;
  if (!settings.priority.escalate || c.priority !== 'high') return undefined;
  const raised = raiseEscalation(c, { id: ctx.id, trigger: { kind: 'triage' }, reason: `Triage at intake: ${(c.priorityReasons ?? []).join('; ')}`, actor: ctx.actor, now: ctx.now });
  return { ...raised, drafts: [...change.drafts, ...raised.drafts] };
};

const CASE_FIELD: Record<TriageField, 'category' | 'severity' | 'regulatory' | 'vulnerable'> = { category: 'category', severity: 'severity', regulatory: 'regulatory', vulnerable: 'vulnerable' };

/**
 * A person accepts (value equal to the suggestion; reason optional) or overrides (another value; reason required) one
 * suggested field; the case field takes the value in the same versioned change, and the priority follows.
 */
export const decideTriage = (c: Case, body: TriageDecisionBody, settings: TriageSettings, actor: string, now: string): Change => {
  assertAllowed(c, 'reclassify');
  const t = c.triage;
  if (!t?.fields) throw new ConflictError(t ? 'triage was unavailable for this complaint: there is no suggestion to decide on; reclassify it instead' : 'this complaint has no triage suggestion', { triageStatus: t?.status ?? 'none' });
  const suggestion = t.fields[body.field];
  const kind: TriageDecision['kind'] = suggestion.value === body.value ? 'accepted' : 'overridden';
  if (kind === 'overridden' && !body.reason) {
    throw new InvalidInputError(`overriding the suggested ${body.field} (${String(suggestion.value)}) needs a reason`, [{ field: 'reason', message: 'a reason is required to override a suggestion' }]);
  }
  const decision: TriageDecision = { kind, value: body.value, ...(body.reason ? { reason: body.reason } : {}), by: actor, at: now };
  const key = CASE_FIELD[body.field];
  const from = c[key];
  const triage: CaseTriage = { ...t, fields: { ...t.fields, [body.field]: { ...suggestion, decision } } };
  const withField: Case = { ...c, [key]: body.value, triage };
  const { priority, reasons } = priorityOf(withField, settings);
  const next: Case = { ...withField, priority, priorityReasons: reasons };
  const drafts: AuditDraft[] = [
    {
      actor,
      action: kind === 'accepted' ? 'triage.accepted' : 'triage.overridden',
      data: {
        field: body.field,
        suggested: suggestion.value,
        confidence: suggestion.confidence,
        value: body.value,
        changes: from === body.value ? {} : { [key]: { from: from ?? null, to: body.value } },
        reason: body.reason ?? null,
        modelId: t.modelId,
        modelVersion: t.modelVersion,
      },
    },
  ];
  if ((c.priority ?? 'standard') !== priority) drafts.push({ actor, action: priority === 'high' ? 'priority.raised' : 'priority.lowered', data: { from: c.priority ?? 'standard', to: priority, reasons } });
  return { case: next, drafts, result: undefined };
};

/** What GET …/triage shows. */
export const triageView = (c: Case): TriageView => {
  const t: CaseTriage = c.triage ?? { status: 'unavailable', modelId: 'none', modelVersion: 'none', at: c.createdAt, latencyMs: 0, threshold: 1, unavailableReason: 'the complaint was received before triage existed' };
  return { ...t, caseId: c.id, caseVersion: c.version, priority: c.priority ?? 'standard', priorityReasons: c.priorityReasons ?? [] };
};
