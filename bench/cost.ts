// Compute + request cost per 1,000 complaints at list price (issue 28), from counts measured on the local stack.
//
// `npm run bench` starts it as `node --import tsx bench/cost.ts --json FILE --no-report` (BENCH_ONLY=cost);
// standalone: `npx tsx bench/cost.ts [--json FILE] [--no-report]`.
//
// Runs the writes bench's lifecycle (bench/writes.ts `lifecycle`: intake → reassign → ack → task → note → evidence →
// task done → resolution → approval → final response → close) for BENCH_COST_CASES fresh complaints, one at a time,
// letting everything a step sets off finish before the next (stream consumers, timers, workflows, the verifier), and
// counts, over the whole run:
//   - API requests: HTTP requests the local API received (diagnostics_channel on its server; /local/* excluded);
//   - Lambda invocations per function and each one's wall time, in-process (infra/local/server.ts
//     observeInvocations: every entry the local stack invokes, as Lambda would invoke that function);
//   - DynamoDB read and write units on the tables that exist in AWS (ReturnConsumedCapacity INDEXES, summed by the
//     SDK middleware as bench/writes.ts does; the local-only table of the stand-ins is reported apart, not priced);
//   - where the stand-ins would call AWS (shared/adapters/local/local-boundary.ts observeLocalBoundary): Scheduler
//     CreateSchedule/DeleteSchedule, Step Functions StartExecution/SendTask*, EventBridge PutEvents, SNS Publish;
//     EventBridge entries and SNS messages per call from the local outbox;
//   - Step Functions state transitions: states entered by every execution of the run (the local engine's statesEntered);
//   - S3 requests as the local S3 received them (service and presigned client requests).
// Then prices each line at us-east-1 list price (COST_PRICES, with sources) and prints the table with each count's
// source. What is modelled rather than measured says so in its line.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { runStandalone } from './standalone';
import { typed } from './api-client';
import { envInt, round, table } from './stats';
import { lifecycle, settleStack, type LifecycleStep } from './writes';
import { SCHEDULER_PRICING } from './timers';
import { STEP_FUNCTIONS_PRICING } from './workflows';
import { S3_PRICING } from './evidence';
import { PRICES as FIXED_PRICES } from '../infra/cost/fixed-cost';
import { FUNCTION_ARCHITECTURE, functionMemoryMb } from '../infra/constructs/function-sizing';

// ── Prices ────────────────────────────────────────────────────────────────────────────────────

/** List prices, US East (N. Virginia), USD, before free tiers; read 2026-12-07 from each source. */
export const COST_PRICES = {
  region: 'us-east-1',
  readOn: '2026-12-07',
  apiGateway: { usdPerMillionRequests: 1.0, source: 'https://aws.amazon.com/api-gateway/pricing/ (HTTP APIs, first 300 million requests a month, metered in 512 KB increments)' },
  lambda: {
    usdPerMillionRequests: FIXED_PRICES.lambdaRequest * 1e6,
    usdPerGbSecond: { arm64: FIXED_PRICES.lambdaGbSecond, x86_64: 0.0000166667 },
    source: 'https://aws.amazon.com/lambda/pricing/ (first 6 billion GB-s a month; duration billed per 1 ms)',
  },
  dynamodb: {
    usdPerMillionWriteRequestUnits: 0.625,
    usdPerMillionReadRequestUnits: 0.125,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (on-demand, Standard table class; the table is PAY_PER_REQUEST)',
  },
  scheduler: { usdPerMillionInvocations: SCHEDULER_PRICING.usdPerMillionInvocations, source: `${SCHEDULER_PRICING.source} (schedule API calls are free)` },
  stepFunctions: { usdPer1000StateTransitions: STEP_FUNCTIONS_PRICING.usdPer1000StateTransitions, source: `${STEP_FUNCTIONS_PRICING.source} (Standard workflows)` },
  kms: { usdPer10000Requests: 0.03, source: 'https://aws.amazon.com/kms/pricing/ (symmetric and ECC requests)' },
  eventBridge: { usdPerMillionEntries: 1.0, source: 'https://aws.amazon.com/eventbridge/pricing/ (custom events, each 64 KB chunk of an entry)' },
  sqs: { usdPerMillionRequests: 0.4, source: 'https://aws.amazon.com/sqs/pricing/ (standard queues, each 64 KB chunk)' },
  sns: { usdPerMillionMessages: 0.5, source: 'https://aws.amazon.com/sns/pricing/ (standard topics, each 64 KB chunk; a batch entry is a message)' },
  cloudWatchLogs: { usdPerGbIngested: 0.5, source: 'https://aws.amazon.com/cloudwatch/pricing/ (Logs, Standard class ingestion, first 10 TB a month)' },
  xray: { usdPerMillionTracesRecorded: 5.0, source: 'https://aws.amazon.com/xray/pricing/ (traces recorded; first 100,000 a month free)' },
  s3: { putClassUsdPer1000: S3_PRICING.putClassUsdPer1000, getClassUsdPer1000: S3_PRICING.getClassUsdPer1000, source: S3_PRICING.source },
} as const;

