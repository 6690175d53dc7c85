// The CDK app: a stateful stack (key, tables, user pool, schedule group, queues, bus, topic, evidence bucket) handing typed resources to the stateless API stack (functions, workflows, alarms); cdk-nag on all of it.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Aws, Fn, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as z from 'zod';
import { loadConfig } from '#http/config';
import { reportingOptionsOf } from '#http/reporting-options';
import { FINAL_CASE_INDEX_STEP, listShardsFor, ownerShardsFor, reportShardsFor } from '#adapters/aws/dynamo/table-model';
import { checkRegimeOptions } from '#domain/regimes';
import { holidayTableYears } from '#domain/calendar';
import { REPO_ROOT, type ServiceEnv } from './constructs/api-function';
import { ApiStack } from './stacks/api-stack';
import { StatefulStack } from './stacks/stateful-stack';
import { ConsoleSiteStack, ConsoleStack } from './stacks/console-stack';
import { EdgeStack } from './stacks/edge-stack';

const SERVICE_NAME = 'complaints';
const METRICS_NAMESPACE = 'Complaints';

const csv = z.union([z.array(z.string().min(1)), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))]);
const json = z.union([
  z.record(z.string(), z.unknown()),
  z.string().transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  }),
]);

/** Deployment settings: `complaints:*` context keys (cdk.json, or `-c complaints:listShards=8`). */
const Settings = z.object({
  stackPrefix: z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/).default('Complaints'),
  account: z.string().regex(/^\d{12}$/).optional(),
  region: z.string().optional(),
  logRetentionDays: z.coerce
    .number()
    .refine((n) => (Object.values(RetentionDays) as unknown[]).includes(n), 'must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, …)')
    .default(90),
  throttleRateLimit: z.coerce.number().int().positive().default(50),
  throttleBurstLimit: z.coerce.number().int().positive().default(100),
  /**
   * Index migration of a table built before index generation 2 (complaints:caseIndexStep, 0–10; default 10, the
   * finished state): one GSI created or deleted per deploy of the stateful stack; the app may be deployed from step 5
   * (docs/deploy.md, "Migrating an existing table").
   */
  caseIndexStep: z.coerce.number().int().min(0).max(FINAL_CASE_INDEX_STEP).default(FINAL_CASE_INDEX_STEP),
  /** Write shards of the list indexes (LIST_SHARDS); by default sized from peakIntakesPerSecond (listShardsFor), else 4. Raise, never lower, on a live table. */
  listShards: z.coerce.number().int().optional(),
  /** Intakes a second the deployment must hold (complaints:peakIntakesPerSecond): sizes LIST_SHARDS, OWNER_SHARDS and REPORT_SHARDS so no index or projection partition passes 50 % of 1,000 WCU. */
  peakIntakesPerSecond: z.coerce.number().positive().optional(),
  /** The fewest handlers intake spreads one team's cases over (default 1: the whole peak may land on one owner); sizes OWNER_SHARDS with the peak. */
  smallestIntakeTeam: z.coerce.number().int().positive().default(1),
  /** Shards of each owner's partition in the owner index (OWNER_SHARDS); by default sized from the peak (ownerShardsFor), else 1. Raise, never lower. */
  ownerShards: z.coerce.number().int().optional(),
  /** Partitions per reporting-projection scope (REPORT_SHARDS); by default sized from peakIntakesPerSecond (reportShardsFor), else 1. Lowering it later is safe: reads cover the most shards any writer recorded. */
  reportShards: z.coerce.number().int().optional(),
  /** Case references each function container leases per counter update (REFERENCE_BLOCK_SIZE; default 50 when deployed: the counter item then takes 1/50 of the intake rate). */
  referenceBlockSize: z.coerce.number().int().default(50),
  maxBodyBytes: z.coerce.number().int().optional(),
  internalStandardDays: z.coerce.number().int().optional(),
  /** `calendar_days` or `business_days`: the unit of internalStandardDays (INTERNAL_STANDARD_UNIT). */
  internalStandardUnit: z.string().optional(),
  assignmentRules: json.optional(),
  /** Hours before a blocked investigation task raises its case to at_risk (24–48). */
  dependencyBlockedHours: z.coerce.number().int().optional(),
  /** IANA zone of the organisation's day and week, e.g. Europe/London. */
  orgTimeZone: z.string().optional(),
  /** Organisation closure days (ISO dates), as an array or comma-separated. */
  orgClosures: csv.optional(),
  /** Per-regime calendar overrides, e.g. {"UK_FCA_DISP":{"region":"GB-SCT"}}, as an object or JSON. */
  regimeCalendars: json.optional(),
  /** Business locations per regime a case may choose (REGIME_LOCATIONS), e.g. {"UK_FCA_DISP":[{"region":"GB-ENG","timeZone":"Europe/London"}]}. */
  regimeLocations: json.optional(),
  /** Default COMPLIANCE-mode retention of every evidence object, in days (EVIDENCE_RETENTION_DAYS; default 7 years). A change applies to objects uploaded afterwards; no existing lock is ever shortened. */
  evidenceRetentionDays: z.coerce.number().int().optional(),
  /** COMPLIANCE-mode retention of every export bundle, in days (EXPORT_RETENTION_DAYS; default: the evidence retention). */
  exportRetentionDays: z.coerce.number().int().optional(),
  /** complaints:auditDigestMinutes: how often the audit digest job runs (EventBridge Scheduler rate). */
  auditDigestMinutes: z.coerce.number().int().optional(),
  /** Largest evidence file accepted, in bytes (EVIDENCE_MAX_BYTES; the handlers default to 100 MB). */
  evidenceMaxBytes: z.coerce.number().int().positive().optional(),
  /** Evidence content types accepted (EVIDENCE_CONTENT_TYPES), replacing the built-in allowlist; an array or comma-separated. */
  evidenceContentTypes: csv.optional(),
  /** Hours an approval stage waits for a decision before it escalates to the next approver level (APPROVAL_STAGE_TIMEOUT_HOURS; default 48). */
  approvalStageTimeoutHours: z.coerce.number().int().optional(),
  /** Hours between reminders to the approvers of a waiting stage (APPROVAL_REMINDER_HOURS; default 24); less than the stage timeout, ideally a divisor of it. */
  approvalReminderHours: z.coerce.number().int().optional(),
  /** Approval rules (thresholds per currency, who approves what), as an object or JSON (APPROVAL_RULES; default: the built-in rules). */
  approvalRules: json.optional(),
  /** Hours an escalation level waits for an acknowledgement before it climbs to the next level (ESCALATION_ACK_TIMEOUT_HOURS; default 24). */
  escalationAckTimeoutHours: z.coerce.number().int().optional(),
  /** Reporting options (REPORTING): product and root-cause groups, regulator-return mappings, control-score thresholds; an object or JSON. Changing groups needs `npm run reports:rebuild`. */
  reporting: json.optional(),
  /** Triage settings (TRIAGE): confidence threshold, priority rule, model chain (`bedrock`, `local`), timeout, Bedrock model id; an object or JSON. */
  triage: json.optional(),
  /**
   * Email intake through SES receiving (complaints:emailIntake, default on). Off, no receipt rule set is created, so the
   * stacks deploy in any region; on, synth fails for a region where SES cannot receive email into S3.
   */
  emailIntake: z.union([z.boolean(), z.enum(['true', 'false', 'on', 'off']).transform((v) => v === 'true' || v === 'on')]).default(true),
  /** Regions where SES receiving may be deployed, replacing the built-in list (SES_RECEIVING_REGIONS) when AWS adds one. */
  sesReceivingRegions: csv.optional(),
  /** Recipients (addresses or domains verified in SES) the inbound-email receipt rule accepts; empty = every verified identity. */
  inboundEmailRecipients: csv.default([]),
  /** Days raw inbound messages stay in the raw-mail bucket (accepted ones are also evidence as message.eml). */
  rawMailRetentionDays: z.coerce.number().int().positive().default(90),
  /** Regime of helpdesk escalations and emails that name none (HELPDESK_DEFAULT_REGIME, EMAIL_DEFAULT_REGIME; default INTERNAL_STANDARD). */
  helpdeskDefaultRegime: z.string().optional(),
  emailDefaultRegime: z.string().optional(),
  /** Largest raw message the email intake parses (INBOUND_EMAIL_MAX_BYTES; default 16 MiB); larger ones are refused and recorded. */
  inboundEmailMaxBytes: z.coerce.number().int().positive().optional(),
  /**
   * Email whose sender SES could not authenticate (INBOUND_EMAIL_UNVERIFIED): `open_unverified` (default) opens a
   * complaint of its own marked unverifiedSender, `reject` records it as an inbound rejection. There is deliberately
   * no setting to trust unauthenticated mail: INBOUND_EMAIL_TRUST_UNAUTHENTICATED exists in local mode only.
   */
  inboundEmailUnverified: z.string().optional(),
  /** The authserv-id whose topmost Authentication-Results header is trusted (INBOUND_EMAIL_AUTHSERV_ID; default amazonses.com). */
  inboundEmailAuthservId: z.string().optional(),
  /** The staff console (complaints:console, default on): CloudFront + private bucket, its Hosted UI client, CORS for its origin only. */
  console: z.union([z.boolean(), z.enum(['true', 'false', 'on', 'off']).transform((v) => v === 'true' || v === 'on')]).default(true),
  /**
   * The API edge (complaints:edge, default off): CloudFront with AWS WAF (managed rule groups, per-IP rate rules) in
   * front of the HTTP API, in a stack of its own in us-east-1 (CLOUDFRONT-scope web ACLs live there); needs complaints:region.
   */
  edge: z.union([z.boolean(), z.enum(['true', 'false', 'on', 'off']).transform((v) => v === 'true' || v === 'on')]).default(false),
  /** Requests per IP per 5 minutes the edge lets through to the whole API (complaints:edgeRateLimit). */
  edgeRateLimit: z.coerce.number().int().min(10).default(2000),
  /** Requests per IP per 5 minutes the edge lets through to the public routes (feedback link, helpdesk webhook). */
  edgePublicRateLimit: z.coerce.number().int().min(10).default(100),
  cognitoDomainPrefix: z.string().regex(/^[a-z0-9-]+$/).optional(),
  callbackUrls: csv.default(['http://localhost:3000/callback']),
  alarmTopicArn: z.string().startsWith('arn:').optional(),
  /** Who the alarms email (complaints:alarmEmail): addresses subscribed to the alarm topic; an array or comma-separated. */
  alarmEmail: csv.pipe(z.array(z.email())).default([]),
  /** The account's Lambda concurrency quota, for the 80 % alarm (default 1,000). */
  accountConcurrency: z.coerce.number().int().positive().optional(),
});
type Settings = z.infer<typeof Settings>;

