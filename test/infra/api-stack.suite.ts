// API stack: every route of the route table on the HTTP API with the right authorizer, one function per
// handler entry with fixed defaults (in the nested route stack of its tag), and least-privilege data access.
import { NestedStack, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AUDIT_ANCHOR_READERS, EVIDENCE_ACCESS, EXPORT_ACCESS, FEEDBACK_SIGNING_ROUTES, HELPDESK_SIGNED_ROUTES, ROUTE_STACK_OF_TAG, ROUTES_WITHOUT_DATA, writesData } from '../../infra/constructs/api';
import { WEBHOOK_SECRET_CONTEXT } from '../../infra/constructs/webhook-delivery';
import { EXPORT_GRANTS } from '../../infra/constructs/api-function';
import { FUNCTION_ARCHITECTURE, functionMemoryMb } from '../../infra/constructs/function-sizing';
import { isPaged, ROUTES, routeKey, routeList } from '#http/routes';
import { alarmedMetrics, logicalIdOf, resolveIn, resourceOf, resourcesIn, resourcesInFamily, stackFamily, statementsOfRole, templateOf, type Statement } from '../support/stacks';
import { sharedApp } from '../support/infra-app';
import { CONFIG_SETTINGS } from '#http/config';
import { COLD_START_ENV } from '../../bench/lean';

// Skip esbuild: these tests read templates, not bundles (`npx cdk synth` bundles for real).
const { stateful, api } = sharedApp();
const stack = api;
const template = templateOf(stack);

type Resource = { Properties: Record<string, unknown> };
const byType = new Map<string, Record<string, Resource>>();
/** Resources of the API stack's own template (the HTTP API, routes, integrations, stage, alarms, background workers). */
const ofType = (type: string) => {
  if (!byType.has(type)) byType.set(type, template.findResources(type) as Record<string, Resource>);
  return byType.get(type)!;
};
/** Resources of the API stack and its nested route stacks: where a test enumerates every function, role or policy. */
const inFamily = (type: string) => resourcesInFamily(stack, type);
const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

