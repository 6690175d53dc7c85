// The local workflow engine across restarts, with fake task functions and a real store (DynamoDB Local; the in-memory
// store runs the same checks): executions and waiting tasks are persisted; a new engine on the same store continues a
// waiting execution from its Task state with the same token and timers (the function is not called again); an
// execution stopped between two waits restarts from its first state; starts are idempotent; late token calls answer
// like Step Functions. Time is a fake clock: nothing sleeps.
import { type AslDefinition, type Json, approvalAsl, escalationAsl, taskStates } from '../../workflows';
import { LocalWorkflowEngine, MemoryWorkflowStore, type TaskMeta, type WorkflowStore } from '../../workflows/local/engine';
import { DynamoWorkflowStore } from '../../infra/local/workflow-store';
import { LocalWorkflows, approvalUpgrade } from '../../infra/local/workflows';
import { approvalExecutionInput } from '#schemas/workflow-steps';
import { localWorkflowEngine } from '#adapters/local/local-workflow-engine';
import { createTestTables, rawDocClient } from '../support/dynamo';

const approval = approvalAsl();
const escalation = escalationAsl();
const doc = rawDocClient();
afterAll(() => doc.destroy());

const T0 = Date.parse('2026-11-02T09:00:00.000Z');
const stage = (n: number, over: Record<string, Json> = {}) => ({
  stage: n,
  role: n === 1 ? 'supervisor' : 'compliance',
  approvalId: `APR-${n}`,
  timeoutSeconds: 30,
  heartbeatSeconds: 10,
  ...over,
});
/** The execution input the starter builds (the chain of stage states). */
const approvalInput = (stages = [stage(1)]) =>
  approvalExecutionInput({ caseId: 'CASE-1', resolutionId: 'RES-1', approvalIds: stages.map((s) => s.approvalId), stages }) as unknown as Json;
const escalationInput = { caseId: 'CASE-1', escalationId: 'ESC-1', trigger: { kind: 'manual' }, level: 1, ackTimeoutSeconds: 3600 };

/** What a one-stage approval enters when decided at once (Step Functions bills each). */
const APPROVED_AT_ONCE = ['AwaitDecision', 'NextStage', 'ApprovalsComplete'];

const stores: [string, () => Promise<WorkflowStore>][] = [
  ['DynamoDB Local', async () => new DynamoWorkflowStore(doc, (await createTestTables()).local)],
  ['memory', async () => new MemoryWorkflowStore()],
];

