// Subscriber webhooks in CDK (standalone, two stacks like the app): the bus rule sends exactly the published event types
// to an encrypted, TLS-only queue with a dead-letter queue, all three in the stateful stack; the delivery function (API
// stack) consumes it with partial batch failures, runs the retry sweep every minute, and may only use the table and
// decrypt secrets under the webhook encryption context.
import { App, Stack } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EVENT_SOURCE } from '#domain/domain-events';
import { PUBLISHED_EVENT_TYPES } from '#schemas/events';
import { ApiFunction } from '../../infra/constructs/api-function';
import { CaseTable } from '../../infra/constructs/case-table';
import { EncryptionKey } from '../../infra/constructs/encryption-key';
import { DELIVERY_TIMEOUT, QUEUE_MAX_RECEIVES, WEBHOOK_DELIVERY_ENTRY, WebhookDelivery, WebhookQueues } from '../../infra/constructs/webhook-delivery';
import { logicalIdOf, resolveIn, resourceOf, resourcesIn, statementsOfRole, templateOf } from '../support/stacks';

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

const settings = { environment: { LIST_SHARDS: '4' }, serviceName: 'complaints', metricsNamespace: 'Complaints', logRetention: RetentionDays.ONE_YEAR };
const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const env = { account: '111111111111', region: 'eu-west-2' };
const stateful = new Stack(app, 'Stateful', { env });
const key = new EncryptionKey(stateful, 'Key', { description: 'test' });
const data = new CaseTable(stateful, 'Data', { encryptionKey: key.key });
const bus = new EventBus(stateful, 'Bus', { eventBusName: 'complaints-events' });
const queues = new WebhookQueues(stateful, 'WebhookQueues', { bus });
const stack = new Stack(app, 'Api', { env });
const webhooks = new WebhookDelivery(stack, 'Webhooks', { ...settings, cases: data.cases, queues, secretKey: key.key });
const subscribe = new ApiFunction(stack, 'Subscribe', { ...settings, entry: 'functions/create-webhook/handler.ts', description: 'POST /v1/webhooks' });
webhooks.allowSubscribe(subscribe, key.key);
// Synthesising both proves the split has no cycle (the stateful stack must not depend on the API stack).
const template = templateOf(stack);
templateOf(stateful);
const statementsOf = (fn: ApiFunction) => statementsOfRole(fn.role);
const keyArn = resolveIn(stack, key.key.keyArn);

describe('webhook delivery infrastructure', () => {
  it('routes exactly the published event types of our source from the bus to the queue, all in the stateful stack', () => {
    const rule = resourceOf(queues.busRule);
    expect(rule.Properties.EventPattern).toEqual({ source: [EVENT_SOURCE], 'detail-type': [...PUBLISHED_EVENT_TYPES] });
    expect(rule.Properties.EventBusName).toEqual({ Ref: logicalIdOf(bus) });
    expect(list(rule.Properties.Targets as { Arn: unknown }[])[0]!.Arn).toEqual({ 'Fn::GetAtt': [logicalIdOf(queues.queue), 'Arn'] });
    expect(Stack.of(queues.busRule)).toBe(stateful);
    expect(resourcesIn(stack, 'AWS::SQS::Queue')).toEqual([]);
    expect(resourcesIn(stack, 'AWS::Events::Rule').map(([id]) => id)).toEqual([logicalIdOf(webhooks.retryRule)]);
  });

  it('the queue is encrypted, dead-letters after a bounded number of receives, and outlasts the function timeout', () => {
    expect(webhooks.queue).toBe(queues.queue);
    expect(webhooks.deadLetters).toBe(queues.deadLetters);
    const queue = resourceOf(queues.queue).Properties;
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(queues.deadLetters.queue), 'Arn'] }, maxReceiveCount: QUEUE_MAX_RECEIVES });
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * 60);
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * DELIVERY_TIMEOUT.toSeconds());
    const dlq = resourceOf(queues.deadLetters.queue);
    expect(dlq.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    expect(dlq.DeletionPolicy).toBe('Retain');
    expect(resourceOf(queues.queue).DeletionPolicy).toBe('Retain');
    // Both refuse requests without TLS.
    expect(resourcesIn(stateful, 'AWS::SQS::QueuePolicy').filter(([, p]) => JSON.stringify(p.Properties).includes('aws:SecureTransport'))).toHaveLength(2);
  });

  it('the function consumes the queue with partial batch failures and runs the retry sweep every minute', () => {
    expect(resourceOf(webhooks.delivery.function).Properties.Timeout).toBe(DELIVERY_TIMEOUT.toSeconds());
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: resolveIn(stack, queues.queue.queueArn),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
    });
    const sweep = resourceOf(webhooks.retryRule);
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
