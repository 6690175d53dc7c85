// Triage at intake: the suggestions a case carries, the human decisions on them, the triage settings and the bias and quality report.
import * as z from 'zod';
import { IsoTimestamp, Text, Ulid } from './common';
import { Category, Severity } from './classification';

/** The case fields triage suggests and a person accepts or overrides. */
export const TRIAGE_FIELDS = ['category', 'severity', 'regulatory', 'vulnerable'] as const;
export const TriageField = /* @__PURE__ */ z.enum(TRIAGE_FIELDS);
export type TriageField = z.infer<typeof TriageField>;

/**
 * Characteristics of vulnerability triage recognises in a complaint's text. The first seven are the original cues; the
 * rest are characteristics FG21/1 names under its four drivers that were missing (see #domain/vulnerability, which maps
 * every cue onto its driver).
 */
export const VULNERABILITY_CUES = [
  'bereavement',
  'illness',
  'financial_hardship',
  'age',
  'disability',
  'mental_health',
  'language_barrier',
  'relationship_breakdown',
  'caring_responsibilities',
  'domestic_abuse',
  'addiction',
  'low_emotional_resilience',
  'low_financial_capability',
  'digital_exclusion',
] as const;
export const VulnerabilityCue = /* @__PURE__ */ z.enum(VULNERABILITY_CUES);
export type VulnerabilityCue = z.infer<typeof VulnerabilityCue>;

/** The four drivers of vulnerability of the FCA's guidance (FG21/1), and `unspecified` for a vulnerable customer whose characteristics were not recorded. */
export const VULNERABILITY_DRIVERS = ['health', 'life_events', 'resilience', 'capability'] as const;
export const VulnerabilityDriver = /* @__PURE__ */ z.enum(VULNERABILITY_DRIVERS);
export type VulnerabilityDriver = z.infer<typeof VulnerabilityDriver>;
export const UNSPECIFIED_DRIVER = 'unspecified';

export const Confidence = /* @__PURE__ */ z.number().min(0).max(1).meta({ description: 'Model confidence, 0–1' });

/** What a model returns (any adapter), before the organisation's threshold decides what is applied. */
export const ModelOutput = /* @__PURE__ */ z
  .object({
    category: /* @__PURE__ */ z.object({ value: Category, confidence: Confidence }),
    severity: /* @__PURE__ */ z.object({ value: Severity, confidence: Confidence }),
    regulatory: /* @__PURE__ */ z.object({ value: /* @__PURE__ */ z.boolean(), confidence: Confidence }),
    vulnerability: /* @__PURE__ */ z.object({
      /** Whether the customer shows any vulnerability cue at all (the case's `vulnerable` field). */
      vulnerable: /* @__PURE__ */ z.object({ value: /* @__PURE__ */ z.boolean(), confidence: Confidence }),
      indicators: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ cue: VulnerabilityCue, confidence: Confidence })).max(VULNERABILITY_CUES.length),
    }),
    sentiment: /* @__PURE__ */ z.object({ score: /* @__PURE__ */ z.number().min(-1).max(1).meta({ description: '−1 very negative … +1 very positive' }), confidence: Confidence }),
  })
  .meta({ id: 'TriageModelOutput' });
export type ModelOutput = z.infer<typeof ModelOutput>;

export const TriageDecisionKind = /* @__PURE__ */ z.enum(['accepted', 'overridden']);
export const TriageDecision = /* @__PURE__ */ z
  .object({ kind: TriageDecisionKind, value: /* @__PURE__ */ z.union([Category, Severity, /* @__PURE__ */ z.boolean()]), reason: /* @__PURE__ */ z.string().optional(), by: /* @__PURE__ */ z.string(), at: IsoTimestamp })
  .meta({ id: 'TriageDecision' });
export type TriageDecision = z.infer<typeof TriageDecision>;

export const FieldSuggestion = /* @__PURE__ */ z
  .object({
    value: /* @__PURE__ */ z.union([Category, Severity, /* @__PURE__ */ z.boolean()]),
    confidence: Confidence,
    /** Above the threshold, and the intake left the field open: the suggestion pre-filled the case. */
    applied: /* @__PURE__ */ z.boolean().meta({ description: 'Whether the suggestion pre-filled the case (confidence above the threshold and the intake left the field open)' }),
    decision: /* @__PURE__ */ TriageDecision.optional().meta({ description: 'The latest human decision on this field' }),
  })
  .meta({ id: 'TriageFieldSuggestion' });
