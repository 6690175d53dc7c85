// Problem management: problem records (scope, root cause, fix, external incident/problem ids, linked complaints),
// their suggestions, change events and volume spikes; request bodies, views and list queries.
import * as z from 'zod';
import { Cursor, IsoTimestamp, ListLimit, Text, Ulid, pageOf } from './common';
import { Category, EXTERNAL_ID_FORMATS, ExternalIdText } from './classification';
import { AuditEvent } from './children';

export { EXTERNAL_ID_FORMATS, ExternalIdText };

export const ExternalId = /* @__PURE__ */ z
  .object({ id: z.string(), system: z.enum(['servicenow', 'jira']), kind: z.enum(['incident', 'problem', 'issue']) })
  .strict()
  .meta({ id: 'ProblemExternalId' });
export type ExternalId = z.infer<typeof ExternalId>;

/** Product names as complaints carry them (free text), limited to what a scope needs. */
const ProductName = /* @__PURE__ */ Text(120);

export const ProblemScope = /* @__PURE__ */ z
  .object({
    products: z.array(ProductName).max(20).default([]),
    categories: z.array(Category).max(6).default([]),
  })
  .strict()
  .refine((s) => s.products.length + s.categories.length > 0, 'name at least one product or category')
  .meta({ id: 'ProblemScope', description: 'Which complaints the problem is about: any of these products, or any of these categories' });

export const ProblemFix = /* @__PURE__ */ z
  .object({ description: Text(2000), fixedAt: IsoTimestamp })
  .strict()
  .meta({ id: 'ProblemFix', description: 'The fix and when it took effect (the effect report compares before and after this instant)' });

export const ProblemLink = /* @__PURE__ */ z
  .object({ caseId: Ulid, reference: z.string(), linkedBy: z.string(), linkedAt: IsoTimestamp, reason: z.string() })
  .strict()
  .meta({ id: 'ProblemLink' });
export type ProblemLink = z.infer<typeof ProblemLink>;

export const ProblemStatus = /* @__PURE__ */ z.enum(['open', 'closed']);

export const Problem = /* @__PURE__ */ z
  .object({
    id: Ulid,
    title: z.string(),
    status: ProblemStatus,
    scope: z.object({ products: z.array(z.string()), categories: z.array(Category) }),
    rootCause: z.string().optional(),
    fix: ProblemFix.optional(),
    externalIds: z.array(ExternalId),
    links: z.array(ProblemLink),
    /** The suggestion this problem was opened from, if any. */
    suggestionId: Ulid.optional(),
    createdBy: z.string(),
    createdAt: IsoTimestamp,
    updatedAt: IsoTimestamp,
    closedAt: IsoTimestamp.optional(),
    closedBy: z.string().optional(),
    closeReason: z.string().optional(),
    version: z.number().int().min(1),
  })
  .meta({ id: 'ProblemRecord' });
export type Problem = z.infer<typeof Problem>;

export const MAX_PROBLEM_LINKS = 500;

export const CreateProblemBody = /* @__PURE__ */ z
  .object({
    title: Text(200),
    scope: ProblemScope,
    rootCause: Text(4000).optional(),
    fix: ProblemFix.optional(),
    externalIds: z.array(ExternalIdText).max(20).default([]),
    /** Complaints to link at once, each with the same reason. */
    caseIds: z.array(Ulid).max(100).default([]),
    reason: Text(1000).optional(),
  })
  .strict()
  .refine((b) => b.caseIds.length === 0 || b.reason !== undefined, { message: 'a reason is required to link complaints', path: ['reason'] })
  .meta({ id: 'CreateProblem' });
export type CreateProblemBody = z.infer<typeof CreateProblemBody>;

