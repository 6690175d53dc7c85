// First-day deploy (issue 29 items 1, 2, 4, 5): email intake is optional and region-checked, a failed first deploy can be
// retried (named retained resources go when a create rolls back, bucket policies live as long as their buckets), two
// stages share no physical name, the API stack reads the stateful stack through strong references only, and large
// settings live in a secret so no Lambda environment passes 4 KB.
import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiFunction } from '../../infra/constructs/api-function';
import { SES_RECEIVING_REGIONS } from '../../infra/constructs/inbound-channels';
import { environmentBytes, environmentOf, LAMBDA_ENV_LIMIT_BYTES } from '../../infra/constructs/settings-store';
import { EXTERNAL_SETTINGS } from '#http/external-settings';
import { StatefulStack } from '../../infra/stacks/stateful-stack';
import { logicalIdOf, resourceOf, resourcesInFamily, stackFamily, templateOf } from '../support/stacks';
import { fixedMonthlyCost } from '../../infra/cost/fixed-cost';
import { WEBHOOK_MAX_CONCURRENCY } from '../../infra/constructs/webhook-delivery';
import { RETENTION_WORKER_CONCURRENCY } from '../../infra/constructs/retention-job';
import { type BuiltApp, NO_BUNDLING, sharedApp, testApp } from '../support/infra-app';

/** A bank's reporting setting: 80 product groups of 6 products each (about 14 KB of JSON, far past Lambda's 4 KB environment). */
const BIG_REPORTING = {
  productGroups: Object.fromEntries(Array.from({ length: 80 }, (_, g) => [`group_${g}`, Array.from({ length: 6 }, (_, p) => `Product ${g}-${p} premier account`)])),
};
// Full apps: the default one (stateful, API with its nested route stacks, console and console site), the same with the
// API edge on (its us-east-1 stack; the edge needs an explicit region), and a second stage with email intake off (the
// combination a non-SES region needs), large reporting settings and the edge on.
const EDGE_ON = { 'complaints:edge': 'on', 'complaints:region': 'eu-west-2' };
const main = sharedApp();
const mainEdge = sharedApp(EDGE_ON);
const staging = testApp({ ...EDGE_ON, 'complaints:stackPrefix': 'Staging', 'complaints:emailIntake': 'false', 'complaints:reporting': BIG_REPORTING });

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Json = { Resources: Record<string, Resource>; Rules?: Record<string, unknown>; Outputs?: Record<string, unknown> };
type Built = BuiltApp;
/** Every stack the app synthesizes (top-level stacks and their nested stacks), whatever its settings turned on. */
const stacksOf = (app: Built): Stack[] => app.app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
const templatesOf = (app: Built): Json[] => stacksOf(app).map((s) => templateOf(s).toJSON() as Json);
const statefulTemplate = (app: Built): Json => templateOf(app.stateful).toJSON() as Json;
const apiTemplate = (app: Built): Json => templateOf(app.api).toJSON() as Json;
const typesIn = (t: Json) => Object.values(t.Resources).map((r) => r.Type);

/** A stateful stack alone (cheap: no functions) in a given region, for the email combinations. */
const CDK_JSON = (JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> }).context;
const statefulIn = (region: string | undefined, emailReceiving: boolean, receivingRegions?: string[]) => {
  const app = new App({ context: { ...CDK_JSON, ...NO_BUNDLING } });
  const stack = new StatefulStack(app, 'S', {
    ...(region ? { env: { account: '111111111111', region } } : {}),
    namePrefix: 'complaints',
    identity: { domainPrefix: 'complaints-test', callbackUrls: ['http://localhost:3000/callback'] },
    evidence: { retentionDays: 2555 },
    exports: { retentionDays: 2555 },
    alarms: { emails: [] },
    inbound: { emailReceiving, ...(receivingRegions ? { receivingRegions } : {}), recipients: [], rawMailRetentionDays: 90 },
  });
  return Template.fromStack(stack).toJSON() as Json;
};