export type FieldSuggestion = z.infer<typeof FieldSuggestion>;

export const Sentiment = /* @__PURE__ */ z
  .object({ score: /* @__PURE__ */ z.number().min(-1).max(1), label: /* @__PURE__ */ z.enum(['negative', 'neutral', 'positive']), confidence: Confidence })
  .meta({ id: 'TriageSentiment' });

export const TriageStatus = /* @__PURE__ */ z.enum(['suggested', 'unavailable']);

/** The triage a case carries (on the case item: reports and the feedback export read it without extra lookups). */
export const CaseTriage = /* @__PURE__ */ z
  .object({
    status: /* @__PURE__ */ TriageStatus.meta({ description: '`unavailable`: the model failed or timed out; the case was created without suggestions' }),
    modelId: /* @__PURE__ */ z.string(),
    modelVersion: /* @__PURE__ */ z.string(),
    at: IsoTimestamp,
    latencyMs: /* @__PURE__ */ z.number().int().min(0),
    threshold: /* @__PURE__ */ Confidence.meta({ description: 'The organisation’s confidence threshold when the suggestion was made' }),
    fields: /* @__PURE__ */ z
      .object({ category: FieldSuggestion, severity: FieldSuggestion, regulatory: FieldSuggestion, vulnerable: FieldSuggestion })
      .optional(),
    vulnerabilityIndicators: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ cue: VulnerabilityCue, confidence: Confidence })).optional(),
    sentiment: /* @__PURE__ */ Sentiment.optional(),
    unavailableReason: /* @__PURE__ */ z.string().optional(),
    /** Models tried before the one that answered (or every model, when unavailable), with why each failed. */
    fallbacks: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ modelId: /* @__PURE__ */ z.string(), reason: /* @__PURE__ */ z.string() })).optional(),
  })
  .meta({ id: 'CaseTriage' });
export type CaseTriage = z.infer<typeof CaseTriage>;

export const Priority = /* @__PURE__ */ z.enum(['standard', 'high']);
export type Priority = z.infer<typeof Priority>;

export const TriageView = /* @__PURE__ */ CaseTriage.extend({
  caseId: Ulid,
  caseVersion: /* @__PURE__ */ z.number().int(),
  priority: Priority,
  priorityReasons: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()),
}).meta({ id: 'TriageView' });
export type TriageView = z.infer<typeof TriageView>;

const reason = /* @__PURE__ */ Text(2000).optional().meta({ description: 'Why (required when the value differs from the suggestion: an override)' });
export const TriageDecisionBody = /* @__PURE__ */ z
  .discriminatedUnion('field', [
    /* @__PURE__ */ z.object({ field: /* @__PURE__ */ z.literal('category'), value: Category, reason }).strict(),
    /* @__PURE__ */ z.object({ field: /* @__PURE__ */ z.literal('severity'), value: Severity, reason }).strict(),
    /* @__PURE__ */ z.object({ field: /* @__PURE__ */ z.literal('regulatory'), value: /* @__PURE__ */ z.boolean(), reason }).strict(),
    /* @__PURE__ */ z.object({ field: /* @__PURE__ */ z.literal('vulnerable'), value: /* @__PURE__ */ z.boolean(), reason }).strict(),
  ])
  .meta({ id: 'TriageDecisionBody', description: 'Accept a suggestion (value equal to it) or override it with a reason' });
export type TriageDecisionBody = z.infer<typeof TriageDecisionBody>;

