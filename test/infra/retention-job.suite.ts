// The retention job in CDK (standalone, as the stack will wire it): a daily rule invoking one function that may read
// and write the cases table through its indexes and nothing else, with failed runs dead-lettered when a queue is given.
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { RETENTION_BATCH_DETAIL_TYPE, RETENTION_BATCH_SOURCE } from '#adapters/aws/event-bridge-retention-queue';
import { INDEX } from '#adapters/aws/dynamo/table-model';
import { CaseTable } from '../../infra/constructs/case-table';
import { DeadLetterQueue } from '../../infra/constructs/dead-letter-queue';
import { EncryptionKey } from '../../infra/constructs/encryption-key';
import { RETENTION_JOB_ENTRY, RETENTION_WORKER_CONCURRENCY, RetentionJob } from '../../infra/constructs/retention-job';
import type { EvidenceStore } from '../../infra/constructs/evidence-vault';
import type { ExportStore } from '../../infra/constructs/export-vault';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown };
const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

const build = (withDeadLetters: boolean) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-2' } });
  const key = new EncryptionKey(stack, 'Key', { description: 'test' });
  const data = new CaseTable(stack, 'Data', { encryptionKey: key.key });
  const deadLetters = withDeadLetters ? new DeadLetterQueue(stack, 'RetentionDeadLetters', { holds: 'retention runs that failed', encryptionKey: key.key }) : undefined;
  // The buckets as the API stack sees them: names and ARNs only (the vaults themselves are tested with the stateful stack).
  const store = (name: string) => ({ bucketName: name, bucketArn: `arn:aws:s3:::${name}`, caseObjectsArn: `arn:aws:s3:::${name}/cases/*`, encryptionKey: key.key });
  const evidence = store('test-evidence') as unknown as EvidenceStore;
  const exports = store('test-exports') as unknown as ExportStore;
  const bus = new EventBus(stack, 'Bus');
  const job = new RetentionJob(stack, 'Retention', {
    bus,
    cases: data.cases,
    evidence,
    exports,
    ...(deadLetters ? { deadLetters } : {}),
    environment: { LIST_SHARDS: '4' },
    serviceName: 'complaints',
    metricsNamespace: 'Complaints',
    logRetention: RetentionDays.ONE_YEAR,
  });
  const template = Template.fromStack(stack);
  const logicalId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  return { stack, job, template, logicalId, deadLetters, evidence, exports, bus };
};

describe('RetentionJob', () => {
  it('runs the retention handler once a day from an EventBridge rule', () => {
    const { job, template, logicalId } = build(false);
    expect(job.functions.get(RETENTION_JOB_ENTRY)).toBe(job.job);
    const rules = Object.values(template.findResources('AWS::Events::Rule') as Record<string, Resource>).filter((r) => r.Properties.ScheduleExpression);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 3 * * ? *)',
      State: 'ENABLED',
      Targets: [{ Arn: { 'Fn::GetAtt': [logicalId(job.job.function), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 8 } }],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com', Action: 'lambda:InvokeFunction' });
  });

  it('may read and write the table and its indexes (the retention index too), never Scan; on S3 only tag case objects of both buckets', () => {
    const { job, template, logicalId, stack, evidence, exports } = build(false);
    const statements = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>)
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(logicalId(job.job.role)))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const actions = statements.flatMap((s) => list(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem']));
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((a) => !/^(dynamodb|kms|xray|sqs):/.test(a) && !['logs:CreateLogStream', 'logs:PutLogEvents'].includes(a)).sort()).toEqual(
      ['events:PutEvents', 's3:PutObjectTagging', 's3:PutObjectTagging', 's3:PutObjectVersionTagging', 's3:PutObjectVersionTagging'],
    );
    const tagging = statements.filter((s) => list(s.Action).some((a) => a.startsWith('s3:')));
    expect(tagging.map((s) => JSON.stringify(s.Resource)).sort()).toEqual([evidence.caseObjectsArn, exports.caseObjectsArn].map((a) => JSON.stringify(stack.resolve(a))).sort());
    expect(JSON.stringify(statements)).toContain(`/index/${INDEX.retentionDue.indexName}`);
  });

  it('dead-letters a run that failed after Lambda’s retries when given a queue', () => {
    const { job, template, stack, deadLetters, logicalId } = build(true);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(job.job.function) },
      DestinationConfig: { OnFailure: { Destination: stack.resolve(deadLetters!.queue.queueArn) } },
    });
    expect(Object.keys(build(false).template.findResources('AWS::Lambda::EventInvokeConfig'))).toEqual([]);
  });

  it('fans out: batches from the bus to a TLS-only work queue with a dead-letter queue, consumed one batch at a time at a bounded concurrency', () => {
    const { job, template, stack, deadLetters, logicalId, bus } = build(true);
    const batchRules = Object.values(template.findResources('AWS::Events::Rule') as Record<string, Resource>).filter((r) => r.Properties.EventPattern);
    expect(batchRules).toHaveLength(1);
    expect(batchRules[0]!.Properties).toMatchObject({
      EventBusName: stack.resolve(bus.eventBusName),
      EventPattern: { source: [RETENTION_BATCH_SOURCE], 'detail-type': [RETENTION_BATCH_DETAIL_TYPE] },
      Targets: [{ Arn: stack.resolve(job.workQueue.queueArn) }],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 1800,
      RedrivePolicy: { deadLetterTargetArn: stack.resolve(deadLetters!.queue.queueArn), maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', { Queues: [{ Ref: stack.getLogicalId(job.workQueue.node.defaultChild as CfnElement) }], PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(job.job.function) },
      EventSourceArn: stack.resolve(job.workQueue.queueArn),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: RETENTION_WORKER_CONCURRENCY },
    });
  });

  it('alarms when the oldest due case is more than a day overdue, or when the dispatcher published nothing for a day', () => {
    const { template } = build(false);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'RetentionOldestDueAgeSeconds',
      Namespace: 'Complaints',
      Dimensions: [{ Name: 'service', Value: 'complaints' }],
      Statistic: 'Maximum',
      Period: 86400,
      Threshold: 86400,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
    });
  });
});