/** Issue 28's goal: compute + request cost per 1,000 complaints, USD. */
export const COST_GOAL_USD_PER_1000 = 0.4;

// ── Result types ──────────────────────────────────────────────────────────────────────────────

/** One Lambda function as measured: invocations per complaint, wall time per invocation, memory as deployed. */
export interface FunctionFigures {
  entry: string;
  invocationsPerComplaint: number;
  /** Median and mean wall time of an invocation (ms), in-process on this machine. */
  medianMs: number;
  meanMs: number;
  memoryMb: number;
  /** Invocations that started while another invocation was running (their wall time may include waiting for it). */
  overlapped: number;
}

/** The counts per complaint that the lines are priced from. */
export interface CostCounts {
  apiRequests: number;
  functions: FunctionFigures[];
  writeUnits: number;
  readUnits: number;
  schedulerInvocations: number;
  stepFunctionsTransitions: number;
  kmsRequests: number;
  eventBridgeEntries: number;
  snsMessages: number;
  s3PutClass: number;
  s3GetClass: number;
  /** Webhook route (modelled from measured deliveries): SendMessage per message + ReceiveMessage and DeleteMessageBatch per batch. */
  sqsRequests: number;
  /** Outside the issue's figure (per complaint): bytes the functions logged at the deployed level (measured), and traces. */
  beyond: {
    /** Application log lines the functions wrote at INFO, with metrics on (EMF), as deployed: measured bytes. */
    appLogBytes: number;
    /** Platform log records per invocation (START/REPORT in JSON), API access log lines, Step Functions ALL-level events: modelled bytes. */
    modelledLogBytes: number;
    /** X-Ray traces recorded at low traffic (every request sampled): one per invocation that starts a trace + one per execution. */
    traces: number;
  };
  /** Lambda INIT billed on cold starts (modelled): share of invocations that start cold, init ms of one. */
  coldStart: { share: number; initMs: number; source: string };
}

export interface CostLine {
  line: string;
  /** Count per 1,000 complaints (requests, units, GB-s, …). */
  per1000: number;
  unit: string;
  /** USD per `unit`. */
  unitPrice: number;
  usd: number;
  measured: boolean;
  source: string;
}

export interface CostBenchResult {
  settings: { cases: number; region: string; architecture: string; pricesReadOn: string; loadAverage: { start: number; end: number }; cpus: number };
  counts: CostCounts;
  /** Calls where a stand-in would call AWS, per complaint, by `service:Operation` (not all priced: Scheduler/SFN API calls are free). */
  boundaryCalls: Record<string, number>;
  /** S3 requests per complaint by operation, as the local S3 received them (`service` = the functions', `client` = presigned). */
  s3Requests: { service: Record<string, number>; client: Record<string, number> };
  /** The run's workflow executions and the states each path entered (what the transitions line counts). */
  stepFunctions: { executions: number; paths: { executions: number; transitions: number; states: string }[] };
  /**
   * Invocations the local stack made that Lambda would not make for the complaint, per complaint, by entry: scheduled
   * runs (fixed-rate sweeps: the fixed cost, npm run cost:fixed) and stream batches the deployed filters drop.
   */
  notInAws: { scheduledRuns: Record<string, number>; filteredOut: Record<string, number> };
  /** Units per complaint on the local-only table (the stand-ins' own state: not DynamoDB in AWS, not priced). */
  localOnlyUnits: { write: number; read: number };
  lines: CostLine[];
  /** Logs and traces: outside the issue's figure and its check (see beyondLines). */
  beyondFigure: { lines: CostLine[]; usd: number };
  /** Every Lambda duration line together, priced at the median (as in `lines`) and at the mean wall time. */
  lambdaDuration: { usdAtMedian: number; usdAtMean: number };
  totalUsdPer1000: number;
  goalUsdPer1000: number;
  prices: typeof COST_PRICES;
  checks: { name: string; ok: boolean; hard: boolean; detail: string }[];
}

