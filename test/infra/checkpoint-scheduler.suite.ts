// Case timers on EventBridge Scheduler: the schedule group and dead-letter queues in the stateful stack; the
// case-stream and checkpoint functions, the Scheduler execution role and the stream mapping in the API stack;
// IAM scoped to one group, one role and one function, and no PassRole on "*" anywhere.
import { ArnFormat, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { ApiFunction } from '../../infra/constructs/api-function';
import { CASE_STREAM_ENTRY, CHECKPOINT_ENTRY } from '../../infra/constructs/checkpoint-scheduler';
import { DEAD_LETTER_RETENTION, type DeadLetterQueue } from '../../infra/constructs/dead-letter-queue';
import { keys } from '#adapters/aws/dynamo/table-model';
import { alarmedMetrics, resourcesInFamily, stackFamily, templateOf } from '../support/stacks';
import { sharedApp } from '../support/infra-app';

// Skip esbuild: these tests read templates, not bundles (`npx cdk synth` bundles for real).
const { stateful, api } = sharedApp();
// Synthesise first: cross-stack values resolve to their consumer-side form only afterwards.
const statefulTemplate = Template.fromStack(stateful);
const apiTemplate = Template.fromStack(api);

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>>; Principal?: unknown };
type Document = { Statement: Statement[] };

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const ofType = (template: Template, type: string) => Object.entries(template.findResources(type) as Record<string, Resource>);
const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1);
  return items[0]!;
};

const prefix = 'complaints';
const groupName = `${prefix}-case-timers`;
const scheduler = api.scheduler;
const key = stateful.data.cases.encryptionKey;

const logicalId = (stack: Stack, construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const fnId = (fn: ApiFunction) => logicalId(api, fn.function);
const fnProps = (fn: ApiFunction) => apiTemplate.findResources('AWS::Lambda::Function')[fnId(fn)]!.Properties as Record<string, unknown>;
const envOf = (fn: ApiFunction) => (fnProps(fn).Environment as { Variables: Record<string, unknown> }).Variables;
/** Every statement attached to a role, from its AWS::IAM::Policy resources and its inline policies. */
const statementsOf = (template: Template, roleId: string): Statement[] => [
  ...ofType(template, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as unknown[]).some((r) => same(r, { Ref: roleId })))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as Document).Statement),
  ...(((template.findResources('AWS::IAM::Role')[roleId] as Resource).Properties.Policies as { PolicyDocument: Document }[] | undefined) ?? []).flatMap(
    (p) => p.PolicyDocument.Statement,
  ),
];
/**
 * Every Allow statement of every identity policy in both stacks and the API stack's nested route stacks:
 * AWS::IAM::Policy, managed policies, and roles', users' and groups' inline policies.
 */
const allStatements = (): Statement[] =>
  [statefulTemplate, ...stackFamily(api).map(templateOf)].flatMap((t) => [
    ...['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].flatMap((type) => ofType(t, type).flatMap(([, p]) => (p.Properties.PolicyDocument as Document).Statement)),
    ...['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].flatMap((type) =>
      ofType(t, type).flatMap(([, r]) => ((r.Properties.Policies as { PolicyDocument: Document }[] | undefined) ?? []).flatMap((p) => p.PolicyDocument.Statement)),
    ),
  ]);
const resolved = (value: unknown) => api.resolve(value);
const queueArn = (dlq: DeadLetterQueue) => resolved(dlq.queue.queueArn);
const schedulesArn = resolved(api.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${groupName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }));
const groupArn = resolved(api.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: groupName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }));

