// Problem records, use cases: open (optionally from complaints), amend, link and unlink complaints, close (telling
// the owners of linked open complaints), read the audit trail, and measure whether the fix reduced complaints.
// Every change appends to the problem's own hash chain in the same write as the change (as a case's does).
import { appendEvents, verifyChain, EMPTY_HEAD, type AuditDraft } from '../audit-chain';
import { ConflictError, InvalidInputError, NotFoundError, StaleVersionError } from '../errors';
import type { Notification } from '../domain-events';
import type { Principal } from '../principal';
import { pageOfList, type PageRequest } from '../pages';
import type { RateRatio, Exposure } from './effect-stats';
import type { CaseRepository } from '#ports/case-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { Notifier } from '#ports/notifier';
import type { ProblemStore, VolumeCounts } from '#ports/problem-store';
import {
  EXTERNAL_ID_FORMATS,
  MAX_PROBLEM_LINKS,
  type CreateProblemBody,
  type ExternalId,
  type Problem,
  type ProblemEffect,
  type ProblemLink,
  type UpdateProblemBody,
} from '#schemas/problems';

export interface ProblemServiceDeps {
  problems: ProblemStore;
  cases: Pick<CaseRepository, 'get'>;
  volumes: VolumeCounts;
  notifier: Notifier;
  clock: Clock;
  ids: IdGenerator;
  /** The exact rate ratio (effect-stats.ts): given only where the effect of a fix is asked for, so no other function bundles jstat. */
  rateRatio: (before: Exposure, after: Exposure, confidence: number) => RateRatio;
}

/** A validated external id as stored (the schema has checked the text matches one of the formats). */
export const parseExternalId = (text: string): ExternalId => {
  const f = EXTERNAL_ID_FORMATS.find((x) => x.pattern.test(text));
  if (!f) throw new InvalidInputError(`${text} is not a ServiceNow or Jira id`, [{ field: 'externalIds', message: 'must be INC…, PRB… or a Jira key' }]);
  return { id: text, system: f.system, kind: f.kind };
};

const uniqueExternalIds = (texts: readonly string[]): ExternalId[] => [...new Set(texts)].map(parseExternalId);

const WEEK_MS = 7 * 86_400_000;

export class ProblemService {
  constructor(private readonly deps: ProblemServiceDeps) {}