describe('email intake is optional and region-checked (item 1)', () => {
  it('on, in a region with SES receiving: the receipt rule set and rule, no deploy-time rule', () => {
    const t = statefulIn('eu-west-2', true);
    expect(typesIn(t)).toEqual(expect.arrayContaining(['AWS::SES::ReceiptRuleSet', 'AWS::SES::ReceiptRule']));
    expect(Object.keys(t.Rules ?? {}).filter((k) => k.includes('EmailReceivingRegion'))).toEqual([]);
  });

  it('on, in a region without SES receiving (or an opt-in one): synth fails and says what to set', () => {
    expect(() => statefulIn('eu-south-1', true)).toThrow(/SES cannot receive email into S3 in eu-south-1.*complaints:emailIntake=false/);
    expect(() => statefulIn('ap-southeast-3', true)).toThrow(/in ap-southeast-3/);
    expect(() => testApp({ 'complaints:region': 'eu-south-1' })).toThrow(/complaints:emailIntake=false/);
  });

  it('on, in a region the operator lists once AWS adds it (complaints:sesReceivingRegions)', () => {
    expect(typesIn(statefulIn('eu-south-1', true, ['eu-south-1']))).toContain('AWS::SES::ReceiptRuleSet');
  });

  it('on, environment-agnostic: a template rule refuses the change set outside the SES regions, before any resource is created', () => {
    const t = statefulIn(undefined, true);
    const [rule] = Object.entries(t.Rules ?? {}).filter(([k]) => k.includes('EmailReceivingRegion')).map(([, r]) => r as { Assertions: { Assert: unknown; AssertDescription: string }[] });
    expect(rule!.Assertions[0]!.Assert).toEqual({ 'Fn::Contains': [[...SES_RECEIVING_REGIONS], { Ref: 'AWS::Region' }] });
    expect(rule!.Assertions[0]!.AssertDescription).toContain('complaints:emailIntake=false');
  });

  it('off, in any region: no SES resource, no SES use of the key, no deploy-time rule', () => {
    const t = statefulIn('eu-south-1', false);
    expect(typesIn(t).filter((x) => x.startsWith('AWS::SES::'))).toEqual([]);
    expect(JSON.stringify(t.Resources)).not.toContain('ses.amazonaws.com');
    expect(Object.keys(t.Rules ?? {}).filter((k) => k.includes('EmailReceivingRegion'))).toEqual([]);
  });

  it('off, the API stack has no email intake (function, rule, alarm) and the stateful stack no rule-set output', () => {
    expect(staging.api.emailIntake).toBeUndefined();
    const text = JSON.stringify(templatesOf(staging));
    expect(text).not.toContain('InboundMailObjectCreated');
    expect(text).not.toContain('inbound-email');
    expect(Object.keys(statefulTemplate(staging).Outputs ?? {})).not.toContain('InboundReceiptRuleSetName');
    expect(main.api.emailIntake).toBeDefined();
  });
});

/**
 * Properties that give a resource a physical name. Cognito groups and resource servers are named inside their pool,
 * receipt rules inside their rule set and authorizers inside their API; API Gateway does not require unique API names.
 */
const NAME_PROPS = ['BucketName', 'BucketNamePrefix', 'Name', 'FunctionName', 'RoleName', 'StateMachineName', 'LogGroupName', 'Domain', 'TopicName', 'QueueName', 'TableName', 'AliasName', 'AlarmName', 'DashboardName', 'RuleName'];
const POOL_SCOPED = new Set(['AWS::Cognito::UserPoolGroup', 'AWS::Cognito::UserPoolResourceServer', 'AWS::SES::ReceiptRule', 'AWS::ApiGatewayV2::Authorizer', 'AWS::ApiGatewayV2::Api']);
/** A literal or joined name; a bare Ref/GetAtt names another resource (a Lambda permission's FunctionName), it is no name of its own. */
const isName = (v: unknown) => typeof v === 'string' || (typeof v === 'object' && v !== null && ('Fn::Join' in v || 'Fn::Sub' in v));
const physicalNames = (t: Json) =>
  Object.entries(t.Resources).flatMap(([id, r]) =>
    POOL_SCOPED.has(r.Type) ? [] : NAME_PROPS.filter((p) => isName(r.Properties?.[p])).map((p) => ({ id, type: r.Type, retained: r.DeletionPolicy?.startsWith('Retain') ?? false, deletionPolicy: r.DeletionPolicy, name: JSON.stringify(r.Properties![p]) })),
  );
