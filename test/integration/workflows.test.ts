// The approval and escalation workflows: the ASL that the CDK builders synthesise is valid (asl-validator) and runs
// in-process on aws-local-stepfunctions, every Task state mapped by name to an in-test handler. Task tokens, timeouts
// and heartbeats are emulated: a callback handler mints a token and returns a promise the test settles. Nothing sleeps.
import '../../workflows/local/polyfill';
import aslValidator from 'asl-validator';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  APPROVAL_FUNCTION_KEYS,
  APPROVAL_STATES,
  type AslDefinition,
  ESCALATION_STATES,
  type Json,
  approvalAsl,
  approvalDefinition,
  escalationAsl,
  synthesizeAsl,
  taskStates,
} from '../../workflows';
import { LocalWorkflowEngine, TaskTokenError } from '../../workflows/local/engine';
import { approvalExecutionInput } from '#schemas/workflow-steps';
import { LOCAL_TASK_TOKEN_PLACEHOLDER, type LocalCallbackInput, localRunContext, localizeAsl, withTaskToken } from '../../workflows/local/localize';

const approval = approvalAsl();
const escalation = escalationAsl();

const named = (name: string, message = ''): Error => Object.assign(new Error(message), { name });

/** Lets pending promise callbacks and timers-at-zero run (the interpreter hops through several per state). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const until = async <T>(probe: () => T | undefined, what: string): Promise<T> => {
  for (let i = 0; i < 500; i += 1) {
    const value = probe();
    if (value !== undefined) return value;
    await settle();
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('workflow definitions', () => {
  it.each([
    ['approval', approval],
    ['escalation', escalation],
  ])('%s: the synthesised ASL is valid for asl-validator (ARNs and paths checked)', (_name, asl) => {
    const result = aslValidator(structuredClone(asl), { checkArn: true, checkPaths: true });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('the export is the CDK builder: deterministic, and only the function ARNs differ from a stack with other functions', () => {
    expect(approvalAsl()).toEqual(approval);
    const arn = (key: string) => `arn:aws:lambda:us-east-2:123456789012:function:prod-${key}`;
    const deployed = synthesizeAsl((stack) => {
      const fns = Object.fromEntries(APPROVAL_FUNCTION_KEYS.map((k) => [k, LambdaFunction.fromFunctionArn(stack, `Real-${k}`, arn(k))]));
      return approvalDefinition(new Construct(stack, 'Deployed'), fns as never);
    });
    const placeholders = JSON.stringify(approval).replace(/arn:aws:lambda:eu-west-1:000000000000:function:approval-(\w+)/g, (_m, key: string) => arn(key));
    expect(JSON.parse(placeholders)).toEqual(deployed);
  });

  it.each([
    ['approval', approval],
    ['escalation', escalation],
  ])('%s: JSONPath only, every Task has a timeout, callback tasks pass $$.Task.Token', (_name, asl) => {
    expect(JSON.stringify(asl)).not.toContain('JSONata');
    for (const [name, state] of taskStates(asl)) {
      expect([name, state.TimeoutSeconds ?? state.TimeoutSecondsPath]).toEqual([name, expect.anything()]);
      if (state.Resource?.endsWith('.waitForTaskToken')) {
        expect((state.Parameters as { Payload: Record<string, string> }).Payload['taskToken.$']).toBe('$$.Task.Token');
      }
    }
  });

  it('a lapsed heartbeat is caught before the timeout (Step Functions matches States.HeartbeatTimeout to both)', () => {
    const catchers = approval.States[APPROVAL_STATES.awaitDecision]!.Catch!.map((c) => c.ErrorEquals[0]);
    expect(catchers.indexOf('States.HeartbeatTimeout')).toBeLessThan(catchers.indexOf('States.Timeout'));
    const state = approval.States[APPROVAL_STATES.awaitDecision]!;
    expect([state.TimeoutSecondsPath, state.HeartbeatSecondsPath]).toEqual(['$.current.stage.timeoutSeconds', '$.current.stage.heartbeatSeconds']);
  });

  it('localizing moves the callback timers into the parameters and leaves every other state as it is', () => {
    const local = localizeAsl(approval);
    const task = local.States[APPROVAL_STATES.awaitDecision]!;
    expect(task.TimeoutSecondsPath).toBeUndefined();
    expect(task.HeartbeatSecondsPath).toBeUndefined();
    expect(task.Parameters).toEqual({
      localParameters: approval.States[APPROVAL_STATES.awaitDecision]!.Parameters,
      localTimers: { 'timeoutSeconds.$': '$.current.stage.timeoutSeconds', 'heartbeatSeconds.$': '$.current.stage.heartbeatSeconds' },
    });
    const others = (d: AslDefinition) => Object.entries(d.States).filter(([n]) => n !== APPROVAL_STATES.awaitDecision);
    expect(others(local)).toEqual(others(approval));
    expect(approval.States[APPROVAL_STATES.awaitDecision]!.TimeoutSecondsPath).toBeDefined(); // the export is untouched
  });
});

/** Runs an exported ASL on the interpreter directly, every Task state overridden by name. */
const interpret = (asl: AslDefinition, callbackState: string) => {
  const calls: { state: string; payload: Record<string, Json> }[] = [];
  const waiting: { token: string; payload: Record<string, Json>; resolve: (v: Json) => void; reject: (e: Error) => void }[] = [];
  let minted = 0;
  const handlers = Object.fromEntries(
    taskStates(asl).map(([name]) => [
      name,
      name === callbackState
        ? (input: Json) => {
            const token = `token-${(minted += 1)}`;
            const { Payload } = withTaskToken((input as unknown as LocalCallbackInput).localParameters, token) as { Payload: Record<string, Json> };
            calls.push({ state: name, payload: Payload });
            return new Promise<Json>((resolve, reject) => waiting.push({ token, payload: Payload, resolve, reject }));
          }
        : (input: Json) => {
            calls.push({ state: name, payload: (input as { Payload: Record<string, Json> }).Payload });
            return { StatusCode: 200, Payload: null };
          },
    ]),
  );
  const retryIntervalOverrides = Object.fromEntries(taskStates(asl).map(([name]) => [name, 0]));
  const waitTimeOverrides = Object.fromEntries(Object.entries(asl.States).filter(([, s]) => s.Type === 'Wait').map(([n]) => [n, 0]));
  const start = (input: Json) =>
    new StateMachine(localizeAsl(asl) as unknown as StateMachineDefinition).run(input, {
      context: localRunContext(),
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides, waitTimeOverrides },
    }).result;
  /** The next callback task (in the order they started); resolves once the interpreter has reached it. */
  const next = async () => {
    const task = await until(() => waiting.shift(), `${callbackState} to be entered`);
    return {
      payload: task.payload,
      token: task.token,
      succeed: (output: Json) => task.resolve(output),
      fail: (error: string, cause = '') => task.reject(named(error, cause)),
    };
  };
  return { start, next, calls, states: () => calls.map((c) => c.state), pending: () => waiting.length };
};