// ── Pricing (pure: test/unit/cost-bench.test.ts checks it on fixed counts) ─────────────────────

const gbSeconds = (invocations: number, ms: number, memoryMb: number) => invocations * (Math.ceil(ms) / 1000) * (memoryMb / 1024);

/** The priced lines per 1,000 complaints: each count × 1,000 × its unit price. */
export const priceLines = (c: CostCounts, prices = COST_PRICES, architecture: 'arm64' | 'x86_64' = FUNCTION_ARCHITECTURE): CostLine[] => {
  const k = 1000;
  const gbS = prices.lambda.usdPerGbSecond[architecture];
  const invocations = c.functions.reduce((n, f) => n + f.invocationsPerComplaint, 0);
  const line = (l: Omit<CostLine, 'usd'>): CostLine => ({ ...l, usd: l.per1000 * l.unitPrice });
  const lines: CostLine[] = [
    line({ line: 'API Gateway HTTP API requests', per1000: c.apiRequests * k, unit: 'request', unitPrice: prices.apiGateway.usdPerMillionRequests / 1e6, measured: true, source: 'HTTP requests the local API received' }),
    line({ line: 'Lambda requests (all functions)', per1000: invocations * k, unit: 'request', unitPrice: prices.lambda.usdPerMillionRequests / 1e6, measured: true, source: `invocations the local stack made of each function entry (${c.functions.length} functions)` }),
    ...c.functions.map((f) =>
      line({
        line: `Lambda duration: ${f.entry.replace(/^functions\//, '').replace(/\/handler\.ts$/, '')} (${f.memoryMb} MB, ${architecture})`,
        per1000: gbSeconds(f.invocationsPerComplaint * k, f.medianMs, f.memoryMb),
        unit: 'GB-s',
        unitPrice: gbS,
        measured: true,
        source: `${round(f.invocationsPerComplaint, 2)} invocations × median ${round(f.medianMs, 1)} ms wall (local hardware) × memory from infra/constructs/function-sizing.ts`,
      }),
    ),
    line({
      line: 'Lambda INIT on cold starts (modelled)',
      per1000: gbSeconds(invocations * k * c.coldStart.share, c.coldStart.initMs, 1024),
      unit: 'GB-s',
      unitPrice: gbS,
      measured: false,
      source: `modelled: ${Math.round(c.coldStart.share * 100)} % of invocations cold × ${round(c.coldStart.initMs, 0)} ms init at 1,024 MB (${c.coldStart.source})`,
    }),
    line({ line: 'DynamoDB write request units', per1000: c.writeUnits * k, unit: 'WRU', unitPrice: prices.dynamodb.usdPerMillionWriteRequestUnits / 1e6, measured: true, source: 'ReturnConsumedCapacity INDEXES, cases + idempotency tables (stream reads by Lambda are free)' }),
    line({ line: 'DynamoDB read request units', per1000: c.readUnits * k, unit: 'RRU', unitPrice: prices.dynamodb.usdPerMillionReadRequestUnits / 1e6, measured: true, source: 'ReturnConsumedCapacity, cases + idempotency tables' }),
    line({ line: 'EventBridge Scheduler invocations', per1000: c.schedulerInvocations * k, unit: 'invocation', unitPrice: prices.scheduler.usdPerMillionInvocations / 1e6, measured: true, source: 'schedules that fired (checkpoint invocations); Create/DeleteSchedule calls are free' }),
    line({ line: 'Step Functions state transitions', per1000: c.stepFunctionsTransitions * k, unit: 'transition', unitPrice: prices.stepFunctions.usdPer1000StateTransitions / 1000, measured: true, source: 'states entered by every execution of the run (local engine, the ASL CDK deploys)' }),
    line({ line: 'KMS requests (modelled)', per1000: c.kmsRequests * k, unit: 'request', unitPrice: prices.kms.usdPer10000Requests / 1e4, measured: false, source: 'modelled upper bound: 1 per SSE-KMS object written (measured S3 PUTs); bucket keys (enabled) cut this by up to 99 %; DynamoDB caches its table key' }),
    line({ line: 'EventBridge PutEvents entries', per1000: c.eventBridgeEntries * k, unit: 'entry', unitPrice: prices.eventBridge.usdPerMillionEntries / 1e6, measured: true, source: 'events the outbox published (local boundary of PutEvents); S3 → EventBridge service events are free' }),
    line({ line: 'SNS messages', per1000: c.snsMessages * k, unit: 'message', unitPrice: prices.sns.usdPerMillionMessages / 1e6, measured: true, source: 'notifications the outbox sent (local boundary of PublishBatch)' }),
    line({ line: 'SQS requests (modelled)', per1000: c.sqsRequests * k, unit: 'request', unitPrice: prices.sqs.usdPerMillionRequests / 1e6, measured: false, source: 'modelled from measured webhook deliveries: SendMessage per event + ReceiveMessage and DeleteMessageBatch per batch (idle long polls are fixed cost)' }),
    line({ line: 'S3 PUT-class requests', per1000: c.s3PutClass * k, unit: 'request', unitPrice: prices.s3.putClassUsdPer1000 / 1000, measured: true, source: 'PUT/POST/LIST the local S3 received (presigned uploads included)' }),
    line({ line: 'S3 GET-class requests', per1000: c.s3GetClass * k, unit: 'request', unitPrice: prices.s3.getClassUsdPer1000 / 1000, measured: true, source: 'GET/HEAD the local S3 received (the verifier GETs locally, HEADs in AWS: same price class)' }),
  ];
  return lines;
};

