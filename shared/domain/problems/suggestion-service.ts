// Problem suggestions, use cases: find groups of similar complaints received in a window (same product or category,
// TF-IDF cosine of the triage model's features at or above a threshold), suggest a new problem or linking to an open
// problem they resemble, with the evidence; a person accepts (the problem is opened or the complaints linked) or
// dismisses it, with a reason. The same group is suggested once.
import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors';
import type { Principal } from '../principal';
import { centroidCosine, similarGroups, type SimilarItem } from './similarity';
import type { ProblemService } from './problem-service';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { ProblemStore, SuggestionStore } from '#ports/problem-store';
import type { Case } from '#schemas/complaint';
import type { Problem, Suggestion } from '#schemas/problems';

type Category = Problem['scope']['categories'][number];

export interface SuggestionSettings {
  /** Cosine at or above which two complaints of the same product or category count as alike. */
  threshold: number;
  /** Complaints received in the last this many days are compared. */
  windowDays: number;
  /** A group needs at least this many complaints. */
  minGroup: number;
}

export interface SuggestionServiceDeps {
  suggestions: SuggestionStore;
  problems: Pick<ProblemStore, 'openProblems'>;
  /** Complaints not closed, received at or after `since` (the job's input; bounded by the open work, not all cases). */
  recentComplaints(since: string): Promise<Case[]>;
  /** Texts of complaints by id (an open problem's linked complaints, to compare a group with). */
  complaintTexts(caseIds: readonly string[]): Promise<string[]>;
  /** The triage model's features of a text (its tokeniser and stemmer). */
  tokens(text: string): string[];
  problemService: Pick<ProblemService, 'create' | 'linkMany'>;
  clock: Clock;
  ids: IdGenerator;
  settings: SuggestionSettings;
}

const textOf = (c: Pick<Case, 'summary' | 'description' | 'product'>) => `${c.summary}. ${c.product}. ${c.description}`;

/** The same members make the same signature, whichever run finds them. */
const signatureOf = (kind: string, ids: readonly string[], problemId?: string) =>
  createHash('sha256').update(`${kind}|${problemId ?? ''}|${[...ids].sort().join(',')}`).digest('hex');

export class SuggestionService {
  constructor(private readonly deps: SuggestionServiceDeps) {}