const settingsOf = (app: App): Settings => {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(Settings.shape)) {
    const value: unknown = app.node.tryGetContext(`complaints:${key}`);
    if (value !== undefined) raw[key] = value;
  }
  const parsed = Settings.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid complaints:* context: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
};

/** The handlers' environment, validated with the handlers' own schema so a bad setting fails synth, not a cold start. */
const serviceEnv = (s: Settings): ServiceEnv => {
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const env: ServiceEnv = {
    SERVICE_NAME,
    SERVICE_VERSION: version,
    ...(s.listShards !== undefined ? { LIST_SHARDS: String(s.listShards) } : s.peakIntakesPerSecond !== undefined ? { LIST_SHARDS: String(listShardsFor(s.peakIntakesPerSecond)) } : {}),
    ...(s.ownerShards !== undefined
      ? { OWNER_SHARDS: String(s.ownerShards) }
      : s.peakIntakesPerSecond !== undefined
        ? { OWNER_SHARDS: String(ownerShardsFor(s.peakIntakesPerSecond, s.smallestIntakeTeam)) }
        : {}),
    ...(s.reportShards !== undefined
      ? { REPORT_SHARDS: String(s.reportShards) }
      : s.peakIntakesPerSecond !== undefined
        ? { REPORT_SHARDS: String(reportShardsFor(s.peakIntakesPerSecond)) }
        : {}),
    REFERENCE_BLOCK_SIZE: String(s.referenceBlockSize),
    ...(s.maxBodyBytes !== undefined ? { MAX_BODY_BYTES: String(s.maxBodyBytes) } : {}),
    ...(s.internalStandardDays !== undefined ? { INTERNAL_STANDARD_DAYS: String(s.internalStandardDays) } : {}),
    ...(s.internalStandardUnit !== undefined ? { INTERNAL_STANDARD_UNIT: s.internalStandardUnit } : {}),
    ...(s.assignmentRules !== undefined ? { ASSIGNMENT_RULES: JSON.stringify(s.assignmentRules) } : {}),
    ...(s.dependencyBlockedHours !== undefined ? { DEPENDENCY_BLOCKED_HOURS: String(s.dependencyBlockedHours) } : {}),
    ...(s.orgTimeZone !== undefined ? { ORG_TIME_ZONE: s.orgTimeZone } : {}),
    ...(s.orgClosures?.length ? { ORG_CLOSURES: s.orgClosures.join(',') } : {}),
    ...(s.regimeCalendars !== undefined ? { REGIME_CALENDARS: JSON.stringify(s.regimeCalendars) } : {}),
    ...(s.regimeLocations !== undefined ? { REGIME_LOCATIONS: JSON.stringify(s.regimeLocations) } : {}),
    ...(s.evidenceRetentionDays !== undefined ? { EVIDENCE_RETENTION_DAYS: String(s.evidenceRetentionDays) } : {}),
    ...(s.exportRetentionDays !== undefined ? { EXPORT_RETENTION_DAYS: String(s.exportRetentionDays) } : {}),
    ...(s.auditDigestMinutes !== undefined ? { AUDIT_DIGEST_MINUTES: String(s.auditDigestMinutes) } : {}),
    ...(s.evidenceMaxBytes !== undefined ? { EVIDENCE_MAX_BYTES: String(s.evidenceMaxBytes) } : {}),
    ...(s.evidenceContentTypes?.length ? { EVIDENCE_CONTENT_TYPES: s.evidenceContentTypes.join(',') } : {}),
    ...(s.approvalStageTimeoutHours !== undefined ? { APPROVAL_STAGE_TIMEOUT_HOURS: String(s.approvalStageTimeoutHours) } : {}),
    ...(s.approvalReminderHours !== undefined ? { APPROVAL_REMINDER_HOURS: String(s.approvalReminderHours) } : {}),
    ...(s.approvalRules !== undefined ? { APPROVAL_RULES: JSON.stringify(s.approvalRules) } : {}),
    ...(s.escalationAckTimeoutHours !== undefined ? { ESCALATION_ACK_TIMEOUT_HOURS: String(s.escalationAckTimeoutHours) } : {}),
    ...(s.reporting !== undefined ? { REPORTING: JSON.stringify(s.reporting) } : {}),
    ...(s.triage !== undefined ? { TRIAGE: JSON.stringify(s.triage) } : {}),
    ...(s.helpdeskDefaultRegime !== undefined ? { HELPDESK_DEFAULT_REGIME: s.helpdeskDefaultRegime } : {}),
    ...(s.emailDefaultRegime !== undefined ? { EMAIL_DEFAULT_REGIME: s.emailDefaultRegime } : {}),
    ...(s.inboundEmailMaxBytes !== undefined ? { INBOUND_EMAIL_MAX_BYTES: String(s.inboundEmailMaxBytes) } : {}),
    ...(s.inboundEmailUnverified !== undefined ? { INBOUND_EMAIL_UNVERIFIED: s.inboundEmailUnverified } : {}),
    ...(s.inboundEmailAuthservId !== undefined ? { INBOUND_EMAIL_AUTHSERV_ID: s.inboundEmailAuthservId } : {}),
  };
  const cfg = loadConfig(env);
  // The reporting options are applied where reports are made (#http/reporting-options), not by loadConfig: check them here.
  reportingOptionsOf(cfg);
  // Always set, to the handlers' default if not configured: the bucket's default retention is the same setting, so
  // handlers and bucket cannot disagree.
  env.EVIDENCE_RETENTION_DAYS = String(cfg.EVIDENCE_RETENTION_DAYS);
  env.EXPORT_RETENTION_DAYS = String(cfg.EXPORT_RETENTION_DAYS ?? cfg.EVIDENCE_RETENTION_DAYS);
  // The schedule's rate and the handlers read the same setting.
  env.AUDIT_DIGEST_MINUTES = String(cfg.AUDIT_DIGEST_MINUTES);
  try {
    checkRegimeOptions(cfg.regimes);
  } catch (err) {
    throw new Error(`invalid configuration: ${(err as Error).message}`);
  }
  // A case received up to a year ago counts business days up to two years ahead: the build's holiday table must cover them.
  const { firstYear, lastYear } = holidayTableYears();
  const year = new Date().getUTCFullYear();
  if (year - 1 < firstYear || year + 2 > lastYear) {
    throw new Error(`invalid configuration: the holiday table covers ${firstYear}–${lastYear}, but cases need ${year - 1}–${year + 2}; set HOLIDAY_TABLE_FIRST_YEAR / HOLIDAY_TABLE_LAST_YEAR and run npm run holidays:table`);
  }
  return env;
};

