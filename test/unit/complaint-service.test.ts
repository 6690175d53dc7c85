// ComplaintService over an in-memory fake of our own CaseRepository port: intake, retries, preconditions, access.
import { ComplaintService } from '#domain/complaint-service';
import { verifyChain } from '#domain/audit-chain';
import { AssignmentRules } from '#domain/assignment';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, StaleVersionError } from '#domain/errors';
import { at, DAY, intakeBody, NOW, principal } from './fixtures';
import { FakeRepo } from './fake-repo';


const rules = AssignmentRules.parse({
  teams: { complaints: ['h1', 'h2', 'h3'], billing: ['b1', 'b2'] },
  defaultTeam: 'complaints',
  rules: [
    { match: { category: 'billing' }, team: 'billing' },
    { match: { channel: 'letter' }, ownerId: 'post-room' },
  ],
});

const setup = (opts: { internalStandardDays?: number } = {}) => {
  const repo = new FakeRepo();
  let now = NOW;
  let n = 0;
  const clock = { now: () => now };
  const ids = { next: () => `01J${String(++n).padStart(23, '0')}` };
  const svc = new ComplaintService({ repo, clock, ids, assignment: rules, regimes: opts });
  return { repo, svc, advance: (ms: number) => (now = at(now, ms)) };
};

const intake = principal('web-form', 'intake');
const sam = principal('sam', 'supervisor');
const ROOT_CAUSE = { category: 'capacity', description: 'Depot overbooked' };

describe('open', () => {
  it('allocates the year counter and the team counter for a team plan, and round-robins on the team count', async () => {
    const { repo, svc } = setup();
    const a = await svc.open(intake, intakeBody());
    const b = await svc.open(intake, intakeBody({ category: 'billing' }));
    const c = await svc.open(intake, intakeBody());
    const d = await svc.open(intake, intakeBody({ category: 'billing' }));
    expect(repo.counterCalls).toEqual([
      { year: 2026, team: 'complaints' },
      { year: 2026, team: 'billing' },
      { year: 2026, team: 'complaints' },
      { year: 2026, team: 'billing' },
    ]);
    expect([a, b, c, d].map((x) => x.reference)).toEqual(['CMP-2026-000001', 'CMP-2026-000002', 'CMP-2026-000003', 'CMP-2026-000004']);
    // Each team counts its own cases: the second complaints case goes to h2, not h3.
    expect([a, b, c, d].map((x) => [x.team, x.ownerId])).toEqual([
      ['complaints', 'h1'],
      ['billing', 'b1'],
      ['complaints', 'h2'],
      ['billing', 'b2'],
    ]);
  });

  it('allocates no team counter for an explicit owner or an owner rule', async () => {
    const { repo, svc } = setup();
    const explicit = await svc.open(intake, intakeBody({ ownerId: 'zoe' }));
    const byRule = await svc.open(intake, intakeBody({ channel: 'letter' }));
    expect(repo.counterCalls).toEqual([{ year: 2026 }, { year: 2026 }]);
    expect(explicit).toMatchObject({ ownerId: 'zoe', reference: 'CMP-2026-000001' });
    expect(explicit.team).toBeUndefined();
    expect(byRule.ownerId).toBe('post-room');
    const next = await svc.open(intake, intakeBody());
    expect(next.ownerId).toBe('h1');
  });

  it('refuses a known externalRef before spending a reference number', async () => {
    const { repo, svc } = setup();
    const ref = { system: 'crm', id: '4711' };
    const first = await svc.open(intake, intakeBody({ externalRef: ref }));
    await expect(svc.open(intake, intakeBody({ externalRef: ref }))).rejects.toMatchObject({ kind: 'conflict', details: { existingId: first.id } });
    expect(repo.counterCalls).toHaveLength(1);
  });

  it('refuses a signed channel’s reference system unless signed intake opens the case, before spending a number', async () => {
    const { repo, svc } = setup();
    await expect(svc.open(intake, intakeBody({ externalRef: { system: 'zendesk', id: '4711' } }))).rejects.toMatchObject({ kind: 'invalid', errors: [{ field: 'body.externalRef.system' }] });
    expect(repo.counterCalls).toEqual([]);
    const signed = await svc.open(intake, intakeBody({ externalRef: { system: 'zendesk', id: '4711' } }), { signedChannel: true });
    expect(signed.externalRef).toEqual({ system: 'zendesk', id: '4711' });
  });

  it('persists the case with a valid two-event audit chain', async () => {
    const { repo, svc } = setup();
    const c = await svc.open(intake, intakeBody());
    const rec = repo.cases.get(c.id)!;
    expect(rec.head.seq).toBe(2);
    expect(verifyChain(repo.audit.get(c.id)!, rec.head).valid).toBe(true);
    expect(repo.audit.get(c.id)!.map((e) => e.actor)).toEqual(['web-form', 'web-form']);
  });

  it('refuses a future receivedAt or an unknown regime before spending a counter value', async () => {
    const { repo, svc } = setup();
    await expect(svc.open(intake, intakeBody({ receivedAt: at(NOW, 60_000) }))).rejects.toBeInstanceOf(InvalidInputError);
    await expect(svc.open(intake, intakeBody({ regime: 'NOPE' }))).rejects.toBeInstanceOf(InvalidInputError);
    expect(repo.counterCalls).toEqual([]);
    expect(repo.cases.size).toBe(0);
  });
});

