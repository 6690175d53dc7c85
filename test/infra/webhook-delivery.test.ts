// Subscriber webhooks in CDK (standalone): the bus rule sends exactly the published event types to an encrypted,
// TLS-only queue with a dead-letter queue; the delivery function consumes it with partial batch failures, runs the
// retry sweep every minute, and may only use the table and decrypt secrets under the webhook encryption context.
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EVENT_SOURCE } from '#domain/domain-events';
import { PUBLISHED_EVENT_TYPES } from '#schemas/events';
import { ApiFunction } from '../../infra/constructs/api-function';
import { CaseTable } from '../../infra/constructs/case-table';
import { EncryptionKey } from '../../infra/constructs/encryption-key';
import { QUEUE_MAX_RECEIVES, WEBHOOK_DELIVERY_ENTRY, WebhookDelivery } from '../../infra/constructs/webhook-delivery';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

const settings = { environment: { LIST_SHARDS: '4' }, serviceName: 'complaints', metricsNamespace: 'Complaints', logRetention: RetentionDays.ONE_YEAR };
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-2' } });
const key = new EncryptionKey(stack, 'Key', { description: 'test' });
const data = new CaseTable(stack, 'Data', { encryptionKey: key.key });
const bus = new EventBus(stack, 'Bus', { eventBusName: 'complaints-events' });
const webhooks = new WebhookDelivery(stack, 'Webhooks', { ...settings, cases: data.cases, bus, secretKey: key.key });
const subscribe = new ApiFunction(stack, 'Subscribe', { ...settings, entry: 'functions/create-webhook/handler.ts', description: 'POST /v1/webhooks' });
webhooks.allowSubscribe(subscribe, key.key);
const template = Template.fromStack(stack);
const logicalId = (c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);
const ofType = (type: string) => Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);
const statementsOf = (fn: ApiFunction): Statement[] =>
  ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === logicalId(fn.role)))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const keyArn = { 'Fn::GetAtt': [logicalId(key.key), 'Arn'] };

describe('webhook delivery infrastructure', () => {
  it('routes exactly the published event types of our source from the bus to the queue', () => {
    const [, rule] = ofType('AWS::Events::Rule').find(([id]) => id === logicalId(webhooks.busRule))!;
    expect(rule.Properties.EventPattern).toEqual({ source: [EVENT_SOURCE], 'detail-type': [...PUBLISHED_EVENT_TYPES] });
    expect(rule.Properties.EventBusName).toEqual({ Ref: logicalId(bus) });
    expect(list(rule.Properties.Targets as { Arn: unknown }[])[0]!.Arn).toEqual({ 'Fn::GetAtt': [logicalId(webhooks.queue), 'Arn'] });
  });

  it('the queue is encrypted, dead-letters after a bounded number of receives, and outlasts the function timeout', () => {
    const queue = ofType('AWS::SQS::Queue').find(([id]) => id === logicalId(webhooks.queue))![1].Properties;
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(webhooks.deadLetters.queue), 'Arn'] }, maxReceiveCount: QUEUE_MAX_RECEIVES });
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * 60);
    const dlq = ofType('AWS::SQS::Queue').find(([id]) => id === logicalId(webhooks.deadLetters.queue))![1].Properties;
    expect(dlq).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    // Both refuse requests without TLS.
    expect(ofType('AWS::SQS::QueuePolicy').filter(([, p]) => JSON.stringify(p.Properties).includes('aws:SecureTransport'))).toHaveLength(2);
  });

  it('the function consumes the queue with partial batch failures and runs the retry sweep every minute', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(webhooks.queue), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    const [, sweep] = ofType('AWS::Events::Rule').find(([id]) => id === logicalId(webhooks.retryRule))!;
    expect(sweep.Properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(webhooks.functions.get(WEBHOOK_DELIVERY_ENTRY)).toBe(webhooks.delivery);
  });

  it('least privilege: the delivery function decrypts secrets only under the webhook context; the subscribe route only encrypts', () => {
    const kms = (fn: ApiFunction) => statementsOf(fn).filter((s) => list(s.Action).some((a) => a.startsWith('kms:')) && JSON.stringify(s.Resource) === JSON.stringify(keyArn));
    const direct = (fn: ApiFunction) => kms(fn).filter((s) => !JSON.stringify(s.Condition ?? {}).includes('kms:ViaService'));
    expect(direct(webhooks.delivery)).toEqual([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn, Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'webhook-signing-secret' } } }]);
    expect(direct(subscribe)).toEqual([{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: keyArn, Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'webhook-signing-secret' } } }]);
    const actions = statementsOf(webhooks.delivery).flatMap((s) => list(s.Action));
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.filter((a) => a.startsWith('sqs:')).sort()).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage']);
    expect(actions.some((a) => a.startsWith('events:') || a === '*')).toBe(false);
  });
});
