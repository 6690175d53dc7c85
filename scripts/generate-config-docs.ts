// docs/configuration.md, generated from the runtime configuration schema (CONFIG_SETTINGS in shared/http/config.ts): run
// `npm run docs:config` after changing it; test/unit/configuration-doc.test.ts fails while the committed page is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { configSchema } from '#http/config';

export const CONFIG_SOURCE = path.resolve(__dirname, '..', 'shared', 'http', 'config.ts');
export const CONFIGURATION_DOC = path.resolve(__dirname, '..', 'docs', 'configuration.md');

/** Read by the local stack or the Powertools libraries, not by CONFIG_SETTINGS: documented here, never validated there. */
export const OUTSIDE_SCHEMA = ['PORT', 'HOST', 'DATA_DIR', 'POWERTOOLS_LOG_LEVEL'] as const;

interface Row {
  /** The variables as the row names them (each in backticks): one row may cover several related ones. */
  vars: string;
  /** The default as words, for rows whose variables have no schema default (set by CDK, a domain default, …). */
  default?: string;
  /** Said after the schema's default, e.g. "(100 MB)". */
  defaultNote?: string;
  meaning: string;
}

/**
 * What each variable means, in the operator's words. The defaults of variables the schema defaults are not written
 * here: they are read from the schema, so a changed default changes the page.
 */
