// Problem management: problem records (scope, root cause, fix, external incident/problem ids, linked complaints),
// their suggestions, change events and volume spikes; request bodies, views and list queries.
import * as z from 'zod';
import { Cursor, IsoTimestamp, ListLimit, Text, Ulid, pageOf } from './common';
import { Category, EXTERNAL_ID_FORMATS, ExternalIdText } from './classification';
import { AuditEvent } from './children';

export { EXTERNAL_ID_FORMATS, ExternalIdText };

export const ExternalId = /* @__PURE__ */ z
  .object({ id: /* @__PURE__ */ z.string(), system: /* @__PURE__ */ z.enum(['servicenow', 'jira']), kind: /* @__PURE__ */ z.enum(['incident', 'problem', 'issue']) })
  .strict()
  .meta({ id: 'ProblemExternalId' });
export type ExternalId = z.infer<typeof ExternalId>;

/** Product names as complaints carry them (free text), limited to what a scope needs. */
const ProductName = /* @__PURE__ */ Text(120);

export const ProblemScope = /* @__PURE__ */ z
  .object({
    products: /* @__PURE__ */ z.array(ProductName).max(20).default([]),
    categories: /* @__PURE__ */ z.array(Category).max(6).default([]),
  })
  .strict()
  .refine((s) => s.products.length + s.categories.length > 0, 'name at least one product or category')
  .meta({ id: 'ProblemScope', description: 'Which complaints the problem is about: any of these products, or any of these categories' });

export const ProblemFix = /* @__PURE__ */ z
  .object({ description: /* @__PURE__ */ Text(2000), fixedAt: IsoTimestamp })
  .strict()
  .meta({ id: 'ProblemFix', description: 'The fix and when it took effect (the effect report compares before and after this instant)' });

export const ProblemLink = /* @__PURE__ */ z
  .object({ caseId: Ulid, reference: /* @__PURE__ */ z.string(), linkedBy: /* @__PURE__ */ z.string(), linkedAt: IsoTimestamp, reason: /* @__PURE__ */ z.string() })
  .strict()
  .meta({ id: 'ProblemLink' });
export type ProblemLink = z.infer<typeof ProblemLink>;

export const ProblemStatus = /* @__PURE__ */ z.enum(['open', 'closed']);

export const Problem = /* @__PURE__ */ z
  .object({
    id: Ulid,
    title: /* @__PURE__ */ z.string(),
    status: ProblemStatus,
    scope: /* @__PURE__ */ z.object({ products: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()), categories: /* @__PURE__ */ z.array(Category) }),
    rootCause: /* @__PURE__ */ z.string().optional(),
    fix: /* @__PURE__ */ ProblemFix.optional(),
    externalIds: /* @__PURE__ */ z.array(ExternalId),
    links: /* @__PURE__ */ z.array(ProblemLink),
    /** The suggestion this problem was opened from, if any. */
    suggestionId: /* @__PURE__ */ Ulid.optional(),
    createdBy: /* @__PURE__ */ z.string(),
    createdAt: IsoTimestamp,
    updatedAt: IsoTimestamp,
    closedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    closedBy: /* @__PURE__ */ z.string().optional(),
    closeReason: /* @__PURE__ */ z.string().optional(),
    version: /* @__PURE__ */ z.number().int().min(1),
  })
  .meta({ id: 'ProblemRecord' });
export type Problem = z.infer<typeof Problem>;

export const MAX_PROBLEM_LINKS = 500;

export const CreateProblemBody = /* @__PURE__ */ z
  .object({
    title: /* @__PURE__ */ Text(200),
    scope: ProblemScope,
    rootCause: /* @__PURE__ */ Text(4000).optional(),
    fix: /* @__PURE__ */ ProblemFix.optional(),
    externalIds: /* @__PURE__ */ z.array(ExternalIdText).max(20).default([]),
    /** Complaints to link at once, each with the same reason. */
    caseIds: /* @__PURE__ */ z.array(Ulid).max(100).default([]),
    reason: /* @__PURE__ */ Text(1000).optional(),
  })
  .strict()
  .refine((b) => b.caseIds.length === 0 || b.reason !== undefined, { message: 'a reason is required to link complaints', path: ['reason'] })
  .meta({ id: 'CreateProblem' });
