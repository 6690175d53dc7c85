// The fixed monthly cost of a deployment at zero traffic, at list price, computed from its synthesized templates:
// what is billed per resource per month (alarm metrics, dashboards, keys, secrets, custom metrics, web ACLs) and what
// runs on a timer whatever the traffic (scheduled Lambda runs). Usage-priced services cost nothing at zero traffic.

/** US East (N. Virginia) list prices, per month unless stated (AWS pricing pages, read 2026-12). */
export const PRICES = {
  /** CloudWatch: per standard-resolution alarm metric; a metric-math alarm pays for each metric it uses. */
  alarmMetric: 0.1,
  /** CloudWatch composite alarm. */
  compositeAlarm: 0.5,
  /** CloudWatch dashboard (the account's first three are free; not assumed). */
  dashboard: 3,
  /** CloudWatch custom metric (a metric filter's metric), per month while it sends data points. */
  customMetric: 0.3,
  /** KMS customer-managed key (automatic rotation adds $1 per rotation for the first two: from year two). */
  kmsKey: 1,
  /** Secrets Manager secret. */
  secret: 0.4,
  /** AWS WAF web ACL, and each rule (a managed rule group counts as one). */
  webAcl: 5,
  webAclRule: 1,
  /** Lambda (arm64): per request and per GB-second. */
  lambdaRequest: 0.2 / 1_000_000,
  lambdaGbSecond: 0.0000133334,
} as const;

/**
 * How long one scheduled run is assumed to bill, in seconds: at zero traffic the jobs find nothing (one query), a warm
 * run takes tens of milliseconds, and the every-minute sweep keeps its container warm; 0.25 s leaves room for cold starts.
 */
export const SCHEDULED_RUN_SECONDS = 0.25;

type Resource = { Type: string; Properties?: Record<string, unknown> };
export type TemplateJson = { Resources?: Record<string, Resource> };

export interface CostLine {
  item: string;
  count: number;
  monthly: number;
}

const MINUTES_PER_MONTH = 30 * 24 * 60;

/** Runs a month for `rate(N unit)` or `cron(...)` (cron: once a day, what this app's crons are). */
const runsPerMonth = (expression: string): number => {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const minutes = rate[2]!.startsWith('minute') ? n : rate[2]!.startsWith('hour') ? n * 60 : n * 1440;
    return MINUTES_PER_MONTH / minutes;
  }
  if (expression.startsWith('cron(')) return 30;
  return 0;
};

/** The cost lines of a set of templates (a stack and its nested stacks, or a whole app). */
export const fixedMonthlyCost = (templates: readonly TemplateJson[]): { lines: CostLine[]; total: number } => {
  const resources = templates.flatMap((t) => Object.entries(t.Resources ?? {}));
  const all = new Map(resources);
  const ofType = (type: string) => resources.filter(([, r]) => r.Type === type).map(([, r]) => r);

  const alarmMetrics = ofType('AWS::CloudWatch::Alarm').reduce((n, a) => {
    const metrics = a.Properties?.Metrics as { MetricStat?: unknown }[] | undefined;
    return n + (metrics ? metrics.filter((m) => m.MetricStat).length : 1);
  }, 0);

  // Scheduled Lambda runs: EventBridge rules and Scheduler schedules with a rate or cron, each run at the target's memory.
  const memoryOf = (target: unknown): number => {
    const ref = JSON.stringify(target).match(/"([A-Za-z0-9]+)","Arn"/)?.[1];
    const fn = ref ? all.get(ref) : undefined;
    return fn?.Type === 'AWS::Lambda::Function' ? Number(fn.Properties?.MemorySize ?? 128) : 1024;
  };
  let scheduledRuns = 0;
  let scheduledGbSeconds = 0;
  for (const rule of ofType('AWS::Events::Rule')) {
    const expr = rule.Properties?.ScheduleExpression;
    if (typeof expr !== 'string') continue;
    const runs = runsPerMonth(expr);
    for (const t of (rule.Properties?.Targets as { Arn: unknown }[] | undefined) ?? []) {
      scheduledRuns += runs;
      scheduledGbSeconds += (runs * SCHEDULED_RUN_SECONDS * memoryOf(t.Arn)) / 1024;
    }
  }
  for (const schedule of ofType('AWS::Scheduler::Schedule')) {
    const expr = schedule.Properties?.ScheduleExpression;
    if (typeof expr !== 'string') continue;
    const runs = runsPerMonth(expr);
    scheduledRuns += runs;
    scheduledGbSeconds += (runs * SCHEDULED_RUN_SECONDS * memoryOf((schedule.Properties?.Target as { Arn: unknown }).Arn)) / 1024;
  }

  const webAcls = ofType('AWS::WAFv2::WebACL');
  const webAclRules = webAcls.reduce((n, w) => n + ((w.Properties?.Rules as unknown[] | undefined)?.length ?? 0), 0);

  const lines: CostLine[] = [
    { item: 'CloudWatch alarm metrics', count: alarmMetrics, monthly: alarmMetrics * PRICES.alarmMetric },
    { item: 'CloudWatch composite alarms', count: ofType('AWS::CloudWatch::CompositeAlarm').length, monthly: ofType('AWS::CloudWatch::CompositeAlarm').length * PRICES.compositeAlarm },
    { item: 'CloudWatch dashboards', count: ofType('AWS::CloudWatch::Dashboard').length, monthly: ofType('AWS::CloudWatch::Dashboard').length * PRICES.dashboard },
    // A custom metric is "prorated by the hour and metered only when it is sent to CloudWatch" (CloudWatch pricing): a
    // metric filter sends data points only while its log group receives events (its default value included), and at zero
    // traffic the API's access log receives none. Counted, priced at nothing here; the per-request cost model carries it.
    { item: 'CloudWatch custom metrics (metric filters; none sent at zero traffic)', count: ofType('AWS::Logs::MetricFilter').length, monthly: 0 },
    { item: 'KMS customer-managed keys', count: ofType('AWS::KMS::Key').length, monthly: ofType('AWS::KMS::Key').length * PRICES.kmsKey },
    { item: 'Secrets Manager secrets', count: ofType('AWS::SecretsManager::Secret').length, monthly: ofType('AWS::SecretsManager::Secret').length * PRICES.secret },
    { item: 'AWS WAF web ACLs and rules', count: webAcls.length, monthly: webAcls.length * PRICES.webAcl + webAclRules * PRICES.webAclRule },
    { item: `Scheduled Lambda runs (${SCHEDULED_RUN_SECONDS} s each)`, count: Math.round(scheduledRuns), monthly: scheduledRuns * PRICES.lambdaRequest + scheduledGbSeconds * PRICES.lambdaGbSecond },
  ];
  const total = lines.reduce((n, l) => n + l.monthly, 0);
  return { lines, total: Math.round(total * 100) / 100 };
};
