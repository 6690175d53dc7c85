// Workflows survive a restart of the local stack (npm start): a proposal's approval execution waits for its decision,
// the stack stops, a new one starts on the same tables and continues the execution from its waiting task, with the
// same token (stored on the approval by the function before the restart) and the same timers: the decision then
// completes it, and time that passed while the stack was down fires the reminder at its original instant.
import { localClock } from '#adapters/local/local-clock';
import { settle, startTestApi, validComplaint, type TestApi } from '../support/api';

type Role = 'handler' | 'supervisor' | 'admin';
let api: TestApi;
// One set of tables for the whole file: the handlers read their configuration once per process, as in Lambda.
let tables: TestApi['tables'] | undefined;
beforeEach(async () => {
  api = await startTestApi({}, tables ? { tables } : {});
  tables = api.tables;
});
afterEach(() => api.close());

/** The typed client of the running stack (a restart replaces it) as `sub` in `role`. */
const as = async (sub: string, role: Role) => api.client(await api.token(sub, [role]));

const proposeOnNewCase = async () => {
  const opened = await settle((await as('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId: 'olive' }) }));
  expect(opened.status).toBe(201);
  const caseId = opened.body.id as string;
  const proposed = await settle(
    (await as('olive', 'handler')).POST('/v1/complaints/{id}/resolution', {
      params: { path: { id: caseId } },
      body: {
        decision: 'upheld',
        remedy: { compensation: { amount: '300.00', currency: 'GBP' }, description: 'Compensation for the missed appointment' },
        rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity' },
        finalResponse: 'We uphold your complaint and will pay you compensation.',
      },
    }),
  );
  expect(proposed.status).toBe(201);
  await api.pump();
  const executionId = `approval-${proposed.body.id}`;
  const [task] = api.workflows.pendingTasks(executionId);
  expect(task).toMatchObject({ stateName: 'AwaitDecision', taskToken: expect.any(String) });
  return { caseId, executionId, task: task! };
};

/** Stops the stack (executions stay running in the store) and starts a new one on the same tables. */
const restart = async (whileDown: () => void = () => undefined) => {
  await api.close();
  whileDown();
  api = await startTestApi({}, { tables: api.tables });
};

const pendingApproval = async (caseId: string) => {
  const res = await settle((await as('audit-admin', 'admin')).GET('/v1/approvals', { params: { query: { status: 'pending', limit: 100 } } }));
  return (res.body.items as { id: string; caseId: string }[]).find((a) => a.caseId === caseId)!;
};

describe('approval workflow across a restart of the local stack', () => {
  it('continues from the waiting decision with the same token and timers; the decision completes it', async () => {
    const { caseId, executionId, task } = await proposeOnNewCase();
    const before = api.workflows.execution(executionId)!.statesEntered.slice();

    await restart();
    expect(api.stack.restoredWorkflows.resumed).toContain(executionId);
    expect(api.workflows.pendingTasks(executionId)).toEqual([
      expect.objectContaining({ taskToken: task.taskToken, startedAt: task.startedAt, timeoutAt: task.timeoutAt, heartbeatAt: task.heartbeatAt }),
    ]);
    expect(api.workflows.execution(executionId)!.statesEntered).toEqual(before);

    const stage = await pendingApproval(caseId);
    const decided = await settle((await as('sue', 'supervisor')).POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId: stage.id } }, body: { decision: 'approve' } }));
    expect(decided.status).toBe(200);
    await api.pump();
    await expect(api.workflows.execution(executionId)!.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { outcome: 'approved' } });
    // One history across the restart: a one-stage approval decided in time.
    const path = ['AwaitDecision', 'NextStage', 'ApprovalsComplete'];
    expect(api.workflows.execution(executionId)!.statesEntered).toEqual(path);
    expect(await api.workflows.describe(executionId)).toMatchObject({ status: 'succeeded', statesEntered: path });
    expect((await settle((await as('sam', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id: caseId } } }))).body.resolution).toMatchObject({ status: 'approved' });
    expect(await api.workflows.resume(task.taskToken, { ok: true, output: {} })).toBe('gone');
  });

  it('time that passed while the stack was down fires the reminder at its original instant', async () => {
    const { caseId, executionId, task } = await proposeOnNewCase();
    expect(task.heartbeatAt).toBeGreaterThan(task.startedAt);

    await restart(() => localClock.advance(task.heartbeatAt! - task.startedAt + 3_600_000)); // down for the reminder interval + 1 h
    expect(api.stack.restoredWorkflows.resumed).toContain(executionId);
    const actions = ((await settle((await as('sam', 'supervisor')).GET('/v1/complaints/{id}/timeline', { params: { path: { id: caseId } } }))).body.items as { action: string }[]).map((e) => e.action);
    expect(actions).toContain('approval.reminded');
    const [next] = api.workflows.pendingTasks(executionId);
    expect(next).toMatchObject({ stateName: 'AwaitDecision', startedAt: task.heartbeatAt }); // the next wait counts from the lapse
    expect(next!.taskToken).not.toBe(task.taskToken);
    expect(api.workflows.execution(executionId)!.statesEntered).toEqual(['AwaitDecision', 'RecordReminder', 'LevelTimedOut', 'Remind', 'AwaitDecision']);
  });
});