const stage = (n: number, overrides: Partial<Record<string, Json>> = {}) => ({
  stage: n === 1 ? 'supervisor' : 'compliance',
  role: n === 1 ? 'supervisor' : 'compliance',
  approvalId: `APR-${n}`,
  timeoutSeconds: 30,
  heartbeatSeconds: 10,
  ...overrides,
});
/** The execution input the starter builds: the chain of stage states. */
const approvalInput = (stages = [stage(1), stage(2)]) =>
  approvalExecutionInput({ caseId: 'CASE-1', approvalIds: stages.map((s) => s.approvalId), stages: stages as never }) as unknown as Json;

describe('approval workflow on aws-local-stepfunctions', () => {
  it('two stages approved in order → ApprovalsComplete', async () => {
    const run = interpret(approval, APPROVAL_STATES.awaitDecision);
    const result = run.start(approvalInput());
    const first = await run.next();
    expect(first.payload).toEqual({
      action: 'AwaitDecision',
      taskToken: first.token,
      caseId: 'CASE-1',
      approvalId: 'APR-1',
      stage: 'supervisor',
      role: 'supervisor',
      level: 1,
      reminders: 0,
      timeoutSeconds: 30,
      heartbeatSeconds: 10,
    });
    expect(first.token).not.toBe(LOCAL_TASK_TOKEN_PLACEHOLDER);
    first.succeed({ approverId: 'sup-1' });
    const second = await run.next();
    expect(second.payload).toMatchObject({ approvalId: 'APR-2', stage: 'compliance', level: 1 });
    second.succeed({ approverId: 'cmp-1' });
    await expect(result).resolves.toEqual({ caseId: 'CASE-1', outcome: 'approved', approvalIds: ['APR-1', 'APR-2'] });
    expect(run.states()).toEqual(['AwaitDecision', 'AwaitDecision', 'ApprovalsComplete']);
    expect(run.calls.at(-1)!.payload).toEqual({ action: 'ApprovalsComplete', caseId: 'CASE-1', approvalIds: ['APR-1', 'APR-2'] });
  });

  it('the execution input is the chain of stage states, each at level 1, ending in the output; no stages, no workflow', () => {
    const attempt = { level: 1, waitedSeconds: 0, reminders: 0 };
    expect(approvalInput()).toEqual({
      caseId: 'CASE-1',
      current: { stage: stage(1), attempt },
      next: { caseId: 'CASE-1', current: { stage: stage(2), attempt }, next: { caseId: 'CASE-1', outcome: 'approved', approvalIds: ['APR-1', 'APR-2'] } },
    });
    // The domain starts none for a proposal without stages (ResolutionService.approvalWorkflowFor).
    expect(() => approvalInput([])).toThrow(/at least one stage/);
  });

  it('a rejection at stage 1 → ReturnToOwner with the comment, and stage 2 never starts', async () => {
    const run = interpret(approval, APPROVAL_STATES.awaitDecision);
    const result = run.start(approvalInput());
    (await run.next()).fail('Rejected', 'compensation exceeds the policy cap');
    await expect(result).resolves.toEqual({
      caseId: 'CASE-1',
      outcome: 'rejected',
      approvalId: 'APR-1',
      level: 1,
      reason: 'Rejected',
      comment: 'compensation exceeds the policy cap',
    });
    expect(run.states()).toEqual(['AwaitDecision', 'ReturnToOwner']);
    expect(run.calls[1]!.payload).toMatchObject({ action: 'ReturnToOwner', approvalId: 'APR-1', reason: 'Rejected', comment: 'compensation exceeds the policy cap' });
    expect(run.calls.some((c) => c.payload.approvalId === 'APR-2')).toBe(false);
  });

  it('a timeout → EscalateApprover, then a decision at the next level completes the stage', async () => {
    const run = interpret(approval, APPROVAL_STATES.awaitDecision);
    const result = run.start(approvalInput([stage(1)]));
    (await run.next()).fail('States.Timeout', 'no decision');
    const escalated = await run.next();
    expect(escalated.payload).toMatchObject({ approvalId: 'APR-1', level: 2, reminders: 0 });
    escalated.succeed({ approverId: 'head-1' });
    await expect(result).resolves.toMatchObject({ outcome: 'approved' });
    expect(run.states()).toEqual(['AwaitDecision', 'EscalateApprover', 'AwaitDecision', 'ApprovalsComplete']);
    expect(run.calls[1]!.payload).toEqual({ action: 'EscalateApprover', caseId: 'CASE-1', approvalId: 'APR-1', stage: 'supervisor', role: 'supervisor', fromLevel: 1, toLevel: 2 });
  });

  it('a lapsed heartbeat → Remind and wait again; reminders adding up to the timeout escalate', async () => {
    const run = interpret(approval, APPROVAL_STATES.awaitDecision);
    const result = run.start(approvalInput([stage(1)]));
    (await run.next()).fail('States.HeartbeatTimeout');
    const reminded = await run.next();
    expect(reminded.payload).toMatchObject({ level: 1, reminders: 1 });
    reminded.fail('States.HeartbeatTimeout');
    (await run.next()).fail('States.HeartbeatTimeout'); // 3 × 10 s = the 30 s stage timeout
    const escalated = await run.next();
    expect(escalated.payload).toMatchObject({ level: 2, reminders: 0 });
    escalated.succeed({ approverId: 'head-1' });
    await expect(result).resolves.toMatchObject({ outcome: 'approved' });
    expect(run.states()).toEqual(['AwaitDecision', 'Remind', 'AwaitDecision', 'Remind', 'AwaitDecision', 'EscalateApprover', 'AwaitDecision', 'ApprovalsComplete']);
  });

  it('no decision at the highest level → returned to the owner as expired', async () => {
    const run = interpret(approval, APPROVAL_STATES.awaitDecision);
    const result = run.start(approvalInput());
    for (let level = 1; level <= 3; level += 1) {
      const task = await run.next();
      expect(task.payload.level).toBe(level);
      task.fail('States.Timeout');
    }
    await expect(result).resolves.toMatchObject({ outcome: 'rejected', approvalId: 'APR-1', level: 3, reason: 'ApprovalExpired' });
    expect(run.states().filter((s) => s === 'EscalateApprover')).toHaveLength(2);
    expect(run.states().at(-1)).toBe('ReturnToOwner');
  });

  it('an unexpected task error fails the execution (not taken for a rejection)', async () => {
    const run = interpret(approval, APPROVAL_STATES.awaitDecision);
    const result = run.start(approvalInput());
    (await run.next()).fail('Lambda.Unknown', 'boom');
    await expect(result).rejects.toMatchObject({ name: 'ExecutionError', cause: { name: 'Lambda.Unknown' } });
  });
});