  /** One run: the groups of the window, each either matched to an open problem of its scope or suggested as a new one. */
  async suggest(): Promise<{ compared: number; groups: number; created: Suggestion[] }> {
    const now = this.deps.clock.now();
    const { threshold, windowDays, minGroup } = this.deps.settings;
    const from = new Date(Date.parse(now) - windowDays * 86_400_000).toISOString();
    const open = await this.deps.problems.openProblems();
    const linked = new Set(open.flatMap((p) => p.links.map((l) => l.caseId)));
    // A complaint already linked to an open problem is accounted for.
    const cases = (await this.deps.recentComplaints(from)).filter((c) => !linked.has(c.id) && c.receivedAt >= from);
    const byId = new Map(cases.map((c) => [c.id, c]));
    const tokens = new Map(cases.map((c) => [c.id, this.deps.tokens(textOf(c))]));
    const items: SimilarItem[] = cases.map((c) => ({ id: c.id, product: c.product, category: c.category, tokens: tokens.get(c.id)! }));
    const groups = similarGroups(items, { threshold, minSize: minGroup });
    const created: Suggestion[] = [];
    const problemTokens = new Map<string, string[][]>();
    for (const g of groups) {
      const members = g.ids.map((id) => byId.get(id)!);
      const products = [...new Set(members.map((m) => m.product))].sort();
      const categories = [...new Set(members.map((m) => m.category))].sort();
      let match: { problem: Problem; similarity: number } | undefined;
      for (const p of open) {
        const inScope = members.some((m) => p.scope.products.includes(m.product) || p.scope.categories.includes(m.category));
        if (!inScope || !p.links.length) continue;
        if (!problemTokens.has(p.id)) problemTokens.set(p.id, (await this.deps.complaintTexts(p.links.map((l) => l.caseId))).map((t) => this.deps.tokens(t)));
        const similarity = centroidCosine(g.ids.map((id) => tokens.get(id)!), problemTokens.get(p.id)!);
        if (similarity >= threshold && (!match || similarity > match.similarity)) match = { problem: p, similarity };
      }
      const suggestion: Suggestion = {
        id: this.deps.ids.next(),
        kind: match ? 'link_to_problem' : 'create_problem',
        status: 'pending',
        ...(match ? { problemId: match.problem.id, problemSimilarity: match.similarity } : {}),
        suggestedTitle: match ? match.problem.title : `${members.length} similar complaints: ${g.topTerms.slice(0, 4).join(', ')}`,
        scope: { products, categories },
        evidence: members.map((m) => ({ caseId: m.id, reference: m.reference, product: m.product, category: m.category, receivedAt: m.receivedAt, similarity: g.similarity[m.id] ?? 0 })),
        pairs: g.pairs,
        sharedTerms: g.topTerms,
        threshold,
        window: { from, to: now },
        createdAt: now,
      };
      if (await this.deps.suggestions.putSuggestion(suggestion, signatureOf(suggestion.kind, g.ids, match?.problem.id))) created.push(suggestion);
    }
    // Complaints that name an incident or problem id an open problem links to: suggest linking them (the id is the evidence).
    for (const p of open) {
      const ids = new Set(p.externalIds.map((e) => e.id));
      if (!ids.size) continue;
      const matching = cases.filter((c) => (c.incidentIds ?? []).some((i) => ids.has(i)));
      if (!matching.length) continue;
      const suggestion: Suggestion = {
        id: this.deps.ids.next(),
        kind: 'link_to_problem',
        status: 'pending',
        problemId: p.id,
        problemSimilarity: 1,
        suggestedTitle: p.title,
        scope: { products: [...new Set(matching.map((m) => m.product))].sort(), categories: [...new Set(matching.map((m) => m.category))].sort() },
        evidence: matching.map((m) => ({ caseId: m.id, reference: m.reference, product: m.product, category: m.category, receivedAt: m.receivedAt, similarity: 1, matchedIncidentIds: (m.incidentIds ?? []).filter((i) => ids.has(i)) })),
        pairs: [],
        sharedTerms: [...new Set(matching.flatMap((m) => (m.incidentIds ?? []).filter((i) => ids.has(i))))].sort(),
        threshold,
        window: { from, to: now },
        createdAt: now,
      };
      if (await this.deps.suggestions.putSuggestion(suggestion, signatureOf('incident', matching.map((m) => m.id), p.id))) created.push(suggestion);
    }
    return { compared: cases.length, groups: groups.length, created };
  }

  list(q: { status?: Suggestion['status']; limit: number; cursor?: string }) {
    return this.deps.suggestions.listSuggestions(q);
  }

  async accept(p: Principal, id: string, body: { reason: string; title?: string }): Promise<{ suggestion: Suggestion; problem: Problem }> {
    const s = await this.pending(id);
    const caseIds = s.evidence.map((e) => e.caseId);
    const problem =
      s.kind === 'link_to_problem' && s.problemId
        ? await this.deps.problemService.linkMany(p, s.problemId, caseIds, body.reason)
        : await this.deps.problemService.create(
            p,
            { title: body.title ?? s.suggestedTitle, scope: { products: s.scope.products, categories: s.scope.categories as Category[] }, externalIds: [], caseIds, reason: body.reason },
            { suggestionId: s.id },
          );
    const decided: Suggestion = { ...s, status: 'accepted', decidedBy: p.sub, decidedAt: this.deps.clock.now(), decisionReason: body.reason, resultProblemId: problem.id };
    if (!(await this.deps.suggestions.decide(decided))) throw new ConflictError('the suggestion was decided meanwhile', { suggestionId: id });
    return { suggestion: decided, problem };
  }

  async dismiss(p: Principal, id: string, reason: string): Promise<{ suggestion: Suggestion }> {
    const s = await this.pending(id);
    const decided: Suggestion = { ...s, status: 'dismissed', decidedBy: p.sub, decidedAt: this.deps.clock.now(), decisionReason: reason };
    if (!(await this.deps.suggestions.decide(decided))) throw new ConflictError('the suggestion was decided meanwhile', { suggestionId: id });
    return { suggestion: decided };
  }

  private async pending(id: string): Promise<Suggestion> {
    const s = await this.deps.suggestions.getSuggestion(id);
    if (!s) throw new NotFoundError(`no suggestion ${id}`);
    if (s.status !== 'pending') throw new ConflictError(`the suggestion is already ${s.status}`, { suggestionStatus: s.status });
    return s;
  }
}