describe('CaseTimers (stateful stack)', () => {
  it(`has one dedicated schedule group, ${groupName}, retained when the stack or the resource goes`, () => {
    const [, group] = only(ofType(statefulTemplate, 'AWS::Scheduler::ScheduleGroup'));
    expect(group.Properties.Name).toBe(groupName);
    expect(group.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(group.UpdateReplacePolicy).toBe('Retain');
    expect(stateful.timers.scheduleGroupName).toBe(groupName);
  });

  const dlqs = () => [stateful.timers.scheduleDeadLetters, stateful.timers.streamDeadLetters, stateful.timers.projectionDeadLetters];
  const queueOf = (dlq: DeadLetterQueue) => statefulTemplate.findResources('AWS::SQS::Queue')[logicalId(stateful, dlq.queue)] as Resource;

  it('has exactly the four dead-letter queues (timers, stream batches, projection batches, retention runs); the only other queues are the evidence verifier’s, the export builder’s and the email intake’s dead-letter queues and the webhook delivery queue with its own', () => {
    expect(ofType(statefulTemplate, 'AWS::SQS::Queue')).toHaveLength(9);
    const webhookQueues = [stateful.webhooks.queue, stateful.webhooks.deadLetters.queue];
    expect(new Set([...[...dlqs(), stateful.timers.retentionDeadLetters, stateful.evidence.verificationDeadLetters, stateful.exports.builderDeadLetters, stateful.channels.mailDeadLetters].map((d) => d.queue), ...webhookQueues].map((q) => q.node.path)).size).toBe(9);
  });

  it.each(['scheduleDeadLetters', 'streamDeadLetters', 'projectionDeadLetters'] as const)('%s: encrypted with the project key, kept 14 days, retained', (name) => {
    const queue = queueOf(stateful.timers[name]);
    const keyId = logicalId(stateful, key);
    expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(queue.Properties.MessageRetentionPeriod).toBe(DEAD_LETTER_RETENTION.toSeconds());
    expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(queue.DeletionPolicy).toBe('Retain');
  });

  it.each(['scheduleDeadLetters', 'streamDeadLetters'] as const)('%s: its queue policy denies every request not over TLS', (name) => {
    const queueId = logicalId(stateful, stateful.timers[name].queue);
    const policies = ofType(statefulTemplate, 'AWS::SQS::QueuePolicy').filter(([, p]) => (p.Properties.Queues as unknown[]).some((q) => same(q, { Ref: queueId })));
    const statements = only(policies)[1].Properties.PolicyDocument as Document;
    expect(statements.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sqs:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      }),
    );
  });
});

describe('CaseEvents (stateful stack)', () => {
  it(`has the custom event bus ${prefix}-events, retained`, () => {
    const [, bus] = only(ofType(statefulTemplate, 'AWS::Events::EventBus'));
    expect(bus.Properties.Name).toBe(`${prefix}-events`);
    expect(bus.DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  it('has a notification topic encrypted with the project key, TLS only, retained', () => {
    const [topicId, topic] = only(ofType(statefulTemplate, 'AWS::SNS::Topic').filter(([id]) => id.startsWith('CaseEvents')));
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [logicalId(stateful, key), 'Arn'] });
    expect(topic.DeletionPolicy).toBe('Retain');
    const [, policy] = only(ofType(statefulTemplate, 'AWS::SNS::TopicPolicy').filter(([id]) => id.startsWith('CaseEvents')));
    expect(policy.Properties.Topics).toEqual([{ Ref: topicId }]);
    expect((policy.Properties.PolicyDocument as Document).Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Resource: { Ref: topicId } }),
    );
  });

  it('outputs the schedule group name, the event bus name and the notification topic ARN', () => {
    statefulTemplate.hasOutput('ScheduleGroupName', {});
    statefulTemplate.hasOutput('EventBusName', {});
    statefulTemplate.hasOutput('NotificationTopicArn', {});
  });
});