const escalationInput = { caseId: 'CASE-1', escalationId: 'ESC-1', trigger: { kind: 'checkpoint', percent: 75 }, level: 1, ackTimeoutSeconds: 3600 };

describe('escalation workflow on aws-local-stepfunctions', () => {
  it('acknowledged → EscalationClosed', async () => {
    const run = interpret(escalation, ESCALATION_STATES.awaitAcknowledgement);
    const result = run.start(escalationInput);
    const ack = await run.next();
    expect(ack.payload).toEqual({ action: 'AwaitAcknowledgement', taskToken: ack.token, caseId: 'CASE-1', escalationId: 'ESC-1', level: 1, ackTimeoutSeconds: 3600 });
    ack.succeed({ acknowledgedBy: 'sup-1' });
    await result;
    expect(run.states()).toEqual(['RecordEscalation', 'NotifySupervisor', 'AwaitAcknowledgement', 'EscalationClosed']);
    expect(run.calls[0]!.payload).toEqual({ action: 'RecordEscalation', caseId: 'CASE-1', escalationId: 'ESC-1', trigger: { kind: 'checkpoint', percent: 75 }, level: 1 });
    expect(run.calls.at(-1)!.payload).toEqual({ action: 'EscalationClosed', caseId: 'CASE-1', escalationId: 'ESC-1', level: 1, acknowledgement: { acknowledgedBy: 'sup-1' } });
  });

  it('a timeout → EscalateNextLevel, the next level is notified and its acknowledgement closes it', async () => {
    const run = interpret(escalation, ESCALATION_STATES.awaitAcknowledgement);
    const result = run.start(escalationInput);
    (await run.next()).fail('States.Timeout', 'no acknowledgement');
    const next = await run.next();
    expect(next.payload).toMatchObject({ level: 2 });
    next.succeed({ acknowledgedBy: 'head-1' });
    await result;
    expect(run.states()).toEqual(['RecordEscalation', 'NotifySupervisor', 'AwaitAcknowledgement', 'EscalateNextLevel', 'NotifySupervisor', 'AwaitAcknowledgement', 'EscalationClosed']);
    expect(run.calls[3]!.payload).toEqual({ action: 'EscalateNextLevel', caseId: 'CASE-1', escalationId: 'ESC-1', fromLevel: 1, toLevel: 2 });
    expect(run.calls[4]!.payload).toMatchObject({ action: 'NotifySupervisor', level: 2 });
  });

  it('unacknowledged at the highest level → closed with the timeout as the acknowledgement', async () => {
    const run = interpret(escalation, ESCALATION_STATES.awaitAcknowledgement);
    const result = run.start(escalationInput);
    for (let level = 1; level <= 3; level += 1) (await run.next()).fail('States.Timeout', 'no acknowledgement');
    await result;
    expect(run.states().filter((s) => s === 'EscalateNextLevel')).toHaveLength(2);
    expect(run.calls.at(-1)!.payload).toEqual({
      action: 'EscalationClosed',
      caseId: 'CASE-1',
      escalationId: 'ESC-1',
      level: 3,
      acknowledgement: { Error: 'States.Timeout', Cause: 'no acknowledgement' },
    });
  });

  it('a waiver stops the escalation', async () => {
    const run = interpret(escalation, ESCALATION_STATES.awaitAcknowledgement);
    const result = run.start(escalationInput);
    (await run.next()).fail('Waived', 'customer agreed to the revised date in writing');
    await result;
    expect(run.states().at(-1)).toBe('EscalationClosed');
    expect(run.calls.at(-1)!.payload.acknowledgement).toEqual({ Error: 'Waived', Cause: 'customer agreed to the revised date in writing' });
  });
});

