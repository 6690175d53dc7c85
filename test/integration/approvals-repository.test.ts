// DynamoCaseRepository's resolution and approval items against the real DynamoDB Local: the proposal and its
// stages commit with the case, approval ids lead back to their case, and the sparse pending-approvals index holds
// exactly the stages still pending (oldest first, across shards); a stale commit writes none of it.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { createDynamoClients } from '#adapters/aws/dynamo/client';
import { DynamoCaseRepository } from '#adapters/aws/dynamo/case-repository';
import { keys, shardOf } from '#adapters/aws/dynamo/table-model';
import { planApprovals } from '#domain/approval-rules';
import { appendEvents, EMPTY_HEAD, verifyChain, type ChainHead } from '#domain/audit-chain';
import { mutateCase } from '#domain/case-mutation';
import { StaleVersionError } from '#domain/errors';
import * as life from '#domain/lifecycle';
import type { Principal } from '#domain/principal';
import { getRegime } from '#domain/regimes';
import { caseResolution, decideApproval, proposeResolution, type Decided, type Proposed } from '#domain/resolution';
import type { CaseChild } from '#ports/case-repository';
import type { AuditEvent } from '#schemas/children';
import type { Case, CreateComplaintBody } from '#schemas/complaint';
import type { Approval, ApprovalDecisionBody, ProposeResolutionBody } from '#schemas/resolution';
import { createTestTables, rawDocClient, testEndpoint } from '../support/dynamo';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = '2026-06-01T00:00:00.000Z';
const at = (base: string, ms: number) => new Date(Date.parse(base) + ms).toISOString();
const STAGE_TIMEOUT = 2 * DAY;
const SHARDS = 4;
const nextId = monotonicFactory();

const ALICE: Principal = { sub: 'alice', roles: ['handler'], scopes: [] };
const SAM: Principal = { sub: 'sam', roles: ['supervisor'], scopes: [] };
const CORA: Principal = { sub: 'cora', roles: ['compliance'], scopes: [] };

const ROOT_CAUSE = { category: 'capacity', description: 'Depot overbooked' };
/** Compensation above 1,000 GBP: stage 1 supervisor, stage 2 compliance. */
const TWO_STAGES: ProposeResolutionBody = {
  decision: 'upheld',
  remedy: { compensation: { amount: '1500.00', currency: 'GBP' }, description: 'Refund and goodwill payment' },
  rootCause: ROOT_CAUSE,
  finalResponse: 'We are sorry; we will refund you.',
};
/** Compensation above 250 GBP only: one supervisor stage. */
const ONE_STAGE: ProposeResolutionBody = { ...TWO_STAGES, remedy: { compensation: { amount: '300.00', currency: 'GBP' }, description: 'Refund' } };

const clients = createDynamoClients({ region: 'local', endpoint: testEndpoint() });
const raw = rawDocClient();
afterAll(() => {
  clients.raw.destroy();
  raw.destroy();
});

const newRepo = async () => {
  const tables = await createTestTables();
  return { repo: new DynamoCaseRepository(clients.doc, { tableName: tables.cases, listShards: SHARDS }), table: tables.cases };
};

interface Opened {
  case: Case;
  head: ChainHead;
  events: AuditEvent[];
}

/** A case exactly as intake builds it, owned by alice, received a few days before NOW. */
const createCase = async (repo: DynamoCaseRepository): Promise<Opened> => {
  const body: CreateComplaintBody = {
    customer: { id: 'cust-1', name: 'Ada' },
    channel: 'web',
    summary: 'Late delivery',
    description: 'Arrived late',
    product: 'delivery',
    category: 'service_delay',
    regime: 'UK_FCA_DISP',
    receivedAt: at(NOW, -3 * DAY),
  };
  const change = life.openCase(body, {
    id: nextId(),
    reference: 'CMP-2026-000001',
    ownerId: ALICE.sub,
    assignmentRule: 'explicit',
    regime: getRegime('UK_FCA_DISP'),
    actor: 'web-form',
    now: NOW,
  });
  const { events, head } = appendEvents(EMPTY_HEAD, change.drafts, NOW);
  const opened = { case: change.case, head, events };
  await repo.create(opened);
  return opened;
};

const proposalChildren = (p: Proposed): CaseChild[] => [
  { kind: 'resolution', resolution: p.resolution },
  ...p.approvals.map((approval): CaseChild => ({ kind: 'approval', approval, created: true })),
];

