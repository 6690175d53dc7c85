// CodeDeploy and CodePipeline state changes as change records (pure): succeeded ones become changes with their own id
// (idempotent under EventBridge redelivery), every other state or shape is ignored.
import { changeFromPipelineEvent } from '#domain/problems/pipeline-events';
import { changeIdOf } from '#domain/problems/signal-service';

const deploy = (state: string) => ({
  source: 'aws.codedeploy',
  'detail-type': 'CodeDeploy Deployment State-change Notification',
  time: '2026-11-20T14:05:00Z',
  detail: { deploymentId: 'd-ABC123XYZ', application: 'payments-api', deploymentGroup: 'prod', state, region: 'eu-west-2' },
});
const pipeline = (state: string) => ({
  source: 'aws.codepipeline',
  'detail-type': 'CodePipeline Pipeline Execution State Change',
  time: '2026-11-20T15:00:00Z',
  detail: { pipeline: 'mobile-app-release', 'execution-id': '01234567-89ab-cdef-0123-456789abcdef', state, version: 3 },
});

describe('changeFromPipelineEvent', () => {
  it('a succeeded CodeDeploy deployment is a deployment change at the event time, keyed by its deployment id', () => {
    expect(changeFromPipelineEvent(deploy('SUCCESS'))).toEqual({ title: 'Deployment d-ABC123XYZ of payments-api to prod', kind: 'deployment', at: '2026-11-20T14:05:00Z', source: 'codedeploy', externalId: 'd-ABC123XYZ' });
  });

  it('a succeeded CodePipeline execution is a deployment change keyed by its execution id', () => {
    expect(changeFromPipelineEvent(pipeline('SUCCEEDED'))).toMatchObject({ source: 'codepipeline', externalId: '01234567-89ab-cdef-0123-456789abcdef', at: '2026-11-20T15:00:00Z' });
  });

  it.each([deploy('START'), deploy('FAILURE'), pipeline('STARTED'), pipeline('FAILED'), { source: 'aws.ec2' }, null, 'constructor', { ...deploy('SUCCESS'), time: 'yesterday' }])('ignores %j', (event) => {
    expect(changeFromPipelineEvent(event)).toBeUndefined();
  });

  it('the same deployment redelivered is the same change id; another source with the same id is another change', () => {
    expect(changeIdOf('codedeploy', 'd-ABC123XYZ')).toBe(changeIdOf('codedeploy', 'd-ABC123XYZ'));
    expect(changeIdOf('codedeploy', 'd-ABC123XYZ')).not.toBe(changeIdOf('codepipeline', 'd-ABC123XYZ'));
  });
});