describe.each(stores)('LocalWorkflowEngine with a store (%s)', (_name, makeStore) => {
  let now = T0;
  const clock = { now: () => new Date(now).toISOString() };
  const engines: LocalWorkflowEngine[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop();
  });

  /** An engine as a process would build it: both workflows registered, every call to a task function recorded. */
  const boot = (store: WorkflowStore, prefix: string, override: Record<string, (payload: Json, meta: TaskMeta) => unknown> = {}) => {
    let minted = 0;
    const engine = new LocalWorkflowEngine({ clock, store, mintToken: () => `${prefix}-tok-${(minted += 1)}`, idleTimeoutMs: 5_000 });
    engines.push(engine);
    const calls: { state: string; token?: string; payload: Json }[] = [];
    const handlers = (asl: AslDefinition) =>
      Object.fromEntries(
        taskStates(asl).map(([n]) => [
          n,
          (payload: Json, meta: TaskMeta) => {
            calls.push({ state: n, payload, ...(meta.taskToken ? { token: meta.taskToken } : {}) });
            return override[n] ? override[n](payload, meta) : { ok: true };
          },
        ]),
      );
    engine.register('approval', approval, handlers(approval), approvalUpgrade);
    engine.register('escalation', escalation, handlers(escalation));
    return { engine, calls, states: () => calls.map((c) => c.state) };
  };

  beforeEach(() => {
    now = T0;
  });

  it('persists the execution and its waiting task (raw state input, payload, timers); settling and ending are recorded', async () => {
    const store = await makeStore();
    const { engine } = boot(store, 'a');
    const execution = engine.start('approval', approvalInput(), 'exec-1');
    await engine.idle();
    await engine.flush();
    expect(await store.runningExecutions()).toEqual([
      { executionId: 'exec-1', workflow: 'approval', input: approvalInput(), status: 'running', statesEntered: ['AwaitDecision'], startedAt: T0 },
    ]);
    const [task] = await store.pendingTasks();
    expect(task).toEqual({
      taskToken: 'a-tok-1',
      workflow: 'approval',
      executionId: 'exec-1',
      stateName: 'AwaitDecision',
      // The state input as the Task state received it, before Parameters: the first stage's state (here the input).
      stateInput: approvalInput(),
      payload: expect.objectContaining({ action: 'AwaitDecision', taskToken: 'a-tok-1', approvalId: 'APR-1', level: 1 }),
      startedAt: T0,
      timeoutAt: T0 + 30_000,
      heartbeatSeconds: 10,
      heartbeatAt: T0 + 10_000,
    });
    now += 4_000;
    await engine.heartbeat('a-tok-1');
    expect((await store.pendingTasks())[0]).toMatchObject({ heartbeatAt: T0 + 14_000, timeoutAt: T0 + 30_000 });

    await engine.settle('a-tok-1', { ok: true, output: { approverId: 'sup-1' } });
    await expect(execution.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    await engine.idle();
    expect(await store.pendingTasks()).toEqual([]);
    expect(await store.closedToken('a-tok-1')).toBe('settled');
    expect(await store.runningExecutions()).toEqual([]);
    expect(await store.getExecution('exec-1')).toEqual({
      executionId: 'exec-1',
      workflow: 'approval',
      input: approvalInput(),
      status: 'succeeded',
      statesEntered: APPROVED_AT_ONCE,
      startedAt: T0,
      endedAt: T0 + 4_000,
      outcome: { status: 'SUCCEEDED', output: { caseId: 'CASE-1', outcome: 'approved', approvalIds: ['APR-1'] } },
    });
  });

  it('a restored execution continues from its waiting Task with the same token and timers, without calling the function again', async () => {
    const store = await makeStore();
    const first = boot(store, 'a');
    first.engine.start('approval', approvalInput([stage(1), stage(2)]), 'exec-2');
    await first.engine.idle();
    await first.engine.stop(); // the process goes away; the store still has the execution running
    expect(await store.runningExecutions()).toHaveLength(1);
    expect(await store.pendingTasks()).toHaveLength(1);

    const second = boot(store, 'b');
    expect(await second.engine.restore()).toEqual({ resumed: ['exec-2'], restarted: [] });
    expect(second.calls).toEqual([]); // AwaitDecision already ran and stored its token
    expect(second.engine.pendingTasks()).toEqual([
      expect.objectContaining({ taskToken: 'a-tok-1', stateName: 'AwaitDecision', startedAt: T0, timeoutAt: T0 + 30_000, heartbeatAt: T0 + 10_000 }),
    ]);
    const restored = second.engine.execution('exec-2')!;
    expect(restored.statesEntered).toEqual(['AwaitDecision']);

    // The same timer instant: nothing just before it, the heartbeat lapse at it.
    expect(second.engine.fireDueTimers(T0 + 9_999)).toBe(0);
    expect(second.engine.fireDueTimers(T0 + 10_000)).toBe(1);
    await second.engine.idle();
    expect(second.states()).toEqual(['Remind', 'AwaitDecision']);
    expect(second.calls[1]).toMatchObject({ token: 'b-tok-1', payload: { approvalId: 'APR-1', reminders: 1 } });
    await second.engine.settle('b-tok-1', { ok: true, output: { approverId: 'sup-1' } });
    await second.engine.idle();
    expect(second.calls.at(-1)).toMatchObject({ state: 'AwaitDecision', token: 'b-tok-2', payload: { approvalId: 'APR-2', level: 1 } });
    await second.engine.settle('b-tok-2', { ok: true, output: { approverId: 'cmp-1' } });
    await expect(restored.result).resolves.toEqual({ status: 'SUCCEEDED', output: { caseId: 'CASE-1', outcome: 'approved', approvalIds: ['APR-1', 'APR-2'] } });
    // One history across the restart, as one Step Functions execution would have it.
    const expected = [
      ...['AwaitDecision', 'RecordReminder', 'LevelTimedOut', 'Remind', 'AwaitDecision', 'NextStage'],
      ...['AwaitDecision', 'NextStage', 'ApprovalsComplete'],
    ];
    expect(restored.statesEntered).toEqual(expected);
    await second.engine.idle();
    expect(await store.getExecution('exec-2')).toMatchObject({ status: 'succeeded', statesEntered: expected });
  });

  it('continues approval executions persisted by the earlier definition (stage index over `stages`), in today\'s form', async () => {
    const store = await makeStore();
    // As the definition before the chain of stage states persisted them: a task waiting in stage 1 of 2 at level 2
    // after a reminder, and an execution stopped before its first wait (its input as the starter then sent it).
    const old = { caseId: 'CASE-1', resolutionId: 'RES-1', approvalIds: ['APR-1', 'APR-2'], stages: [stage(1), stage(2)] };
    const oldEntered = ['PrepareStages', 'NextStage', 'StartStage', 'AwaitDecision', 'RecordReminder', 'LevelTimedOut', 'CanEscalate', 'EscalateApprover', 'RaiseApproverLevel', 'AwaitDecision'];
    await store.executionStarted({ executionId: 'old-1', workflow: 'approval', input: old, status: 'running', statesEntered: [], startedAt: T0 });
    await store.taskWaiting(
      {
        taskToken: 'old-tok-1',
        workflow: 'approval',
        executionId: 'old-1',
        stateName: 'AwaitDecision',
        stateInput: { ...old, progress: { index: 0, count: 2 }, current: { stage: stage(1), attempt: { level: 2, waitedSeconds: 0, reminders: 0 } } },
        payload: { action: 'AwaitDecision', taskToken: 'old-tok-1', approvalId: 'APR-1', level: 2 },
        startedAt: T0,
        timeoutAt: T0 + 30_000,
        heartbeatSeconds: 10,
        heartbeatAt: T0 + 10_000,
      },
      oldEntered,
    );
    await store.executionStarted({ executionId: 'old-2', workflow: 'approval', input: { ...old, resolutionId: 'RES-2' }, status: 'running', statesEntered: [], startedAt: T0 });

    const { engine, calls } = boot(store, 'b');
    expect(await engine.restore()).toEqual({ resumed: ['old-1'], restarted: ['old-2'] });
    // old-2: restarted from the first state with its input in today's form.
    expect(engine.pendingTasks('old-2')[0]!.payload).toMatchObject({ action: 'AwaitDecision', approvalId: 'APR-1', level: 1 });
    expect((await store.getExecution('old-2'))!.input).toEqual(approvalExecutionInput({ ...old, resolutionId: 'RES-2', stages: old.stages }));
    // old-1: the same token and timers, its level kept; stage 2 follows once stage 1 is approved.
    expect(engine.pendingTasks('old-1')).toEqual([expect.objectContaining({ taskToken: 'old-tok-1', timeoutAt: T0 + 30_000, heartbeatAt: T0 + 10_000 })]);
    expect((await store.pendingTasks()).find((t) => t.executionId === 'old-1')!.stateInput).toEqual({
      ...(approvalInput([stage(1), stage(2)]) as object),
      current: { stage: stage(1), attempt: { level: 2, waitedSeconds: 0, reminders: 0 } },
    });
    await engine.settle(engine.pendingTasks('old-2')[0]!.taskToken, { ok: false, error: 'Rejected', cause: 'not justified' });
    await engine.idle();
    expect(engine.fireDueTimers(T0 + 10_000)).toBe(1); // old-1: a reminder at its level
    await engine.idle();
    expect(calls.find((c) => c.state === 'Remind' && (c.payload as { approvalId: string }).approvalId === 'APR-1')!.payload).toMatchObject({ level: 2, reminders: 1 });
    await engine.settle(engine.pendingTasks('old-1')[0]!.taskToken, { ok: true, output: {} });
    await engine.idle();
    expect(engine.pendingTasks('old-1')[0]!.payload).toMatchObject({ approvalId: 'APR-2', level: 1, reminders: 0 });
    await engine.settle(engine.pendingTasks('old-1')[0]!.taskToken, { ok: true, output: {} });
    await expect(engine.execution('old-1')!.result).resolves.toEqual({ status: 'SUCCEEDED', output: { caseId: 'CASE-1', outcome: 'approved', approvalIds: ['APR-1', 'APR-2'] } });
    expect(engine.execution('old-1')!.statesEntered).toEqual([...oldEntered, 'RecordReminder', 'LevelTimedOut', 'Remind', 'AwaitDecision', 'NextStage', 'AwaitDecision', 'NextStage', 'ApprovalsComplete']);
    // Today's form is left as it is.
    const current = approvalInput();
    expect(approvalUpgrade.input(current)).toBe(current);
    expect(approvalUpgrade.stateInput('AwaitDecision', current)).toBe(current);
  });

  it('a restored task times out at its original instant; a decision right after the restart resumes it', async () => {
    const store = await makeStore();
    const first = boot(store, 'a');
    first.engine.start('escalation', escalationInput, 'esc-1');
    first.engine.start('escalation', { ...escalationInput, escalationId: 'ESC-2' }, 'esc-2');
    await first.engine.idle();
    await first.engine.stop();

    now = T0 + 3_600_000; // the clock moved on while the process was down
    const second = boot(store, 'b');
    expect((await second.engine.restore()).resumed.sort()).toEqual(['esc-1', 'esc-2']);
    const [one, two] = ['esc-1', 'esc-2'].map((id) => second.engine.pendingTasks(id)[0]!);
    expect([one!.timeoutAt, two!.timeoutAt]).toEqual([T0 + 3_600_000, T0 + 3_600_000]);
    await second.engine.settle(two!.taskToken, { ok: true, output: { acknowledgedBy: 'sup-1' } });
    expect(await second.engine.catchUp()).toBe(1); // esc-1 lapsed at its original instant
    expect(second.states()).toEqual(expect.arrayContaining(['EscalationClosed', 'EscalateNextLevel', 'NotifySupervisor', 'AwaitAcknowledgement']));
    expect(second.engine.pendingTasks('esc-1')[0]).toMatchObject({ payload: { level: 2 }, startedAt: T0 + 3_600_000 });
    await expect(second.engine.execution('esc-2')!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect(second.engine.execution('esc-2')!.statesEntered).toEqual(['RecordEscalation', 'NotifySupervisor', 'AwaitAcknowledgement', 'EscalationClosed']);
  });

  it('an execution stopped between two waits restarts from its first state with its input', async () => {
    const store = await makeStore();
    let release!: () => void;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    // The first process stops while a side-effect task and a callback task's function are still running.
    const first = boot(store, 'a', { RecordEscalation: () => hanging, AwaitDecision: () => hanging });
    first.engine.start('escalation', escalationInput, 'esc-3');
    first.engine.start('approval', approvalInput(), 'exec-3');
    await expect(first.engine.idle(50)).rejects.toThrow(/not idle after 50 ms: executions between waits: esc-3 \(in RecordEscalation\), exec-3 \(in AwaitDecision\); 2 handler call\(s\) in flight/);
    await first.engine.stop(20);
    release();
    expect((await store.runningExecutions()).map((e) => e.executionId).sort()).toEqual(['esc-3', 'exec-3']);
    // The callback task is persisted only once its function has returned (stored the token): nothing to resume.
    expect(await store.pendingTasks()).toEqual([]);

    const second = boot(store, 'b');
    expect(await second.engine.restore()).toEqual({ resumed: [], restarted: ['esc-3', 'exec-3'] });
    expect(second.states()).toEqual(expect.arrayContaining(['RecordEscalation', 'NotifySupervisor', 'AwaitAcknowledgement', 'AwaitDecision']));
    expect(second.calls.find((c) => c.state === 'RecordEscalation')!.payload).toEqual({ action: 'RecordEscalation', caseId: 'CASE-1', escalationId: 'ESC-1', trigger: { kind: 'manual' }, level: 1 });
    expect(second.engine.execution('esc-3')!.statesEntered).toEqual(['RecordEscalation', 'NotifySupervisor', 'AwaitAcknowledgement']);
    expect(second.engine.pendingTasks('exec-3')).toEqual([expect.objectContaining({ taskToken: expect.stringMatching(/^b-tok-/), startedAt: T0 })]);
    expect((await store.getExecution('esc-3'))?.statesEntered).toEqual(['RecordEscalation', 'NotifySupervisor', 'AwaitAcknowledgement']);
  });

  it('starts are idempotent per execution id: running, ended, and after a restart', async () => {
    const store = await makeStore();
    const first = boot(store, 'a');
    const once = await first.engine.startOnce('approval', approvalInput(), 'approval-RES-1');
    const again = await Promise.all([first.engine.startOnce('approval', approvalInput(), 'approval-RES-1'), first.engine.startOnce('approval', approvalInput(), 'approval-RES-1')]);
    expect([once.started, ...again.map((a) => a.started)]).toEqual([true, false, false]);
    expect(again[0].execution).toBe(once.execution);
    await first.engine.idle();
    expect(first.states()).toEqual(['AwaitDecision']);
    await first.engine.settle('a-tok-1', { ok: true, output: {} });
    await first.engine.idle();
    expect((await first.engine.startOnce('approval', approvalInput(), 'approval-RES-1')).started).toBe(false);
    expect(first.engine.start('approval', approvalInput(), 'approval-RES-1')).toBe(once.execution); // the in-memory start too

    const second = boot(store, 'b');
    await second.engine.restore();
    expect(await second.engine.startOnce('approval', approvalInput(), 'approval-RES-1')).toEqual({ started: false });
    expect(second.calls).toEqual([]);
    expect(await second.engine.describeExecution('approval-RES-1')).toMatchObject({ status: 'succeeded', statesEntered: APPROVED_AT_ONCE });
    expect(await second.engine.describeExecution('nope')).toBeUndefined();
  });

  it('late token calls after a restart answer like Step Functions: TaskDoesNotExist, TaskTimedOut, InvalidToken', async () => {
    const store = await makeStore();
    const first = boot(store, 'a');
    first.engine.start('approval', approvalInput(), 'exec-4');
    first.engine.start('escalation', escalationInput, 'esc-4');
    await first.engine.idle();
    const token = (executionId: string) => first.engine.pendingTasks(executionId)[0]!.taskToken;
    const [decided, lapsed] = [token('exec-4'), token('esc-4')];
    await first.engine.settle(decided, { ok: false, error: 'Rejected', cause: 'not justified' }); // exec-4 ends
    expect(first.engine.fireDueTimers(T0 + 3_600_000)).toBe(1); // esc-4 times out → the next level waits
    await first.engine.idle();
    const waiting = token('esc-4');
    await first.engine.stop();

    const second = boot(store, 'b');
    expect(await second.engine.restore()).toEqual({ resumed: ['esc-4'], restarted: [] });
    await expect(second.engine.settle(decided, { ok: true, output: {} })).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    await expect(second.engine.settle(lapsed, { ok: true, output: {} })).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(second.engine.heartbeat(lapsed)).rejects.toMatchObject({ name: 'TaskTimedOut' });
    await expect(second.engine.settle('never-minted', { ok: true, output: {} })).rejects.toMatchObject({ name: 'InvalidToken' });
    expect(second.engine.pendingTasks('esc-4')).toEqual([expect.objectContaining({ taskToken: waiting, payload: expect.objectContaining({ level: 2 }) })]);
    await second.engine.settle(waiting, { ok: false, error: 'Waived', cause: 'agreed in writing' });
    await expect(second.engine.settle(waiting, { ok: true, output: {} })).rejects.toMatchObject({ name: 'TaskDoesNotExist' });
    await expect(second.engine.execution('esc-4')!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
  });

  it('catches up in the order timers lapsed: reminders, then the escalation, in one jump of the clock', async () => {
    const store = await makeStore();
    const { engine, states } = boot(store, 'a');
    engine.start('approval', approvalInput([stage(1, { timeoutSeconds: 30, heartbeatSeconds: 10 })]), 'exec-5');
    await engine.idle();
    expect(await engine.catchUp(T0 + 35_000)).toBe(3); // heartbeats lapse at +10, +20 s (reminders), +30 s (the level's timeout)
    expect(states()).toEqual(['AwaitDecision', 'Remind', 'AwaitDecision', 'Remind', 'AwaitDecision', 'EscalateApprover', 'AwaitDecision']);
    expect(engine.pendingTasks('exec-5')[0]).toMatchObject({ startedAt: T0 + 30_000, heartbeatAt: T0 + 40_000, payload: { level: 2 } });
    expect(await engine.catchUp(T0 + 35_000)).toBe(0);
  });

  it('catches each execution up on its own timeline, side by side; an execution a handler starts counts from that handler\'s instant', async () => {
    const store = await makeStore();
    let started = 0;
    const { engine } = boot(store, 'a', {
      // The first reminder of exec-7 starts an escalation (as a task function could start another workflow).
      Remind: (_payload, meta) => {
        if (meta.executionId === 'exec-7' && started++ === 0) engine.start('escalation', escalationInput, 'esc-7');
        return { ok: true };
      },
    });
    engine.start('approval', approvalInput([stage(1, { timeoutSeconds: 30, heartbeatSeconds: 10 })]), 'exec-6');
    await engine.idle();
    now = T0 + 5_000;
    engine.start('approval', approvalInput([stage(1, { timeoutSeconds: 30, heartbeatSeconds: 10 })]), 'exec-7');
    await engine.idle();
    // exec-6 lapses at +10, +20, +30 s and exec-7 at +15, +25, +35 s: each moves on from its own lapse instants.
    now = T0 + 39_000;
    expect(await engine.catchUp(T0 + 39_000)).toBe(6);
    expect(engine.pendingTasks('exec-6')[0]).toMatchObject({ startedAt: T0 + 30_000, heartbeatAt: T0 + 40_000, payload: { level: 2 } });
    expect(engine.pendingTasks('exec-7')[0]).toMatchObject({ startedAt: T0 + 35_000, heartbeatAt: T0 + 45_000, payload: { level: 2 } });
    // Started by exec-7's first reminder (its heartbeat lapsed at +15 s): the escalation counts from then, not from the clock.
    expect(await engine.describeExecution('esc-7')).toMatchObject({ startedAt: T0 + 15_000 });
    expect(engine.pendingTasks('esc-7')[0]).toMatchObject({ startedAt: T0 + 15_000, timeoutAt: T0 + 15_000 + 3_600_000 });
    // After the catch-up the clock's own instant applies again.
    engine.start('escalation', { ...escalationInput, escalationId: 'ESC-8' }, 'esc-8');
    await engine.idle();
    expect(await engine.describeExecution('esc-8')).toMatchObject({ startedAt: T0 + 39_000 });
  });

  it('writes each execution\'s history in order, and different executions\' writes side by side', async () => {
    const inner = await makeStore();
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    const slow =
      <A extends unknown[]>(name: string, write: (...args: A) => Promise<void>, id: (...args: A) => string) =>
      async (...args: A) => {
        inFlight++;
        most = Math.max(most, inFlight);
        order.push(`${id(...args)} ${name}`);
        await new Promise((resolve) => setImmediate(resolve));
        try {
          await write(...args);
        } finally {
          inFlight--;
        }
      };
    const store: WorkflowStore = {
      ...inner,
      getExecution: (id) => inner.getExecution(id),
      runningExecutions: () => inner.runningExecutions(),
      pendingTasks: () => inner.pendingTasks(),
      closedToken: (token) => inner.closedToken(token),
      executionStarted: slow('started', (e) => inner.executionStarted(e), (e) => e.executionId),
      taskWaiting: slow('waiting', (t, s) => inner.taskWaiting(t, s), (t) => t.executionId),
      taskClosed: slow('closed', (t, how) => inner.taskClosed(t, how), (t) => t.executionId),
      executionEnded: slow('ended', (e) => inner.executionEnded(e), (e) => e.executionId),
    };
    const { engine } = boot(store, 'a');
    for (const id of ['exec-a', 'exec-b', 'exec-c']) engine.start('approval', approvalInput(), id);
    await engine.idle();
    for (const task of engine.pendingTasks()) await engine.settle(task.taskToken, { ok: true, output: { approverId: 'sup-1' } });
    await engine.idle();
    await engine.flush();
    expect(most).toBeGreaterThan(1);
    for (const id of ['exec-a', 'exec-b', 'exec-c']) {
      expect(order.filter((line) => line.startsWith(`${id} `))).toEqual([`${id} started`, `${id} waiting`, `${id} closed`, `${id} ended`]);
      expect(await inner.getExecution(id)).toMatchObject({ status: 'succeeded' });
    }
  });
});

describe('LocalWorkflows (the WorkflowEngine port of the local stack)', () => {
  it('starts executions named after the proposal / escalation, maps every Task state to its function, resumes by token', async () => {
    const { local } = await createTestTables();
    const received: { fn: string; event: Record<string, Json>; functionName: string }[] = [];
    const fn = (name: string) => () => async (event: unknown, context: { functionName: string }) => {
      received.push({ fn: name, event: event as Record<string, Json>, functionName: context.functionName });
      return { ok: true };
    };
    const lines: string[] = [];
    const workflows = new LocalWorkflows({
      doc,
      tableName: local,
      clock: { now: () => new Date(T0).toISOString() },
      functions: { approval: fn('approval'), escalation: fn('escalation') },
      log: (line) => lines.push(line),
    });
    workflows.install();
    try {
      const engine = localWorkflowEngine()!;
      await engine.startApproval({ caseId: 'CASE-1', resolutionId: 'RES-9', approvalIds: ['APR-1'], stages: [stage(1)] });
      await engine.startApproval({ caseId: 'CASE-1', resolutionId: 'RES-9', approvalIds: ['APR-1'], stages: [stage(1)] }); // retried: no-op
      await engine.startEscalation({ caseId: 'CASE-1', escalationId: 'ESC-9', trigger: { kind: 'manual' }, level: 1, ackTimeoutSeconds: 60 });
      await workflows.idle();
      expect(received.map((r) => [r.fn, r.event.action, r.functionName])).toEqual(
        expect.arrayContaining([
          ['approval', 'AwaitDecision', 'complaints-local-approval-workflow'],
          ['escalation', 'RecordEscalation', 'complaints-local-escalation-workflow'],
          ['escalation', 'NotifySupervisor', 'complaints-local-escalation-workflow'],
          ['escalation', 'AwaitAcknowledgement', 'complaints-local-escalation-workflow'],
        ]),
      );
      expect(received.filter((r) => r.event.action === 'AwaitDecision')).toHaveLength(1);
      const [task] = workflows.pendingTasks('approval-RES-9');
      expect(received.find((r) => r.event.action === 'AwaitDecision')!.event.taskToken).toBe(task!.taskToken);
      expect(workflows.pendingTasks('escalation-ESC-9')).toHaveLength(1);
      expect(await engine.resume(task!.taskToken, { ok: true, output: { approverId: 'sup-1' } })).toBe('resumed');
      expect(await engine.resume(task!.taskToken, { ok: true, output: {} })).toBe('gone');
      expect(await engine.resume('unknown', { ok: false, error: 'Rejected', cause: '' })).toBe('gone');
      await expect(workflows.execution('approval-RES-9')!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
      await workflows.idle();
      expect(await workflows.describe('approval-RES-9')).toMatchObject({ status: 'succeeded', statesEntered: APPROVED_AT_ONCE });
      expect(lines).toEqual(expect.arrayContaining(['workflow approval-RES-9 AwaitDecision', 'workflow approval-RES-9 succeeded', 'workflow escalation-ESC-9 AwaitAcknowledgement']));
    } finally {
      await workflows.stop();
    }
    await expect(localWorkflowEngine()!.startApproval({ caseId: 'C', resolutionId: 'R', approvalIds: [], stages: [] })).rejects.toThrow(/not running/);
  });
});