const decisionChildren = (d: Decided): CaseChild[] => [
  { kind: 'approval', approval: d.approval },
  ...(d.next ? [{ kind: 'approval', approval: d.next } as CaseChild] : []),
  ...d.superseded.map((approval): CaseChild => ({ kind: 'approval', approval })),
  { kind: 'resolution', resolution: d.resolution },
];

/** The owner proposes at `when` (the approvals' createdAt), through mutateCase as the service does. */
const propose = (repo: DynamoCaseRepository, caseId: string, when: string, body = TWO_STAGES, approvalIds?: string[]) =>
  mutateCase(
    { repo, clock: { now: () => when } },
    ALICE,
    caseId,
    undefined,
    'owner',
    (c, now) => {
      const stages = planApprovals(body, c);
      const ids = { resolutionId: nextId(), approvalIds: approvalIds ?? stages.map(() => nextId()) };
      return proposeResolution(c, body, stages, ids, ALICE.sub, now, STAGE_TIMEOUT);
    },
    proposalChildren,
  );

/** An approver decides a stage of the current proposal, read back from the repository as the service does. */
const decide = (repo: DynamoCaseRepository, caseId: string, approvalId: string, body: ApprovalDecisionBody, approver: Principal, when: string) =>
  mutateCase(
    { repo, clock: { now: () => when } },
    approver,
    caseId,
    undefined,
    'visible',
    async (c, now) => {
      const summary = caseResolution(c);
      if (!summary) throw new Error('no proposal');
      const resolution = await repo.getResolution(c.id, summary.id);
      if (!resolution) throw new Error('resolution item missing');
      const approvals = (await repo.listApprovals(c.id)).filter((a) => a.resolutionId === resolution.id);
      return decideApproval(c, resolution, approvals, approvalId, body, approver, now, STAGE_TIMEOUT);
    },
    decisionChildren,
  );

const rawGet = async (table: string, key: Record<string, unknown>) => (await raw.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

const rawCaseItems = async (table: string, caseId: string) =>
  (await raw.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.casePk(caseId) }, ConsistentRead: true }))).Items ?? [];

const ids = (approvals: Approval[]) => approvals.map((a) => a.id);

/** Two ULIDs in different shards of the pending index, the first greater than the second. */
const idsInTwoShards = (): [string, string] => {
  const low = nextId();
  let high = nextId();
  while (shardOf(high, SHARDS) === shardOf(low, SHARDS)) high = nextId();
  return [high, low];
};