const routes = routeList();
const entries = [...new Set(routes.map((r) => r.entry))];
/** A route function, looked up in the nested route stack that holds it. */
const functionOf = (entry: string) => {
  const fn = stack.api.functions.get(entry);
  if (!fn) throw new Error(`no function for ${entry}`);
  return { fn, role: fn.role, id: logicalIdOf(fn.function), props: resourceOf(fn.function).Properties };
};
const statementsOf = (role: IConstruct): Statement[] => statementsOfRole(role);
/** The actions a role has on a resource, the resource's token resolved in the role's stack. */
const actionsOn = (role: IConstruct, resource: unknown): string[] => {
  const wanted = JSON.stringify(resolveIn(role, resource));
  return statementsOf(role)
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
    // The function's ARN as the API stack sees it: an output of the nested route stack that holds the function.
    expect(integration.IntegrationUri).toEqual(stack.resolve(functionOf(route.entry).fn.function.functionArn));
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
    expect(inFamily('AWS::Lambda::Function')).toHaveLength(
      entries.length + stack.scheduler.functions.size + stack.evidenceVerifier.functions.size + stack.workflows.functions.size + stack.reports.functions.size + stack.exportBuilder.functions.size + stack.retention.functions.size + stack.auditDigest.functions.size + stack.emailIntake!.functions.size + stack.webhooks.functions.size + stack.problemSignals.functions.size,
    );
    expect(stack.auditDigest.functions.size).toBe(1);
    expect(stack.reports.functions.size).toBe(1);
    expect(stack.exportBuilder.functions.size).toBe(1);
    expect(stack.scheduler.functions.size).toBe(2);
    expect(stack.evidenceVerifier.functions.size).toBe(1);
    expect(stack.emailIntake!.functions.size).toBe(1);
    expect(stack.workflows.functions.size).toBe(2);
    expect(stack.webhooks.functions.size).toBe(1);
  });

  it('deploys every function with the memory and architecture of infra/constructs/function-sizing.ts (what bench/cost.ts prices)', () => {
    const groups = [stack.api, stack.scheduler, stack.evidenceVerifier, stack.workflows, stack.reports, stack.exportBuilder, stack.retention, stack.auditDigest, stack.emailIntake!, stack.webhooks, stack.problemSignals];
    const deployed = groups.flatMap((g) => [...g.functions].map(([entry, fn]) => ({ entry, memoryMb: resourceOf(fn.function).Properties.MemorySize, architectures: resourceOf(fn.function).Properties.Architectures })));
    expect(deployed.length).toBe(inFamily('AWS::Lambda::Function').length);
    expect(deployed).toEqual(deployed.map(({ entry }) => ({ entry, memoryMb: functionMemoryMb(entry), architectures: [FUNCTION_ARCHITECTURE] })));
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
    const { fn, props } = functionOf(entry);
    const config = props.LoggingConfig as { LogFormat: string; LogGroup: { Ref: string } };
    expect(config.LogFormat).toBe('JSON');
    // The log group is in the function's own (nested) stack.
    const [, group] = resourcesIn(fn.function, 'AWS::Logs::LogGroup').find(([id]) => id === config.LogGroup.Ref)!;
    expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
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

  it('gives a route function the settings the cold-start probe of `npm run bench` sets (bench/lean.ts COLD_START_ENV), no more, no fewer', () => {
    // A function validates each setting it is given at cold start, so the probe must carry what a deployed one gets.
    const names = new Set<string>(Object.keys(CONFIG_SETTINGS));
    const vars = (functionOf(ROUTES.addNote.entry).props.Environment as { Variables: Record<string, unknown> }).Variables;
    const deployed = Object.fromEntries(Object.entries(vars).filter(([k, v]) => names.has(k) && typeof v === 'string'));
    // The table names are references in the template, and Lambda itself sets AWS_REGION.
    const probe = Object.fromEntries(Object.entries(COLD_START_ENV).filter(([k]) => names.has(k) && k !== 'AWS_REGION' && typeof vars[k] !== 'object'));
    expect(probe).toEqual(deployed);
  });

  it('has its own role without AWS managed policies', () => {
    const roles = inFamily('AWS::IAM::Role');
    expect(roles.length).toBeGreaterThan(entries.length);
    for (const { resource } of roles) expect(resource.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('least-privilege data access', () => {
  // Every policy of the API stack and its nested route stacks, each statement with the stack that holds it.
  const held = inFamily('AWS::IAM::Policy').flatMap(({ stack: holder, resource }) => (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement.map((s) => ({ holder, s })));
  const statements = held.map((h) => h.s);

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
    // Named by stack path and logical id: logical ids are unique per template only.
    const machineRoles = [stack.workflows.approval.role, stack.workflows.escalation.role].map((r) => `${Stack.of(r).node.path} ${logicalIdOf(r)}`);
    const holders = inFamily('AWS::IAM::Policy')
      .filter(({ resource: p }) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some((s) => list(s.Action).some((a) => /^logs:.*Deliver|^xray:GetSampling/.test(a))))
      .flatMap(({ stack: holder, resource: p }) => (p.Properties.Roles as { Ref: string }[]).map((r) => `${holder.node.path} ${r.Ref}`));
    expect(holders.sort()).toEqual(machineRoles.sort());
  });

  it('never grants Scan: every request path is a GetItem, Query or conditional write', () => {
    for (const s of statements) expect(list(s.Action)).not.toContain('dynamodb:Scan');
  });

  const dataEntries = entries.filter((e) => routes.some((r) => r.entry === e && !ROUTES_WITHOUT_DATA.has(r.id)));
  // A GET that records an audit event (a download URL issued) is marked `writes` in the route table.
  const readOnly = (entry: string) => routes.filter((r) => r.entry === entry).every((r) => !writesData(r));
  // A POST that only reads the table (`writes: false`) has a test of its own (the replay, below).
  const readOnlyGet = (entry: string) => readOnly(entry) && routes.filter((r) => r.entry === entry).every((r) => r.method === 'GET');

  it('gives data access to every JWT route but the published export key (which reads only the signing key)', () => {
    for (const route of routes.filter((r) => r.auth.kind === 'jwt' && r.id !== 'exportPublicKey')) expect(dataEntries).toContain(route.entry);
    expect(routes.filter((r) => r.auth.kind === 'jwt' && ROUTES_WITHOUT_DATA.has(r.id)).map((r) => r.id)).toEqual(['exportPublicKey']);
  });

  // The signing key's ARN as the stack holding the statement sees it.
  const onSigningKeyIn = (holder: Stack, s: Statement) => list(s.Resource).some((r) => JSON.stringify(r) === JSON.stringify(holder.resolve(stateful.exports.signingKey.keyArn)));
  const onSigningKeyOf = (role: IConstruct) => (s: Statement) => onSigningKeyIn(Stack.of(role), s);

  it.each(entries.filter((e) => !dataEntries.includes(e)))('%s (no data): no data access and no table names', (entry) => {
    const { role, props } = functionOf(entry);
    expect(statementsOf(role).flatMap((s) => list(s.Action)).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    // The key routes publish: GetPublicKey on the signing key only; nothing of the project key.
    const kms = statementsOf(role).filter((s) => list(s.Action).some((a) => a.startsWith('kms:')));
    for (const s of kms) {
      expect(onSigningKeyOf(role)(s)).toBe(true);
      expect(list(s.Action)).toEqual(['kms:GetPublicKey']);
    }
    const vars = (props.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(vars.TABLE_NAME).toBeUndefined();
    expect(vars.IDEMPOTENCY_TABLE_NAME).toBeUndefined();
  });

  it.each(dataEntries.filter(readOnlyGet))('%s (GET): reads the cases table and its indexes, writes nothing', (entry) => {
    const { role, fn, props } = functionOf(entry);
    const onTable = actionsOn(role, cases.table.tableArn);
    expect(onTable).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    for (const index of cases.indexNames) expect(actionsOn(role, `${cases.table.tableArn}/index/${index}`)).toContain('dynamodb:Query');
    const all = statementsOf(role).flatMap((s) => list(s.Action));
    expect(all.filter((a) => WRITE_ACTIONS.includes(a))).toEqual([]);
    expect(all.filter((a) => a.startsWith('kms:') && !['kms:Decrypt', 'kms:DescribeKey'].includes(a))).toEqual([]);
    expect(actionsOn(role, idempotency.table.tableArn)).toEqual([]);
    expect((props.Environment as { Variables: Record<string, unknown> }).Variables.TABLE_NAME).toEqual(resolveIn(fn.function, cases.table.tableName));
  });

  it.each(dataEntries.filter((e) => !readOnly(e)))('%s (mutation): reads and writes the cases table through its key', (entry) => {
    const { role } = functionOf(entry);
    expect(actionsOn(role, cases.table.tableArn)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']));
    expect(actionsOn(role, cases.encryptionKey.keyArn)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']));
  });

  // A signed webhook (helpdesk intake) is de-duplicated on its ticket instead: it never reads the idempotency table.
  const signedOnly = (entry: string) => routes.filter((r) => r.entry === entry).every((r) => r.signedBody !== undefined);
  it.each(entries.filter((e) => routes.some((r) => r.entry === e && r.method === 'POST') && !signedOnly(e)))('%s (POST): reads and writes the idempotency table', (entry) => {
    const { role, fn, props } = functionOf(entry);
    expect(actionsOn(role, idempotency.table.tableArn)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
    expect((props.Environment as { Variables: Record<string, unknown> }).Variables.IDEMPOTENCY_TABLE_NAME).toEqual(resolveIn(fn.function, idempotency.table.tableName));
  });

  it.each(entries.filter(signedOnly))('%s (signed webhook): de-duplicated on its ticket, nothing of the idempotency table', (entry) => {
    const { role, props } = functionOf(entry);
    expect(actionsOn(role, idempotency.table.tableArn)).toEqual([]);
    expect((props.Environment as { Variables: Record<string, unknown> }).Variables.IDEMPOTENCY_TABLE_NAME).toBeUndefined();
  });

  // Webhook signing secrets are encrypted with the project key itself (KMS Encrypt by the subscribe route, Decrypt by
  // the delivery function), each bound to the webhook encryption context: the one direct use of the key.
  const webhookSecretUse = (s: Statement) =>
    JSON.stringify(s.Condition) === JSON.stringify({ StringEquals: WEBHOOK_SECRET_CONTEXT }) && list(s.Action).length === 1 && ['kms:Encrypt', 'kms:Decrypt'].includes(list(s.Action)[0]!);

  it('uses the key only through the service holding the data (DynamoDB, SQS, SNS, S3, Secrets Manager), never directly but for webhook secrets under their encryption context; the signing key only to sign and publish', () => {
    const signing = held.filter(({ holder, s }) => onSigningKeyIn(holder, s)).map(({ s }) => s);
    expect(signing.length).toBeGreaterThan(0);
    for (const s of signing) for (const a of list(s.Action)) expect(['kms:Sign', 'kms:GetPublicKey']).toContain(a);
    const kms = held.filter(({ holder, s: x }) => list(x.Action).some((a) => a.startsWith('kms:')) && !onSigningKeyIn(holder, x)).map(({ s }) => s);
    expect(kms.length).toBeGreaterThan(0);
    const direct = held.filter(({ s }) => kms.includes(s) && webhookSecretUse(s));
    // Exactly the subscribe route (Encrypt) and the delivery function (Decrypt).
    expect(direct.map(({ s }) => list(s.Action)[0]).sort()).toEqual(['kms:Decrypt', 'kms:Encrypt']);
    for (const s of kms.filter((x) => !webhookSecretUse(x))) {
      const via = JSON.stringify((s as Statement & { Condition?: { StringEquals?: Record<string, unknown> } }).Condition?.StringEquals?.['kms:ViaService']);
      // Secrets Manager: the functions that read a signing secret (feedback links, helpdesk signatures) decrypt it through the service.
      expect(via).toMatch(/^\{"Fn::Join":\["",\["(dynamodb|sqs|sns|s3|secretsmanager)\.",\{"Ref":"AWS::Region"\},"\.amazonaws\.com"\]\]\}$/);
    }
  });

  // The timeline reads audit anchors on the exports bucket (AUDIT_ANCHOR_READERS): S3, read-only, see test/security/audit-iam.test.ts.
  const usesEvidence = (entry: string) =>
    routes.some((r) => r.entry === entry && (EVIDENCE_ACCESS[r.id] !== undefined || AUDIT_ANCHOR_READERS.has(r.id) || (EXPORT_ACCESS[r.id] ?? []).some((u) => EXPORT_GRANTS[u].objects.length > 0)));

  it.each(dataEntries.filter((e) => !usesEvidence(e)))('%s: uses the key only through DynamoDB (and Secrets Manager for a signing secret; directly only to encrypt a webhook secret), and nothing of S3', (entry) => {
    const { role, props } = functionOf(entry);
    const kms = statementsOf(role).filter((x) => list(x.Action).some((a) => a.startsWith('kms:')));
    expect(kms.length).toBeGreaterThan(0);
    const subscribes = routes.some((r) => r.entry === entry && r.id === 'createWebhook');
    // Closing a problem notifies the owners of linked open complaints: the topic's key through SNS (#32).
    const notifies = routes.some((r) => r.entry === entry && r.id === 'closeProblem');
    for (const s of kms) {
      if (subscribes && webhookSecretUse(s)) expect(s.Action).toBe('kms:Encrypt');
      else expect(JSON.stringify(s)).toMatch(notifies ? /"(dynamodb|secretsmanager|sns)\."/ : /"(dynamodb|secretsmanager)\."/);
    }
    expect(statementsOf(role).flatMap((s) => list(s.Action)).filter((a) => a.startsWith('s3:'))).toEqual([]);
    expect((props.Environment as { Variables: Record<string, unknown> }).Variables.EVIDENCE_BUCKET).toBeUndefined();
  });

  // A route that verifies a signature or signs a link also decrypts its secret through Secrets Manager.
  const readsSecret = (entry: string) => routes.some((r) => r.entry === entry && (HELPDESK_SIGNED_ROUTES.has(r.id) || FEEDBACK_SIGNING_ROUTES.has(r.id) || isPaged(r)));
  it.each(dataEntries.filter(usesEvidence))('%s: uses the key only through DynamoDB and S3 (and Secrets Manager for a signing secret)', (entry) => {
    const kms = statementsOf(functionOf(entry).role).filter((x) => list(x.Action).some((a) => a.startsWith('kms:')));
    expect(kms.length).toBeGreaterThan(0);
    for (const s of kms) expect(JSON.stringify(s)).toMatch(readsSecret(entry) ? /"(dynamodb|s3|secretsmanager)\."/ : /"(dynamodb|s3)\."/);
  });
});

describe('the page-cursor key (issue 27 item 3)', () => {
  it.each(entries.map((e) => [e] as const))('%s: reads the cursor secret (and has its setting) exactly when it serves a list route', (entry) => {
    const lists = routes.some((r) => r.entry === entry && isPaged(r));
    const { role, props } = functionOf(entry);
    expect({ entry, actions: actionsOn(role, stateful.cursorKey.secret.secretArn) }).toEqual({ entry, actions: lists ? ['secretsmanager:GetSecretValue'] : [] });
    const env = (props.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
    expect({ entry, setting: Object.hasOwn(env, 'CURSOR_KEY_SECRET_ARN') }).toEqual({ entry, setting: lists });
  });
});

describe('the replay of recorded inbound rejections (issue 25, finding 1)', () => {
  const REPLAY = 'functions/replay-inbound-rejection/handler.ts';

  it('invokes the inbound-email function and nothing else of the email intake: no route function reads raw mail or parses it', () => {
    const { role, props } = functionOf(REPLAY);
    const intakeArn = stack.emailIntake!.intake.function.functionArn;
    // InvokeFunction on the intake function only, which it is told in its environment.
    expect(actionsOn(role, intakeArn)).toEqual(['lambda:InvokeFunction']);
    const invokes = statementsOf(role).filter((s) => list(s.Action).some((a) => a.startsWith('lambda:')));
    expect(invokes).toHaveLength(1);
    const env = (props.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.stringify(env.INBOUND_EMAIL_FUNCTION_ARN)).toBe(JSON.stringify(resolveIn(role, intakeArn)));
    // No S3 at all (the function stores the evidence), no raw-mail bucket, no triage model.
    expect(statementsOf(role).flatMap((s) => list(s.Action)).filter((a) => a.startsWith('s3:') || a.startsWith('bedrock:'))).toEqual([]);
    expect(env.INBOUND_MAIL_BUCKET).toBeUndefined();
    const readers = entries.filter((e) => statementsOf(functionOf(e).role).some((s) => JSON.stringify(s.Resource).includes('-inbound-mail-')));
    expect(readers).toEqual([]);
  });

  it('is the only route function that may invoke the inbound-email function (so only it can ask for a replay)', () => {
    const invokers = entries.filter((e) => actionsOn(functionOf(e).role, stack.emailIntake!.intake.function.functionArn).length > 0);
    expect(invokers).toEqual([REPLAY]);
  });

  it('is admin-only in the route table and reads the table (the rejection, where no email intake is deployed) and writes the idempotency table', () => {
    const route = routes.find((r) => r.id === 'replayInboundRejection')!;
    expect(route).toMatchObject({ method: 'POST', path: '/v1/intake/rejections/{id}/replay', auth: { kind: 'jwt', roles: ['admin'] } });
    const { role } = functionOf(REPLAY);
    expect(actionsOn(role, cases.table.tableArn)).toEqual(expect.arrayContaining(['dynamodb:GetItem']));
    expect(actionsOn(role, cases.table.tableArn).filter((a) => WRITE_ACTIONS.includes(a))).toEqual([]);
    expect(actionsOn(role, idempotency.table.tableArn)).toEqual(expect.arrayContaining(['dynamodb:PutItem']));
  });
});

describe('alarms', () => {
  it('alarms on API 5xx and on every function’s errors (one account-level alarm; the dashboard shows each route function)', () => {
    const alarms = Object.values(ofType('AWS::CloudWatch::Alarm')).flatMap((a) => alarmedMetrics(a.Properties));
    expect(alarms.filter((a) => a.MetricName === '5xx' && a.Namespace === 'AWS/ApiGateway')).toHaveLength(1);
    expect(alarms.filter((a) => a.MetricName === 'Errors' && a.Namespace === 'AWS/Lambda' && a.Dimensions === undefined)).toHaveLength(1);
    const dashboard = JSON.stringify(Object.values(ofType('AWS::CloudWatch::Dashboard'))[0]!.Properties);
    for (const entry of entries) {
      // The dashboard (API stack) names the function by the nested route stack's output of its name.
      const name = stack.resolve(functionOf(entry).fn.function.functionName) as { 'Fn::GetAtt': [string, string] };
      expect(dashboard).toContain(name['Fn::GetAtt'][1]);
    }
  });
});

describe('nested route stacks (CloudFormation allows 500 resources per stack)', () => {
  const routeStacks = stackFamily(stack).filter((s) => s !== stack);

  it('puts every route function, with its role, in the nested stack ROUTE_STACK_OF_TAG names for its route’s tag', () => {
    expect(routeStacks.map((s) => s.node.id).sort()).toEqual([...new Set(Object.values(ROUTE_STACK_OF_TAG))].sort());
    for (const route of routes) {
      const { fn, id } = functionOf(route.entry);
      const holder = Stack.of(fn.function);
      expect(NestedStack.isNestedStack(holder)).toBe(true);
      expect(holder.node.scope).toBe(stack.api);
      // Route key and stack together, so a failure names the route.
      expect(`${routeKey(route)} in ${holder.node.id}`).toBe(`${routeKey(route)} in ${ROUTE_STACK_OF_TAG[route.tag]}`);
      expect(Stack.of(fn.role)).toBe(holder);
      expect(resourcesIn(holder, 'AWS::Lambda::Function').map(([fnId]) => fnId)).toContain(id);
    }
    // Only route functions there: the background workers (timers, projection, exports, retention, verifier, intake,
    // webhooks, workflows) stay in the API stack.
    expect(routeStacks.flatMap((s) => resourcesIn(s, 'AWS::Lambda::Function'))).toHaveLength(entries.length);
    expect(new Set(stack.api.functions.values()).size).toBe(entries.length);
  });

  it('attaches every policy only to roles of its own stack (so a role’s statements are all in its stack)', () => {
    for (const { stack: holder, resource } of inFamily('AWS::IAM::Policy')) {
      const roleIds = resourcesIn(holder, 'AWS::IAM::Role').map(([id]) => id);
      for (const role of resource.Properties.Roles as { Ref?: string }[]) expect(roleIds).toContain(role.Ref);
    }
  });

  it.each(stackFamily(stack).map((s) => [s.node.path, s] as const))('%s stays under 500 resources', (_path, s) => {
    expect(Object.keys(templateOf(s).toJSON().Resources as object).length).toBeLessThan(500);
  });
});