/**
 * Whether a name is new with every creation: it carries the stack's id, or refers to a resource of the same template
 * whose own name CloudFormation generates (a random suffix each time), like `/aws/lambda/<generated function name>`.
 */
const uniquePerCreation = (t: Json, name: string) => {
  if (name.includes('AWS::StackId')) return true;
  const named = new Set(physicalNames(t).map((n) => n.id));
  return [...name.matchAll(/\{"Ref":"([A-Za-z0-9]+)"\}/g)].some(([, id]) => id !== undefined && Object.hasOwn(t.Resources, id) && !named.has(id));
};

describe('a failed first deploy can be retried (item 2)', () => {
  const named = templatesOf(main).flatMap(physicalNames);

  it('covers every stack the apps synthesize: stateful, API and its nested route stacks, console, console site and edge', () => {
    const paths = (app: Built) => stacksOf(app).map((s) => s.node.path).sort();
    expect(paths(main)).toEqual(['ComplaintsApi', 'ComplaintsApi/Api/CaseRoutes', 'ComplaintsApi/Api/OversightRoutes', 'ComplaintsApi/Api/RecordRoutes', 'ComplaintsConsole', 'ComplaintsConsoleSite', 'ComplaintsStateful']);
    expect(paths(mainEdge)).toEqual([...paths(main), 'ComplaintsEdge'].sort());
    expect(paths(staging)).toEqual(paths(mainEdge).map((p) => p.replace(/^Complaints/, 'Staging')));
  });

  it('two stages (stack prefixes) synthesize without one physical-name collision, edge stacks included', () => {
    // Names new with every creation (a generated function's log group) are the same text in both templates, never the same name.
    const fixedNames = (app: Built) => templatesOf(app).flatMap((t) => physicalNames(t).filter((n) => !uniquePerCreation(t, n.name)));
    const mine = new Set([...fixedNames(main), ...fixedNames(mainEdge)].map((n) => n.name));
    const clashes = fixedNames(staging).filter((n) => mine.has(n.name));
    expect(clashes).toEqual([]);
    // The names the issue found fixed now carry the stage.
    expect(named.map((n) => n.name)).toEqual(expect.arrayContaining(['"complaints-events"', '"complaints-case-timers"']));
    expect(templatesOf(staging).flatMap(physicalNames).map((n) => n.name)).toEqual(expect.arrayContaining(['"staging-events"', '"staging-case-timers"', '"staging-api-edge"']));
  });

  it.each([
    ['the default app', main],
    ['a stage with the edge on', staging],
  ] as const)('in %s, every retained resource with a physical name is removed when the first create rolls back (RetainExceptOnCreate), so a retry does not meet "already exists"', (_name, app) => {
    const retained = templatesOf(app).flatMap((t) => physicalNames(t).filter((n) => n.retained).map((n) => ({ ...n, fresh: uniquePerCreation(t, n.name) })));
    expect(retained.map((n) => n.type).sort()).toEqual(expect.arrayContaining(['AWS::Events::EventBus', 'AWS::S3::Bucket', 'AWS::Scheduler::ScheduleGroup']));
    // A name new with every creation (the stack's id, a generated function name) cannot meet a leftover either.
    expect(retained.filter((n) => n.deletionPolicy !== 'RetainExceptOnCreate' && !n.fresh)).toEqual([]);
    expect(retained.filter((n) => n.fresh).map((n) => n.type)).toContain('AWS::Logs::LogGroup');
  });

  it('the console site bucket keeps its fixed name (the site stack deploys into it by name) and goes if the first create rolls back', () => {
    const site = (templateOf(main.console!).toJSON() as Json).Resources[logicalIdOf(main.console!.edge.bucket)]!;
    expect(JSON.stringify(site.Properties!.BucketName)).toContain('complaints-console-');
    expect([site.DeletionPolicy, site.UpdateReplacePolicy]).toEqual(['RetainExceptOnCreate', 'Retain']);
  });

  it.each([
    ['the default app', main],
    ['a stage with the edge on', staging],
  ] as const)('in %s, every bucket policy is kept exactly as long as its bucket (deny-delete, TLS-only, key-required and origin access survive cdk destroy)', (_name, app) => {
    let checked = 0;
    for (const t of templatesOf(app)) {
      for (const policy of Object.values(t.Resources).filter((r) => r.Type === 'AWS::S3::BucketPolicy')) {
        const bucketId = (policy.Properties!.Bucket as { Ref: string }).Ref;
        const bucket = t.Resources[bucketId]!;
        expect(bucket.DeletionPolicy).toMatch(/^Retain/);
        expect([policy.DeletionPolicy, policy.UpdateReplacePolicy]).toEqual([bucket.DeletionPolicy, bucket.UpdateReplacePolicy]);
        checked += 1;
      }
    }
    // Evidence, its access logs, exports, raw mail; the console site and its access logs; the edge's access logs.
    expect(checked).toBeGreaterThanOrEqual(app.edge ? 7 : 6);
  });
});