describe('LocalWorkflowEngine', () => {
  const T0 = Date.parse('2026-11-02T09:00:00.000Z');
  const setup = () => {
    let now = T0;
    const clock = { now: () => new Date(now).toISOString() };
    let minted = 0;
    const engine = new LocalWorkflowEngine({ clock, mintToken: () => `tok-${(minted += 1)}` });
    const log: { state: string; payload: Json; token?: string }[] = [];
    const record = (payload: Json, meta: { stateName: string; taskToken?: string }) => {
      log.push({ state: meta.stateName, payload, ...(meta.taskToken ? { token: meta.taskToken } : {}) });
      return { ok: true };
    };
    const handlers = (asl: AslDefinition) => Object.fromEntries(taskStates(asl).map(([n]) => [n, record]));
    engine.register('approval', approval, handlers(approval));
    engine.register('escalation', escalation, handlers(escalation));
    const advance = (seconds: number) => {
      now += seconds * 1000;
      return engine.fireDueTimers();
    };
    const pending = (executionId: string) => until(() => engine.pendingTasks(executionId)[0], 'a pending task');
    return { engine, log, advance, pending };
  };

  it('refuses a workflow with a Task state that has no handler', () => {
    expect(() => new LocalWorkflowEngine().register('approval', approval, {})).toThrow(/no local handler for Task state\(s\) AwaitDecision, .*ApprovalsComplete/);
  });

  it('hands the approval function a minted token; a decision resumes the execution exactly once', async () => {
    const { engine, log, pending } = setup();
    const execution = engine.start('approval', approvalInput([stage(1)]), 'exec-1');
    const task = await pending('exec-1');
    expect(task).toMatchObject({ taskToken: 'tok-1', stateName: 'AwaitDecision', startedAt: T0, timeoutAt: T0 + 30_000, heartbeatAt: T0 + 10_000 });
    expect(log[0]).toMatchObject({ state: 'AwaitDecision', token: 'tok-1', payload: { taskToken: 'tok-1', approvalId: 'APR-1' } });
    engine.sendTaskSuccess('tok-1', { approverId: 'sup-1' });
    expect(() => engine.sendTaskSuccess('tok-1', {})).toThrow(expect.objectContaining({ name: 'TaskDoesNotExist' }));
    expect(() => engine.sendTaskFailure('nope', 'Rejected')).toThrow(TaskTokenError);
    await expect(execution.result).resolves.toEqual({ status: 'SUCCEEDED', output: { caseId: 'CASE-1', outcome: 'approved', approvalIds: ['APR-1'] } });
    // State transitions of a one-stage approval (Step Functions bills each state entered).
    expect(execution.statesEntered).toEqual(['AwaitDecision', 'NextStage', 'ApprovalsComplete']);
    expect(engine.pendingTasks()).toEqual([]);
  });

  it('drives heartbeats and timeouts from its clock; a decision after the timeout is refused', async () => {
    const { engine, log, advance, pending } = setup();
    const execution = engine.start('approval', approvalInput([stage(1, { timeoutSeconds: 20, heartbeatSeconds: 10 })]), 'exec-2');
    await pending('exec-2');
    expect(advance(9)).toBe(0);
    engine.sendTaskHeartbeat('tok-1'); // resets the heartbeat: due at +19 s, before the +20 s timeout
    expect(advance(9)).toBe(0);
    expect(advance(1)).toBe(1); // +19 s: heartbeat lapsed → Remind
    expect(() => engine.sendTaskSuccess('tok-1', {})).toThrow(expect.objectContaining({ name: 'TaskTimedOut' }));
    const reminded = await until(() => engine.pendingTasks('exec-2').find((t) => t.taskToken === 'tok-2'), 'the reminded task');
    expect(reminded.payload).toMatchObject({ reminders: 1, level: 1 });
    expect(log.map((l) => l.state)).toEqual(['AwaitDecision', 'Remind', 'AwaitDecision']);
    expect(advance(10)).toBe(1); // waited 20 s ≥ 20 s → escalate
    const escalated = await until(() => engine.pendingTasks('exec-2').find((t) => t.taskToken === 'tok-3'), 'the escalated task');
    expect(escalated.payload).toMatchObject({ level: 2, reminders: 0 });
    engine.sendTaskFailure('tok-3', 'Rejected', 'not justified');
    await expect(execution.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { outcome: 'rejected', level: 2, comment: 'not justified' } });
    expect(log.map((l) => l.state)).toEqual(['AwaitDecision', 'Remind', 'AwaitDecision', 'EscalateApprover', 'AwaitDecision', 'ReturnToOwner']);
  });

  it('runs the escalation: a timeout on the clock escalates, an acknowledgement closes', async () => {
    const { engine, log, advance, pending } = setup();
    const execution = engine.start('escalation', escalationInput, 'exec-3');
    expect((await pending('exec-3')).timeoutAt).toBe(T0 + 3_600_000);
    expect(engine.pendingTasks('exec-3').map((t) => t.timeoutAt)).toEqual([T0 + 3_600_000]);
    expect(advance(3600)).toBe(1);
    const next = await until(() => engine.pendingTasks('exec-3').find((t) => t.taskToken === 'tok-2'), 'the next level');
    expect(next.payload).toMatchObject({ level: 2 });
    engine.sendTaskSuccess('tok-2', { acknowledgedBy: 'head-1' });
    await expect(execution.result).resolves.toMatchObject({ status: 'SUCCEEDED' });
    expect(log.map((l) => l.state)).toEqual(['RecordEscalation', 'NotifySupervisor', 'AwaitAcknowledgement', 'EscalateNextLevel', 'NotifySupervisor', 'AwaitAcknowledgement', 'EscalationClosed']);
  });

  it('fails the task with the error of a callback handler that throws; stop() aborts what still runs', async () => {
    const engine = new LocalWorkflowEngine();
    const ok = () => ({});
    const handlers = Object.fromEntries(taskStates(approval).map(([n]) => [n, ok]));
    engine.register('failing', approval, { ...handlers, AwaitDecision: () => Promise.reject(named('Lambda.Unknown', 'store failed')) });
    await expect(engine.start('failing', approvalInput()).result).resolves.toEqual({ status: 'FAILED', error: 'Lambda.Unknown', cause: 'store failed' });
    engine.register('waiting', approval, handlers);
    const execution = engine.start('waiting', approvalInput(), 'exec-4');
    await until(() => engine.pendingTasks('exec-4')[0], 'a pending task');
    await engine.stop();
    await expect(execution.result).resolves.toEqual({ status: 'ABORTED' });
    expect(engine.pendingTasks()).toEqual([]);
  });
});