/** cdk.json context, so an app built outside the CLI (tests) gets the same feature flags; CLI context still wins. */
const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context ?? {};

export interface BuildOptions {
  /** Extra context, e.g. `{ 'aws:cdk:bundling-stacks': [] }` to skip esbuild in tests. */
  context?: Record<string, unknown>;
  outdir?: string;
  /**
   * Write the construct tree (tree.json) into the assembly (default true: the CDK CLI and console show it). The tests,
   * which read templates and constructs and never tree.json, turn it off: it took about a tenth of each synth.
   */
  treeMetadata?: boolean;
}

export const buildApp = (options: BuildOptions = {}) => {
  const app = new App({
    context: { ...cdkJsonContext(), ...options.context },
    ...(options.outdir ? { outdir: options.outdir } : {}),
    ...(options.treeMetadata === false ? { treeMetadata: false } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  const s = settingsOf(app);
  // Validated before any stack is built: a bad setting fails with the variable's name.
  const environment = serviceEnv(s);
  // Env-agnostic unless an account/region is configured: synth needs no credentials and makes no lookups.
  const env = s.account || s.region ? { env: { ...(s.account ? { account: s.account } : {}), ...(s.region ? { region: s.region } : {}) } } : {};

  // The edge's web ACL must be in us-east-1 and names the API in the app's region: a cross-region reference, which
  // needs both regions explicit at synth.
  if (s.edge && !s.region) throw new Error('invalid complaints:* context: edge: needs complaints:region (the edge stack is in us-east-1 and reads the API endpoint across regions)');

  const namePrefix = s.stackPrefix.toLowerCase();
  // Default `<stack prefix>-<account id>`: unique per account and deployment, no lookup needed.
  const domainPrefix = s.cognitoDomainPrefix ?? Fn.join('-', [s.stackPrefix.toLowerCase(), Aws.ACCOUNT_ID]);
  // First, with no reference to the other stacks: the user pool's console client and the API's CORS name its origin.
  const consoleEdge = s.console
    ? new ConsoleStack(app, `${s.stackPrefix}Console`, {
        ...env,
        description: 'Complaints: staff console hosting (private S3 bucket, CloudFront with origin access control and security headers)',
        namePrefix,
        cognitoDomainPrefix: domainPrefix,
      })
    : undefined;
  const stateful = new StatefulStack(app, `${s.stackPrefix}Stateful`, {
    ...env,
    description: 'Complaints: KMS key, DynamoDB tables, Cognito user pool, schedule group, dead-letter queues, event bus, notification topic, evidence bucket (stateful)',
    namePrefix,
    caseIndexStep: s.caseIndexStep,
    evidence: { retentionDays: Number(environment.EVIDENCE_RETENTION_DAYS) },
    exports: { retentionDays: Number(environment.EXPORT_RETENTION_DAYS) },
    alarms: { emails: s.alarmEmail, ...(s.alarmTopicArn ? { existingTopicArn: s.alarmTopicArn } : {}) },
    inbound: {
      emailReceiving: s.emailIntake,
      ...(s.sesReceivingRegions?.length ? { receivingRegions: s.sesReceivingRegions } : {}),
      recipients: s.inboundEmailRecipients,
      rawMailRetentionDays: s.rawMailRetentionDays,
    },
    identity: {
      domainPrefix,
      callbackUrls: s.callbackUrls,
      ...(consoleEdge ? { consoleOrigin: consoleEdge.edge.origin } : {}),
    },
  });
  const api = new ApiStack(app, `${s.stackPrefix}Api`, {
    ...env,
    description: 'Complaints: HTTP API, functions, case-timer scheduling, approval and escalation workflows, evidence verification and alarms (stateless)',
    namePrefix,
    ...(consoleEdge ? { consoleOrigin: consoleEdge.edge.origin } : {}),
    data: stateful.data,
    identity: stateful.identity,
    timers: stateful.timers,
    events: stateful.events,
    evidence: stateful.evidence,
    exports: stateful.exports,
    channels: stateful.channels,
    feedbackLinks: stateful.feedbackLinks,
    cursorKey: stateful.cursorKey,
    webhooks: stateful.webhooks,
    environment,
    serviceName: SERVICE_NAME,
    metricsNamespace: METRICS_NAMESPACE,
    logRetention: s.logRetentionDays,
    throttle: { rateLimit: s.throttleRateLimit, burstLimit: s.throttleBurstLimit },
    alarmTopic: stateful.alarms.topic,
    ...(s.accountConcurrency ? { accountConcurrency: s.accountConcurrency } : {}),
    ...(s.edge ? { crossRegionReferences: true, behindEdge: true } : {}),
  });
  const edge = s.edge
    ? new EdgeStack(app, `${s.stackPrefix}Edge`, {
        env: { ...(s.account ? { account: s.account } : {}), region: 'us-east-1' },
        crossRegionReferences: true,
        description: 'Complaints: API edge (CloudFront with an AWS WAF web ACL in front of the HTTP API)',
        namePrefix,
        apiEndpoint: api.api.httpApi.apiEndpoint,
        rateLimitPerIp: s.edgeRateLimit,
        publicRateLimitPerIp: s.edgePublicRateLimit,
      })
    : undefined;
  // Last: the built app and the config.json that names the API, the pool and the console's own client.
  const consoleSite =
    consoleEdge && stateful.identity.consoleClient
      ? new ConsoleSiteStack(app, `${s.stackPrefix}ConsoleSite`, {
          ...env,
          description: 'Complaints: staff console content (the Vite build and its runtime config.json)',
          namePrefix,
          edge: consoleEdge.edge,
          config: {
            mode: 'cognito',
            apiUrl: api.api.httpApi.apiEndpoint,
            authority: `https://cognito-idp.${Aws.REGION}.amazonaws.com/${stateful.identity.userPool.userPoolId}`,
            clientId: stateful.identity.consoleClient.userPoolClientId,
            redirectUri: consoleEdge.edge.url,
            hostedUiDomain: stateful.identity.domain.baseUrl(),
            scope: 'openid email profile',
          },
        })
      : undefined;
  return { app, stateful, api, console: consoleEdge, consoleSite, edge };
};

if (require.main === module) buildApp().app.synth();