/** Assumed sizes behind the modelled log bytes (bytes per record). */
export const LOG_MODEL = { platformBytesPerInvocation: 500, accessLogBytesPerRequest: 350, stepFunctionsBytesPerTransition: 1600 } as const;

/** Lines outside the issue's figure (its list names neither logs nor traces): printed beside it, never in its total. */
export const beyondLines = (c: CostCounts, prices = COST_PRICES): CostLine[] => {
  const k = 1000;
  const gb = (bytes: number) => bytes / 1e9;
  const line = (l: Omit<CostLine, 'usd'>): CostLine => ({ ...l, usd: l.per1000 * l.unitPrice });
  return [
    line({ line: 'CloudWatch Logs: the functions\' log lines', per1000: gb(c.beyond.appLogBytes * k), unit: 'GB', unitPrice: prices.cloudWatchLogs.usdPerGbIngested, measured: true, source: 'bytes the functions wrote at POWERTOOLS_LOG_LEVEL=INFO with metrics (EMF) on, as deployed' }),
    line({
      line: 'CloudWatch Logs: platform, access and workflow logs (modelled)',
      per1000: gb(c.beyond.modelledLogBytes * k),
      unit: 'GB',
      unitPrice: prices.cloudWatchLogs.usdPerGbIngested,
      measured: false,
      source: `modelled: ${LOG_MODEL.platformBytesPerInvocation} B of platform records per invocation, ${LOG_MODEL.accessLogBytesPerRequest} B per API access log line, ${LOG_MODEL.stepFunctionsBytesPerTransition} B of Step Functions events (ALL, with execution data) per transition`,
    }),
    line({ line: 'X-Ray traces recorded (modelled)', per1000: c.beyond.traces * k, unit: 'trace', unitPrice: prices.xray.usdPerMillionTracesRecorded / 1e6, measured: false, source: 'modelled upper bound: every function has active tracing; at low traffic the default rule (1 a second + 5 %) records nearly every trace; one per invocation that is not a workflow task + one per execution' }),
  ];
};

export const totalOf = (lines: readonly CostLine[]): number => lines.reduce((n, l) => n + l.usd, 0);

/** The duration lines priced at each function's mean wall time instead of its median (a skewed function shows here). */
export const durationUsdAtMean = (c: CostCounts, prices = COST_PRICES, architecture: 'arm64' | 'x86_64' = FUNCTION_ARCHITECTURE): number =>
  c.functions.reduce((n, f) => n + gbSeconds(f.invocationsPerComplaint * 1000, f.meanMs, f.memoryMb) * prices.lambda.usdPerGbSecond[architecture], 0);

// ── Measurement ───────────────────────────────────────────────────────────────────────────────

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const inc = (o: Record<string, number>, k: string, by = 1) => {
  o[k] = (o[k] ?? 0) + by;
};
const perCase = (o: Record<string, number>, n: number) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v / n, 2)]));

/** An event source mapping's filter pattern (the JSON CDK's FilterCriteria.filter writes): equality lists and `prefix`. */
type Pattern = { [k: string]: Pattern | (string | { prefix: string })[] };
const matches = (value: unknown, pattern: Pattern): boolean =>
  Object.entries(pattern).every(([k, p]) => {
    const v = (value as Record<string, unknown> | undefined)?.[k];
    if (!Array.isArray(p)) return matches(v, p);
    return p.some((alt) => (typeof alt === 'string' ? v === alt : typeof v === 'string' && v.startsWith(alt.prefix)));
  });