export const UpdateProblemBody = /* @__PURE__ */ z
  .object({
    title: Text(200).optional(),
    scope: ProblemScope.optional(),
    rootCause: Text(4000).optional(),
    fix: ProblemFix.optional(),
    externalIds: z.array(ExternalIdText).max(20).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'change at least one field')
  .meta({ id: 'UpdateProblem' });
export type UpdateProblemBody = z.infer<typeof UpdateProblemBody>;

export const LinkComplaintBody = /* @__PURE__ */ z.object({ caseId: Ulid, reason: Text(1000) }).strict().meta({ id: 'LinkComplaint' });
export const UnlinkQuery = /* @__PURE__ */ z.object({ reason: Text(1000) }).strict();
export const CloseProblemBody = /* @__PURE__ */ z
  .object({ reason: Text(2000), rootCause: Text(4000).optional(), fix: ProblemFix.optional() })
  .strict()
  .meta({ id: 'CloseProblem', description: 'Closing needs a root cause and a fix (given here or earlier)' });

export const ProblemParams = /* @__PURE__ */ z.object({ id: Ulid }).strict();
export const ProblemLinkParams = /* @__PURE__ */ z.object({ id: Ulid, caseId: Ulid }).strict();
export const ProblemListQuery = /* @__PURE__ */ z.object({ status: ProblemStatus.optional(), limit: ListLimit, cursor: Cursor.optional() }).strict();
export const ProblemPage = /* @__PURE__ */ pageOf(Problem, 'ProblemPage');

export const ProblemTimeline = /* @__PURE__ */ z
  .object({
    problemId: Ulid,
    items: z.array(AuditEvent).meta({ description: 'A page of the events, oldest first' }),
    nextCursor: Cursor.optional().meta({ description: 'Pass as `cursor` for the next page of events; absent on the last page' }),
    chain: z.object({ valid: z.boolean(), head: z.string(), length: z.number().int(), firstBrokenSeq: z.number().int().optional(), problem: z.string().optional() }),
  })
  .meta({ id: 'ProblemTimeline' });

// ---------- did the fix work? ----------

export const EffectQuery = /* @__PURE__ */ z
  .object({
    weeks: z.coerce.number().int().min(1).max(26).default(8).meta({ description: 'Weeks counted on each side of the fix date' }),
    confidence: z.coerce.number().min(0.5).max(0.999).default(0.95),
  })
  .strict();

export const ProblemEffect = /* @__PURE__ */ z
  .object({
    problemId: Ulid,
    fixedAt: IsoTimestamp,
    /** Which counter the scope was measured with. */
    measuredBy: z.object({ dimension: z.enum(['product', 'category']), values: z.array(z.string()) }),
    weeks: z.array(z.object({ weekStart: z.string(), side: z.enum(['before', 'after']), complaints: z.number().int() })),
    before: z.object({ complaints: z.number().int(), weeks: z.number(), perWeek: z.number() }),
    after: z.object({ complaints: z.number().int(), weeks: z.number(), perWeek: z.number() }),
    rateRatio: z.number().nullable(),
    confidenceInterval: z.object({ level: z.number(), lower: z.number().nullable(), upper: z.number().nullable(), method: z.string() }),
    verdict: z.enum(['reduced', 'no_evidence_of_change', 'increased']),
    /** True while the after-window is still running (fewer whole weeks than asked for). */
    partial: z.boolean(),
  })
  .meta({ id: 'ProblemEffect' });
export type ProblemEffect = z.infer<typeof ProblemEffect>;

// ---------- suggestions ----------

export const SuggestionStatus = /* @__PURE__ */ z.enum(['pending', 'accepted', 'dismissed']);

export const SuggestionEvidence = /* @__PURE__ */ z
  .object({
    caseId: Ulid,
    reference: z.string(),
    product: z.string(),
    category: z.string(),
    receivedAt: IsoTimestamp,
    similarity: z.number().meta({ description: 'Cosine of the complaint’s TF-IDF vector with the group’s centroid (1 for a match by incident id)' }),
    matchedIncidentIds: z.array(z.string()).optional().meta({ description: 'Incident/problem ids the complaint shares with the suggested problem' }),
  })
  .strict();

export const Suggestion = /* @__PURE__ */ z
  .object({
    id: Ulid,
    kind: z.enum(['create_problem', 'link_to_problem']),
    status: SuggestionStatus,
    /** For link_to_problem: the open problem these complaints look like, and how alike (centroid cosine). */
    problemId: Ulid.optional(),
    problemSimilarity: z.number().optional(),
    suggestedTitle: z.string(),
    scope: z.object({ products: z.array(z.string()), categories: z.array(z.string()) }),
    evidence: z.array(SuggestionEvidence),
    pairs: z.array(z.object({ a: Ulid, b: Ulid, cosine: z.number(), sameProduct: z.boolean(), sameCategory: z.boolean() })),
    sharedTerms: z.array(z.string()),
    threshold: z.number(),
    window: z.object({ from: IsoTimestamp, to: IsoTimestamp }),
    createdAt: IsoTimestamp,
    decidedBy: z.string().optional(),
    decidedAt: IsoTimestamp.optional(),
    decisionReason: z.string().optional(),
    /** The problem an accepted suggestion created or linked to. */
    resultProblemId: Ulid.optional(),
  })
  .meta({ id: 'ProblemSuggestion' });
export type Suggestion = z.infer<typeof Suggestion>;

export const SuggestionPage = /* @__PURE__ */ pageOf(Suggestion, 'ProblemSuggestionPage');
export const SuggestionListQuery = /* @__PURE__ */ z.object({ status: SuggestionStatus.optional(), limit: ListLimit, cursor: Cursor.optional() }).strict();
export const SuggestionParams = /* @__PURE__ */ z.object({ suggestionId: Ulid }).strict();
export const AcceptSuggestionBody = /* @__PURE__ */ z
  .object({ reason: Text(1000), title: Text(200).optional() })
  .strict()
  .meta({ id: 'AcceptSuggestion', description: 'Accepting opens the suggested problem (title optional) or links the complaints to the named one' });
export const DismissSuggestionBody = /* @__PURE__ */ z.object({ reason: Text(1000) }).strict().meta({ id: 'DismissSuggestion' });
export const SuggestionDecision = /* @__PURE__ */ z.object({ suggestion: Suggestion, problem: Problem.optional() }).meta({ id: 'ProblemSuggestionDecision' });

// ---------- changes and spikes ----------

export const ChangeKind = /* @__PURE__ */ z.enum(['deployment', 'configuration', 'pricing', 'other']);

export const CreateChangeBody = /* @__PURE__ */ z
  .object({
    title: Text(300),
    kind: ChangeKind.default('deployment'),
    product: Text(120).optional(),
    at: IsoTimestamp,
    source: z.string().trim().min(1).max(64).regex(/^[\w.:/-]+$/, 'must be a system name').default('api'),
    /** The change's id in its own system (a deployment id): a repeat with the same source and externalId is the same change. */
    externalId: z.string().trim().min(1).max(256).optional(),
  })
  .strict()
  .meta({ id: 'CreateChange' });
export type CreateChangeBody = z.infer<typeof CreateChangeBody>;

export const Change = /* @__PURE__ */ z
  .object({
    id: z.string(),
    title: z.string(),
    kind: ChangeKind,
    product: z.string().optional(),
    at: IsoTimestamp,
    source: z.string(),
    externalId: z.string().optional(),
    recordedBy: z.string(),
    recordedAt: IsoTimestamp,
  })
  .meta({ id: 'Change' });
export type Change = z.infer<typeof Change>;

export const Spike = /* @__PURE__ */ z
  .object({
    day: z.iso.date(),
    dimension: z.enum(['product', 'category']),
    value: z.string(),
    complaints: z.number().int(),
    baselineMean: z.number(),
    baselineSd: z.number(),
    pValue: z.number(),
    z: z.number(),
    detectedAt: IsoTimestamp,
  })
  .meta({ id: 'Spike' });
export type Spike = z.infer<typeof Spike>;

export const SpikesQuery = /* @__PURE__ */ z
  .object({ from: z.iso.date(), to: z.iso.date(), limit: ListLimit, cursor: Cursor.optional() })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

export const SpikeWithChanges = /* @__PURE__ */ Spike.extend({ changesBefore: z.array(Change).meta({ description: 'Changes in the 72 hours before the end of the spike day' }) }).meta({ id: 'SpikeWithChanges' });
export const SpikePage = /* @__PURE__ */ pageOf(SpikeWithChanges, 'SpikePage');