  async create(p: Principal, body: CreateProblemBody, opts: { suggestionId?: string } = {}): Promise<Problem> {
    const now = this.deps.clock.now();
    const id = this.deps.ids.next();
    const links = await this.newLinks(p, [...new Set(body.caseIds)], body.reason ?? '', now, 'body.caseIds');
    const problem: Problem = {
      id,
      title: body.title,
      status: 'open',
      scope: { products: [...new Set(body.scope.products)], categories: [...new Set(body.scope.categories)] },
      ...(body.rootCause ? { rootCause: body.rootCause } : {}),
      ...(body.fix ? { fix: body.fix } : {}),
      externalIds: uniqueExternalIds(body.externalIds),
      links,
      ...(opts.suggestionId ? { suggestionId: opts.suggestionId } : {}),
      createdBy: p.sub,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    const drafts: AuditDraft[] = [
      {
        actor: p.sub,
        action: 'problem.opened',
        data: { title: problem.title, scope: problem.scope, externalIds: problem.externalIds.map((e) => e.id), ...(opts.suggestionId ? { suggestionId: opts.suggestionId } : {}), ...(problem.fix ? { fixedAt: problem.fix.fixedAt } : {}) },
      },
      ...links.map((l) => linkDraft(p, l)),
    ];
    const { events, head } = appendEvents(EMPTY_HEAD, drafts, now);
    await this.deps.problems.create({ problem, head, events });
    return problem;
  }

  async get(id: string): Promise<Problem> {
    return (await this.load(id)).problem;
  }

  list(q: { status?: Problem['status']; limit: number; cursor?: string }) {
    return this.deps.problems.list(q);
  }

  async update(p: Principal, id: string, body: UpdateProblemBody, ifMatch?: number): Promise<Problem> {
    return this.mutate(id, ifMatch, (problem) => {
      if (problem.status === 'closed') throw new ConflictError('the problem is closed', { problemStatus: problem.status });
      const next: Problem = {
        ...problem,
        ...(body.title ? { title: body.title } : {}),
        ...(body.scope ? { scope: { products: [...new Set(body.scope.products)], categories: [...new Set(body.scope.categories)] } } : {}),
        ...(body.rootCause ? { rootCause: body.rootCause } : {}),
        ...(body.fix ? { fix: body.fix } : {}),
        ...(body.externalIds ? { externalIds: uniqueExternalIds(body.externalIds) } : {}),
      };
      const changed = Object.keys(body).sort();
      return { next, drafts: [{ actor: p.sub, action: 'problem.updated', data: { fields: changed, ...(body.fix ? { fixedAt: body.fix.fixedAt } : {}), ...(body.externalIds ? { externalIds: next.externalIds.map((e) => e.id) } : {}) } }] };
    });
  }

  async link(p: Principal, id: string, body: { caseId: string; reason: string }, ifMatch?: number): Promise<Problem> {
    const record = await this.load(id);
    if (record.problem.links.some((l) => l.caseId === body.caseId)) throw new ConflictError('the complaint is already linked to this problem', { caseId: body.caseId });
    const [link] = await this.newLinks(p, [body.caseId], body.reason, this.deps.clock.now(), 'caseId', true);
    return this.mutate(id, ifMatch, (problem) => {
      if (problem.status === 'closed') throw new ConflictError('the problem is closed', { problemStatus: problem.status });
      if (problem.links.some((l) => l.caseId === body.caseId)) throw new ConflictError('the complaint is already linked to this problem', { caseId: body.caseId });
      if (problem.links.length >= MAX_PROBLEM_LINKS) throw new ConflictError(`a problem links at most ${MAX_PROBLEM_LINKS} complaints`);
      return { next: { ...problem, links: [...problem.links, link!] }, drafts: [linkDraft(p, link!)] };
    });
  }

  /** Links several complaints in one change (an accepted suggestion); those already linked are left as they are. */
  async linkMany(p: Principal, id: string, caseIds: readonly string[], reason: string): Promise<Problem> {
    const now = this.deps.clock.now();
    const record = await this.load(id);
    const fresh = caseIds.filter((c) => !record.problem.links.some((l) => l.caseId === c));
    const links = await this.newLinks(p, fresh, reason, now, 'caseIds');
    return this.mutate(id, record.problem.version, (problem) => {
      if (problem.status === 'closed') throw new ConflictError('the problem is closed', { problemStatus: problem.status });
      if (problem.links.length + links.length > MAX_PROBLEM_LINKS) throw new ConflictError(`a problem links at most ${MAX_PROBLEM_LINKS} complaints`);
      return { next: { ...problem, links: [...problem.links, ...links] }, drafts: links.map((l) => linkDraft(p, l)) };
    });
  }

  async unlink(p: Principal, id: string, caseId: string, reason: string, ifMatch?: number): Promise<Problem> {
    return this.mutate(id, ifMatch, (problem) => {
      if (problem.status === 'closed') throw new ConflictError('the problem is closed', { problemStatus: problem.status });
      const link = problem.links.find((l) => l.caseId === caseId);
      if (!link) throw new NotFoundError(`complaint ${caseId} is not linked to problem ${id}`);
      return {
        next: { ...problem, links: problem.links.filter((l) => l.caseId !== caseId) },
        drafts: [{ actor: p.sub, action: 'problem.complaint_unlinked', data: { caseId, reference: link.reference, reason, linkedBy: link.linkedBy, linkedAt: link.linkedAt } }],
      };
    });
  }

  /**
   * Closes a problem once its root cause and fix are recorded, and tells the owner of every linked complaint that is
   * still open (one notification per owner and complaint, ids stable so a retried close does not notify twice).
   */
  async close(p: Principal, id: string, body: { reason: string; rootCause?: string; fix?: Problem['fix'] }, ifMatch?: number): Promise<{ problem: Problem; notified: number }> {
    const now = this.deps.clock.now();
    let closedSeq = 0;
    const problem = await this.mutate(id, ifMatch, (current, head) => {
      if (current.status === 'closed') throw new ConflictError('the problem is already closed', { problemStatus: current.status });
      const rootCause = body.rootCause ?? current.rootCause;
      const fix = body.fix ?? current.fix;
      const missing = [...(rootCause ? [] : [{ field: 'body.rootCause', message: 'record the root cause before closing' }]), ...(fix ? [] : [{ field: 'body.fix', message: 'record the fix and its date before closing' }])];
      if (missing.length) throw new InvalidInputError('a problem closes with its root cause and fix recorded', missing);
      closedSeq = head.seq + 1;
      return {
        next: { ...current, status: 'closed', rootCause: rootCause!, fix: fix!, closedAt: now, closedBy: p.sub, closeReason: body.reason },
        drafts: [{ actor: p.sub, action: 'problem.closed', data: { reason: body.reason, fixedAt: fix!.fixedAt, linked: current.links.map((l) => l.caseId) } }],
      };
    });
    const notifications: Notification[] = [];
    for (const link of problem.links) {
      const record = await this.deps.cases.get(link.caseId);
      if (!record || record.case.status === 'closed') continue;
      const c = record.case;
      const subject = `${c.reference}: problem "${problem.title}" is closed (fix effective ${problem.fix!.fixedAt})`;
      notifications.push({
        id: `problem:${problem.id}:${closedSeq}:user:${c.ownerId}:${c.id}`,
        eventType: 'ProblemClosed',
        caseId: c.id,
        reference: c.reference,
        to: { kind: 'user', userId: c.ownerId, as: 'owner' },
        subject,
        text: `${subject}. Root cause and fix are on problem ${problem.id}; the complaint is still open: reflect the fix in its response where it applies.`,
      });
    }
    if (notifications.length) await this.deps.notifier.notify(notifications);
    return { problem, notified: notifications.length };
  }

  /** A page of the problem's trail, oldest first; the verdict needs every link, so the whole chain is read and verified whichever page is asked for. */
  async timeline(id: string, q: PageRequest) {
    const record = await this.load(id);
    const events = [...(await this.deps.problems.auditEvents(id))].sort((a, b) => a.seq - b.seq);
    return { problemId: id, ...pageOfList(events, (e) => String(e.seq), q), chain: verifyChain(events, record.head) };
  }

  /**
   * Complaints per week in the problem's scope, `weeks` whole weeks before the fix date and up to `weeks` after it
   * (fewer while they have not passed), and the exact rate ratio after/before. The scope is measured with the
   * product counter when it names products (complaints of those products, whatever their category), else the
   * category counter: the projection counts each dimension on its own, not their combinations.
   */
  async effect(id: string, opts: { weeks: number; confidence: number }): Promise<ProblemEffect> {
    const { problem } = await this.load(id);
    if (!problem.fix) throw new ConflictError('the problem has no fix date yet: record the fix first', { problemStatus: problem.status });
    const fixedAt = problem.fix.fixedAt;
    const fixMs = Date.parse(fixedAt);
    const nowMs = Date.parse(this.deps.clock.now());
    const afterWeeks = Math.max(0, Math.min(opts.weeks, Math.floor((nowMs - fixMs) / WEEK_MS)));
    if (afterWeeks === 0) throw new ConflictError('no whole week has passed since the fix: nothing to compare yet', { fixedAt });
    const dimension = problem.scope.products.length ? ('product' as const) : ('category' as const);
    const values = dimension === 'product' ? [...new Set(problem.scope.products.map((x) => this.deps.volumes.productGroup(x)))] : problem.scope.categories;
    const fromDay = this.deps.volumes.day(new Date(fixMs - opts.weeks * WEEK_MS).toISOString());
    const toDay = this.deps.volumes.day(new Date(fixMs + afterWeeks * WEEK_MS - 1).toISOString());
    const counts = await this.deps.volumes.receivedByDay(fromDay, toDay);
    const keys = values.map((v) => `${dimension}#${v}`);
    const dayCount = (day: string) => keys.reduce((s, k) => s + (counts.get(day)?.get(k) ?? 0), 0);
    const weeks: ProblemEffect['weeks'] = [];
    for (let w = -opts.weeks; w < afterWeeks; w++) {
      const start = fixMs + w * WEEK_MS;
      let n = 0;
      for (let d = 0; d < 7; d++) n += dayCount(this.deps.volumes.day(new Date(start + d * 86_400_000).toISOString()));
      weeks.push({ weekStart: new Date(start).toISOString(), side: w < 0 ? 'before' : 'after', complaints: n });
    }
    const sum = (side: 'before' | 'after') => weeks.filter((x) => x.side === side).reduce((s, x) => s + x.complaints, 0);
    const before = { complaints: sum('before'), weeks: opts.weeks };
    const after = { complaints: sum('after'), weeks: afterWeeks };
    const rr = this.deps.rateRatio({ count: before.complaints, weeks: before.weeks }, { count: after.complaints, weeks: after.weeks }, opts.confidence);
    return {
      problemId: id,
      fixedAt,
      measuredBy: { dimension, values },
      weeks,
      before: { ...before, perWeek: rr.beforePerWeek },
      after: { ...after, perWeek: rr.afterPerWeek },
      rateRatio: rr.ratio,
      confidenceInterval: { level: opts.confidence, lower: rr.lower, upper: rr.upper, method: 'exact conditional binomial (Clopper-Pearson) for the ratio of two Poisson rates' },
      verdict: rr.verdict,
      partial: afterWeeks < opts.weeks,
    };
  }

  private async load(id: string) {
    const record = await this.deps.problems.get(id);
    if (!record) throw new NotFoundError(`no problem ${id}`);
    return record;
  }

  /** Read, check If-Match, change, append the audit drafts and write conditionally on the version read. */
  private async mutate(id: string, ifMatch: number | undefined, change: (p: Problem, head: { seq: number; hash: string }) => { next: Problem; drafts: AuditDraft[] }): Promise<Problem> {
    const record = await this.load(id);
    if (ifMatch !== undefined && ifMatch !== record.problem.version) throw new StaleVersionError(`problem ${id} is at version ${record.problem.version}, not ${ifMatch}`);
    const now = this.deps.clock.now();
    const { next, drafts } = change(record.problem, record.head);
    const { events, head } = appendEvents(record.head, drafts, now);
    const problem: Problem = { ...next, updatedAt: now, version: record.problem.version + 1 };
    await this.deps.problems.commit({ problem, expectedVersion: record.problem.version, head, events });
    return problem;
  }

  /** Links to existing complaints; an unknown complaint is 404 on the link route and 400 where it is one of a list. */
  private async newLinks(p: Principal, caseIds: readonly string[], reason: string, now: string, field: string, single = false): Promise<ProblemLink[]> {
    const links: ProblemLink[] = [];
    for (const caseId of caseIds) {
      const record = await this.deps.cases.get(caseId);
      if (!record) {
        if (single) throw new NotFoundError(`no complaint ${caseId}`);
        throw new InvalidInputError(`no complaint ${caseId}`, [{ field, message: `no complaint ${caseId}` }]);
      }
      links.push({ caseId, reference: record.case.reference, linkedBy: p.sub, linkedAt: now, reason });
    }
    return links;
  }
}

const linkDraft = (p: Principal, l: ProblemLink): AuditDraft => ({ actor: p.sub, action: 'problem.complaint_linked', data: { caseId: l.caseId, reference: l.reference, reason: l.reason } });