describe('a proposal with two stages', () => {
  it('commits the resolution and both approvals with the case; every read path finds them', async () => {
    const { repo, table } = await newRepo();
    // An older single-stage proposal on another case, so "oldest first" spans cases.
    const earlier = await createCase(repo);
    const e = await propose(repo, earlier.case.id, at(NOW, 1 * HOUR), ONE_STAGE);
    expect(e.result.approvals).toHaveLength(1);

    const c = await createCase(repo);
    // Stage 1 gets the greater id, so key order (APPROVAL#<id>) is not stage order; the stages sit in different shards.
    const [stage1Id, stage2Id] = idsInTwoShards();
    const proposedAt = at(NOW, 2 * HOUR);
    const out = await propose(repo, c.case.id, proposedAt, TWO_STAGES, [stage1Id, stage2Id]);
    const { resolution, approvals } = out.result;
    expect(approvals.map((a) => [a.id, a.stage, a.role, a.status])).toEqual([
      [stage1Id, 1, 'supervisor', 'pending'],
      [stage2Id, 2, 'compliance', 'pending'],
    ]);

    // The case, its audit event and the children are one write.
    const got = await repo.get(c.case.id);
    expect(got?.case).toMatchObject({ version: 2, status: 'awaiting_approval', resolution: { id: resolution.id, status: 'pending', stages: 2, approvedStages: 0 } });
    const events = await repo.auditEvents(c.case.id);
    expect(events.map((ev) => ev.action)).toEqual(['complaint.received', 'owner.assigned', 'resolution.proposed']);
    expect(verifyChain(events, got?.head)).toMatchObject({ valid: true, length: 3 });

    expect(await repo.getResolution(c.case.id, resolution.id)).toEqual(resolution);
    expect(await repo.getResolution(c.case.id, nextId())).toBeUndefined();
    expect(await repo.getResolution(earlier.case.id, resolution.id)).toBeUndefined();

    const listed = await repo.listApprovals(c.case.id);
    expect(listed).toEqual(approvals);
    expect(listed.map((a) => a.stage)).toEqual([1, 2]);
    expect(await repo.listApprovals(earlier.case.id)).toEqual(e.result.approvals);

    expect(await repo.findApprovalCase(stage1Id)).toBe(c.case.id);
    expect(await repo.findApprovalCase(stage2Id)).toBe(c.case.id);
    expect(await repo.findApprovalCase(e.result.approvals[0]!.id)).toBe(earlier.case.id);
    expect(await repo.findApprovalCase(nextId())).toBeUndefined();

    // The raw items: the open stage carries the sparse index keys (a later stage joins when it opens), and the pointer.
    const item1 = await rawGet(table, keys.approval(c.case.id, stage1Id));
    const item2 = await rawGet(table, keys.approval(c.case.id, stage2Id));
    expect(item1).toMatchObject({ entity: 'approval', status: 'pending', GSI2PK: keys.pendingApprovalsPk(shardOf(stage1Id, SHARDS)), GSI2SK: `${proposedAt}#${stage1Id}` });
    expect(item2).toMatchObject({ entity: 'approval', status: 'pending' });
    expect(item2).not.toHaveProperty('GSI2PK');
    expect(await rawGet(table, keys.approvalPointer(stage1Id))).toEqual({ ...keys.approvalPointer(stage1Id), entity: 'approvalPointer', caseId: c.case.id });

    // Pending across shards, oldest first (ties by id), each as the domain's Approval.
    const pending = await repo.listPendingApprovals(10);
    expect(ids(pending)).toEqual([e.result.approvals[0]!.id, stage1Id]);
    expect(pending).toEqual([e.result.approvals[0], approvals[0]]);
    expect(ids(await repo.listPendingApprovals(1))).toEqual([e.result.approvals[0]!.id]);
  });

  it('approving stage 1 takes it out of the pending index and opens stage 2; rejecting stage 2 takes that out too', async () => {
    const { repo, table } = await newRepo();
    const other = await createCase(repo);
    const o = await propose(repo, other.case.id, at(NOW, 3 * HOUR), ONE_STAGE);
    const otherId = o.result.approvals[0]!.id;

    const c = await createCase(repo);
    const proposed = await propose(repo, c.case.id, at(NOW, 1 * HOUR));
    const [s1, s2] = proposed.result.approvals as [Approval, Approval];
    expect(ids(await repo.listPendingApprovals(10))).toEqual([s1.id, otherId]);

    const decidedAt = at(NOW, 5 * HOUR);
    const approved = await decide(repo, c.case.id, s1.id, { decision: 'approve' }, SAM, decidedAt);
    expect(approved.case).toMatchObject({ version: 3, status: 'awaiting_approval', resolution: { approvedStages: 1, status: 'pending' } });

    // Stage 1 was replaced without the index attributes: gone from the index, still under its case.
    const item1 = await rawGet(table, keys.approval(c.case.id, s1.id));
    expect(item1).toMatchObject({ status: 'approved', decidedBy: 'sam', decidedAt });
    expect(item1).not.toHaveProperty('GSI2PK');
    expect(item1).not.toHaveProperty('GSI2SK');
    // Stage 2 was re-put still pending (now with its due time): same index keys as before.
    const item2 = await rawGet(table, keys.approval(c.case.id, s2.id));
    expect(item2).toMatchObject({ status: 'pending', dueAt: at(decidedAt, STAGE_TIMEOUT), GSI2SK: `${s2.createdAt}#${s2.id}` });

    const pending = await repo.listPendingApprovals(10);
    expect(ids(pending)).toEqual([s2.id, otherId]);
    expect(pending[0]).toEqual({ ...s2, dueAt: at(decidedAt, STAGE_TIMEOUT) });
    expect(await repo.listApprovals(c.case.id)).toEqual([
      { ...s1, status: 'approved', decidedBy: 'sam', decidedAt },
      { ...s2, dueAt: at(decidedAt, STAGE_TIMEOUT) },
    ]);
    expect(await repo.findApprovalCase(s1.id)).toBe(c.case.id);

    const rejectedAt = at(NOW, 6 * HOUR);
    const rejected = await decide(repo, c.case.id, s2.id, { decision: 'reject', comment: 'Compensation too high' }, CORA, rejectedAt);
    expect(rejected.case).toMatchObject({ version: 4, status: 'open', resolution: { status: 'rejected' } });
    expect(ids(await repo.listPendingApprovals(10))).toEqual([otherId]);
    expect(await rawGet(table, keys.approval(c.case.id, s2.id))).not.toHaveProperty('GSI2PK');
    expect((await repo.listApprovals(c.case.id)).map((a) => [a.stage, a.status, a.decidedBy, a.comment])).toEqual([
      [1, 'approved', 'sam', undefined],
      [2, 'rejected', 'cora', 'Compensation too high'],
    ]);
    expect(await repo.getResolution(c.case.id, proposed.result.resolution.id)).toMatchObject({ status: 'rejected' });
    expect(await repo.findApprovalCase(s2.id)).toBe(c.case.id);
    expect((await repo.auditEvents(c.case.id)).map((ev) => ev.action).slice(-3)).toEqual(['resolution.proposed', 'approval.approved', 'approval.rejected']);
  });

  it('rejecting stage 1 supersedes stage 2 (both leave the index); a second round lists after the first and empties the index once approved', async () => {
    const { repo } = await newRepo();
    const c = await createCase(repo);
    const round1 = await propose(repo, c.case.id, at(NOW, 1 * HOUR));
    const [r1s1, r1s2] = round1.result.approvals as [Approval, Approval];
    await decide(repo, c.case.id, r1s1.id, { decision: 'reject', comment: 'Needs a smaller remedy' }, SAM, at(NOW, 2 * HOUR));
    expect(await repo.listPendingApprovals(10)).toEqual([]);
    expect((await repo.listApprovals(c.case.id)).map((a) => [a.id, a.status])).toEqual([
      [r1s1.id, 'rejected'],
      [r1s2.id, 'superseded'],
    ]);

    const round2 = await propose(repo, c.case.id, at(NOW, 3 * HOUR));
    expect(round2.result.resolution.round).toBe(2);
    const [r2s1, r2s2] = round2.result.approvals as [Approval, Approval];
    expect(ids(await repo.listPendingApprovals(10))).toEqual([r2s1.id]);
    // Every round, round order then stage order.
    expect(ids(await repo.listApprovals(c.case.id))).toEqual([r1s1.id, r1s2.id, r2s1.id, r2s2.id]);

    await decide(repo, c.case.id, r2s1.id, { decision: 'approve' }, SAM, at(NOW, 4 * HOUR));
    expect(ids(await repo.listPendingApprovals(10))).toEqual([r2s2.id]);
    const done = await decide(repo, c.case.id, r2s2.id, { decision: 'approve', comment: 'Fine' }, CORA, at(NOW, 5 * HOUR));
    expect(done.case).toMatchObject({ status: 'open', resolution: { status: 'approved', approvedStages: 2 } });
    expect(await repo.listPendingApprovals(10)).toEqual([]);
    expect(await repo.getResolution(c.case.id, round2.result.resolution.id)).toMatchObject({ status: 'approved', round: 2 });
    expect(await repo.getResolution(c.case.id, round1.result.resolution.id)).toMatchObject({ status: 'rejected', round: 1 });
  });
});