/** Whether Lambda would invoke the function for this stream event at all: some record passes one of the mapping's filters. */
export const passesFilters = (event: unknown, filters: readonly Record<string, unknown>[]): boolean => {
  const records = (event as { Records?: unknown[] } | undefined)?.Records ?? [];
  const patterns = filters.map((f) => JSON.parse(String(f.pattern)) as Pattern);
  return records.some((r) => patterns.some((p) => matches(r, p)));
};
/** A scheduled run (EventBridge rule or Scheduler schedule on a fixed rate): fixed cost, not the complaint's. */
const isScheduledRun = (event: unknown): boolean => {
  const e = event as { source?: unknown; 'detail-type'?: unknown } | undefined;
  return e?.['detail-type'] === 'Scheduled Event';
};

/**
 * Takes the functions' JSON log lines (Powertools logger and EMF metrics write one JSON object per line to stdout or
 * stderr) off both streams for the whole run, so the report stays readable, and counts their bytes since `reset()`.
 */
const captureLogLines = () => {
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((st) => st.write.bind(st));
  let bytes = 0;
  streams.forEach((st, i) => {
    st.write = (chunk: unknown, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
      if (text !== undefined && text.startsWith('{"')) {
        bytes += Buffer.byteLength(text);
        (rest.find((r) => typeof r === 'function') as (() => void) | undefined)?.();
        return true;
      }
      return (originals[i] as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  });
  return {
    bytes: () => bytes,
    reset: () => {
      bytes = 0;
    },
    restore: () => streams.forEach((st, i) => (st.write = originals[i] as typeof st.write)),
  };
};

/** S3 request kind from method and URL (path-style: /bucket/key). */
const s3Operation = (method: string, url: string): string => {
  const u = new URL(url, 'http://s3');
  const key = u.pathname.split('/').slice(2).join('/');
  if (!key) return method === 'GET' ? 'ListObjects' : `${method} bucket`;
  return ({ HEAD: 'HeadObject', GET: 'GetObject', PUT: 'PutObject', POST: 'PostObject', DELETE: 'DeleteObject' } as Record<string, string>)[method] ?? `${method} object`;
};
const GET_CLASS = new Set(['GetObject', 'HeadObject']);

/**
 * Init ms of one cold start (modelled line): the median `require` p50 over the handlers of the newest committed lean
 * result (bench/results/lean-*.json, cold-start phase), else 400 ms.
 */
const coldStartModel = (): CostCounts['coldStart'] => {
  const share = Number(process.env.BENCH_COST_COLD_SHARE ?? 0.1);
  const dir = join(__dirname, 'results');
  const file = ['lean-2026-12-07.json', 'latest.json'].map((f) => join(dir, f)).find((f) => existsSync(f));
  try {
    const r = file ? (JSON.parse(readFileSync(file, 'utf8')) as { coldStart?: { functions?: { requireMsP50: number }[] } }) : undefined;
    const xs = (r?.coldStart?.functions ?? []).map((f) => f.requireMsP50);
    if (xs.length) return { share, initMs: median(xs), source: `init = median require p50 of ${xs.length} handlers in bench/results/${file?.split('/').pop()}; share from BENCH_COST_COLD_SHARE` };
  } catch {
    // fall through to the stated default
  }
  return { share, initMs: 400, source: 'init 400 ms assumed (no committed cold-start result); share from BENCH_COST_COLD_SHARE' };
};

const runCostBench = async (): Promise<CostBenchResult> => {
  const cases = envInt('BENCH_COST_CASES', 20, 1);
  const load0 = loadavg()[0]!;
  const { startStack } = await import('../infra/local/stack');
  const { observeConsumedCapacity } = await import('#adapters/aws/dynamo/client');
  const { observeInvocations } = await import('../infra/local/server');
  const { observeLocalBoundary } = await import('#adapters/local/local-boundary');
  const { localOutbox } = await import('#adapters/local/local-outbox');
  // The log level and metrics the functions deploy with (infra/constructs/api-function.ts): their log lines are measured.
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  const logs = captureLogLines();
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, projection: true, log: () => {} });
  const stops: (() => void)[] = [logs.restore];
  try {
    const api = typed(stack);
    const users = { intake: api(['bench-web-form', ['intake']]), sue: api(['bench-sue', ['supervisor']]), olive: api(['olive', ['handler']]) };
    const settle = () => settleStack(stack);
    const step: LifecycleStep = async (_name, _request, fn) => {
      const out = await fn();
      await settle();
      return out;
    };
    // Warm-up: one lifecycle outside the counts, so each function's first (module-loading) invocation is not a sample.
    await lifecycle(users, -1, step);
    await settle();

    // The event source mappings' filters as deployed: Lambda does not invoke (nor bill) for a batch none of whose records
    // pass them, while the local poller hands every record over. Loaded here: the constructs load CDK.
    const { CASE_STREAM_FILTERS } = await import('../infra/constructs/checkpoint-scheduler');
    const { REPORT_STREAM_FILTERS } = await import('../infra/constructs/report-projection');
    const streamFilters: Record<string, readonly Record<string, unknown>[]> = {
      'functions/case-stream/handler.ts': CASE_STREAM_FILTERS,
      'functions/report-projection/handler.ts': REPORT_STREAM_FILTERS,
    };
    let counting = true;
    logs.reset();
    const invocations = new Map<string, { ms: number[]; overlapped: number }>();
    const notInAws = { scheduledRuns: {} as Record<string, number>, filteredOut: {} as Record<string, number> };
    const sqs = { messages: 0, batches: 0 };
    stops.push(
      observeInvocations((r) => {
        if (!counting) return;
        if (isScheduledRun(r.event)) return inc(notInAws.scheduledRuns, r.entry);
        const filters = streamFilters[r.entry];
        if (filters && !passesFilters(r.event, filters)) return inc(notInAws.filteredOut, r.entry);
        if (r.entry === 'functions/webhook-delivery/handler.ts') {
          sqs.messages += (r.event as { Records?: unknown[] }).Records?.length ?? 0;
          sqs.batches++;
        }
        const f = invocations.get(r.entry) ?? { ms: [], overlapped: 0 };
        f.ms.push(r.ms);
        if (r.overlapping > 0) f.overlapped++;
        invocations.set(r.entry, f);
      }),
    );
    const costed = new Set([stack.tables.cases, stack.tables.idempotency]);
    const units = { write: 0, read: 0, localWrite: 0, localRead: 0 };
    stops.push(
      observeConsumedCapacity((u) => {
        if (!counting) return;
        for (const [name, t] of Object.entries(u.byTable)) {
          if (costed.has(name)) {
            units.write += t.writeUnits;
            units.read += t.readUnits;
          } else {
            units.localWrite += t.writeUnits;
            units.localRead += t.readUnits;
          }
        }
      }),
    );
    const boundary: Record<string, number> = {};
    stops.push(observeLocalBoundary((service, operation) => counting && inc(boundary, `${service}:${operation}`)));
    let eventEntries = 0;
    stops.push(localOutbox.onPublish((events) => void (counting && (eventEntries += events.length))));
    let snsMessages = 0;
    const notify = localOutbox.notify.bind(localOutbox);
    localOutbox.notify = (notifications) => {
      if (counting) snsMessages += notifications.length;
      return notify(notifications);
    };
    stops.push(() => {
      localOutbox.notify = notify;
    });
    const apiPort = Number(new URL(stack.api.url).port);
    const s3Port = Number(new URL(stack.s3.endpoint).port);
    const s3 = { service: {} as Record<string, number>, client: {} as Record<string, number> };
    let apiRequests = 0;
    const onRequest = (message: unknown) => {
      if (!counting) return;
      const { request, server } = message as { request: IncomingMessage; server: Server };
      const address = server.address();
      if (typeof address !== 'object' || !address) return;
      if (address.port === apiPort && !(request.url ?? '').startsWith('/local/')) apiRequests++;
      if (address.port === s3Port) {
        const sdk = /aws-sdk-js/i.test(request.headers['user-agent'] ?? '') || request.headers['x-amz-user-agent'] !== undefined;
        inc(sdk ? s3.service : s3.client, s3Operation(request.method ?? '?', request.url ?? '/'));
      }
    };
    subscribe('http.server.request.start', onRequest);
    stops.push(() => unsubscribe('http.server.request.start', onRequest));
    const executionsBefore = new Set(stack.workflows.executions().map((e) => e.executionId));

    for (let r = 0; r < cases; r += 1) await lifecycle(users, r, step);
    await settle();
    counting = false;
    const appLogBytes = logs.bytes();

    const executions = stack.workflows.executions().filter((e) => !executionsBefore.has(e.executionId));
    const transitions = executions.reduce((n, e) => n + e.statesEntered.length, 0);
    const paths = new Map<string, number>();
    for (const e of executions) paths.set(e.statesEntered.join(' → '), (paths.get(e.statesEntered.join(' → ')) ?? 0) + 1);
    const functions: FunctionFigures[] = [...invocations.entries()]
      .map(([entry, f]) => ({
        entry,
        invocationsPerComplaint: round(f.ms.length / cases, 2),
        medianMs: round(median(f.ms), 2),
        meanMs: round(f.ms.reduce((a, b) => a + b, 0) / f.ms.length, 2),
        memoryMb: functionMemoryMb(entry),
        overlapped: f.overlapped,
      }))
      .sort((a, b) => b.invocationsPerComplaint * b.medianMs - a.invocationsPerComplaint * a.medianMs);
    const s3Put = Object.entries({ ...s3.service }).concat(Object.entries(s3.client));
    const putClass = s3Put.filter(([op]) => !GET_CLASS.has(op)).reduce((n, [, v]) => n + v, 0);
    const getClass = s3Put.filter(([op]) => GET_CLASS.has(op)).reduce((n, [, v]) => n + v, 0);
    const objectWrites = s3Put.filter(([op]) => op === 'PutObject').reduce((n, [, v]) => n + v, 0);
    const counts: CostCounts = {
      apiRequests: round(apiRequests / cases, 2),
      functions,
      writeUnits: round(units.write / cases, 2),
      readUnits: round(units.read / cases, 2),
      schedulerInvocations: round((invocations.get('functions/checkpoint/handler.ts')?.ms.length ?? 0) / cases, 2),
      stepFunctionsTransitions: round(transitions / cases, 2),
      kmsRequests: round(objectWrites / cases, 2),
      eventBridgeEntries: round(eventEntries / cases, 2),
      snsMessages: round(snsMessages / cases, 2),
      s3PutClass: round(putClass / cases, 2),
      s3GetClass: round(getClass / cases, 2),
      // Bus rule → queue → function: a SendMessage per event the rule delivers, a ReceiveMessage and a DeleteMessageBatch per batch.
      sqsRequests: round((sqs.messages + 2 * sqs.batches) / cases, 2),
      beyond: {
        appLogBytes: round(appLogBytes / cases, 0),
        modelledLogBytes: round(
          ([...invocations.values()].reduce((n, f) => n + f.ms.length, 0) * LOG_MODEL.platformBytesPerInvocation + apiRequests * LOG_MODEL.accessLogBytesPerRequest + transitions * LOG_MODEL.stepFunctionsBytesPerTransition) / cases,
          0,
        ),
        traces: round(([...invocations.entries()].filter(([e]) => e !== 'functions/approval-workflow/handler.ts' && e !== 'functions/escalation-workflow/handler.ts').reduce((n, [, f]) => n + f.ms.length, 0) + executions.length) / cases, 2),
      },
      coldStart: coldStartModel(),
    };
    const lines = priceLines(counts);
    const beyond = beyondLines(counts);
    const total = totalOf(lines);
    const top = [...lines].sort((a, b) => b.usd - a.usd).slice(0, 3);
    return {
      settings: { cases, region: COST_PRICES.region, architecture: FUNCTION_ARCHITECTURE, pricesReadOn: COST_PRICES.readOn, loadAverage: { start: round(load0, 2), end: round(loadavg()[0]!, 2) }, cpus: cpus().length },
      counts,
      boundaryCalls: perCase(boundary, cases),
      s3Requests: { service: perCase(s3.service, cases), client: perCase(s3.client, cases) },
      stepFunctions: { executions: executions.length, paths: [...paths].map(([states, n]) => ({ executions: n, transitions: states.split(' → ').length, states })) },
      notInAws: { scheduledRuns: perCase(notInAws.scheduledRuns, cases), filteredOut: perCase(notInAws.filteredOut, cases) },
      localOnlyUnits: { write: round(units.localWrite / cases, 2), read: round(units.localRead / cases, 2) },
      lines: lines.map((l) => ({ ...l, per1000: round(l.per1000, 3), usd: round(l.usd, 6) })),
      beyondFigure: { lines: beyond.map((l) => ({ ...l, per1000: round(l.per1000, 4), usd: round(l.usd, 6) })), usd: round(totalOf(beyond), 4) },
      lambdaDuration: { usdAtMedian: round(totalOf(lines.filter((l) => l.line.startsWith('Lambda duration'))), 6), usdAtMean: round(durationUsdAtMean(counts), 6) },
      totalUsdPer1000: round(total, 4),
      goalUsdPer1000: COST_GOAL_USD_PER_1000,
      prices: COST_PRICES,
      checks: [
        {
          name: 'cost bench counted API requests, invocations and write units',
          ok: counts.apiRequests > 0 && functions.length > 0 && counts.writeUnits > 0,
          hard: true,
          detail: `${counts.apiRequests} API requests, ${functions.length} functions, ${counts.writeUnits} WRU per complaint`,
        },
        {
          name: `#28 compute + request cost per 1,000 complaints ≤ $${COST_GOAL_USD_PER_1000.toFixed(2)}`,
          ok: total <= COST_GOAL_USD_PER_1000,
          hard: false,
          detail: `$${total.toFixed(3)} per 1,000 complaints at ${COST_PRICES.region} list price (${cases} lifecycles measured; largest: ${top.map((l) => `${l.line} $${l.usd.toFixed(3)}`).join(', ')})`,
        },
      ],
    };
  } finally {
    for (const stop of stops.reverse()) stop();
    await stack.stop();
  }
};