describe('cross-stack references (item 4)', () => {
  it('are strong (Fn::ImportValue, documented in every region and in nested stacks), never Fn::GetStackOutput', () => {
    const text = JSON.stringify(templatesOf(main));
    expect(text).not.toContain('Fn::GetStackOutput');
    expect(text).toContain('Fn::ImportValue');
  });

  it('keep the stateful stack within CloudFormation\'s 200 outputs per template', () => {
    expect(Object.keys(statefulTemplate(main).Outputs ?? {}).length).toBeLessThanOrEqual(200);
  });
});

describe('Lambda environments stay under 4 KB (item 5)', () => {
  const functionsOf = (app: BuiltApp) => [app.stateful, ...stackFamily(app.api)].flatMap((s) => s.node.findAll().filter((c): c is CfnFunction => c instanceof CfnFunction));

  it('every function of both apps is under the limit, counted as Lambda counts it (keys and values)', () => {
    const sizes = [...functionsOf(main), ...functionsOf(staging)].map((fn) => environmentBytes(fn));
    expect(Math.min(...sizes)).toBeGreaterThan(200);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(LAMBDA_ENV_LIMIT_BYTES);
  });

  it('large settings go to one settings secret every function may read, none to an environment', () => {
    const secret = staging.api.node.tryFindChild('ExternalSettings');
    expect(secret).toBeDefined();
    const stored = JSON.parse(resourceOf(secret!).Properties.SecretString as string) as Record<string, string>;
    expect(Object.keys(stored)).toEqual(['REPORTING']);
    expect(JSON.parse(stored.REPORTING!)).toMatchObject(BIG_REPORTING);
    expect(stored.REPORTING!.length).toBeGreaterThan(LAMBDA_ENV_LIMIT_BYTES);
    const fns = functionsOf(staging);
    expect(fns.length).toBeGreaterThan(50);
    for (const fn of fns) {
      const vars = environmentOf(fn);
      for (const name of EXTERNAL_SETTINGS) expect(vars[name]).toBeUndefined();
      expect(vars.SETTINGS_SECRET_ARN).toBeDefined();
    }
    // Without large settings configured there is no secret (and no cost).
    expect(main.api.node.tryFindChild('ExternalSettings')).toBeUndefined();
  });

  it('fails synth above the limit, naming the function', () => {
    const app = new App({ context: { ...CDK_JSON, ...NO_BUNDLING } });
    const stack = new Stack(app, 'Big', { env: { account: '111111111111', region: 'eu-west-2' } });
    new ApiFunction(stack, 'Letters', {
      entry: 'functions/preview-letter/handler.ts',
      description: 'test',
      environment: { FEEDBACK_LINK_TEMPLATE: `https://feedback.example/${'x'.repeat(LAMBDA_ENV_LIMIT_BYTES)}/{token}` },
      serviceName: 'complaints',
      metricsNamespace: 'Complaints',
      logRetention: RetentionDays.ONE_WEEK,
    });
    expect(() => app.synth()).toThrow(/functions\/preview-letter\/handler\.ts is \d+ bytes, over Lambda's 4096/);
  });
});

describe('alarms that page someone, and fewer of them (item 6)', () => {
  const alarms = () => Object.values(apiTemplate(main).Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').map((r) => r.Properties!);
  /** Every metric an alarm watches (one, or each of its math expression's metrics). */
  const watched = () =>
    alarms().flatMap((a) =>
      a.Metrics
        ? (a.Metrics as { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: unknown } } }[]).flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []))
        : [{ Namespace: a.Namespace as string, MetricName: a.MetricName as string, Dimensions: a.Dimensions }],
    );

  it('every alarm notifies the alarm topic when it fires and when it recovers', () => {
    const topicRef = JSON.stringify(main.api.resolve(main.stateful.alarms.topic.topicArn));
    expect(alarms().length).toBeGreaterThan(10);
    for (const a of alarms()) {
      expect(JSON.stringify(a.AlarmActions)).toBe(`[${topicRef}]`);
      expect(JSON.stringify(a.OKActions)).toBe(`[${topicRef}]`);
    }
  });

  it('subscribes complaints:alarmEmail to the alarm topic, encrypted, with CloudWatch allowed the key', () => {
    const app = testApp({ 'complaints:alarmEmail': 'oncall@example.com' });
    const t = templateOf(app.stateful).toJSON() as Json;
    const subs = Object.values(t.Resources).filter((r) => r.Type === 'AWS::SNS::Subscription');
    expect(subs.map((s) => [s.Properties!.Protocol, s.Properties!.Endpoint])).toEqual([['email', 'oncall@example.com']]);
    expect(JSON.stringify(t.Resources)).toContain('cloudwatch.amazonaws.com');
  });

  it('watches the missing concerns: table and index throttles, API 5xx, 429 and p99, oldest webhook, near-timeout, Scheduler target errors and throttles, account concurrency', () => {
    const names = watched().map((m) => `${m.Namespace} ${m.MetricName}`);
    for (const expected of [
      'AWS/DynamoDB WriteThrottleEvents',
      'AWS/DynamoDB ReadThrottleEvents',
      'AWS/DynamoDB ThrottledRequests',
      'AWS/ApiGateway 5xx',
      'Complaints/Api Throttled429',
      'AWS/ApiGateway Latency',
      'AWS/SQS ApproximateAgeOfOldestMessage',
      'AWS/Lambda Duration',
      'AWS/Lambda IteratorAge',
      'AWS/Scheduler TargetErrorCount',
      'AWS/Scheduler TargetErrorThrottledCount',
      'AWS/Scheduler InvocationThrottleCount',
      'AWS/Lambda ConcurrentExecutions',
      'AWS/Lambda Errors',
    ]) expect(names).toContain(expected);
    const cases = JSON.stringify(main.api.resolve(main.stateful.data.cases.table.tableName));
    const dims = (m: { Dimensions?: unknown }) => (m.Dimensions ?? []) as { Name: string; Value: unknown }[];
    const onCases = (m: { Dimensions?: unknown }) => dims(m).some((d) => d.Name === 'TableName' && JSON.stringify(d.Value) === cases);
    // The table's own reads and writes.
    for (const metric of ['ReadThrottleEvents', 'WriteThrottleEvents']) {
      expect(watched().filter((m) => m.MetricName === metric && onCases(m) && dims(m).length === 1)).toHaveLength(1);
    }
    // Every index's writes, one metric each.
    const indexWrites = watched().filter((m) => m.MetricName === 'WriteThrottleEvents' && onCases(m)).flatMap((m) => dims(m).filter((d) => d.Name === 'GlobalSecondaryIndexName').map((d) => d.Value));
    expect(indexWrites.sort()).toEqual([...main.stateful.data.cases.indexNames].sort());
    // Every index's reads: indexes are read only by Query, and a Query throttled on the table or any index counts in
    // ThrottledRequests (Operation=Query).
    const queries = watched().filter((m) => m.MetricName === 'ThrottledRequests' && onCases(m));
    expect(queries.map((m) => dims(m).find((d) => d.Name === 'Operation')?.Value)).toEqual(['Query']);
    // All of them in one consolidated alarm.
    const throttleAlarms = alarms().filter((a) => JSON.stringify(a.Metrics ?? []).includes('ThrottleEvents'));
    expect(throttleAlarms).toHaveLength(1);
  });

  it('graphs each index’s read throttles on the dashboard (the alarm says a Query was throttled, the dashboard which index)', () => {
    const [dashboard] = Object.values(apiTemplate(main).Resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard!.Properties!.DashboardBody);
    for (const index of main.stateful.data.cases.indexNames) expect(body).toMatch(new RegExp(`ReadThrottleEvents[^\\]]*GlobalSecondaryIndexName[^\\]]*${index}`));
  });

  it('keeps the alarms few: one per concern, metric math within CloudWatch’s 10 metrics', () => {
    expect(alarms()).toHaveLength(13);
    for (const a of alarms()) expect(((a.Metrics as { MetricStat?: unknown }[] | undefined) ?? []).filter((m) => m.MetricStat).length).toBeLessThanOrEqual(10);
  });

  it('has one dashboard', () => {
    expect(Object.values(apiTemplate(main).Resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });

  it('costs at most $10 a month at zero traffic, at list price, computed from the templates', () => {
    const { total, lines } = fixedMonthlyCost(templatesOf(main));
    expect(lines.find((l) => l.item === 'CloudWatch alarm metrics')!.count).toBeLessThanOrEqual(36);
    expect(total).toBeLessThanOrEqual(10);
  });
});

