// Runtime configuration from environment variables, validated once at cold start.
import * as z from 'zod';
import { isValidTimeZone } from '#domain/time-zone';
import { DEFAULT_WEBHOOK_MAX_ATTEMPTS } from '#schemas/constants';
import { ContentType, DEFAULT_EVIDENCE_CONTENT_TYPES, DEFAULT_EVIDENCE_MAX_BYTES, DEFAULT_EVIDENCE_RETENTION_DAYS } from '#schemas/evidence';
import { ApprovalRules } from '#schemas/resolution';
import { TriageSettings } from '#schemas/triage';
import { AssignmentRules, DEFAULT_ASSIGNMENT_RULES } from '#domain/assignment';
import type { RegimeOptions } from '#domain/regimes';
import { retentionOverrideProblems } from '#domain/retention';
import { SETTING_DEFAULTS } from './config-defaults';


const jsonOf = <T extends z.ZodType>(name: string, schema: T) =>
  z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be JSON` });
        return z.NEVER;
      }
    })
    .pipe(schema);

// The settings' parts are built by the settings that use them (CONFIG_SETTINGS), never at module load.
const IsoDay = () => z.iso.date();
const TimeZone = () => z.string().refine((tz) => isValidTimeZone(tz), 'must be an IANA time zone such as Europe/London');
/** Per-regime calendar overrides, e.g. a Scottish firm: {"UK_FCA_DISP":{"region":"GB-SCT"}}. */
// Which ids exist and whether regions and zones are real is checked by checkRegimeOptions (#domain/regimes) where the
// regimes are used: importing the registry here would put the holiday data into every function's bundle.
const RegimeCalendars = () => z.record(z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be a regime id such as UK_FCA_DISP'), z.object({ region: z.string().nullable().optional(), timeZone: TimeZone().optional() }).strict());

/** Per-regime business locations a case may choose, replacing the shipped list: {"AU_ASIC_RG271":[{"region":"AU-VIC","timeZone":"Australia/Melbourne"}]}. */
const RegimeLocations = () => z.record(
  z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be a regime id such as UK_FCA_DISP'),
  z.array(z.object({ region: z.string().nullable(), timeZone: TimeZone() }).strict()).min(1).max(50),
);

/** Per-regime record-keeping years from closure, e.g. {"UK_FCA_DISP":3}; never below the rule's minimum (#domain/retention). */
const RetentionYearsSchema = () => z
  .record(z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be a regime id such as UK_FCA_DISP'), z.number().int().min(1).max(100))
  .superRefine((years, ctx) => {
    for (const message of retentionOverrideProblems(years)) ctx.addIssue({ code: 'custom', message });
  });

export const CONFIG_SETTINGS = {
  SERVICE_NAME: () => z.string().default('complaints'),
  SERVICE_VERSION: () => z.string().default('0.1.0'),
  AWS_REGION: () => z.string().default('eu-west-2'),
  TABLE_NAME: () => z.string().min(3).optional(),
  IDEMPOTENCY_TABLE_NAME: () => z.string().min(3).optional(),
  /** DynamoDB Local endpoint; unset in AWS. */
  DYNAMODB_ENDPOINT: () => z.url().optional(),
  /** Write shards of the list, changed-cases, retention and pending-approval indexes (CDK sizes it from complaints:peakIntakesPerSecond); raise it, never lower it, on a live table. */
  LIST_SHARDS: () => z.coerce.number().int().min(1).max(128).default(4),
  /** Partitions per reporting-projection scope (CDK sizes it from complaints:peakIntakesPerSecond with reportShardsFor); reports read them all. Raise it, never lower it. */
  REPORT_SHARDS: () => z.coerce.number().int().min(1).max(256).default(1),
  /** Shards of each owner's partition in the owner index (CDK sizes it from the peak and complaints:smallestIntakeTeam); raise it, never lower it. */
  OWNER_SHARDS: () => z.coerce.number().int().min(1).max(128).default(1),
  /** Case references leased per counter update by each process (1 = one update per case; CDK deploys 50: the counter item then takes 1/50 of the intake rate, and unused numbers of a stopped container are gaps). */
  REFERENCE_BLOCK_SIZE: () => z.coerce.number().int().min(1).max(1000).default(1),
  MAX_BODY_BYTES: () => z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(256 * 1024),
  INTERNAL_STANDARD_DAYS: () => z.coerce.number().int().min(1).max(365).optional(),
  INTERNAL_STANDARD_UNIT: () => z.enum(['calendar_days', 'business_days']).optional(),
  /** Organisation closure days added to every regime's calendar: comma-separated ISO dates. */
  ORG_CLOSURES: () => z
    .string()
    .transform((s) => s.split(',').map((d) => d.trim()).filter(Boolean))
    .pipe(z.array(IsoDay()))
    .optional(),
  REGIME_CALENDARS: () => jsonOf('REGIME_CALENDARS', RegimeCalendars()).optional(),
  REGIME_LOCATIONS: () => jsonOf('REGIME_LOCATIONS', RegimeLocations()).optional(),
  /** JSON per-regime retention in years from closure, replacing the defaults of #domain/retention (RETENTION_PERIODS). */
  RETENTION_YEARS: () => jsonOf('RETENTION_YEARS', RetentionYearsSchema()).optional(),
  /** Most cases one retention run redacts (it stops earlier when its Lambda is about to time out). */
  RETENTION_BATCH: () => z.coerce.number().int().min(1).max(1000).default(100),
  /** Time zone of the organisation's day and week in the deadline board ("due today", "due this week"). */
  ORG_TIME_ZONE: () => TimeZone().default('Europe/London'),
  /** A blocked investigation task raises its case to at_risk after this many hours (24–48). */
  DEPENDENCY_BLOCKED_HOURS: () => z.coerce.number().int().min(24).max(48).default(24),
  /** `aws`: EventBridge Scheduler, EventBridge and SNS; `local`: the embedded stack's scheduler, event log and notifier. */
  INTEGRATIONS: () => z.enum(['aws', 'local']).default('aws'),
  /** The embedded stack's own table (local scheduler and stream positions); never deployed. */
  LOCAL_TABLE_NAME: () => z.string().min(3).optional(),
  SCHEDULE_GROUP_NAME: () => z.string().min(1).max(64).optional(),
  /** The checkpoint function the one-time schedules invoke, the role Scheduler assumes, and its dead-letter queue. */
  CHECKPOINT_FUNCTION_ARN: () => z.string().startsWith('arn:').optional(),
  SCHEDULER_ROLE_ARN: () => z.string().startsWith('arn:').optional(),
  SCHEDULER_DLQ_ARN: () => z.string().startsWith('arn:').optional(),
  EVENT_BUS_NAME: () => z.string().min(1).optional(),
  /** The evidence bucket (S3 Object Lock); the local S3 stand-in's endpoint under npm start. */
  EVIDENCE_BUCKET: () => z.string().min(3).max(63).optional(),
  S3_ENDPOINT: () => z.url().optional(),
  /** The project key the bucket policy requires on every upload (signed into the presigned PUT); unset locally. */
  EVIDENCE_KMS_KEY_ARN: () => z.string().startsWith('arn:').optional(),
  EVIDENCE_MAX_BYTES: () => z.coerce.number().int().min(1).max(5 * 1024 ** 3).default(DEFAULT_EVIDENCE_MAX_BYTES),
  /** Comma-separated media types accepted as evidence; replaces the default allowlist. */
  EVIDENCE_CONTENT_TYPES: () => z
    .string()
    .transform((s) => s.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(ContentType).min(1))
    .optional(),
  /** The approval state machine (Step Functions); without it approvals are decided without stage timeouts. */
  APPROVAL_STATE_MACHINE_ARN: () => z.string().startsWith('arn:').optional(),
  /** How long an approval stage waits before escalating to the next approver level, and how often it reminds. */
  APPROVAL_STAGE_TIMEOUT_HOURS: () => z.coerce.number().int().min(1).max(720).default(48),
  APPROVAL_REMINDER_HOURS: () => z.coerce.number().int().min(1).max(720).default(24),
  /** JSON approval rules (thresholds per currency, who approves what); the defaults are in #domain/approval-rules. */
  APPROVAL_RULES: () => jsonOf('APPROVAL_RULES', ApprovalRules).optional(),
  /** The escalation state machine (Step Functions); without it escalations are recorded but never time out. */
  ESCALATION_STATE_MACHINE_ARN: () => z.string().startsWith('arn:').optional(),
  /** How long an escalation level waits for an acknowledgement before it goes to the next level. */
  ESCALATION_ACK_TIMEOUT_HOURS: () => z.coerce.number().int().min(1).max(720).default(24),
  /** Default Object Lock retention (compliance mode) of the evidence bucket, in days: 7 years. */
  EVIDENCE_RETENTION_DAYS: () => z.coerce.number().int().min(1).max(36_500).default(DEFAULT_EVIDENCE_RETENTION_DAYS),
  /** The exports bucket (S3 Object Lock, compliance mode) the case bundles go to. */
  EXPORTS_BUCKET: () => z.string().min(3).max(63).optional(),
  /** Compliance-mode retention of a bundle, in days from its export (default: the evidence retention). */
  EXPORT_RETENTION_DAYS: () => z.coerce.number().int().min(1).max(36_500).optional(),
  /** The project key bundles are encrypted with (named on every upload: `aws:kms` alone would mean the AWS managed key). */
  EXPORTS_KMS_KEY_ARN: () => z.string().startsWith('arn:').optional(),
  /** The KMS asymmetric key (ECC_NIST_P256, SIGN_VERIFY) that signs manifests in AWS. */
  EXPORT_SIGNING_KEY_ARN: () => z.string().startsWith('arn:').optional(),
  /** Local mode: the P-256 private key file (PEM) that signs manifests; created on first use. */
  EXPORT_SIGNING_KEY_FILE: () => z.string().min(1).optional(),
  /** How often the audit digest job runs (EventBridge Scheduler rate in AWS; the local clock's period under npm start), minutes. */
  AUDIT_DIGEST_MINUTES: () => z.coerce.number().int().min(1).max(1440).default(15),
  /** Compliance-mode retention of audit digests and case anchors, days from the digest (default: the export retention). */
  AUDIT_DIGEST_RETENTION_DAYS: () => z.coerce.number().int().min(1).max(36_500).optional(),
  /** The export builder the case-stream function invokes (asynchronously) for each committed export request. */
  EXPORT_BUILDER_FUNCTION_ARN: () => z.string().startsWith('arn:').optional(),
  /** Subscriber webhooks: attempts per delivery before its dead-letter record (exponential backoff with jitter between them). */
  WEBHOOK_MAX_ATTEMPTS: () => z.coerce.number().int().min(1).max(20).default(DEFAULT_WEBHOOK_MAX_ATTEMPTS),
  /** Delay before the first retry (doubling after each failure, up to WEBHOOK_BACKOFF_CAP_SECONDS), in seconds. */
  WEBHOOK_BACKOFF_BASE_SECONDS: () => z.coerce.number().int().min(1).max(3_600).default(30),
  WEBHOOK_BACKOFF_CAP_SECONDS: () => z.coerce.number().int().min(1).max(86_400).default(21_600),
  /** One delivery attempt's time limit (connect + response), in milliseconds. */
  WEBHOOK_TIMEOUT_MS: () => z.coerce.number().int().min(100).max(30_000).default(5_000),
  /** The KMS key that encrypts webhook signing secrets (the project key; the encryption context names the subscription). */
  WEBHOOK_SECRET_KEY_ARN: () => z.string().startsWith('arn:').optional(),
  /** Local mode: the AES-256 key file that encrypts webhook signing secrets; created on first use. */
  WEBHOOK_SECRET_KEY_FILE: () => z.string().min(1).optional(),
  NOTIFICATION_TOPIC_ARN: () => z.string().startsWith('arn:').optional(),
  IDEMPOTENCY_TTL_SECONDS: () => z.coerce.number().int().min(60).default(86_400),
  ASSIGNMENT_RULES: () => jsonOf('ASSIGNMENT_RULES', AssignmentRules).optional(),
  /**
   * JSON reporting options: product and root-cause groups, regulator-return mappings, control-score thresholds
   * (#schemas/reporting-options). Checked here for a JSON object only; its schema is applied where reports are made
   * (reportingOptionsOf, #http/reporting-options) and by the CDK app at synth, so no other function constructs it.
   */
  REPORTING: () => jsonOf('REPORTING', z.record(z.string(), z.unknown())).optional(),
  /** JSON triage settings (#schemas/triage TriageSettings): confidence threshold, priority rule, model chain, timeout, Bedrock model id. */
  TRIAGE: () => jsonOf('TRIAGE', TriageSettings).optional(),
  /** Bedrock Runtime endpoint override (tests point it at a loopback port); unset in AWS. */
  BEDROCK_ENDPOINT: () => z.url().optional(),
  /** Days after a final response that the customer's satisfaction follow-up goes out (every regime alike). */
  FEEDBACK_FOLLOW_UP_DAYS: () => z.coerce.number().int().min(1).max(90).default(7),
  /** How long a feedback link stays valid, in days from when it is sent. */
  FEEDBACK_LINK_DAYS: () => z.coerce.number().int().min(1).max(365).default(30),
  /** Submissions one feedback link may make (accepted or refused) before it answers 429. */
  FEEDBACK_MAX_ATTEMPTS: () => z.coerce.number().int().min(1).max(100).default(10),
  /** The customer-facing feedback link; `{token}` is replaced by the signed token (e.g. https://complaints.example.com/feedback/{token}). */
  FEEDBACK_LINK_TEMPLATE: () => z.string().min(1).max(512).refine((s) => s.includes('{token}'), 'must contain {token}').default('/v1/feedback/{token}'),
  /** The Secrets Manager secret holding the feedback-link HMAC key (AWS). */
  FEEDBACK_SIGNING_SECRET_ARN: () => z.string().startsWith('arn:').optional(),
  /** Local mode: the file holding the feedback-link HMAC key; created on first use. */
  FEEDBACK_SIGNING_KEY_FILE: () => z.string().min(1).optional(),
  /** The Secrets Manager secret whose generated string is the key material of sealed page cursors (AWS; AES-256-GCM via HKDF). */
  CURSOR_KEY_SECRET_ARN: () => z.string().startsWith('arn:').optional(),
  /** Local mode: the file holding the page-cursor key material, generated per stack on first use. */
  CURSOR_KEY_FILE: () => z.string().min(1).optional(),
  /** The letterhead of customer letters. */
  LETTER_ORGANISATION_NAME: () => z.string().trim().min(1).max(200).default('Example Financial Services Ltd'),
  LETTER_TEAM_NAME: () => z.string().trim().min(1).max(200).default('Customer Complaints Team'),
  LETTER_CONTACT: () => z.string().trim().min(1).max(200).default('complaints@example.com'),
  /**
   * JSON: DISP 1 Annex 3R wording for the variants this build does not ship verified, copied word for word from the
   * current FCA Handbook by compliance, one string per paragraph: `{"out_of_time_not_waived": ["…"], "waived": ["…"]}`.
   * Until a variant is configured, a resolution that chooses it cannot be rendered (409).
   */
  LETTER_ANNEX_3R_WORDING: () => jsonOf(
    'LETTER_ANNEX_3R_WORDING',
    z
      .object({
        out_of_time_not_waived: z.array(z.string().trim().min(1).max(2000)).min(1).max(12).optional(),
        waived: z.array(z.string().trim().min(1).max(2000)).min(1).max(12).optional(),
      })
      .strict(),
  ).optional(),
  /**
   * No longer read: letters are precompiled at build from templates/letters (`npm run letters:precompile`), so a
   * function has no template files and no Handlebars compiler. A deployment that still sets it is refused, not ignored.
   */
  LETTER_TEMPLATES_DIR: () => z
    .undefined({ error: 'no longer read at run time: letters are precompiled at build; edit templates/letters and run npm run letters:precompile (issue 28)' })
    .optional(),
  /** Problem suggestions: TF-IDF cosine at or above which two complaints of the same product or category count as alike. */
  PROBLEM_SIMILARITY_THRESHOLD: () => z.coerce.number().min(0.05).max(0.99).default(0.3),
  /** Problem suggestions compare the open complaints received in the last this many days. */
  PROBLEM_SUGGESTION_WINDOW_DAYS: () => z.coerce.number().int().min(1).max(90).default(14),
  /** Complaints a group of alike complaints needs before it is suggested as a problem. */
  PROBLEM_SUGGESTION_MIN_GROUP: () => z.coerce.number().int().min(2).max(100).default(3),
  /** Spike detection: how many earlier same weekdays form a series' baseline. */
  SPIKE_BASELINE_WEEKS: () => z.coerce.number().int().min(2).max(26).default(8),
  /** Spike detection: one-sided Poisson p-value below which a day's count is significant. */
  SPIKE_ALPHA: () => z.coerce.number().min(1e-9).max(0.1).default(0.001),
  /** Spike detection: and at least this many baseline deviations above the baseline mean. */
  SPIKE_MIN_Z: () => z.coerce.number().min(0).max(20).default(3),
  /** Spike detection: and at least this many complaints that day. */
  SPIKE_MIN_COUNT: () => z.coerce.number().int().min(1).max(10_000).default(5),
  /** `local` = the controllable clock of the embedded stack. */
  CLOCK: () => z.enum(['system', 'local']).default('system'),
  /** The Secrets Manager secret (JSON: provider → secret, or [new, old] during a rotation) that signs helpdesk webhooks. */
  HELPDESK_SECRETS_ARN: () => z.string().startsWith('arn:').optional(),
  /** Local mode: the helpdesk secrets file (.data/helpdesk-secrets.json under npm start). */
  HELPDESK_SECRETS_FILE: () => z.string().min(1).optional(),
  /** The regime a helpdesk escalation or an email runs under when it does not name one. */
  HELPDESK_DEFAULT_REGIME: () => z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/).default('INTERNAL_STANDARD'),
  /**
   * Helpdesk escalations of a technical outage without expressed dissatisfaction, where the customer does not call it
   * a complaint: `refuse` (400: an incident is not a complaint) or `accept` (open the case anyway).
   */
  HELPDESK_OUTAGE_RULE: () => z.enum(['refuse', 'accept']).default('refuse'),
  EMAIL_DEFAULT_REGIME: () => z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/).default('INTERNAL_STANDARD'),
  /** The bucket SES receiving writes raw messages to (KMS, TLS-only); the inbound-email function reads them. */
  INBOUND_MAIL_BUCKET: () => z.string().min(3).max(63).optional(),
  /** The inbound-email function the replay route invokes (synchronously) to replay a recorded rejection; unset without an email intake. */
  INBOUND_EMAIL_FUNCTION_ARN: () => z.string().startsWith('arn:').optional(),
  /** A larger raw message is refused (recorded, never parsed); SES itself accepts up to 40 MB. */
  INBOUND_EMAIL_MAX_BYTES: () => z.coerce.number().int().min(1024).max(40 * 1024 * 1024).default(16 * 1024 * 1024),
  /**
   * Email whose sender is not authenticated (DMARC fails, no aligned SPF or DKIM pass, spam FAIL, virus not PASS, no
   * trusted Authentication-Results): `open_unverified` opens a new complaint marked unverifiedSender for a person to
   * check and link; `reject` records it as an inbound rejection instead. It never joins an existing case either way.
   */
  INBOUND_EMAIL_UNVERIFIED: () => z.enum(['open_unverified', 'reject']).default('open_unverified'),
  /** The authserv-id of the receiving server whose Authentication-Results header is trusted (the topmost one only). */
  INBOUND_EMAIL_AUTHSERV_ID: () => z.string().trim().min(1).max(255).regex(/^[A-Za-z0-9.-]+$/, 'must be a host name such as amazonses.com').default('amazonses.com'),
  /**
   * Local mode only: mail carrying no verdict header at all counts as authenticated. Off by default, so the local
   * stack applies the deployed rule; refused with INTEGRATIONS=aws (no switch may turn the check off in AWS).
   */
  INBOUND_EMAIL_TRUST_UNAUTHENTICATED: () => z.stringbool().default(false),
} as const satisfies Record<string, () => z.ZodType>;

type Settings = typeof CONFIG_SETTINGS;
/** The name of a setting (an environment variable the configuration reads). */
export type SettingName = keyof Settings;
type SettingValues = { [K in SettingName]: z.output<ReturnType<Settings[K]>> };
export type Config = SettingValues & { assignment: AssignmentRules; regimes: RegimeOptions; evidenceContentTypes: readonly string[]; triage: TriageSettings };

const SETTING_NAMES = Object.keys(CONFIG_SETTINGS) as SettingName[];

let schema: z.ZodObject<{ [K in SettingName]: ReturnType<Settings[K]> }> | undefined;
/**
 * Every setting as one object schema: what the configuration reference (docs/configuration.md) and the defaults table
 * (./config-defaults.ts) are generated from, and what the tests compare loadConfig with. Built on first use: a function
 * builds only the schemas of the settings its environment sets (loadConfig), as does the CDK app's check at synth.
 */
export const configSchema = () =>
  (schema ??= z.object(Object.fromEntries(SETTING_NAMES.map((k) => [k, CONFIG_SETTINGS[k]()]))) as unknown as z.ZodObject<{ [K in SettingName]: ReturnType<Settings[K]> }>);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

let cached: Config | undefined;

/**
 * Each setting is parsed once per process: without zod's JIT, which would first compile a fast path for a schema it
 * then uses once (first parse of the ~100 settings of a bundled function 7.9 -> 2.8 ms, median of 15 fresh processes
 * each way). The errors and the result are the same.
 */
const ONCE = { jitless: true } as const;

/** A property computed on its first read, then kept as a plain value. */
const lazyProperty = <T extends object, K extends PropertyKey, V>(target: T, key: K, compute: () => V): void => {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = compute();
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: false });
      return value;
    },
  });
};

/**
 * The configuration of this process. Every setting the environment sets is validated here, all at once (the errors
 * name each one), so a bad value fails the cold start. A setting left unset takes its default from SETTING_DEFAULTS,
 * generated from the schema (`npm run config:defaults`; test/unit/config.test.ts fails when it is stale), or stays
 * unset. Building the whole object schema of ~90 settings to learn those defaults cost every function about 5 ms of its
 * cold start, though a deployed one is given 8–25 settings (docs/benchmarks.md). The result is what the whole schema
 * parses from the same environment (the test compares them).
 */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const values: Partial<Record<SettingName, unknown>> = {};
  const issues: string[] = [];
  for (const key of SETTING_NAMES) {
    // Object.hasOwn: the environment is read by our own key names only, never through its prototype.
    const raw = Object.hasOwn(env, key) ? env[key] : undefined;
    if (raw === undefined) {
      if (Object.hasOwn(SETTING_DEFAULTS, key)) values[key] = SETTING_DEFAULTS[key as keyof typeof SETTING_DEFAULTS];
      continue;
    }
    const parsed = CONFIG_SETTINGS[key]().safeParse(raw, ONCE);
    if (parsed.success) values[key] = parsed.data;
    else issues.push(...parsed.error.issues.map((i) => `${[key, ...i.path].join('.')}: ${i.message}`));
  }
  if (issues.length) throw new ConfigError(`invalid configuration: ${issues.join('; ')}`);
  const d = values as SettingValues;
  // The reminder interval is the approval task's heartbeat: Step Functions requires it to be smaller than the timeout.
  if (d.APPROVAL_REMINDER_HOURS >= d.APPROVAL_STAGE_TIMEOUT_HOURS) {
    throw new ConfigError(
      `invalid configuration: APPROVAL_REMINDER_HOURS (${d.APPROVAL_REMINDER_HOURS}) must be less than APPROVAL_STAGE_TIMEOUT_HOURS (${d.APPROVAL_STAGE_TIMEOUT_HOURS})`,
    );
  }
  if (d.INBOUND_EMAIL_TRUST_UNAUTHENTICATED && d.INTEGRATIONS !== 'local') {
    throw new ConfigError('invalid configuration: INBOUND_EMAIL_TRUST_UNAUTHENTICATED is for local mode only (INTEGRATIONS=local); in AWS every inbound email is judged by the verdicts SES adds');
  }
  const regimes: RegimeOptions = {
    ...(d.INTERNAL_STANDARD_DAYS ? { internalStandardDays: d.INTERNAL_STANDARD_DAYS } : {}),
    ...(d.INTERNAL_STANDARD_UNIT ? { internalStandardUnit: d.INTERNAL_STANDARD_UNIT } : {}),
    ...(d.ORG_CLOSURES?.length ? { closures: d.ORG_CLOSURES } : {}),
    ...(d.REGIME_CALENDARS ? { calendars: d.REGIME_CALENDARS } : {}),
    ...(d.REGIME_LOCATIONS ? { locations: d.REGIME_LOCATIONS } : {}),
    ...(d.RETENTION_YEARS ? { retentionYears: d.RETENTION_YEARS } : {}),
  };
  const cfg: Omit<Config, 'triage'> = { ...d, assignment: d.ASSIGNMENT_RULES ?? DEFAULT_ASSIGNMENT_RULES, regimes, evidenceContentTypes: d.EVIDENCE_CONTENT_TYPES ?? DEFAULT_EVIDENCE_CONTENT_TYPES };
  // The triage settings' defaults are the triage functions' to build (on their first triage), not every function's.
  lazyProperty(cfg, 'triage', () => d.TRIAGE ?? TriageSettings.parse({}, ONCE));
  return cfg as Config;
};

export const config = (): Config => (cached ??= loadConfig());

/** Forget the validated configuration: the external settings were just added to the environment. */
export const resetConfig = (): void => {
  cached = undefined;
};

export const requireSetting = <K extends keyof Config>(key: K): NonNullable<Config[K]> => {
  const value = config()[key];
  if (value === undefined || value === null) throw new ConfigError(`${String(key)} is not configured`);
  return value;
};
