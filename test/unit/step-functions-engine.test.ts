// The Step Functions engine's requests (pure: no client call is made or mocked).
import { StepFunctionsEngine } from '#adapters/aws/step-functions';

describe('StepFunctionsEngine', () => {
  it('names each approval execution after its proposal, so a retried start cannot run the approvals twice', () => {
    const engine = new StepFunctionsEngine({} as never, { approvalStateMachineArn: 'arn:aws:states:eu-west-2:123456789012:stateMachine:complaints-approval' });
    const req = engine.startRequest({ caseId: '01K00000000000000000000001', resolutionId: '01K00000000000000000000002', approvalIds: [], stages: [] });
    expect(req.name).toBe('approval-01K00000000000000000000002');
    expect(req.name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
    expect(JSON.parse(req.input)).toMatchObject({ caseId: '01K00000000000000000000001', resolutionId: '01K00000000000000000000002' });
  });
});