describe('listPendingApprovals over many cases', () => {
  it('returns the oldest pending approvals by createdAt across shards, limit respected (6 cases, limit 3)', async () => {
    const { repo } = await newRepo();
    // Proposed out of creation order, so neither case id nor approval id order is createdAt order.
    const offsets = [5, 2, 9, 1, 7, 3];
    const made: Approval[] = [];
    for (const h of offsets) {
      const c = await createCase(repo);
      const out = await propose(repo, c.case.id, at(NOW, h * HOUR), ONE_STAGE);
      made.push(...out.result.approvals);
    }
    expect(made).toHaveLength(6);
    expect(new Set(made.map((a) => shardOf(a.id, SHARDS))).size).toBeGreaterThan(1);
    const oldest = [...made].sort((a, b) => a.createdAt.localeCompare(b.createdAt));

    const three = await repo.listPendingApprovals(3);
    expect(three).toEqual(oldest.slice(0, 3));
    expect(three.map((a) => a.createdAt)).toEqual([at(NOW, 1 * HOUR), at(NOW, 2 * HOUR), at(NOW, 3 * HOUR)]);
    expect(ids(await repo.listPendingApprovals(1))).toEqual([oldest[0]!.id]);
    expect(await repo.listPendingApprovals(6)).toEqual(oldest);
    expect(await repo.listPendingApprovals(100)).toEqual(oldest);

    // Deciding the oldest moves the window on by one.
    await decide(repo, oldest[0]!.caseId, oldest[0]!.id, { decision: 'approve' }, SAM, at(NOW, 10 * HOUR));
    expect(ids(await repo.listPendingApprovals(3))).toEqual(ids(oldest.slice(1, 4)));
  });
});