export type CreateProblemBody = z.infer<typeof CreateProblemBody>;

export const UpdateProblemBody = /* @__PURE__ */ z
  .object({
    title: /* @__PURE__ */ Text(200).optional(),
    scope: /* @__PURE__ */ ProblemScope.optional(),
    rootCause: /* @__PURE__ */ Text(4000).optional(),
    fix: /* @__PURE__ */ ProblemFix.optional(),
    externalIds: /* @__PURE__ */ z.array(ExternalIdText).max(20).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'change at least one field')
  .meta({ id: 'UpdateProblem' });
export type UpdateProblemBody = z.infer<typeof UpdateProblemBody>;

export const LinkComplaintBody = /* @__PURE__ */ z.object({ caseId: Ulid, reason: /* @__PURE__ */ Text(1000) }).strict().meta({ id: 'LinkComplaint' });
export const UnlinkQuery = /* @__PURE__ */ z.object({ reason: /* @__PURE__ */ Text(1000) }).strict();
export const CloseProblemBody = /* @__PURE__ */ z
  .object({ reason: /* @__PURE__ */ Text(2000), rootCause: /* @__PURE__ */ Text(4000).optional(), fix: /* @__PURE__ */ ProblemFix.optional() })
  .strict()
  .meta({ id: 'CloseProblem', description: 'Closing needs a root cause and a fix (given here or earlier)' });

export const ProblemParams = /* @__PURE__ */ z.object({ id: Ulid }).strict();
export const ProblemLinkParams = /* @__PURE__ */ z.object({ id: Ulid, caseId: Ulid }).strict();
export const ProblemListQuery = /* @__PURE__ */ z.object({ status: /* @__PURE__ */ ProblemStatus.optional(), limit: ListLimit, cursor: /* @__PURE__ */ Cursor.optional() }).strict();
export const ProblemPage = /* @__PURE__ */ pageOf(Problem, 'ProblemPage');

export const ProblemTimeline = /* @__PURE__ */ z
  .object({
    problemId: Ulid,
    items: /* @__PURE__ */ z.array(AuditEvent).meta({ description: 'A page of the events, oldest first' }),
    nextCursor: /* @__PURE__ */ Cursor.optional().meta({ description: 'Pass as `cursor` for the next page of events; absent on the last page' }),
    chain: /* @__PURE__ */ z.object({ valid: /* @__PURE__ */ z.boolean(), head: /* @__PURE__ */ z.string(), length: /* @__PURE__ */ z.number().int(), firstBrokenSeq: /* @__PURE__ */ z.number().int().optional(), problem: /* @__PURE__ */ z.string().optional() }),
  })
  .meta({ id: 'ProblemTimeline' });

// ---------- did the fix work? ----------

export const EffectQuery = /* @__PURE__ */ z
  .object({
    weeks: /* @__PURE__ */ z.coerce.number().int().min(1).max(26).default(8).meta({ description: 'Weeks counted on each side of the fix date' }),
    confidence: /* @__PURE__ */ z.coerce.number().min(0.5).max(0.999).default(0.95),
  })
  .strict();

export const ProblemEffect = /* @__PURE__ */ z
  .object({
    problemId: Ulid,
    fixedAt: IsoTimestamp,
    /** Which counter the scope was measured with. */
    measuredBy: /* @__PURE__ */ z.object({ dimension: /* @__PURE__ */ z.enum(['product', 'category']), values: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()) }),
    weeks: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ weekStart: /* @__PURE__ */ z.string(), side: /* @__PURE__ */ z.enum(['before', 'after']), complaints: /* @__PURE__ */ z.number().int() })),
    before: /* @__PURE__ */ z.object({ complaints: /* @__PURE__ */ z.number().int(), weeks: /* @__PURE__ */ z.number(), perWeek: /* @__PURE__ */ z.number() }),
    after: /* @__PURE__ */ z.object({ complaints: /* @__PURE__ */ z.number().int(), weeks: /* @__PURE__ */ z.number(), perWeek: /* @__PURE__ */ z.number() }),
    rateRatio: /* @__PURE__ */ z.number().nullable(),
    confidenceInterval: /* @__PURE__ */ z.object({ level: /* @__PURE__ */ z.number(), lower: /* @__PURE__ */ z.number().nullable(), upper: /* @__PURE__ */ z.number().nullable(), method: /* @__PURE__ */ z.string() }),
    verdict: /* @__PURE__ */ z.enum(['reduced', 'no_evidence_of_change', 'increased']),
    /** True while the after-window is still running (fewer whole weeks than asked for). */
    partial: /* @__PURE__ */ z.boolean(),
  })
  .meta({ id: 'ProblemEffect' });