describe('mutations', () => {
  const opened = async () => {
    const env = setup();
    const c = await env.svc.open(intake, intakeBody({ ownerId: 'alice' }));
    return { ...env, id: c.id };
  };

  it('without If-Match, a lost race is retried on fresh state and the chain stays valid', async () => {
    const { repo, svc, id } = await opened();
    repo.concurrentWriters = 2;
    const out = await svc.reassign(sam, id, { ownerId: 'bob', reason: 'workload' });
    expect(repo.commitCalls).toBe(3);
    expect(out.case.version).toBe(4); // 1 + two concurrent writers + ours
    expect(out.case.ownerId).toBe('bob');
    const rec = repo.cases.get(id)!;
    expect(verifyChain(repo.audit.get(id)!, rec.head)).toMatchObject({ valid: true, length: 5 });
  });

  it('without If-Match, gives up with a retryable conflict (409) after three lost races', async () => {
    const { repo, svc, id } = await opened();
    repo.concurrentWriters = 3;
    await expect(svc.reassign(sam, id, { ownerId: 'bob', reason: 'workload' })).rejects.toBeInstanceOf(ConflictError);
    expect(repo.commitCalls).toBe(3);
    expect(repo.cases.get(id)!.case.ownerId).toBe('alice');
  });

  it('with a stale If-Match, answers 412 without writing', async () => {
    const { repo, svc, id } = await opened();
    await expect(svc.reassign(sam, id, { ownerId: 'bob', reason: 'x' }, 7)).rejects.toThrow(/If-Match version 7 is stale; the complaint is at version 1/);
    expect(repo.commitCalls).toBe(0);
  });

  it('with a current If-Match, a lost race is not retried', async () => {
    const { repo, svc, id } = await opened();
    repo.concurrentWriters = 1;
    await expect(svc.reassign(sam, id, { ownerId: 'bob', reason: 'x' }, 1)).rejects.toBeInstanceOf(StaleVersionError);
    expect(repo.commitCalls).toBe(1);
  });

  it('with a current If-Match, succeeds and bumps the version', async () => {
    const { svc, id } = await opened();
    const out = await svc.reassign(sam, id, { ownerId: 'bob', reason: 'x' }, 1);
    expect(out.case.version).toBe(2);
  });

  it('other storage errors are not retried', async () => {
    const { repo, svc, id } = await opened();
    repo.commitError = new Error('network down');
    await expect(svc.reassign(sam, id, { ownerId: 'bob', reason: 'x' })).rejects.toThrow('network down');
    expect(repo.commitCalls).toBe(1);
  });

  it('checks access before anything else: unknown → 404, invisible → 404, not allowed → 403', async () => {
    const { repo, svc, id } = await opened();
    await expect(svc.reassign(sam, '01JNOPE00000000000000000000', { ownerId: 'bob', reason: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(svc.acknowledge(sam, id, {})).rejects.toBeInstanceOf(ForbiddenError);
    await expect(svc.acknowledge(principal('bob', 'intake'), id, {})).rejects.toBeInstanceOf(NotFoundError);
    expect(repo.commitCalls).toBe(0);
  });

  it('reassignment is open to supervisors and admins (API.md), not to other non-owners', async () => {
    const { svc, id } = await opened();
    await expect(svc.reassign(principal('cleo', 'compliance'), id, { ownerId: 'bob', reason: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
    const out = await svc.reassign(principal('ada', 'admin'), id, { ownerId: 'bob', reason: 'leave' });
    expect(out.case.handoffs).toEqual([expect.objectContaining({ from: 'alice', to: 'bob', by: 'ada' })]);
  });

  it('tasks and notes are written as children with the case change', async () => {
    const { repo, svc, id } = await opened();
    const alice = principal('alice', 'handler');
    const { task, case: c1 } = await svc.createTask(alice, id, { title: 'Pull logs', team: 'ops' });
    expect(c1.openTaskCount).toBe(1);
    expect(repo.tasks.get(task.id)).toMatchObject({ caseId: id, status: 'open' });
    const { task: blocked } = await svc.updateTask(alice, id, task.id, { status: 'blocked' });
    expect(blocked.blockedSince).toBeDefined();
    await expect(svc.updateTask(alice, id, '01JNOPE00000000000000000000', { status: 'done' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(svc.close(alice, id, { followUpAction: 'x', rootCause: ROOT_CAUSE })).rejects.toBeInstanceOf(ConflictError);
    await svc.updateTask(alice, id, task.id, { status: 'done' });
    const { note } = await svc.addNote(principal('lee', 'legal'), id, { kind: 'finding', body: 'ok' });
    expect(repo.notes.get(note.id)).toMatchObject({ caseId: id, authorId: 'lee' });
    expect((await svc.tasks(alice, id, { limit: 100 })).items).toHaveLength(1);
    expect((await svc.notes(alice, id, { limit: 100 })).items).toHaveLength(1);
    const closed = await svc.close(alice, id, { followUpAction: 'x', rootCause: ROOT_CAUSE });
    expect(closed.case.status).toBe('closed');
    const timeline = await svc.timeline(alice, id, { limit: 100 });
    expect(timeline.items.map((e) => e.action)).toEqual(['complaint.received', 'owner.assigned', 'task.created', 'task.updated', 'task.updated', 'note.added', 'complaint.closed']);
    expect(timeline.chain.valid).toBe(true);
  });

  it('reopen uses the configured regime options for the new cycle', async () => {
    const { svc, advance } = setup({ internalStandardDays: 5 });
    const c = await svc.open(intake, intakeBody({ ownerId: 'alice', regime: 'INTERNAL_STANDARD' }));
    expect(c.finalResponseDueAt).toBe(at(NOW, 5 * DAY));
    await svc.close(sam, c.id, { followUpAction: 'x', rootCause: ROOT_CAUSE });
    const when = advance(DAY);
    const re = await svc.reopen(sam, c.id, { reason: 'disputed' });
    expect(re.case).toMatchObject({ status: 'open', reopenCount: 1, finalResponseDueAt: at(when, 5 * DAY) });
  });
});

describe('reads', () => {
  it('get hides restricted cases from non-readers and presents risk at reading time', async () => {
    const { svc, advance } = setup();
    const c = await svc.open(intake, intakeBody({ ownerId: 'alice', sensitivity: 'restricted' }));
    await expect(svc.get(principal('bob', 'handler'), c.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await svc.get(sam, c.id)).risk).toBe('on_track');
    advance(57 * DAY);
    expect((await svc.get(principal('alice', 'handler'), c.id)).risk).toBe('overdue');
  });

  it('list maps owner=me to the caller and omits cases the caller may not see', async () => {
    const { repo, svc } = setup();
    const open = await svc.open(intake, intakeBody({ ownerId: 'alice' }));
    await svc.open(intake, intakeBody({ ownerId: 'alice', sensitivity: 'restricted' }));
    const page = await svc.list(principal('bob', 'handler'), { owner: 'me', limit: 10, status: 'open', dueBefore: '2026-06-01T01:00:00+01:00' });
    expect(repo.listCalls[0]).toMatchObject({ ownerId: 'bob', status: 'open', dueBefore: '2026-06-01T00:00:00.000Z', limit: 10, now: NOW });
    expect(page.items.map((c) => c.id)).toEqual([open.id]);
  });

  it('list passes a known regime to the repository; an unknown one is InvalidInputError naming query.regime, before any read', async () => {
    const { repo, svc } = setup();
    await svc.list(principal('sam', 'supervisor'), { regime: 'UK_FCA_PSD', limit: 10 });
    expect(repo.listCalls[0]).toMatchObject({ regime: 'UK_FCA_PSD', limit: 10 });
    const unknown = svc.list(principal('sam', 'supervisor'), { regime: 'XX_NO_SUCH_REGIME', limit: 10 });
    await expect(unknown).rejects.toBeInstanceOf(InvalidInputError);
    await expect(unknown).rejects.toMatchObject({ errors: [{ field: 'query.regime' }] });
    expect(repo.listCalls).toHaveLength(1);
  });

  it('timeline reports a tampered chain', async () => {
    const { repo, svc } = setup();
    const c = await svc.open(intake, intakeBody({ ownerId: 'alice' }));
    repo.audit.get(c.id)![1]!.data.ownerId = 'mallory';
    const t = await svc.timeline(sam, c.id, { limit: 100 });
    expect(t.chain).toMatchObject({ valid: false, firstBrokenSeq: 2 });
  });

  it('regimes honour the configured options', () => {
    const { svc } = setup({ internalStandardDays: 9 });
    expect(svc.regimes({ limit: 100 }).items.find((r) => r.id === 'INTERNAL_STANDARD')?.clocks[0]?.amount).toBe(9);
  });
});
