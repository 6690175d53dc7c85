// API stack: every route of the route table on the HTTP API with the right authorizer, one function per
// handler entry with fixed defaults, and least-privilege data access.
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app';
import { EVIDENCE_ACCESS, EXPORT_ACCESS, ROUTES_WITHOUT_DATA, writesData } from '../../infra/constructs/api';
import { EXPORT_GRANTS } from '../../infra/constructs/api-function';
import { routeKey, routeList } from '#http/routes';

// CloudFormation's default rules take ~15 s to load under jest; they run once, in cdk-nag.test.ts.
process.env.CDK_VALIDATION = 'false';
// Skip esbuild: these tests read templates, not bundles (`npx cdk synth` bundles for real).
const { stateful, api } = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = api;
const template = Template.fromStack(stack);

type Resource = { Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const byType = new Map<string, Record<string, Resource>>();
const ofType = (type: string) => {
  if (!byType.has(type)) byType.set(type, template.findResources(type) as Record<string, Resource>);
  return byType.get(type)!;
};
const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

const routes = routeList();
const entries = [...new Set(routes.map((r) => r.entry))];
const functionOf = (entry: string) => {
  const fn = stack.api.functions.get(entry);
  if (!fn) throw new Error(`no function for ${entry}`);
  const id = stack.getLogicalId(fn.function.node.defaultChild as CfnFunction);
  const roleId = stack.getLogicalId(fn.role.node.defaultChild as CfnRole);
  return { id, roleId, props: ofType('AWS::Lambda::Function')[id]!.Properties };
};
const statementsOf = (roleId: string): Statement[] =>
  Object.values(ofType('AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const actionsOn = (roleId: string, resource: unknown): string[] => {
  const wanted = JSON.stringify(stack.resolve(resource));
  return statementsOf(roleId)
    .filter((s) => list(s.Resource).some((r) => JSON.stringify(r) === wanted))
    .flatMap((s) => list(s.Action));
};

const cases = stateful.data.cases;
const idempotency = stateful.data.idempotency;
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'];

describe('routes', () => {
  const byKey = new Map(Object.entries(ofType('AWS::ApiGatewayV2::Route')).map(([id, r]) => [r.Properties.RouteKey as string, { id, ...r }]));
  const authorizers = Object.entries(ofType('AWS::ApiGatewayV2::Authorizer'));

  it('creates exactly one HTTP API route per route-table entry', () => {
    expect([...byKey.keys()].sort()).toEqual(routes.map(routeKey).sort());
  });

  it('has one JWT authorizer that trusts the Cognito pool and both app clients', () => {
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]![1].Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: stack.resolve(`https://cognito-idp.${stack.region}.amazonaws.com/${stateful.identity.userPool.userPoolId}`),
        Audience: stateful.identity.clients.map((c): unknown => stack.resolve(c.userPoolClientId)),
      },
    });
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s: authorizer per the route table, and no gateway scopes', (key, route) => {
    const props = byKey.get(key)!.Properties;
    if (route.auth.kind === 'public') {
      expect(props.AuthorizationType).toBe('NONE');
      expect(props.AuthorizerId).toBeUndefined();
    } else {
      expect(props.AuthorizationType).toBe('JWT');
      expect(props.AuthorizerId).toEqual({ Ref: authorizers[0]![0] });
      // Staff tokens carry groups, not custom scopes: gateway scopes would lock them out (the handler checks both).
      expect(props.AuthorizationScopes).toBeUndefined();
    }
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s: integrates the function of its entry', (key, route) => {
    const target = byKey.get(key)!.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integration = ofType('AWS::ApiGatewayV2::Integration')[target['Fn::Join'][1][1].Ref]!.Properties;
    expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    expect(integration.IntegrationUri).toEqual({ 'Fn::GetAtt': [functionOf(route.entry).id, 'Arn'] });
  });

  it('serves a $default stage with default throttling and JSON access logs to a retained log group', () => {
    const stages = Object.values(ofType('AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    const props = stages[0]!.Properties as {
      StageName: string;
      DefaultRouteSettings: { ThrottlingRateLimit: number; ThrottlingBurstLimit: number };
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
    };
    expect(props.StageName).toBe('$default');
    expect(props.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(props.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThan(0);
    expect(JSON.parse(props.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
    const logGroup = ofType('AWS::Logs::LogGroup')[props.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]]!;
    expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
  });
});

describe('functions', () => {
  it('creates one Lambda function per handler entry, plus the case-timer functions (checkpoint, case stream), the evidence verifier, the two workflow functions, the report projection and the export builder', () => {
    expect(Object.keys(ofType('AWS::Lambda::Function'))).toHaveLength(
      entries.length + stack.scheduler.functions.size + stack.evidenceVerifier.functions.size + stack.workflows.functions.size + stack.reports.functions.size + stack.exportBuilder.functions.size + stack.retention.functions.size + stack.emailIntake.functions.size + stack.webhooks.functions.size,
    );
    expect(stack.reports.functions.size).toBe(1);
    expect(stack.exportBuilder.functions.size).toBe(1);
    expect(stack.scheduler.functions.size).toBe(2);
    expect(stack.evidenceVerifier.functions.size).toBe(1);
    expect(stack.emailIntake.functions.size).toBe(1);
    expect(stack.workflows.functions.size).toBe(2);
    expect(stack.webhooks.functions.size).toBe(1);
  });

  it.each(entries)('%s: arm64, Node.js 22 or newer, active tracing, bounded timeout', (entry) => {
    const { props } = functionOf(entry);
    expect(props.Architectures).toEqual(['arm64']);
    const [, major] = /^nodejs(\d+)\.x$/.exec(String(props.Runtime)) ?? [];
    expect(Number(major)).toBeGreaterThanOrEqual(22);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.Timeout).toBeLessThanOrEqual(29);
  });

  it.each(entries)('%s: logs as JSON to its own log group with a retention', (entry) => {
    const config = functionOf(entry).props.LoggingConfig as { LogFormat: string; LogGroup: { Ref: string } };
    expect(config.LogFormat).toBe('JSON');
    expect(ofType('AWS::Logs::LogGroup')[config.LogGroup.Ref]!.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it.each(entries)('%s: Powertools and source-map environment, system clock', (entry) => {
    const vars = (functionOf(entry).props.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(vars).toMatchObject({
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: expect.any(String),
      POWERTOOLS_METRICS_NAMESPACE: expect.any(String),
      POWERTOOLS_LOG_LEVEL: expect.any(String),
      SERVICE_NAME: expect.any(String),
      SERVICE_VERSION: expect.any(String),
    });
    expect(vars.CLOCK).toBeUndefined();
    expect(vars.DYNAMODB_ENDPOINT).toBeUndefined();
  });

  it('has its own role without AWS managed policies', () => {
    for (const role of Object.values(ofType('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('least-privilege data access', () => {
  const statements = Object.values(ofType('AWS::IAM::Policy')).flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);

  it('never grants dynamodb:* or kms:*, nor DynamoDB/KMS actions on Resource "*"', () => {
    for (const s of statements) {
      const actions = list(s.Action);
      expect(actions).not.toContain('dynamodb:*');
      expect(actions).not.toContain('kms:*');
      if (actions.some((a) => a.startsWith('dynamodb:') || a.startsWith('kms:'))) expect(list(s.Resource)).not.toContain('*');
    }
  });

  it('puts on Resource "*" only actions that support no resource-level permissions: X-Ray, task-token settling, vended-log delivery', () => {
    const onStar = statements.filter((s) => list(s.Resource).includes('*')).flatMap((s) => list(s.Action));
    expect(new Set(onStar)).toEqual(
      new Set([
        // Every function (active tracing) and the state machines (tracingEnabled; these two only there).
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        // The routes that decide and the workflow functions (TASK_TOKEN_ACTIONS).
        'states:SendTaskSuccess',
        'states:SendTaskFailure',
        // The state machines' logging (Step Functions vended logs).
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
      ]),
    );
  });

  it('puts the vended-log delivery and X-Ray sampling actions on the state machine roles only', () => {
    const machineRoles = [stack.workflows.approval.role, stack.workflows.escalation.role].map((r) => stack.getLogicalId(r.node.defaultChild as CfnRole));
    const holders = Object.values(ofType('AWS::IAM::Policy'))
      .filter((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some((s) => list(s.Action).some((a) => /^logs:.*Deliver|^xray:GetSampling/.test(a))))
      .flatMap((p) => (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref));
    expect(holders.sort()).toEqual(machineRoles.sort());
  });

  it('never grants Scan: every request path is a GetItem, Query or conditional write', () => {
    for (const s of statements) expect(list(s.Action)).not.toContain('dynamodb:Scan');
  });

  const dataEntries = entries.filter((e) => routes.some((r) => r.entry === e && !ROUTES_WITHOUT_DATA.has(r.id)));
  // A GET that records an audit event (a download URL issued) is marked `writes` in the route table.
  const readOnly = (entry: string) => routes.filter((r) => r.entry === entry).every((r) => !writesData(r));

  it('gives data access to every JWT route but the published export key (which reads only the signing key)', () => {
    for (const route of routes.filter((r) => r.auth.kind === 'jwt' && r.id !== 'exportPublicKey')) expect(dataEntries).toContain(route.entry);
    expect(routes.filter((r) => r.auth.kind === 'jwt' && ROUTES_WITHOUT_DATA.has(r.id)).map((r) => r.id)).toEqual(['exportPublicKey']);
  });

  const signingKeyArn = stack.resolve(stateful.exports.signingKey.keyArn);
  const onSigningKey = (s: Statement) => list(s.Resource).some((r) => JSON.stringify(r) === JSON.stringify(signingKeyArn));

  it.each(entries.filter((e) => !dataEntries.includes(e)))('%s (no data): no data access and no table names', (entry) => {
    const { roleId, props } = functionOf(entry);
    expect(statementsOf(roleId).flatMap((s) => list(s.Action)).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    // The key routes publish: GetPublicKey on the signing key only; nothing of the project key.
    const kms = statementsOf(roleId).filter((s) => list(s.Action).some((a) => a.startsWith('kms:')));
    for (const s of kms) {
      expect(onSigningKey(s)).toBe(true);
      expect(list(s.Action)).toEqual(['kms:GetPublicKey']);
    }
    const vars = (props.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(vars.TABLE_NAME).toBeUndefined();
    expect(vars.IDEMPOTENCY_TABLE_NAME).toBeUndefined();
  });

  it.each(dataEntries.filter(readOnly))('%s (GET): reads the cases table and its indexes, writes nothing', (entry) => {
    const { roleId, props } = functionOf(entry);
    const onTable = actionsOn(roleId, cases.table.tableArn);
    expect(onTable).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    for (const index of cases.indexNames) expect(actionsOn(roleId, `${cases.table.tableArn}/index/${index}`)).toContain('dynamodb:Query');
    const all = statementsOf(roleId).flatMap((s) => list(s.Action));
    expect(all.filter((a) => WRITE_ACTIONS.includes(a))).toEqual([]);
    expect(all.filter((a) => a.startsWith('kms:') && !['kms:Decrypt', 'kms:DescribeKey'].includes(a))).toEqual([]);
    expect(actionsOn(roleId, idempotency.table.tableArn)).toEqual([]);
    expect((props.Environment as { Variables: Record<string, unknown> }).Variables.TABLE_NAME).toEqual(stack.resolve(cases.table.tableName));
  });

  it.each(dataEntries.filter((e) => !readOnly(e)))('%s (mutation): reads and writes the cases table through its key', (entry) => {
    const { roleId } = functionOf(entry);
    expect(actionsOn(roleId, cases.table.tableArn)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']));
    expect(actionsOn(roleId, cases.encryptionKey.keyArn)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']));
  });

  it.each(entries.filter((e) => routes.some((r) => r.entry === e && r.method === 'POST')))('%s (POST): reads and writes the idempotency table', (entry) => {
    const { roleId, props } = functionOf(entry);
    expect(actionsOn(roleId, idempotency.table.tableArn)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
    expect((props.Environment as { Variables: Record<string, unknown> }).Variables.IDEMPOTENCY_TABLE_NAME).toEqual(stack.resolve(idempotency.table.tableName));
  });

  it('uses the key only through the service holding the data (DynamoDB, SQS, SNS, S3, Secrets Manager), never directly; the signing key only to sign and publish', () => {
    const signing = statements.filter(onSigningKey);
    expect(signing.length).toBeGreaterThan(0);
    for (const s of signing) for (const a of list(s.Action)) expect(['kms:Sign', 'kms:GetPublicKey']).toContain(a);
    const kms = statements.filter((x) => list(x.Action).some((a) => a.startsWith('kms:')) && !onSigningKey(x));
    expect(kms.length).toBeGreaterThan(0);
    for (const s of kms) {
      const via = JSON.stringify((s as Statement & { Condition?: { StringEquals?: Record<string, unknown> } }).Condition?.StringEquals?.['kms:ViaService']);
      // Secrets Manager: the functions that read a signing secret (feedback links, helpdesk signatures) decrypt it through the service.
      expect(via).toMatch(/^\{"Fn::Join":\["",\["(dynamodb|sqs|sns|s3|secretsmanager)\.",\{"Ref":"AWS::Region"\},"\.amazonaws\.com"\]\]\}$/);
    }
  });

  const usesEvidence = (entry: string) =>
    routes.some((r) => r.entry === entry && (EVIDENCE_ACCESS[r.id] !== undefined || (EXPORT_ACCESS[r.id] ?? []).some((u) => EXPORT_GRANTS[u].objects.length > 0)));

  it.each(dataEntries.filter((e) => !usesEvidence(e)))('%s: uses the key only through DynamoDB (and Secrets Manager for a signing secret), and nothing of S3', (entry) => {
    const { roleId, props } = functionOf(entry);
    const kms = statementsOf(roleId).filter((x) => list(x.Action).some((a) => a.startsWith('kms:')));
    expect(kms.length).toBeGreaterThan(0);
    for (const s of kms) expect(JSON.stringify(s)).toMatch(/"(dynamodb|secretsmanager)\."/);
    expect(statementsOf(roleId).flatMap((s) => list(s.Action)).filter((a) => a.startsWith('s3:'))).toEqual([]);
    expect((props.Environment as { Variables: Record<string, unknown> }).Variables.EVIDENCE_BUCKET).toBeUndefined();
  });

  it.each(dataEntries.filter(usesEvidence))('%s: uses the key only through DynamoDB and S3', (entry) => {
    const kms = statementsOf(functionOf(entry).roleId).filter((x) => list(x.Action).some((a) => a.startsWith('kms:')));
    expect(kms.length).toBeGreaterThan(0);
    for (const s of kms) expect(JSON.stringify(s)).toMatch(/"(dynamodb|s3)\."/);
  });
});

describe('alarms', () => {
  it('alarms on API 5xx and on every route function’s errors', () => {
    const alarms = Object.values(ofType('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.filter((a) => a.MetricName === '5xx' && a.Namespace === 'AWS/ApiGateway')).toHaveLength(1);
    for (const entry of entries) {
      expect(alarms.filter((a) => a.MetricName === 'Errors' && JSON.stringify(a.Dimensions).includes(functionOf(entry).id))).toHaveLength(1);
    }
  });
});