describe('approval workflow: states entered per path (Step Functions Standard bills each state entered)', () => {
  // Pinned so that a change to the definition cannot grow the bill unnoticed: 1 + 2 per stage when approved, a reminder
  // 4 more, a level climbed at the level's timeout 6 more (its last heartbeat lapse counts the wait). Measured per path
  // on the local stack by `npm run bench` (phase workflows); the cost bench bills them.
  const T0 = Date.parse('2026-11-02T09:00:00.000Z');
  type Step = 'approve' | 'reject' | 'lapse';
  const enter = async (stages: ReturnType<typeof stage>[], steps: Step[]) => {
    let now = T0;
    let minted = 0;
    const engine = new LocalWorkflowEngine({ clock: { now: () => new Date(now).toISOString() }, mintToken: () => `tok-${(minted += 1)}` });
    engine.register('approval', approval, Object.fromEntries(taskStates(approval).map(([n]) => [n, () => ({ ok: true })])));
    const execution = engine.start('approval', approvalInput(stages), 'exec');
    for (const [i, step] of steps.entries()) {
      // Each step acts on the next decision task (a reminder or a new level mints the next token).
      const task = await until(() => engine.pendingTasks('exec').find((t) => t.taskToken === `tok-${i + 1}`), `decision task ${i + 1}`);
      if (step === 'approve') engine.sendTaskSuccess(task.taskToken, { approverId: 'x' });
      else if (step === 'reject') engine.sendTaskFailure(task.taskToken, 'Rejected', 'not justified');
      else {
        now = task.heartbeatAt!;
        expect(engine.fireDueTimers()).toBe(1);
      }
    }
    const outcome = await execution.result;
    return { outcome, entered: execution.statesEntered };
  };
  const lapsing = stage(1, { timeoutSeconds: 20, heartbeatSeconds: 10 });

  it.each<[string, ReturnType<typeof stage>[], Step[], string[], string]>([
    ['approved, one stage: 3', [stage(1)], ['approve'], ['AwaitDecision', 'NextStage', 'ApprovalsComplete'], 'approved'],
    ['approved, two stages: 5', [stage(1), stage(2)], ['approve', 'approve'], ['AwaitDecision', 'NextStage', 'AwaitDecision', 'NextStage', 'ApprovalsComplete'], 'approved'],
    ['rejected at stage 1 (stage 2 never starts): 3', [stage(1), stage(2)], ['reject'], ['AwaitDecision', 'ReturnToOwner', 'ApprovalRejected'], 'rejected'],
    [
      'one reminder, then approved: 7',
      [lapsing],
      ['lapse', 'approve'],
      ['AwaitDecision', 'RecordReminder', 'LevelTimedOut', 'Remind', 'AwaitDecision', 'NextStage', 'ApprovalsComplete'],
      'approved',
    ],
    [
      'one reminder, escalated once at the level\'s timeout, then approved: 13',
      [lapsing],
      ['lapse', 'lapse', 'approve'],
      [
        ...['AwaitDecision', 'RecordReminder', 'LevelTimedOut', 'Remind'],
        ...['AwaitDecision', 'RecordReminder', 'LevelTimedOut', 'CanEscalate', 'EscalateApprover', 'RaiseApproverLevel'],
        ...['AwaitDecision', 'NextStage', 'ApprovalsComplete'],
      ],
      'approved',
    ],
  ])('%s', async (_title, stages, steps, expected, outcome) => {
    const run = await enter(stages, steps);
    expect(run.outcome).toMatchObject({ status: 'SUCCEEDED', output: { outcome } });
    expect(run.entered).toEqual(expected);
  });
});