describe('back-pressure (item 7)', () => {
  it('every SQS trigger has a maximum concurrency (the webhook sender and the retention batches), so a fan-out cannot starve the API', () => {
    const sqsMappings = resourcesInFamily(main.api, 'AWS::Lambda::EventSourceMapping').filter((m) => !m.resource.Properties.StartingPosition);
    const limits = sqsMappings.map((m) => (m.resource.Properties.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency);
    expect(limits.sort((a, b) => a - b)).toEqual([WEBHOOK_MAX_CONCURRENCY, RETENTION_WORKER_CONCURRENCY].sort((a, b) => a - b));
  });

  it('every EventBridge rule that targets a Lambda function has a target dead-letter queue EventBridge may write to', () => {
    const t = apiTemplate(main);
    const dlqRef = JSON.stringify(main.api.resolve(main.api.eventTargetDeadLetters.queueArn));
    const lambdaTargets = Object.values(t.Resources)
      .filter((r) => r.Type === 'AWS::Events::Rule')
      .flatMap((r) => (r.Properties!.Targets as { Arn: unknown; DeadLetterConfig?: { Arn: unknown } }[]).filter((x) => JSON.stringify(x.Arn).includes('Function')));
    expect(lambdaTargets.length).toBeGreaterThanOrEqual(4);
    for (const target of lambdaTargets) expect(JSON.stringify(target.DeadLetterConfig?.Arn)).toBe(dlqRef);
  });
});
