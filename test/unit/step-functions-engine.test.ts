// The Step Functions engine's requests (pure: no client call is made or mocked).
import { StepFunctionsEngine } from '#adapters/aws/step-functions';

describe('StepFunctionsEngine', () => {
  it('names each approval execution after its proposal, so a retried start cannot run the approvals twice', () => {
    const engine = new StepFunctionsEngine({} as never, { approvalStateMachineArn: 'arn:aws:states:eu-west-2:123456789012:stateMachine:complaints-approval' });
    const stage = { stage: 1, role: 'supervisor', approvalId: '01K00000000000000000000003', timeoutSeconds: 172_800, heartbeatSeconds: 86_400 };
    const req = engine.startRequest({ caseId: '01K00000000000000000000001', resolutionId: '01K00000000000000000000002', approvalIds: [stage.approvalId], stages: [stage] });
    expect(req.name).toBe('approval-01K00000000000000000000002');
    expect(req.name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    // The definition's input: the chain of stage states (approvalExecutionInput), the first stage at level 1.
    expect(JSON.parse(req.input)).toEqual({
      caseId: '01K00000000000000000000001',
      resolutionId: '01K00000000000000000000002',
      current: { stage, attempt: { level: 1, waitedSeconds: 0, reminders: 0 } },
      next: { caseId: '01K00000000000000000000001', outcome: 'approved', approvalIds: [stage.approvalId] },
    });
  });

  it('names each escalation execution after the escalation; a machine that is not configured is a clear error', () => {
    const engine = new StepFunctionsEngine({} as never, { escalationStateMachineArn: 'arn:aws:states:eu-west-2:123456789012:stateMachine:complaints-escalation' });
    const req = engine.escalationRequest({ caseId: '01K00000000000000000000001', escalationId: '01K00000000000000000000003', trigger: { kind: 'manual' }, level: 1, ackTimeoutSeconds: 86_400 });
    expect(req).toMatchObject({ stateMachineArn: 'arn:aws:states:eu-west-2:123456789012:stateMachine:complaints-escalation', name: 'escalation-01K00000000000000000000003' });
    expect(req.name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(JSON.parse(req.input)).toEqual({ caseId: '01K00000000000000000000001', escalationId: '01K00000000000000000000003', trigger: { kind: 'manual' }, level: 1, ackTimeoutSeconds: 86_400 });
    expect(() => engine.startRequest({ caseId: 'c', resolutionId: 'r', approvalIds: [], stages: [] })).toThrow(/APPROVAL_STATE_MACHINE_ARN/);
  });
});