const ROWS: Row[] = [
  { vars: "`PORT` / `HOST`", default: "`3000` / `127.0.0.1`", meaning: "Local server (npm start only)" },
  { vars: "`SERVICE_NAME` / `SERVICE_VERSION`", meaning: "The service name and version on every log line, metric and trace" },
  { vars: "`AWS_REGION`", meaning: "The region of the AWS SDK clients (Lambda sets it; the local stack uses the default)" },
  { vars: "`DATA_DIR`", default: "`.data`", meaning: "Local data: DynamoDB Local files, S3 objects, issuer key, clock offset" },
  { vars: "`TABLE_NAME`, `IDEMPOTENCY_TABLE_NAME`", default: "set by CDK / local stack", meaning: "DynamoDB tables" },
  { vars: "`LIST_SHARDS`", meaning: "Write shards of the cases-by-due-date, changed-cases, retention and pending-approval indexes; CDK context `complaints:listShards`, or sized from `complaints:peakIntakesPerSecond` (`listShardsFor`: each partition at most 50 % of 1,000 WCU at that peak; 45 at 1,000 intakes a second). Raise it, never lower it, on a live table" },
  { vars: "`OWNER_SHARDS`", meaning: "Shards of each owner's partition in the owner index (`My cases` reads them all and merges by due date); CDK context `complaints:ownerShards`, or sized from `complaints:peakIntakesPerSecond` and `complaints:smallestIntakeTeam` (`ownerShardsFor`). Raise it, never lower it" },
  { vars: "`REPORT_SHARDS`", meaning: "Partitions of every reporting-projection scope (a day's or month's counters, the open board, a regime's return, the review rows): the stream consumer adds each transaction's summed deltas to one shard, reports read every shard and sum them (one query per shard); CDK context `complaints:reportShards`, or sized from `complaints:peakIntakesPerSecond` (`reportShardsFor`: the busiest projection partition at most 50 % of 1,000 WCU at that peak in the scale model; 37 at 1,000 intakes a second). Lowering it is safe: the meta item records the most shards any writer used and reads cover them all" },
  { vars: "`MAX_BODY_BYTES`", meaning: "Request body limit (413 above it)" },
  { vars: "`ASSIGNMENT_RULES`", default: "one team `complaints` of `handler-1..3`", meaning: "JSON: `{ teams: {name: [userIds]}, defaultTeam, rules: [{ match: {category?, channel?, regime?, product?, vulnerable?}, team? , ownerId? }] }`" },
  { vars: "`INTERNAL_STANDARD_DAYS` / `INTERNAL_STANDARD_UNIT`", default: "`28` / `calendar_days`", meaning: "Final-response window of the `INTERNAL_STANDARD` regime (`business_days` also allowed)" },
  { vars: "`ORG_CLOSURES`", default: "none", meaning: "Organisation closure days added to every regime's calendar: `2026-12-24,2026-12-31`" },
  { vars: "`REGIME_CALENDARS`", default: "each regime's own", meaning: "JSON per-regime calendar overrides, e.g. a Scottish firm: `{\"UK_FCA_DISP\":{\"region\":\"GB-SCT\"}}`" },
  { vars: "`ORG_TIME_ZONE`", meaning: "Day and week of the deadline board (\"due today\", \"due this week\"), and the days and months reports count in" },
  { vars: "`DEPENDENCY_BLOCKED_HOURS`", meaning: "A task blocked this long (24–48) raises its case to `at_risk` and emits `DependencyBlocked`" },
  { vars: "`EVIDENCE_MAX_BYTES`", defaultNote: "(100 MB)", meaning: "Largest evidence file accepted at registration" },
  { vars: "`EVIDENCE_CONTENT_TYPES`", default: "pdf, images, text/csv, `.eml` (`message/rfc822`), `.msg`, Office/ODF documents, audio", meaning: "Comma-separated media types that replace the allowlist" },
  { vars: "`EVIDENCE_RETENTION_DAYS`", defaultNote: "(7 years)", meaning: "Object Lock retention (compliance mode) of the evidence bucket; CDK context `complaints:evidenceRetentionDays`" },
  { vars: "`EVIDENCE_BUCKET`, `EVIDENCE_KMS_KEY_ARN` / `S3_ENDPOINT`", default: "set by CDK / the local stack", meaning: "Evidence bucket and the key uploads must name; the local S3 stand-in (`S3_PORT` pins its port)" },
  { vars: "`EXPORT_RETENTION_DAYS`", default: "the evidence retention", meaning: "Object Lock retention (compliance mode) of each export bundle; CDK context `complaints:exportRetentionDays` (also the exports bucket's default)" },
  { vars: "`EXPORTS_BUCKET`, `EXPORT_SIGNING_KEY_ARN`, `EXPORT_BUILDER_FUNCTION_ARN` / `EXPORT_SIGNING_KEY_FILE`", default: "set by CDK / the local stack", meaning: "The exports bucket, the KMS key that signs manifests and the builder the case stream invokes; locally the P-256 key file (`.data/export-signing-key.pem`, created on first use)" },
  { vars: "`APPROVAL_RULES`", default: "see `DEFAULT_APPROVAL_RULES`", meaning: "JSON approval rules: compensation tiers per currency (`{ above, roles }`), who approves policy exceptions, legal exposure, vulnerable customers, reputational risk" },
  { vars: "`APPROVAL_STAGE_TIMEOUT_HOURS` / `APPROVAL_REMINDER_HOURS`", meaning: "How long an approval stage waits before escalating to the next approver level, and how often it reminds" },
  { vars: "`ESCALATION_ACK_TIMEOUT_HOURS`", meaning: "How long each escalation level has to acknowledge before the next level is told" },
  { vars: "`APPROVAL_STATE_MACHINE_ARN`, `ESCALATION_STATE_MACHINE_ARN`", default: "set by CDK", meaning: "The state machines (under `npm start` the embedded engine runs the same ASL)" },
  { vars: "`SCHEDULE_GROUP_NAME`, `CHECKPOINT_FUNCTION_ARN`, `SCHEDULER_ROLE_ARN`, `SCHEDULER_DLQ_ARN`, `EVENT_BUS_NAME`, `NOTIFICATION_TOPIC_ARN`", default: "set by CDK", meaning: "Where timers, events and notifications go in AWS (`INTEGRATIONS=local` under `npm start` uses the embedded stand-ins)" },
  { vars: "`REPORTING`", default: "no groups, the FCA default mappings, default thresholds", meaning: "JSON (`ReportingOptions` in `shared/schemas/reporting-options.ts`; CDK context `complaints:reporting`): `productGroups` (`{\"current_accounts\":[\"Current account\",\"Basic account\"]}`; an unlisted product is its own group), `rootCauses` (same shape), `returns` per regime (`products`: product group → the regulator's product grouping, `causes`: category → cause, `legalEntities`: `[{id, name, frn, productGroups}]`), `controlScore` thresholds (`deadlineCompliance` 0.95, `deadlineFloor` 0.8, `evidenceCompleteness` 0.8, `escalationCoverage` 0.8, `handoffsPerCase` 2). Changing the groups or `ORG_TIME_ZONE` needs `npm run reports:rebuild`" },
  { vars: "`TRIAGE`", default: "threshold 0.8, the local model, 1.5 s timeout", meaning: "JSON (`TriageSettings` in `shared/schemas/triage.ts`; CDK context `complaints:triage`): `threshold` (confidence above which a suggestion pre-fills an open field; 1 = never), `priority` (`negativeSentimentAtOrBelow` −0.5, `vulnerabilityConfidence` 0.5, `onVulnerability` true, `escalate` false: also escalate a case the rule raised, at intake), `models` (`[\"local\"]`, or `[\"bedrock\",\"local\"]` in AWS: Bedrock first, the local model as fallback), `timeoutMs` per model, `bedrockModelId` (a foundation model id, or a cross-region inference profile such as `eu.anthropic…`; the create function may invoke only that model). Bedrock needs model access enabled in the account and region" },
  { vars: "`BEDROCK_ENDPOINT`", default: "the AWS endpoint", meaning: "Bedrock Runtime endpoint override (tests point it at a loopback stand-in)" },
  { vars: "`IDEMPOTENCY_TTL_SECONDS`", meaning: "How long an `Idempotency-Key` is remembered" },
  { vars: "`WEBHOOK_MAX_ATTEMPTS`", meaning: "Attempts per webhook delivery (1–20) before its dead-letter record" },
  { vars: "`WEBHOOK_BACKOFF_BASE_SECONDS` / `WEBHOOK_BACKOFF_CAP_SECONDS`", meaning: "First retry delay (doubling after each failure, equal jitter) and the longest delay" },
  { vars: "`WEBHOOK_TIMEOUT_MS`", meaning: "One delivery attempt's time limit" },
  { vars: "`WEBHOOK_SECRET_KEY_ARN` / `WEBHOOK_SECRET_KEY_FILE`", default: "set by CDK / the local stack", meaning: "The KMS key that encrypts webhook signing secrets; locally the AES key file (`.data/webhook-secret.key`)" },
  { vars: "`HELPDESK_SECRETS_ARN` / `HELPDESK_SECRETS_FILE`", default: "set by CDK / the local stack", meaning: "The helpdesk signing secrets: one Secrets Manager secret (JSON `{\"zendesk\": \"…\", \"jira\": \"…\", \"servicenow\": \"…\", \"generic\": \"…\"}`, a provider's value may be `[\"new\", \"old\"]` while rotating; cached 5 minutes); locally `.data/helpdesk-secrets.json`, written with random secrets on the first `npm start`" },
  { vars: "`HELPDESK_DEFAULT_REGIME` / `EMAIL_DEFAULT_REGIME`", default: "`INTERNAL_STANDARD`", meaning: "The regime of an escalated ticket that names none (`complaint.regime` in the payload) and of an email complaint; CDK context `complaints:helpdeskDefaultRegime` / `complaints:emailDefaultRegime`" },
  { vars: "`INBOUND_MAIL_BUCKET`", default: "set by CDK / the local stack", meaning: "The bucket SES receiving writes raw messages to" },
  { vars: "`INBOUND_EMAIL_MAX_BYTES`", defaultNote: "(16 MiB)", meaning: "A larger raw message is refused without being read, and the refusal recorded (`GET /v1/intake/rejections?day=`); CDK context `complaints:inboundEmailMaxBytes`" },
  { vars: "`FEEDBACK_FOLLOW_UP_DAYS`", meaning: "Days after a final response that the satisfaction follow-up sends the customer their feedback link (every regime alike; 1–90)" },
  { vars: "`FEEDBACK_LINK_DAYS`", meaning: "How long a feedback link stays valid from when it is sent (expired → 410)" },
  { vars: "`FEEDBACK_MAX_ATTEMPTS`", meaning: "Submissions one link may make (accepted or refused) before it answers 429; the public route is also throttled on the stage (5 requests/s, burst 10: `throttle` in the route table)" },
  { vars: "`FEEDBACK_LINK_TEMPLATE`", default: "CDK: `<API URL>/v1/feedback/{token}`; locally `/v1/feedback/{token}`", meaning: "The customer-facing link the notification carries (`{token}` is replaced); point it at your own feedback page, which posts to the API" },
  { vars: "`FEEDBACK_SIGNING_SECRET_ARN` / `FEEDBACK_SIGNING_KEY_FILE`", default: "set by CDK / the local stack", meaning: "The HMAC-SHA256 key of the feedback links: a generated Secrets Manager secret under the project key (not rotated automatically: rotating invalidates links still out); locally `.data/feedback-signing.key`, created on first use" },
  { vars: "`LETTER_ORGANISATION_NAME` / `LETTER_TEAM_NAME` / `LETTER_CONTACT`", meaning: "The letterhead and contact line of every customer letter" },
  { vars: "`LETTER_TEMPLATES_DIR`", default: "must be unset", meaning: "No longer read: letters are precompiled at build from `templates/letters` (`<kind>/<family>.hbs`: `uk_disp`, `uk_psd`, `ie_cpc`, `us_cfpb`, `au_rg271`, else `default`; `partials/`) by `npm run letters:precompile`; a deployment that sets it is refused at cold start" },
  { vars: "`POWERTOOLS_LOG_LEVEL`", default: "`WARN` locally", meaning: "Powertools Logger level" },
];