export type ProblemEffect = z.infer<typeof ProblemEffect>;

// ---------- suggestions ----------

export const SuggestionStatus = /* @__PURE__ */ z.enum(['pending', 'accepted', 'dismissed']);

export const SuggestionEvidence = /* @__PURE__ */ z
  .object({
    caseId: Ulid,
    reference: /* @__PURE__ */ z.string(),
    product: /* @__PURE__ */ z.string(),
    category: /* @__PURE__ */ z.string(),
    receivedAt: IsoTimestamp,
    similarity: /* @__PURE__ */ z.number().meta({ description: 'Cosine of the complaint’s TF-IDF vector with the group’s centroid (1 for a match by incident id)' }),
    matchedIncidentIds: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()).optional().meta({ description: 'Incident/problem ids the complaint shares with the suggested problem' }),
  })
  .strict();

export const Suggestion = /* @__PURE__ */ z
  .object({
    id: Ulid,
    kind: /* @__PURE__ */ z.enum(['create_problem', 'link_to_problem']),
    status: SuggestionStatus,
    /** For link_to_problem: the open problem these complaints look like, and how alike (centroid cosine). */
    problemId: /* @__PURE__ */ Ulid.optional(),
    problemSimilarity: /* @__PURE__ */ z.number().optional(),
    suggestedTitle: /* @__PURE__ */ z.string(),
    scope: /* @__PURE__ */ z.object({ products: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()), categories: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()) }),
    evidence: /* @__PURE__ */ z.array(SuggestionEvidence),
    pairs: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ a: Ulid, b: Ulid, cosine: /* @__PURE__ */ z.number(), sameProduct: /* @__PURE__ */ z.boolean(), sameCategory: /* @__PURE__ */ z.boolean() })),
    sharedTerms: /* @__PURE__ */ z.array(/* @__PURE__ */ z.string()),
    threshold: /* @__PURE__ */ z.number(),
    window: /* @__PURE__ */ z.object({ from: IsoTimestamp, to: IsoTimestamp }),
    createdAt: IsoTimestamp,
    decidedBy: /* @__PURE__ */ z.string().optional(),
    decidedAt: /* @__PURE__ */ IsoTimestamp.optional(),
    decisionReason: /* @__PURE__ */ z.string().optional(),
    /** The problem an accepted suggestion created or linked to. */
    resultProblemId: /* @__PURE__ */ Ulid.optional(),
  })
  .meta({ id: 'ProblemSuggestion' });
export type Suggestion = z.infer<typeof Suggestion>;