/** Organisation settings (TRIAGE env / CDK context `complaints:triage`), validated at cold start and synth. */
export const TriageSettings = /* @__PURE__ */ z
  .object({
    /** Suggestions above this confidence pre-fill the fields the intake left open; the others are only shown (1 = never pre-fill). */
    threshold: /* @__PURE__ */ Confidence.default(0.8),
    /** The priority rule: a case is raised to `high` priority on any of these signals. */
    priority: /* @__PURE__ */ z
      .object({
        /** Sentiment at or below this score raises the priority. */
        negativeSentimentAtOrBelow: /* @__PURE__ */ z.number().min(-1).max(0).default(-0.5),
        /** A vulnerability indicator at or above this confidence raises the priority. */
        vulnerabilityConfidence: /* @__PURE__ */ Confidence.default(0.5),
        /** Whether a vulnerability cue raises the priority at all. */
        onVulnerability: /* @__PURE__ */ z.boolean().default(true),
        /** Also escalate a case the rule raised to high priority, at intake (the escalation workflow then runs as for any other). */
        escalate: /* @__PURE__ */ z.boolean().default(false),
      })
      .strict()
      .default({ negativeSentimentAtOrBelow: -0.5, vulnerabilityConfidence: 0.5, onVulnerability: true, escalate: false }),
    /** The model chain, first answering wins: `bedrock` (AWS), `local` (the trained classifier bundled with the code). */
    models: /* @__PURE__ */ z.array(/* @__PURE__ */ z.enum(['bedrock', 'local'])).min(1).default(['local']),
    /** Each model gets this long before the next one is tried (case creation never waits longer than the sum). */
    timeoutMs: /* @__PURE__ */ z.number().int().min(50).max(10_000).default(1500),
    /** Bedrock model id (Converse API), e.g. anthropic.claude-3-haiku-20240307-v1:0 or an inference profile id. */
    bedrockModelId: /* @__PURE__ */ z.string().min(1).max(256).default('anthropic.claude-3-haiku-20240307-v1:0'),
  })
  .strict()
  .meta({ id: 'TriageSettings' });
export type TriageSettings = z.infer<typeof TriageSettings>;

// ---------- the bias and quality report ----------

export const TriageReportQuery = /* @__PURE__ */ z
  .object({
    from: /* @__PURE__ */ z.iso.date().optional().meta({ description: 'First day of receipt (organisation time zone); default 30 days before `to`' }),
    to: /* @__PURE__ */ z.iso.date().optional().meta({ description: 'Last day of receipt; default today' }),
  })
  .strict();
export type TriageReportQuery = z.infer<typeof TriageReportQuery>;

export const FieldFigures = /* @__PURE__ */ z
  .object({
    suggested: /* @__PURE__ */ z.number().int(),
    prefilled: /* @__PURE__ */ z.number().int(),
    accepted: /* @__PURE__ */ z.number().int(),
    overridden: /* @__PURE__ */ z.number().int(),
    accuracy: /* @__PURE__ */ z.number().nullable().meta({ description: 'accepted ÷ (accepted + overridden); null before any decision' }),
    overrideRate: /* @__PURE__ */ z.number().nullable().meta({ description: 'overridden ÷ suggested; null when nothing was suggested' }),
  })
  .meta({ id: 'TriageFieldFigures' });
export type FieldFigures = z.infer<typeof FieldFigures>;

export const GroupFigures = /* @__PURE__ */ z
  .object({
    value: /* @__PURE__ */ z.string(),
    triaged: /* @__PURE__ */ z.number().int().meta({ description: 'Cases received with suggestions' }),
    unavailable: /* @__PURE__ */ z.number().int().meta({ description: 'Cases received while triage was unavailable' }),
    overall: FieldFigures,
    fields: /* @__PURE__ */ z.object({ category: FieldFigures, severity: FieldFigures, regulatory: FieldFigures, vulnerable: FieldFigures }),
  })
  .meta({ id: 'TriageGroupFigures' });
export type GroupFigures = z.infer<typeof GroupFigures>;

export const TriageReport = /* @__PURE__ */ z
  .object({
    from: /* @__PURE__ */ z.iso.date(),
    to: /* @__PURE__ */ z.iso.date(),
    timeZone: /* @__PURE__ */ z.string(),
    totals: GroupFigures,
    byCategory: /* @__PURE__ */ z.array(GroupFigures),
    byChannel: /* @__PURE__ */ z.array(GroupFigures),
    byVulnerability: /* @__PURE__ */ z.array(GroupFigures).meta({ description: '`vulnerable` and `not_vulnerable` customers (as the case now records them)' }),
    byDriver: /* @__PURE__ */ z
      .array(GroupFigures)
      .meta({
        description:
          'Vulnerable customers by driver of vulnerability (FCA FG21/1: `health`, `life_events`, `resilience`, `capability`; `unspecified` when no triage cue of confidence ≥ 0.5 names one). A customer with cues under two drivers counts under both; `triaged` is the number of cases per driver.',
      }),
  })
  .meta({ id: 'TriageReport', description: 'Triage accuracy and override rate over the cases received in a period, by group' });
export type TriageReport = z.infer<typeof TriageReport>;