// ── Report ────────────────────────────────────────────────────────────────────────────────────

const usd = (n: number) => `$${n < 0.001 && n > 0 ? n.toFixed(5) : n.toFixed(4)}`;
const count = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-GB') : String(round(n, 2)));

export const costReport = (r: CostBenchResult): string =>
  [
    `Compute + request cost per 1,000 complaints (${r.settings.cases} lifecycles on the local stack, ${r.settings.cpus} cores, load average ${r.settings.loadAverage.start} → ${r.settings.loadAverage.end}; ${r.settings.region} list price read ${r.settings.pricesReadOn}; Lambda ${r.settings.architecture})`,
    table(
      ['line', 'per 1,000 complaints', 'unit price', 'USD', 'source of the count'],
      [
        ...r.lines.map((l) => [l.line, `${count(l.per1000)} ${l.unit}`, `$${l.unitPrice.toPrecision(3)}`, usd(l.usd), l.source]),
        ['total', '', '', usd(r.totalUsdPer1000), `goal ≤ $${r.goalUsdPer1000.toFixed(2)}`],
      ],
    ),
    `Outside the issue's figure (its list names neither logs nor traces), not in the total or the check:`,
    table(
      ['line', 'per 1,000 complaints', 'unit price', 'USD', 'source of the count'],
      [...r.beyondFigure.lines.map((l) => [l.line, `${count(l.per1000)} ${l.unit}`, `$${l.unitPrice.toPrecision(3)}`, usd(l.usd), l.source]), ['with the figure', '', '', usd(r.totalUsdPer1000 + r.beyondFigure.usd), '']],
    ),
    `Lambda duration, all functions: ${usd(r.lambdaDuration.usdAtMedian)} at the median wall time (the lines), ${usd(r.lambdaDuration.usdAtMean)} at the mean`,
    `per complaint: ${r.counts.apiRequests} API requests; ${r.counts.functions.map((f) => `${f.entry.replace(/^functions\//, '').replace(/\/handler\.ts$/, '')} ${f.invocationsPerComplaint}× ${f.medianMs} ms`).join(', ')}`,
    `calls where AWS would be called, per complaint: ${Object.entries(r.boundaryCalls).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}; S3 service ${Object.entries(r.s3Requests.service).map(([k, v]) => `${k} ${v}`).join(', ') || '0'}, client ${Object.entries(r.s3Requests.client).map(([k, v]) => `${k} ${v}`).join(', ') || '0'}`,
    `Step Functions: ${r.stepFunctions.executions} executions; ${r.stepFunctions.paths.map((p) => `${p.executions} × ${p.transitions} transitions (${p.states})`).join('; ')}`,
    `local invocations not counted (Lambda would not make them for the complaint), per complaint: scheduled sweeps ${Object.entries(r.notInAws.scheduledRuns).map(([k, v]) => `${k} ${v}`).join(', ') || '0'} (fixed cost: npm run cost:fixed); stream batches the deployed filters drop ${Object.entries(r.notInAws.filteredOut).map(([k, v]) => `${k} ${v}`).join(', ') || '0'}`,
    `local-only table (the stand-ins' state, not priced): ${r.localOnlyUnits.write} WCU, ${r.localOnlyUnits.read} RCU per complaint`,
    ...r.checks.map((c) => `  ${c.ok ? '✓' : c.hard ? '✗' : '○'} ${c.name}: ${c.detail}`),
  ].join('\n');

if (require.main === module) runStandalone('cost', runCostBench, costReport);