export const SuggestionPage = /* @__PURE__ */ pageOf(Suggestion, 'ProblemSuggestionPage');
export const SuggestionListQuery = /* @__PURE__ */ z.object({ status: /* @__PURE__ */ SuggestionStatus.optional(), limit: ListLimit, cursor: /* @__PURE__ */ Cursor.optional() }).strict();
export const SuggestionParams = /* @__PURE__ */ z.object({ suggestionId: Ulid }).strict();
export const AcceptSuggestionBody = /* @__PURE__ */ z
  .object({ reason: /* @__PURE__ */ Text(1000), title: /* @__PURE__ */ Text(200).optional() })
  .strict()
  .meta({ id: 'AcceptSuggestion', description: 'Accepting opens the suggested problem (title optional) or links the complaints to the named one' });
export const DismissSuggestionBody = /* @__PURE__ */ z.object({ reason: /* @__PURE__ */ Text(1000) }).strict().meta({ id: 'DismissSuggestion' });
export const SuggestionDecision = /* @__PURE__ */ z.object({ suggestion: Suggestion, problem: /* @__PURE__ */ Problem.optional() }).meta({ id: 'ProblemSuggestionDecision' });

// ---------- changes and spikes ----------

export const ChangeKind = /* @__PURE__ */ z.enum(['deployment', 'configuration', 'pricing', 'other']);

export const CreateChangeBody = /* @__PURE__ */ z
  .object({
    title: /* @__PURE__ */ Text(300),
    kind: /* @__PURE__ */ ChangeKind.default('deployment'),
    product: /* @__PURE__ */ Text(120).optional(),
    at: IsoTimestamp,
    source: /* @__PURE__ */ z.string().trim().min(1).max(64).regex(/^[\w.:/-]+$/, 'must be a system name').default('api'),
    /** The change's id in its own system (a deployment id): a repeat with the same source and externalId is the same change. */
    externalId: /* @__PURE__ */ z.string().trim().min(1).max(256).optional(),
  })
  .strict()
  .meta({ id: 'CreateChange' });
export type CreateChangeBody = z.infer<typeof CreateChangeBody>;

export const Change = /* @__PURE__ */ z
  .object({
    id: /* @__PURE__ */ z.string(),
    title: /* @__PURE__ */ z.string(),
    kind: ChangeKind,
    product: /* @__PURE__ */ z.string().optional(),
    at: IsoTimestamp,
    source: /* @__PURE__ */ z.string(),
    externalId: /* @__PURE__ */ z.string().optional(),
    recordedBy: /* @__PURE__ */ z.string(),
    recordedAt: IsoTimestamp,
  })
  .meta({ id: 'Change' });
export type Change = z.infer<typeof Change>;

export const Spike = /* @__PURE__ */ z
  .object({
    day: /* @__PURE__ */ z.iso.date(),
    dimension: /* @__PURE__ */ z.enum(['product', 'category']),
    value: /* @__PURE__ */ z.string(),
    complaints: /* @__PURE__ */ z.number().int(),
    baselineMean: /* @__PURE__ */ z.number(),
    baselineSd: /* @__PURE__ */ z.number(),
    pValue: /* @__PURE__ */ z.number(),
    z: /* @__PURE__ */ z.number(),
    detectedAt: IsoTimestamp,
  })
  .meta({ id: 'Spike' });
export type Spike = z.infer<typeof Spike>;

export const SpikesQuery = /* @__PURE__ */ z
  .object({ from: /* @__PURE__ */ z.iso.date(), to: /* @__PURE__ */ z.iso.date(), limit: ListLimit, cursor: /* @__PURE__ */ Cursor.optional() })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

export const SpikeWithChanges = /* @__PURE__ */ Spike.extend({ changesBefore: /* @__PURE__ */ z.array(Change).meta({ description: 'Changes in the 72 hours before the end of the spike day' }) }).meta({ id: 'SpikeWithChanges' });
export const SpikePage = /* @__PURE__ */ pageOf(SpikeWithChanges, 'SpikePage');