describe('atomicity', () => {
  it('a stale commit is a StaleVersionError and writes no resolution, approval, pointer or index entry', async () => {
    const { repo, table } = await newRepo();
    const c = await createCase(repo);
    // Another writer moves the case to version 2 first.
    const task = life.addTask(c.case, { title: 'Pull logs', team: 'ops' }, { taskId: nextId() }, ALICE.sub, NOW);
    const moved = appendEvents(c.head, task.drafts, NOW);
    await repo.commit({ case: { ...task.case, version: 2, updatedAt: NOW }, expectedVersion: 1, head: moved.head, events: moved.events, children: [{ kind: 'task', task: task.result }] });
    const before = await rawCaseItems(table, c.case.id);

    // A proposal built on version 1.
    const stages = planApprovals(TWO_STAGES, c.case);
    const pids = { resolutionId: nextId(), approvalIds: stages.map(() => nextId()) };
    const change = proposeResolution(c.case, TWO_STAGES, stages, pids, ALICE.sub, NOW, STAGE_TIMEOUT);
    const { events, head } = appendEvents(c.head, change.drafts, NOW);
    await expect(
      repo.commit({ case: { ...change.case, version: 2, updatedAt: NOW }, expectedVersion: 1, head, events, children: proposalChildren(change.result) }),
    ).rejects.toBeInstanceOf(StaleVersionError);

    for (const id of pids.approvalIds) {
      expect(await rawGet(table, keys.approval(c.case.id, id))).toBeUndefined();
      expect(await rawGet(table, keys.approvalPointer(id))).toBeUndefined();
      expect(await repo.findApprovalCase(id)).toBeUndefined();
    }
    expect(await rawGet(table, keys.resolution(c.case.id, pids.resolutionId))).toBeUndefined();
    expect(await rawCaseItems(table, c.case.id)).toEqual(before);
    expect(await repo.listApprovals(c.case.id)).toEqual([]);
    expect(await repo.listPendingApprovals(10)).toEqual([]);
    expect((await repo.get(c.case.id))?.case).toMatchObject({ version: 2, status: 'open' });
  });

  it('of two proposals racing from the same version exactly one is stored, with only its approvals', async () => {
    const { repo, table } = await newRepo();
    const c = await createCase(repo);
    const attempts = [TWO_STAGES, ONE_STAGE].map((body) => {
      const stages = planApprovals(body, c.case);
      const change = proposeResolution(c.case, body, stages, { resolutionId: nextId(), approvalIds: stages.map(() => nextId()) }, ALICE.sub, NOW, STAGE_TIMEOUT);
      const { events, head } = appendEvents(c.head, change.drafts, NOW);
      return { change, commit: () => repo.commit({ case: { ...change.case, version: 2, updatedAt: NOW }, expectedVersion: 1, head, events, children: proposalChildren(change.result) }) };
    });
    const results = await Promise.allSettled(attempts.map((a) => a.commit()));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StaleVersionError);
    const winner = attempts[results.findIndex((r) => r.status === 'fulfilled')]!.change.result;
    const loser = attempts[results.findIndex((r) => r.status === 'rejected')]!.change.result;

    expect(await repo.listApprovals(c.case.id)).toEqual(winner.approvals);
    expect(await repo.listPendingApprovals(10)).toEqual(winner.approvals.filter((a) => a.dueAt));
    expect((await repo.get(c.case.id))?.case.resolution).toMatchObject({ id: winner.resolution.id });
    expect(await repo.getResolution(c.case.id, loser.resolution.id)).toBeUndefined();
    for (const a of loser.approvals) {
      expect(await rawGet(table, keys.approval(c.case.id, a.id))).toBeUndefined();
      expect(await repo.findApprovalCase(a.id)).toBeUndefined();
    }
  });
});
