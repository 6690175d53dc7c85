// cdk-nag (AwsSolutions) over the whole app: no unacknowledged error, and every acknowledgement reviewed and reasoned.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../infra/app';

// Skip esbuild: cdk-nag reads the construct tree, not bundles (`npx cdk synth` bundles for real).
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** Synthesizes with or without CloudFormation's default rules (CDK_VALIDATION); cdk-nag runs either way. */
const synth = (app: ReturnType<typeof buildApp>['app'], defaultRules: boolean) => {
  const previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = defaultRules ? 'true' : 'false';
  try {
    return app.synth();
  } finally {
    if (previous === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = previous;
  }
};

/** The acknowledgements a reviewer has accepted; a new one must be added here deliberately. */
const REVIEWED = [
  // Actions that support no resource-level permissions: X-Ray (every function, the state machines), Step Functions
  // task-token settling (the routes that decide, the workflow functions), vended-log delivery (the state machines).
  'AwsSolutions-IAM5[Resource::*]',
  // The public routes of the route table (health, OpenAPI).
  'AwsSolutions-APIG4',
  // A dead-letter queue has no dead-letter queue of its own.
  'AwsSolutions-SQS3',
  // The case-stream function manages schedules named at run time, in the dedicated group only.
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/complaints-case-timers/*]',
  // The evidence functions touch objects keyed by ids created at run time, under cases/ of the evidence bucket only.
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::complaints-evidence-<AWS::AccountId>-<AWS::Region>-an/cases/*]',
  // The export functions touch bundles keyed by ids created at run time, under cases/ of the exports bucket only.
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::complaints-exports-<AWS::AccountId>-<AWS::Region>-an/cases/*]',
  // The audit digest job and the export builder write, and the timeline reads, digests and case anchors under audit/ of
  // the exports bucket only (numbered and keyed by case id at run time).
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::complaints-exports-<AWS::AccountId>-<AWS::Region>-an/audit/*]',
  // The evidence bucket's server-access-log bucket does not log itself.
  'AwsSolutions-S1',
  // The email intake and the replay of its recorded rejections read raw messages SES names at receipt, under inbound/
  // of the raw-mail bucket only (GetObject).
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::complaints-inbound-mail-<AWS::AccountId>-<AWS::Region>/inbound/*]',
  // Secrets shared with another system (the helpdesks sign with them; customers hold feedback links): rotated by hand.
  'AwsSolutions-SMG4',
  // The staff console's distribution (#31): default *.cloudfront.net certificate (TLS policy fixed by CloudFront),
  // no geo restriction (staff sign in with MFA from anywhere), no WAF in front of static build files.
  'AwsSolutions-CFR4',
  'AwsSolutions-CFR1',
  'AwsSolutions-CFR2',
  // CDK's BucketDeployment handler of the console site (deploy time only): its runtime, basic logging role and grants.
  'AwsSolutions-L1',
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((a) => `AwsSolutions-IAM5[Action::${a}]`),
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
  'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::complaints-console-<AWS::AccountId>-<AWS::Region>/*]',
];

const acknowledgementsIn = (root: ReturnType<typeof buildApp>['app']) =>
  root.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => ({ at: c.node.path, data: m.data as Record<string, string> })))
    .flatMap(({ at, data }) => Object.entries(data).map(([id, reason]) => ({ at, id: id.replace(/^annotation::/i, ''), reason })));

describe('cdk-nag AwsSolutions', () => {
  const { app, stateful, api, console: consoleStack } = buildApp({ context: NO_BUNDLING });

  const report = new AwsSolutionsChecks().validateScope(app);
  const findings = (severity: string) =>
    report.violations.filter((v) => v.severity === severity).map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);

  it('reports no unacknowledged error in either stack', () => {
    expect(findings('error')).toEqual([]);
  });

  it('reports no unacknowledged warning either', () => {
    expect(findings('warning')).toEqual([]);
  });

  it('acknowledges only reviewed rules, each with a specific reason', () => {
    const acks = acknowledgementsIn(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(REVIEWED).toContain(ack.id);
      expect(ack.reason.length).toBeGreaterThanOrEqual(40);
    }
  });

  it('acknowledges at the narrowest scope: a function or a route, never a stack or the app', () => {
    for (const ack of acknowledgementsIn(app)) expect(ack.at.split('/').length).toBeGreaterThanOrEqual(3);
  });

  it('acknowledges the missing dead-letter queue only on queues that are themselves dead-letter queues', () => {
    const dlqs = [stateful.timers.scheduleDeadLetters, stateful.timers.streamDeadLetters, stateful.timers.projectionDeadLetters, stateful.evidence.verificationDeadLetters, stateful.exports.builderDeadLetters, stateful.timers.retentionDeadLetters, stateful.channels.mailDeadLetters, api.webhooks.deadLetters, { queue: api.eventTargetDeadLetters }].map((d) => d.queue.node.path);
    const at = acknowledgementsIn(app).filter((a) => a.id === 'AwsSolutions-SQS3').map((a) => a.at);
    expect(at.sort()).toEqual(dlqs.sort());
  });

  it('acknowledges the schedule wildcard only on the case-stream function’s role', () => {
    const at = acknowledgementsIn(app).filter((a) => a.id.includes(':scheduler:')).map((a) => a.at);
    expect(at).toEqual([api.scheduler.caseStream.role.node.path]);
  });

  it('acknowledges the evidence-object wildcard only on the roles of the functions that use evidence objects', () => {
    const at = acknowledgementsIn(app).filter((a) => a.id.includes(':s3:::complaints-evidence-')).map((a) => a.at);
    const evidenceRoles = [
      ...['functions/register-evidence/handler.ts', 'functions/get-evidence/handler.ts', 'functions/legal-hold/handler.ts'].map((e) => api.api.functions.get(e)!.role.node.path),
      api.evidenceVerifier.verifier.role.node.path,
      api.exportBuilder.builder.role.node.path,
      api.retention.job.role.node.path,
      // Channel intake writes received attachments (and the raw email) to the vault for the verifier.
      api.api.functions.get('functions/helpdesk-intake/handler.ts')!.role.node.path,
      api.emailIntake!.intake.role.node.path,
      // The acknowledgement and the final response keep the exact text sent as evidence (letters/ keys of the case).
      ...['functions/record-acknowledgement/handler.ts', 'functions/send-final-response/handler.ts'].map((e) => api.api.functions.get(e)!.role.node.path),
    ];
    expect(at.sort()).toEqual(evidenceRoles.sort());
  });

  it('acknowledges the bundle wildcard only on the roles of the functions that touch bundles', () => {
    const at = acknowledgementsIn(app).filter((a) => a.id.includes(':s3:::complaints-exports-') && a.id.endsWith('/cases/*]')).map((a) => a.at);
    const roles = [...['functions/get-export/handler.ts', 'functions/legal-hold/handler.ts'].map((e) => api.api.functions.get(e)!.role.node.path), api.exportBuilder.builder.role.node.path, api.retention.job.role.node.path];
    expect(at.sort()).toEqual(roles.sort());
  });

  it('acknowledges the audit-object wildcard only on the roles of the digest job, the export builder and the timeline', () => {
    const at = acknowledgementsIn(app).filter((a) => a.id.includes(':s3:::complaints-exports-') && a.id.endsWith('/audit/*]')).map((a) => a.at);
    const roles = [api.auditDigest.job.role.node.path, api.exportBuilder.builder.role.node.path, api.api.functions.get('functions/get-timeline/handler.ts')!.role.node.path];
    expect(at.sort()).toEqual(roles.sort());
  });

  it('acknowledges the task-token actions on "*" only on the roles of the functions that settle workflow tasks', () => {
    const at = acknowledgementsIn(app)
      .filter((a) => a.id === 'AwsSolutions-IAM5[Resource::*]' && a.reason.includes('SendTaskSuccess'))
      .map((a) => a.at);
    const settling = [
      ...['functions/decide-approval/handler.ts', 'functions/acknowledge-escalation/handler.ts', 'functions/waive-escalation/handler.ts'].map((e) => api.api.functions.get(e)!.role.node.path),
      ...[...api.workflows.functions.values()].map((fn) => fn.role.node.path),
      // The case stream ends waits a committed change made moot (superseded stages of a re-planned proposal, issue 25).
      api.scheduler.caseStream.role.node.path,
    ];
    expect(at.sort()).toEqual(settling.sort());
  });

  it('acknowledges the logging and tracing wildcard of the state machines only on their own policies', () => {
    const at = acknowledgementsIn(app)
      .filter((a) => a.id === 'AwsSolutions-IAM5[Resource::*]' && a.reason.includes('vended-log'))
      .map((a) => a.at);
    expect(at.sort()).toEqual([api.workflows.approval, api.workflows.escalation].map((w) => w.policy.node.path).sort());
  });

  it('acknowledges missing server access logs only on the access-log bucket itself', () => {
    const at = acknowledgementsIn(app).filter((a) => a.id === 'AwsSolutions-S1').map((a) => a.at);
    // The evidence vaults' and the staff console's (#31) access-log buckets.
    expect(at.sort()).toEqual([stateful.evidence.accessLogs.node.path, consoleStack!.edge.logs.node.path].sort());
  });

  it('reports no unacknowledged error or warning with the account and region pinned and the edge on (the console site names the resolved asset bucket)', () => {
    const pinned = buildApp({ context: { ...NO_BUNDLING, 'complaints:account': '123456789012', 'complaints:region': 'eu-west-2', 'complaints:edge': 'on' } });
    const violations = new AwsSolutionsChecks().validateScope(pinned.app).violations.filter((v) => v.severity === 'error' || v.severity === 'warning');
    expect(violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(pinned.edge).toBeDefined();
    expect(pinned.consoleSite).toBeDefined();
  });

  // The one place CloudFormation's default rules run in tests (their 9 MB wasm engine costs ~10 s under jest).
  it('synthesizes with every validation plugin on (cdk-nag and CloudFormation default rules)', () => {
    const assembly = synth(app, true);
    const written = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as { pluginReports: { violations: unknown[] }[] };
    expect(written.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  });

  it('is wired into the app: a non-compliant resource fails synth', () => {
    const control = buildApp({ context: NO_BUNDLING }).app;
    const stack = new Stack(control, 'NagControl');
    new LambdaFunction(stack, 'Outdated', { runtime: Runtime.NODEJS_20_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => 1') });
    expect(() => synth(control, false)).toThrow(/AwsSolutions-L1/);
  });
});