const namesIn = (vars: string): string[] => [...vars.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!);

/** Each schema key's JSDoc comment in config.ts (the meaning of a variable no row describes yet). */
const schemaComments = (): Map<string, string> => {
  const source = ts.createSourceFile(CONFIG_SOURCE, readFileSync(CONFIG_SOURCE, 'utf8'), ts.ScriptTarget.ES2022, true);
  const comments = new Map<string, string>();
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) {
      const doc = ts
        .getJSDocCommentsAndTags(node)
        .map((d) => (typeof d.comment === 'string' ? d.comment : ''))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim();
      if (doc) comments.set(node.name.text, doc);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return comments;
};

const cell = (text: string) => text.replace(/\|/g, '\\|');
/** A schema default as the page shows it: scalars as written, anything else as JSON. */
const shown = (value: unknown): string => `\`${typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value)}\``;

/** The page, byte for byte. Throws when a row names a variable that is neither in the schema nor OUTSIDE_SCHEMA. */
export const configurationDoc = (): string => {
  const keys = Object.keys(configSchema().shape);
  const defaults = configSchema().parse({}) as Record<string, unknown>;
  const known = new Set<string>([...keys, ...OUTSIDE_SCHEMA]);
  const described = new Set<string>();
  const rows = ROWS.map((r) => {
    const names = namesIn(r.vars);
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length) throw new Error(`configuration doc: ${unknown.join(', ')} is not read by CONFIG_SETTINGS (remove the row, or add it to OUTSIDE_SCHEMA)`);
    names.forEach((n) => described.add(n));
    const fromSchema = names.every((n) => keys.includes(n) && defaults[n] !== undefined);
    const dflt = r.default ?? (fromSchema ? names.map((n) => shown(defaults[n])).join(' / ') : 'none');
    return `| ${r.vars} | ${cell([dflt, r.defaultNote].filter(Boolean).join(' '))} | ${cell(r.meaning)} |`;
  });
  const comments = schemaComments();
  const rest = keys
    .filter((k) => !described.has(k))
    .map((k) => `| \`${k}\` | ${defaults[k] === undefined ? 'none' : shown(defaults[k])} | ${cell(comments.get(k) ?? '')} |`);
  return [
    '# Configuration',
    '',
    '<!-- Generated by `npm run docs:config` from CONFIG_SETTINGS (shared/http/config.ts); edit the schema or',
    '     scripts/generate-config-docs.ts, never this page: test/unit/configuration-doc.test.ts compares. -->',
    '',
    'Environment variables, validated with zod at cold start (`shared/http/config.ts`): a bad value fails the function',
    'before it serves a request, with the variable\'s name. Under CDK most are set for you; deployment settings are the',
    '`complaints:*` context keys in `cdk.json`, validated at synth with the same schema ([deploy](deploy.md)).',
    '',
    '| Variable | Default | Meaning |',
    '|---|---|---|',
    ...rows,
    '',
    '## Also read at cold start',
    '',
    'Set by CDK or the local stack, or rarely changed; the meaning is the schema\'s own comment.',
    '',
    '| Variable | Default | Meaning |',
    '|---|---|---|',
    ...rest,
    '',
  ].join('\n');
};

if (require.main === module) {
  writeFileSync(CONFIGURATION_DOC, configurationDoc());
  console.log(`wrote ${path.relative(process.cwd(), CONFIGURATION_DOC)}`);
}