describe('the Scheduler execution role (API stack)', () => {
  const roleId = logicalId(api, scheduler.schedulerRole);
  const role = () => apiTemplate.findResources('AWS::IAM::Role')[roleId] as Resource;

  it('can be assumed only by EventBridge Scheduler, for schedules of this account and this group', () => {
    const trust = (role().Properties.AssumeRolePolicyDocument as Document).Statement;
    expect(trust).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'scheduler.amazonaws.com' },
        // Scheduler sets aws:SourceArn to the schedule's group ARN.
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' }, 'aws:SourceArn': groupArn } },
      },
    ]);
    expect(JSON.stringify(groupArn)).toContain(`:schedule-group/${groupName}`);
  });

  it('has a fixed name, so schedules keep a valid role ARN if the API stack is recreated', () => {
    expect(JSON.stringify(role().Properties.RoleName)).toContain(`${prefix}-scheduler-`);
  });

  it('may only invoke the checkpoint function (unqualified) and send to the timers’ dead-letter queue, the key only through SQS', () => {
    const statements = statementsOf(apiTemplate, roleId);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    const byAction = new Map(statements.flatMap((s) => list(s.Action).map((a) => [a, s] as const)));
    expect([...byAction.keys()].sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 'lambda:InvokeFunction', 'sqs:SendMessage']);
    expect(list(byAction.get('lambda:InvokeFunction')!.Resource)).toEqual([{ 'Fn::GetAtt': [fnId(scheduler.checkpoint), 'Arn'] }]);
    expect(list(byAction.get('sqs:SendMessage')!.Resource)).toEqual([queueArn(stateful.timers.scheduleDeadLetters)]);
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
      const s = byAction.get(action)!;
      expect(list(s.Resource)).toEqual([resolved(key.keyArn)]);
      expect(JSON.stringify(s.Condition?.StringEquals?.['kms:ViaService'])).toContain('"sqs."');
    }
    expect(role().Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('the case-stream function (API stack)', () => {
  const fn = scheduler.caseStream;
  const roleId = () => logicalId(api, fn.role);
  const mapping = () => only(ofType(apiTemplate, 'AWS::Lambda::EventSourceMapping').filter(([, m]) => same(m.Properties.FunctionName, { Ref: fnId(fn) })))[1].Properties;

  it('is fed by the cases-table stream (beside the reporting projection), from the oldest record, one batch per shard at a time', () => {
    // The stream's consumers in the API stack and its nested route stacks (other mappings read queues, e.g. the webhook queue).
    const consumers = resourcesInFamily(api, 'AWS::Lambda::EventSourceMapping')
      .filter(({ stack, resource: m }) => same(m.Properties.EventSourceArn, stack.resolve(stateful.data.cases.table.tableStreamArn)))
      .map(({ stack, resource: m }) => ({ stack: stack.node.path, fn: m.Properties.FunctionName }));
    expect(consumers).toEqual(expect.arrayContaining([{ stack: api.node.path, fn: { Ref: fnId(fn) } }, { stack: api.node.path, fn: { Ref: fnId(api.reports.projection) } }]));
    // DynamoDB Streams serves at most two consumers per shard without throttling.
    expect(consumers).toHaveLength(2);
    expect(mapping()).toMatchObject({
      FunctionName: { Ref: fnId(fn) },
      EventSourceArn: resolved(stateful.data.cases.table.tableStreamArn),
      StartingPosition: 'TRIM_HORIZON',
      ParallelizationFactor: 1,
    });
    expect(mapping().BatchSize).toBeGreaterThanOrEqual(10);
    expect(mapping().BatchSize).toBeLessThanOrEqual(1000);
  });

  it('reports per-record failures, bisects failing batches, retries a bounded number of times, then dead-letters', () => {
    expect(mapping()).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: queueArn(stateful.timers.streamDeadLetters) } },
    });
    expect(mapping().MaximumRetryAttempts).toBeGreaterThan(0);
    expect(mapping().MaximumRetryAttempts).toBeLessThanOrEqual(100);
    expect(mapping().MaximumRecordAgeInSeconds).toBeGreaterThan(0);
    expect(mapping().MaximumRecordAgeInSeconds).toBeLessThanOrEqual(86_400);
  });

  it('receives only case items (any change) and new audit events', () => {
    const patterns = (mapping().FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) => JSON.parse(f.Pattern) as unknown);
    expect(patterns).toEqual([
      { dynamodb: { Keys: { SK: { S: [keys.case('any').SK] } } } },
      { eventName: ['INSERT'], dynamodb: { Keys: { SK: { S: [{ prefix: keys.auditPrefix }] } } } },
    ]);
  });

  it('reads that stream (named, not "*") and the key only through DynamoDB', () => {
    const statements = statementsOf(apiTemplate, roleId());
    const onStream = statements.filter((s) => list(s.Resource).some((r) => same(r, resolved(stateful.data.cases.table.tableStreamArn))));
    expect(onStream.flatMap((s) => list(s.Action)).sort()).toEqual(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);
    const streamActions = statements.filter((s) => list(s.Action).some((a) => ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'].includes(a)));
    expect(streamActions).toEqual(onStream);
  });

  it('manages schedules only in its group: Create, Update, Delete and Get on `schedule/<group>/*`', () => {
    const statements = statementsOf(apiTemplate, roleId()).filter((s) => list(s.Action).some((a) => a.startsWith('scheduler:')));
    const s = only(statements);
    expect(list(s.Action).sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule']);
    expect(list(s.Resource)).toEqual([schedulesArn]);
    expect(JSON.stringify(schedulesArn)).toContain(`:schedule/${groupName}/*`);
  });

  it('passes only the Scheduler execution role, and only to Scheduler', () => {
    const s = only(statementsOf(apiTemplate, roleId()).filter((x) => list(x.Action).includes('iam:PassRole')));
    expect(s).toEqual({
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: { 'Fn::GetAtt': [logicalId(api, scheduler.schedulerRole), 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    });
  });

  it('publishes events on the project bus only, and notifications on the project topic only (its key through SNS)', () => {
    const statements = statementsOf(apiTemplate, roleId());
    const put = only(statements.filter((s) => list(s.Action).some((a) => a.startsWith('events:'))));
    expect(put.Action).toBe('events:PutEvents');
    expect(list(put.Resource)).toEqual([resolved(stateful.events.bus.eventBusArn)]);
    const publish = only(statements.filter((s) => list(s.Action).some((a) => a.startsWith('sns:'))));
    expect(publish.Action).toBe('sns:Publish');
    expect(list(publish.Resource)).toEqual([resolved(stateful.events.notifications.topicArn)]);
    const viaSns = statements.filter((s) => JSON.stringify(s.Condition?.StringEquals?.['kms:ViaService'] ?? '').includes('"sns."'));
    expect(only(viaSns).Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  it('reads and writes the cases table (it fires already-due timers in-process), and never deletes from it', () => {
    const actions = statementsOf(apiTemplate, roleId())
      .filter((s) => list(s.Resource).some((r) => same(r, resolved(stateful.data.cases.table.tableArn))))
      .flatMap((s) => list(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']));
    // Issue 25, finding 8: only the report projection and the webhook sender may delete (test/security/audit-iam.test.ts).
    expect(actions).not.toContain('dynamodb:DeleteItem');
  });

  it('is told the group, target, role, dead-letter queue, bus, topic and table, with the AWS integrations', () => {
    expect(envOf(fn)).toMatchObject({
      INTEGRATIONS: 'aws',
      SCHEDULE_GROUP_NAME: groupName,
      CHECKPOINT_FUNCTION_ARN: { 'Fn::GetAtt': [fnId(scheduler.checkpoint), 'Arn'] },
      SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalId(api, scheduler.schedulerRole), 'Arn'] },
      SCHEDULER_DLQ_ARN: queueArn(stateful.timers.scheduleDeadLetters),
      EVENT_BUS_NAME: resolved(stateful.events.bus.eventBusName),
      NOTIFICATION_TOPIC_ARN: resolved(stateful.events.notifications.topicArn),
      TABLE_NAME: resolved(stateful.data.cases.table.tableName),
    });
  });
});

describe('the checkpoint function (API stack)', () => {
  const fn = scheduler.checkpoint;
  const statements = () => statementsOf(apiTemplate, logicalId(api, fn.role));

  it('has a fixed name, so pending schedules still reach it if the API stack is recreated', () => {
    expect(fnProps(fn).FunctionName).toBe(`${prefix}-checkpoint`);
  });

  it('reads and writes the cases table; sends feedback links (the signing secret only, the project topic only); nothing of Scheduler, IAM or EventBridge', () => {
    const actions = statements().flatMap((s) => list(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']));
    expect(actions.filter((a) => /^(scheduler|iam|events|lambda):/.test(a))).toEqual([]);
    // A fired satisfaction follow-up signs the customer's link and sends it through the notification topic.
    const publish = only(statements().filter((s) => list(s.Action).some((a) => a.startsWith('sns:'))));
    expect(list(publish.Resource)).toEqual([resolved(stateful.events.notifications.topicArn)]);
    const secret = only(statements().filter((s) => list(s.Action).some((a) => a.startsWith('secretsmanager:'))));
    expect(secret.Action).toBe('secretsmanager:GetSecretValue');
    expect(list(secret.Resource)).toEqual([resolved(stateful.feedbackLinks.secret.secretArn)]);
    expect(envOf(fn).TABLE_NAME).toEqual(resolved(stateful.data.cases.table.tableName));
  });

  it('sends asynchronous invocations that fail after Lambda’s retries to the timers’ dead-letter queue', () => {
    const [, config] = only(ofType(apiTemplate, 'AWS::Lambda::EventInvokeConfig').filter(([, c]) => same(c.Properties.FunctionName, { Ref: fnId(fn) })));
    expect(config.Properties).toMatchObject({ DestinationConfig: { OnFailure: { Destination: queueArn(stateful.timers.scheduleDeadLetters) } } });
    expect(config.Properties.MaximumRetryAttempts).toBeLessThanOrEqual(2);
  });

  it('has no resource policy: Scheduler invokes it through the execution role', () => {
    const permissions = ofType(apiTemplate, 'AWS::Lambda::Permission').filter(([, p]) => JSON.stringify(p.Properties.FunctionName).includes(fnId(fn)));
    expect(permissions).toEqual([]);
  });

  it.each([CHECKPOINT_ENTRY, CASE_STREAM_ENTRY])('%s: arm64, Node.js 22 or newer, active tracing, JSON logs to its own log group', (entry) => {
    const props = fnProps(scheduler.functions.get(entry)!);
    expect(props.Architectures).toEqual(['arm64']);
    expect(Number((/^nodejs(\d+)\.x$/.exec(String(props.Runtime)) ?? [])[1])).toBeGreaterThanOrEqual(22);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect((props.LoggingConfig as { LogFormat: string }).LogFormat).toBe('JSON');
    expect(props.Timeout).toBeLessThanOrEqual(900);
  });
});

describe('IAM across both stacks', () => {
  const dangerous = (action: string) => action === '*' || action === 'iam:*' || action === 'iam:PassRole' || action === 'iam:Pass*';

  it('never grants iam:PassRole (or iam:*, or *) on "*" or on any wildcard resource', () => {
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(20);
    for (const s of statements.filter((x) => x.Effect === 'Allow' && list(x.Action).some(dangerous))) {
      for (const resource of list(s.Resource)) {
        expect(resource).not.toBe('*');
        expect(JSON.stringify(api.resolve(resource))).not.toContain('*');
      }
    }
  });

  it('grants iam:PassRole exactly once: on the Scheduler execution role, to Scheduler only', () => {
    const passRole = only(allStatements().filter((s) => list(s.Action).some(dangerous)));
    expect(passRole.Resource).toEqual({ 'Fn::GetAtt': [logicalId(api, scheduler.schedulerRole), 'Arn'] });
    expect(passRole.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
  });

  it('grants Scheduler actions only on the schedules of the dedicated group', () => {
    const statements = allStatements().filter((s) => list(s.Action).some((a) => a.startsWith('scheduler:')));
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) expect(list(s.Resource)).toEqual([schedulesArn]);
  });

  it('grants lambda:InvokeFunction only to the Scheduler execution role, on the checkpoint function (to each state machine on its workflow function, to the case stream on the export builder, to the digest schedule\'s own role on the audit digest job, and to the replay route on the email intake)', () => {
    const all = allStatements().filter((s) => list(s.Action).some((a) => a.startsWith('lambda:')));
    // The replay route's role (a nested route stack, so the intake's ARN arrives as a parameter): test/infra/api-stack.suite.ts.
    const onIntake = all.filter((s) => JSON.stringify(s.Resource).includes('EmailIntakeIntakeFunction'));
    expect(only(onIntake)).toMatchObject({ Action: 'lambda:InvokeFunction' });
    const invokes = all.filter((s) => !onIntake.includes(s));
    const workflowFns = [api.workflows.approval, api.workflows.escalation].map((w) => ({ 'Fn::GetAtt': [fnId(w.function), 'Arn'] }));
    const builder = { 'Fn::GetAtt': [fnId(api.exportBuilder.builder), 'Arn'] };
    const digest = { 'Fn::GetAtt': [fnId(api.auditDigest.job), 'Arn'] };
    expect(invokes.map((s) => s.Resource)).toEqual(expect.arrayContaining([...workflowFns, builder, digest]));
    expect(only(invokes.filter((s) => same(s.Resource, digest)))).toMatchObject({ Action: 'lambda:InvokeFunction' });
    const onCheckpoint = only(invokes.filter((s) => ![...workflowFns, builder, digest].some((f) => same(f, s.Resource))));
    expect(onCheckpoint.Action).toBe('lambda:InvokeFunction');
    expect(onCheckpoint.Resource).toEqual({ 'Fn::GetAtt': [fnId(scheduler.checkpoint), 'Arn'] });
    expect(only(invokes.filter((s) => same(s.Resource, builder)))).toMatchObject({ Action: 'lambda:InvokeFunction' });
    expect(invokes).toHaveLength(5);
  });
});

describe('alarms on the case timers', () => {
  const alarms = () => ofType(apiTemplate, 'AWS::CloudWatch::Alarm').flatMap(([, a]) => alarmedMetrics(a.Properties));

  it.each(['scheduleDeadLetters', 'streamDeadLetters'] as const)('%s: alarms as soon as a message is visible', (name) => {
    const queueName = resolved(stateful.timers[name].queue.queueName);
    const found = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && same(a.Dimensions, [{ Name: 'QueueName', Value: queueName }]));
    expect(only(found)).toMatchObject({ Namespace: 'AWS/SQS', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it.each([CHECKPOINT_ENTRY, CASE_STREAM_ENTRY])('%s: alarms on errors (the account-level Lambda errors alarm)', (entry) => {
    expect(fnId(scheduler.functions.get(entry)!)).toBeDefined();
    expect(alarms().filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === 'Errors' && a.Dimensions === undefined)).toHaveLength(1);
  });

  it('alarms when the stream consumer falls behind (account-level iterator age; the dashboard graphs this function’s own)', () => {
    const id = fnId(scheduler.caseStream);
    expect(only(alarms().filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === 'IteratorAge'))).toMatchObject({ Dimensions: undefined, Statistic: 'Maximum', Threshold: 5 * 60_000, ComparisonOperator: 'GreaterThanThreshold' });
    const [dashboard] = ofType(apiTemplate, 'AWS::CloudWatch::Dashboard').map(([, d]) => d);
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    expect(body).toContain('IteratorAge');
    expect(body).toContain(`{"Ref":"${id}"}`);
  });

  it('alarms when a schedule’s target fails or is throttled, or Scheduler throttles invocations (its quota)', () => {
    const scheduler = alarms().filter((a) => a.Namespace === 'AWS/Scheduler' && a.Dimensions === undefined).map((a) => a.MetricName);
    expect(scheduler.sort()).toEqual(['InvocationThrottleCount', 'TargetErrorCount', 'TargetErrorThrottledCount']);
  });

  it('alarms when Scheduler cannot even dead-letter a timer', () => {
    const found = alarms().filter((a) => a.Namespace === 'AWS/Scheduler' && a.MetricName === 'InvocationsFailedToBeSentToDeadLetterCount');
    expect(only(found).Dimensions).toEqual([{ Name: 'ScheduleGroup', Value: groupName }]);
  });
});
