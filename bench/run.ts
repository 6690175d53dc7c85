// `npm run bench`: bundle sizes, cold starts, deadline computations per second, local API latency/throughput, DynamoDB requests per operation
// case timers (local checkpoint lateness, Scheduler calls and invocations per case lifecycle, their list-price cost)
// the evidence vault (register → upload → verified latency, verifier memory, S3/DynamoDB requests per item, storage cost)
// compliance exports (build time and builder memory for a 500 MB case vs 10 MB, verifier throughput, storage cost per 1,000 exported cases)
// the approval/escalation workflows (Step Functions state transitions per path, their cost, the reference case's local time)
// reporting (KPI and control-score latency and DynamoDB read units at 1,000 vs 100,000 cases, projection throughput)
// the compute + request cost per 1,000 complaints from the lifecycle's measured counts (cost, bench/cost.ts)
// and the fixed monthly cost at zero traffic (fixedcost: the synthesized templates priced, as npm run cost:fixed does).
// Prints progress and a summary table; writes bench/results/latest.json and a timestamped copy.
import { benchComplaint } from './fixtures/complaint';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeList } from '#http/routes';
import { config } from '#http/config';
import type { Role } from '#schemas/common';
import { LocalStackError } from '../infra/local/dynamodb-local';
import { startStack, type StartedStack } from '../infra/local/stack';
import { bundleFunctions, ESBUILD_SETTINGS, REPO_ROOT, type BundleInfo, type BundleReport } from './bundle';
import { measureColdStarts, type ColdResult, type ColdStats } from './cold-start';
import { DEADLINE_GOAL_PER_S, deadlineReport, deadlineSettings, fmtRate, type DeadlineBenchResult } from './deadlines';
import { evidenceReport, evidenceSettings, type EvidenceBenchResult } from './evidence';
import { exportSettings, exportsReport, type ExportBenchResult } from './exports';
import { writesReport, type WritesBenchResult } from './writes';
import { costReport as lifecycleCostReport, type CostBenchResult } from './cost';
import { expectStatus, typed, type Typed } from './api-client';
import { formatCounts, makeCounter, type OperationCount } from './dynamo-requests';
import { LoadGenerator, type LoadScenario, type LoadSummary } from './load';
import { suppressStderrLines } from './quiet';
import { kb, ms, round, say, table } from './stats';
import { timerSettings, timersReport, type TimerBenchResult } from './timers';
import { workflowSettings, workflowsReport, type WorkflowBenchResult } from './workflows';
import { reportSettings, reportsReport, type ReportBenchResult } from './reports';
import { triageReport, type TriageBenchResult } from './triage';
import { webhooksReport, type WebhookBenchResult } from './webhooks';
import { channelsReport, type ChannelBenchResult } from './channels';
import { lettersReport, type LetterBenchResult } from './letters';
import { bundleChecks, coldChecks, COLD_START_ENV, extraColdTargets, type LeanColdReport } from './lean';
import { chaosReport, type ChaosBenchResult } from './chaos';
import { runConsoleBench, type ConsoleBenchResult } from './console';
import type { SynthesizedCost } from '../infra/cost/synthesized-cost';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const envNumber = (name: string, fallback: number, min: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got ${raw}`);
  return n;
};

const SETTINGS = {
  coldRuns: envNumber('BENCH_COLD_RUNS', 20, 20),
  // No discarded round: round 1 touches every bundle equally, and a median of 20 ignores one slow first spawn.
  coldWarmupRounds: 0,
  /** As deployed: the construct sets NODE_OPTIONS=--enable-source-maps on every function. */
  coldNodeArgs: (process.env.BENCH_COLD_NODE_ARGS ?? '--enable-source-maps').split(' ').filter(Boolean),
  coldRatioGoal: 1.5,
  connections: envNumber('BENCH_CONNECTIONS', 10, 1),
  loadSeconds: envNumber('BENCH_LOAD_SECONDS', 5, 1),
  warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 1, 0),
  seedCases: 30,
  /** BENCH_DEADLINE_CASES, BENCH_DEADLINE_PASSES, BENCH_DEADLINE_SEED (bench/deadlines.ts reads the same variables). */
  deadlines: deadlineSettings(),
  /** BENCH_TIMER_CASES, BENCH_TIMER_TICKS (bench/timers.ts reads the same variables). */
  timers: timerSettings(),
  /** BENCH_EVIDENCE_RUNS_1MB, BENCH_EVIDENCE_RUNS_50MB, BENCH_EVIDENCE_MEMORY_MB (bench/evidence.ts reads the same variables). */
  evidence: evidenceSettings(),
  /** BENCH_EXPORT_FILES, BENCH_EXPORT_FILE_MB, BENCH_EXPORT_RUNS (bench/exports.ts reads the same variables). */
  exports: exportSettings(),
  /** BENCH_WORKFLOWS_REFERENCE_RUNS (bench/workflows.ts reads the same variable). */
  workflows: workflowSettings(),
  /** BENCH_REPORT_SMALL, BENCH_REPORT_LARGE, BENCH_REPORT_SEED, BENCH_REPORT_CONCURRENCY, BENCH_REPORT_RUNS (bench/reports.ts reads the same variables). */
  reports: reportSettings(),
};
/**
 * BENCH_ONLY=bundle,cold,deadlines,writes,cost,api,timers,evidence,exports,workflows,reports,triage,webhooks,channels,letters,chaos,console,fixedcost
 * runs a subset (api = DynamoDB request counts + load; fixedcost = the fixed monthly cost at zero traffic, from the synthesized templates).
 */
const PHASES = new Set((process.env.BENCH_ONLY ?? 'bundle,cold,deadlines,writes,cost,api,timers,evidence,exports,workflows,reports,triage,webhooks,channels,letters,chaos,console,fixedcost').split(',').map((s) => s.trim()));


interface Check {
  name: string;
  ok: boolean;
  /** Hard checks fail the run (exit 1); goals are reported. */
  hard: boolean;
  /** Not a goal of the issue: context for reading a goal (printed with ℹ instead of ✓/○). */
  informational?: boolean;
  detail: string;
}

const started = new Date();
const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
const phase = (title: string) => say(`\n▸ ${title}  [${elapsed()}]`);
const checks: Check[] = [];

const git = (...args: string[]) => {
  const out = spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : undefined;
};

// ── 1. Bundles ────────────────────────────────────────────────────────────────────────────────

const runBundles = async (workDir: string): Promise<BundleReport> => {
  const routes = routeList();
  phase(`bundling ${routes.length} route entries + an empty handler + the SDK floor handler with esbuild (${ESBUILD_SETTINGS.format}, ${ESBUILD_SETTINGS.target}, minify, external source maps)`);
  const report = await bundleFunctions(
    routes.map((r) => ({ id: r.id, entry: r.entry })),
    workDir,
  );
  say(`  built in ${report.buildMs.toFixed(0)} ms into ${report.outDir}`);
  const sizes = report.functions.map((f) => f.bytes);
  say(`  bundle sizes ${kb(Math.min(...sizes))}–${kb(Math.max(...sizes))} KB (gzip ${kb(Math.min(...report.functions.map((f) => f.gzipBytes)))}–${kb(Math.max(...report.functions.map((f) => f.gzipBytes)))} KB); SDK floor ${kb(report.sdkFloor.bytes)} KB`);
  checks.push(...bundleChecks(report));
  return report;
};

const largestOf = (functions: BundleInfo[]) => functions.reduce((a, b) => (b.bytes > a.bytes ? b : a));

// ── 2. Cold starts ────────────────────────────────────────────────────────────────────────────

const runColdStarts = (bundles: BundleReport, workDir: string): ColdResult & { lean: LeanColdReport } => {
  // BENCH_COLD_IDS=a,b,… measures only those handlers (a contended machine cannot run every one 20 times in time).
  const only = process.env.BENCH_COLD_IDS ? new Set(process.env.BENCH_COLD_IDS.split(',').map((x) => x.trim())) : undefined;
  const main = bundles.functions.filter((f) => !only || only.has(f.id)).map((f) => ({ id: f.id, file: f.file }));
  // Earlier bundles (BENCH_COLD_BEFORE_DIR) and the same bundles without source maps, in the same rounds (bench/lean.ts).
  const extra = extraColdTargets(bundles, SETTINGS.coldNodeArgs, main.map((t) => t.id));
  const targets = [...main, ...extra];
  const total = (targets.length + 2) * (SETTINGS.coldRuns + SETTINGS.coldWarmupRounds);
  phase(`cold starts: ${main.length} handlers (+ ${extra.length} side-by-side variants) + empty handler + SDK floor, ${SETTINGS.coldRuns} fresh \`node ${SETTINGS.coldNodeArgs.join(' ')}\` processes each, round-robin (${total} spawns)`);
  let lastPrint = 0;
  const result = measureColdStarts(
    { empty: { id: bundles.empty.id, file: bundles.empty.file }, floor: { id: bundles.sdkFloor.id, file: bundles.sdkFloor.file } },
    targets,
    {
      runs: SETTINGS.coldRuns,
      warmupRounds: SETTINGS.coldWarmupRounds,
      nodeArgs: SETTINGS.coldNodeArgs,
      env: COLD_START_ENV,
      workDir,
      onRound: (round, of) => {
        if (round === of || performance.now() - lastPrint > 10_000) {
          lastPrint = performance.now();
          say(`  round ${round}/${of}  [${elapsed()}]`);
        }
      },
    },
  );
  const extraIds = new Set(extra.map((t) => t.id));
  const extraStats = result.functions.filter((f) => extraIds.has(f.id));
  result.functions = result.functions.filter((f) => !extraIds.has(f.id));
  const worst = result.functions.reduce((a, b) => (b.wallRatio > a.wallRatio ? b : a));
  const fns = result.functions;
  say(`  empty handler: wall p50 ${ms(result.baseline.wallMsP50)} ms; SDK floor: wall p50 ${ms(result.floor.wallMsP50)} ms = ${result.floor.wallRatio.toFixed(2)}× empty (require p50 ${ms(result.floor.requireMsP50)} ms)`);
  say(`  worst handler ${worst.id}: wall p50 ${ms(worst.wallMsP50)} ms = ${worst.wallRatio.toFixed(2)}× empty, ${worst.floorWallRatio.toFixed(2)}× SDK floor, +${ms(worst.extraInitOverFloorMsP50)} ms init over the floor`);
  const meeting = fns.filter((f) => f.wallRatio <= SETTINGS.coldRatioGoal);
  checks.push({
    name: `cold start ≤ ${SETTINGS.coldRatioGoal}× empty handler (wall p50)`,
    ok: meeting.length === fns.length,
    hard: false,
    detail: `${meeting.length}/${fns.length} handlers meet it; ratios ${Math.min(...fns.map((f) => f.wallRatio)).toFixed(2)}–${worst.wallRatio.toFixed(2)}×; the SDK floor alone is ${result.floor.wallRatio.toFixed(2)}×`,
  });
  const overFloor = fns.filter((f) => f.floorWallRatio <= SETTINGS.coldRatioGoal);
  checks.push({
    name: `cold start ≤ ${SETTINGS.coldRatioGoal}× SDK floor (wall p50)`,
    ok: overFloor.length === fns.length,
    hard: false,
    informational: true,
    detail: `${overFloor.length}/${fns.length} handlers; ratios ${Math.min(...fns.map((f) => f.floorWallRatio)).toFixed(2)}–${Math.max(...fns.map((f) => f.floorWallRatio)).toFixed(2)}×, init over the floor ${ms(Math.min(...fns.map((f) => f.extraInitOverFloorMsP50)))}–${ms(Math.max(...fns.map((f) => f.extraInitOverFloorMsP50)))} ms`,
  });
  const lean = coldChecks(fns, extraStats);
  if (lean.lines.length) say(`  side by side (same rounds):\n${lean.lines.join('\n')}`);
  checks.push(...lean.checks);
  return { ...result, lean };
};

// ── 5. Deadline computations per second ─────────────────────────────────────────────────────

/**
 * bench/deadlines.ts in a fresh `node --import tsx` process, so its cold pass is cold whatever ran before (the
 * API phase computes deadlines in this process) and it has one main thread to itself; progress goes straight
 * to our stdout, the figures come back as JSON.
 */
const runDeadlines = (workDir: string): DeadlineBenchResult | undefined => {
  const s = SETTINGS.deadlines;
  phase(`deadline computations: computeDeadline over ${s.cases.toLocaleString('en-GB')} seeded cases across all regimes, 1 cold/warm-up pass + ${s.passes} timed passes, single core (main thread of a fresh node process)`);
  const file = join(workDir, 'deadlines.json');
  const out = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', 'deadlines.ts'), '--json', file, '--no-report'], {
    cwd: REPO_ROOT,
    env: { ...process.env, BENCH_ELAPSED_BASE_S: String((performance.now() - t0) / 1000) },
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 600_000,
  });
  if (out.error || out.status !== 0) {
    const detail = out.error ? out.error.message : `bench/deadlines.ts exited ${out.status ?? out.signal}`;
    say(`  ✗ ${detail}`);
    checks.push({ name: 'deadline benchmark ran', ok: false, hard: true, detail });
    return undefined;
  }
  const result = JSON.parse(readFileSync(file, 'utf8')) as DeadlineBenchResult;
  const c = result.computationsPerSecond;
  say(`  median ${fmtRate(c.median)} computations/s (min ${fmtRate(c.min)}, max ${fmtRate(c.max)}); cold first pass ${fmtRate(result.cold.perS)}/s; ${result.checksum.distinctDueDates.toLocaleString('en-GB')} distinct due dates`);
  checks.push({
    name: 'deadline computations: every timed pass gives the cold pass\'s due dates',
    ok: result.checksum.passesDifferingFromCold === 0,
    hard: true,
    detail: `${result.checksum.passesDifferingFromCold}/${result.settings.passes} passes differ; fingerprint ${result.checksum.fingerprint} over ${result.settings.cases.toLocaleString('en-GB')} cases (seed ${result.settings.seed})`,
  });
  checks.push({
    name: `deadline computations ≥ ${fmtRate(DEADLINE_GOAL_PER_S)}/s (${result.settings.cases.toLocaleString('en-GB')} cases across all regimes, one core)`,
    ok: c.median >= DEADLINE_GOAL_PER_S,
    hard: false,
    detail:
      `median ${fmtRate(c.median)}/s wall clock over ${result.settings.passes} passes (min ${fmtRate(c.min)}, max ${fmtRate(c.max)}), ` +
      `${fmtRate(result.computationsPerCpuSecond.median)}/s per CPU second (CPU ÷ wall ${result.singleCore.cpuOverWall.toFixed(2)}); by governing clock: ` +
      result.kinds.map((k) => `${k.kind} ${fmtRate(k.medianPerS)}/s`).join(', '),
  });
  return result;
};

// ── 3 + 4. Local stack: DynamoDB requests per operation, then load ────────────────────────────

const countDynamoRequests = async (stack: StartedStack, api: Typed): Promise<OperationCount[]> => {
  const shards = config().LIST_SHARDS;
  phase(`DynamoDB requests per API operation (SDK middleware observer; LIST_SHARDS=${shards})`);
  const intake = api(['bench-intake', ['intake']]);
  const supervisor = api(['bench-supervisor', ['supervisor']]);
  const alice = api(['alice', ['handler']]);
  // First calls load each handler module; count on a warm process, as for a warm Lambda.
  await expectStatus(intake.POST('/v1/complaints', { body: benchComplaint('warm-up') }), 201, 'warm-up create');
  await expectStatus(supervisor.GET('/v1/complaints'), 200, 'warm-up list');

  const { measure, results } = makeCounter();
  const mutation = { GetItem: 1, TransactWriteItems: 1 };
  const created = await measure('create', 'POST /v1/complaints', () => intake.POST('/v1/complaints', { body: benchComplaint('DynamoDB request count') }), { expect: 201, goal: { TransactWriteItems: 1, UpdateItem: 1 } });
  const c = created.data;
  const path = { path: { id: c.id } };
  await measure('create + Idempotency-Key', 'POST /v1/complaints', () => intake.POST('/v1/complaints', { params: { header: { 'Idempotency-Key': `bench-${Date.now()}` } }, body: benchComplaint('DynamoDB request count, idempotent') }), {
    expect: 201,
    note: 'Powertools idempotency: conditional PutItem of the in-progress record before, UpdateItem of the result after',
  });
  const got = await measure('get', 'GET /v1/complaints/{id}', () => supervisor.GET('/v1/complaints/{id}', { params: path }), { expect: 200, goal: { GetItem: 1 } });
  if (!c.ownerId) throw new Error('create: the new case has no owner to list as');
  const owner = api([c.ownerId, ['handler']]);
  await measure('list owner=me', 'GET /v1/complaints?owner=me', () => owner.GET('/v1/complaints', { params: { query: { owner: 'me' } } }), { expect: 200, goal: { Query: 1 } });
  await measure('list (all, sharded)', 'GET /v1/complaints', () => supervisor.GET('/v1/complaints'), { expect: 200, goal: { Query: shards }, note: `one Query per open-case shard (LIST_SHARDS=${shards}), merged by due date` });
  const moved = await measure(
    'reassign',
    'POST /v1/complaints/{id}/owner',
    () => supervisor.POST('/v1/complaints/{id}/owner', { params: { ...path, header: { 'If-Match': got.response.headers.get('etag') ?? '' } }, body: { ownerId: 'alice', reason: 'Alice handles repeat delivery complaints' } }),
    { expect: 200, goal: mutation },
  );
  await measure('reclassify', 'PATCH /v1/complaints/{id}', () => supervisor.PATCH('/v1/complaints/{id}', { params: { ...path, header: { 'If-Match': moved.response.headers.get('etag') ?? '' } }, body: { severity: 'high', reason: 'repeat complaint' } }), { expect: 200, goal: mutation });
  await measure('acknowledge', 'POST /v1/complaints/{id}/acknowledgement', () => alice.POST('/v1/complaints/{id}/acknowledgement', { params: path, body: {} }), { expect: 200, goal: mutation });
  await measure('add note', 'POST /v1/complaints/{id}/notes', () => alice.POST('/v1/complaints/{id}/notes', { params: path, body: { kind: 'call_note', body: 'Customer confirmed missed appointment.' } }), { expect: 201, goal: mutation });
  await measure(
    'close',
    'POST /v1/complaints/{id}/close',
    () => alice.POST('/v1/complaints/{id}/close', { params: path, body: { followUpAction: 'Review depot slot allocation', rootCause: { category: 'capacity', description: 'Depot overbooked slots' } } }),
    { expect: 200, goal: mutation },
  );
  await measure('reopen', 'POST /v1/complaints/{id}/reopen', () => alice.POST('/v1/complaints/{id}/reopen', { params: path, body: { reason: 'Customer disputes the outcome' } }), { expect: 200, goal: mutation });
  await measure('timeline', 'GET /v1/complaints/{id}/timeline', () => supervisor.GET('/v1/complaints/{id}/timeline', { params: path }), { expect: 200 });

  for (const r of results) say(`  ${r.operation.padEnd(26)} ${formatCounts(r.counts).padEnd(40)} ${r.goal ? (r.meetsGoal ? '✓ goal' : `✗ goal ${formatCounts(r.goal)}`) : ''}`);
  const scanned = results.filter((r) => (r.counts.Scan ?? 0) > 0);
  checks.push({ name: 'no Scan on any measured request path', ok: scanned.length === 0, hard: true, detail: scanned.length ? scanned.map((r) => r.operation).join(', ') : `${results.length} operations, 0 Scans` });
  const withGoal = results.filter((r) => r.goal);
  const missed = withGoal.filter((r) => !r.meetsGoal);
  checks.push({
    name: 'DynamoDB requests per operation match the goals',
    ok: missed.length === 0,
    hard: false,
    detail: missed.length ? missed.map((r) => `${r.operation}: ${formatCounts(r.counts)} (goal ${formatCounts(r.goal!)})`).join('; ') : `${withGoal.length}/${withGoal.length} operations`,
  });
  return results;
};

interface LoadResult extends LoadSummary {
  name: string;
  request: string;
  connections: number;
  warmupS: number;
  /** The process running the local API (handlers, node:http, JWT verification, SDK); DynamoDB Local is a separate JVM. */
  apiProcess: { cpuMsPerRequest: number; cpuCores: number; eventLoopUtilization: number };
}

const METRICS_WARNING = 'No application metrics to publish';
let metricsWarnings = 0;

const runLoad = async (stack: StartedStack, api: Typed, token: (sub: string, groups: Role[]) => Promise<string>): Promise<LoadResult[]> => {
  phase(`local API load (autocannon in a child process, ${SETTINGS.connections} connections, ${SETTINGS.warmupSeconds} s warm-up + ${SETTINGS.loadSeconds} s per scenario, loopback ${stack.api.url})`);
  // autocannon sends prepared raw requests (it is the load generator, not a client of ours): bearer tokens as strings.
  const intake = await token('bench-intake', ['intake']);
  const supervisor = await token('bench-supervisor', ['supervisor']);
  const handler1 = await token('handler-1', ['handler']);
  const ids: string[] = [];
  for (let i = 0; i < SETTINGS.seedCases; i++) ids.push((await expectStatus(api(['bench-intake', ['intake']]).POST('/v1/complaints', { body: benchComplaint(`seed ${i}`) }), 201, 'seeding')).id);
  say(`  seeded ${ids.length} cases for GET by id`);

  const base = { baseUrl: stack.api.url, connections: SETTINGS.connections, durationS: SETTINGS.loadSeconds };
  const body = JSON.stringify({ ...benchComplaint('Bench complaint [<id>]'), customer: { id: 'bench-[<id>]', name: 'Ada Lovelace', email: 'ada@example.com', vulnerable: false } });
  const scenarios: (LoadScenario & { request: string })[] = [
    { ...base, name: 'create', request: 'POST /v1/complaints', method: 'POST', paths: ['/v1/complaints'], headers: { authorization: `Bearer ${intake}`, 'content-type': 'application/json' }, body },
    { ...base, name: 'get', request: `GET /v1/complaints/{id} (${ids.length} ids)`, method: 'GET', paths: ids.map((id) => `/v1/complaints/${id}`), headers: { authorization: `Bearer ${supervisor}` } },
    { ...base, name: 'list owner=me', request: 'GET /v1/complaints?owner=me', method: 'GET', paths: ['/v1/complaints?owner=me'], headers: { authorization: `Bearer ${handler1}` } },
    { ...base, name: 'list (all, sharded)', request: 'GET /v1/complaints', method: 'GET', paths: ['/v1/complaints'], headers: { authorization: `Bearer ${supervisor}` } },
  ];

  const gen = await LoadGenerator.start();
  const results: LoadResult[] = [];
  try {
    for (const s of scenarios) {
      say(`  ${s.name.padEnd(20)} ${s.request} …`);
      // Unmeasured warm-up first, so JIT (node and DynamoDB Local's JVM) and caches are warm.
      if (SETTINGS.warmupSeconds > 0) await gen.run({ ...s, durationS: SETTINGS.warmupSeconds });
      const cpu0 = process.cpuUsage();
      const elu0 = performance.eventLoopUtilization();
      const summary = await gen.run(s);
      const cpu = process.cpuUsage(cpu0);
      const elu = performance.eventLoopUtilization(elu0);
      const apiProcess = {
        cpuMsPerRequest: summary.requests ? (cpu.user + cpu.system) / 1000 / summary.requests : Number.NaN,
        cpuCores: (cpu.user + cpu.system) / 1000 / (summary.durationS * 1000),
        eventLoopUtilization: elu.utilization,
      };
      results.push({ name: s.name, request: s.request, connections: s.connections, warmupS: SETTINGS.warmupSeconds, ...summary, apiProcess });
      const bad = summary.non2xx + summary.errors + summary.timeouts;
      say(
        `  ${''.padEnd(20)} ${summary.requests} requests, ${summary.rps.toFixed(0)} req/s, p50 ${ms(summary.latencyMs.p50)} ms, p99 ${ms(summary.latencyMs.p99)} ms${bad ? `, ✗ ${summary.non2xx} non-2xx ${JSON.stringify(summary.statusCodes)}, ${summary.errors} errors, ${summary.timeouts} timeouts` : ', 0 non-2xx'}; API process ${apiProcess.cpuMsPerRequest.toFixed(1)} CPU-ms/request, event loop ${(100 * apiProcess.eventLoopUtilization).toFixed(0)}% busy`,
      );
    }
  } finally {
    await gen.stop();
  }
  const failing = results.filter((r) => r.non2xx + r.errors + r.timeouts > 0);
  checks.push({
    name: 'load: no non-2xx responses, errors or timeouts',
    ok: failing.length === 0,
    hard: true,
    detail: failing.length ? failing.map((r) => `${r.name}: ${r.non2xx} non-2xx ${JSON.stringify(r.statusCodes)}, ${r.errors} errors, ${r.timeouts} timeouts`).join('; ') : `${results.reduce((a, r) => a + r.requests, 0)} requests`,
  });
  return results;
};

const runApi = async () => {
  phase('starting the local stack (in-memory DynamoDB Local, API on an ephemeral loopback port)');
  const serverErrors: string[] = [];
  let stack: StartedStack;
  try {
    // No background timer loop: the stream handler and the local scheduler run in other functions in AWS, and
    // their DynamoDB requests must not be counted against the route that caused them.
    stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, log: (line) => void (line.startsWith('local server error') && serverErrors.push(line)) });
  } catch (err) {
    if (err instanceof LocalStackError) {
      say(`  ✗ ${err.message}`);
      checks.push({ name: 'local stack started', ok: false, hard: true, detail: err.message });
      return undefined;
    }
    throw err;
  }
  say(`  DynamoDB Local ${stack.dynamo?.endpoint}, API ${stack.api.url}`);
  const token = async (sub: string, groups: Role[]) => (await stack.issuer.issue({ sub, groups })).token;
  // Until the stack has stopped: requests still in flight when a load run ends also flush metrics.
  const quiet = suppressStderrLines(METRICS_WARNING);
  try {
    const api = typed(stack);
    const dynamoRequests = await countDynamoRequests(stack, api);
    const load = await runLoad(stack, api, token);
    if (serverErrors.length) {
      say(`  ✗ ${serverErrors.length} local server errors; first: ${serverErrors[0]?.split('\n').slice(0, 3).join(' | ')}`);
      checks.push({ name: 'no local server errors', ok: false, hard: true, detail: serverErrors[0] ?? '' });
    }
    return { dynamoRequests, load, listShards: config().LIST_SHARDS };
  } finally {
    phase('stopping the local stack');
    await stack.stop();
    quiet.restore();
    metricsWarnings = quiet.count();
    if (metricsWarnings > 0) say(`  dropped ${metricsWarnings} Powertools "No application metrics to publish" warnings (local only: concurrent invocations share one Metrics instance)`);
  }
};

// ── 6. Case timers ────────────────────────────────────────────────────────────────────────────

/**
 * Runs `bench/<name>.ts --json FILE --no-report` in a fresh `node --import tsx` process (its own local stack and
 * clock: the container binds to one DynamoDB endpoint per process), collects its checks and returns its figures.
 * Exit 1 with figures written = a failed hard check (reported with the checks); no figures = the run itself failed
 * (exit 3: its local stack did not start).
 */
const runChildPhase = <T extends { checks: Check[] }>(workDir: string, name: string, timeoutMs: number): T | undefined => {
  const file = join(workDir, `${name}.json`);
  const out = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', `${name}.ts`), '--json', file, '--no-report'], {
    cwd: REPO_ROOT,
    env: { ...process.env, BENCH_ELAPSED_BASE_S: String((performance.now() - t0) / 1000) },
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: timeoutMs,
  });
  if (out.error || !existsSync(file)) {
    const detail = out.error ? out.error.message : `bench/${name}.ts exited ${out.status ?? out.signal}`;
    say(`  ✗ ${detail}`);
    checks.push({ name: out.status === 3 ? `local stack started (${name})` : `${name} benchmark ran`, ok: false, hard: true, detail });
    return undefined;
  }
  const result = JSON.parse(readFileSync(file, 'utf8')) as T;
  checks.push(...result.checks);
  return result;
};

/**
 * bench/timers.ts in a fresh `node --import tsx` process: its own local stack (the container binds to one
 * DynamoDB endpoint per process) and its own local clock (the lifecycles move it by months).
 */
const runTimers = (workDir: string): TimerBenchResult | undefined => {
  const s = SETTINGS.timers;
  phase(
    `case timers: Scheduler calls and invocations per case lifecycle (local clock moved), then checkpoint lateness in real time with the background tick every ${s.ticksMs.join(' / ')} ms over ${s.cases} ${s.regime} cases each (fresh node process with its own local stack)`,
  );
  return runChildPhase<TimerBenchResult>(workDir, 'timers', 600_000);
};

// ── 7. Evidence vault ─────────────────────────────────────────────────────────────────────────

/** bench/evidence.ts in a fresh `node --import tsx` process: its own local stack (and, inside it, a child process for the verifier's memory). */
const runEvidence = (workDir: string): EvidenceBenchResult | undefined => {
  const s = SETTINGS.evidence;
  phase(
    `evidence vault: register → upload → verified latency (${s.sizes.map((z) => `${z.runs} × ${z.label}`).join(', ')}), S3 and DynamoDB requests per item, verifier memory on a ${s.memory.bytes / 1024 / 1024} MB object (fresh node process with its own local stack)`,
  );
  return runChildPhase<EvidenceBenchResult>(workDir, 'evidence', 600_000);
};

// ── 8. Compliance exports ─────────────────────────────────────────────────────────────────────

/**
 * bench/exports.ts in a fresh `node --import tsx` process: its own local stack, and inside it a child process per
 * build (the export builder's handler against the same stack) for the builder's memory.
 */
const runExports = (workDir: string): ExportBenchResult | undefined => {
  const s = SETTINGS.exports;
  phase(
    `compliance exports: build time and builder memory for ${s.large.files} × ${s.large.fileBytes / 1024 / 1024} MB vs ${s.small.files} × ${s.small.fileBytes / 1024 / 1024} MB of evidence (${s.runs} builds each, fresh child per build), verifier throughput on the bundle (in-process and CLI), storage cost per ${s.storage.cases.toLocaleString('en-GB')} exported cases (fresh node process with its own local stack)`,
  );
  return runChildPhase<ExportBenchResult>(workDir, 'exports', 900_000);
};

// ── 9. Approval and escalation workflows ──────────────────────────────────────────────────────

/** bench/workflows.ts in a fresh `node --import tsx` process: its own local stack and clock (the paths move it by days), then the reference case test runs. */
const runWorkflows = (workDir: string): WorkflowBenchResult | undefined => {
  const s = SETTINGS.workflows;
  phase(
    `workflows: Step Functions state transitions per approval/escalation path (fresh node process with its own local stack, local clock moved) and their cost per ${s.mix.complaints.toLocaleString('en-GB')} complaints${s.referenceRuns > 0 ? `, then the reference case test ${s.referenceRuns} times (\`npx jest test/api/reference-case\`)` : ''}`,
  );
  return runChildPhase<WorkflowBenchResult>(workDir, 'workflows', 1_200_000);
};

// ── 10. Reporting at two sizes ────────────────────────────────────────────────────────────────

/**
 * bench/reports.ts in a fresh `node --import tsx` process: its own DynamoDB Local, and the projection handler bound to
 * its large table (the handler reads TABLE_NAME once per process). Seeding 100,000 cases takes about an hour on 2 cores.
 */
const runReports = (workDir: string): ReportBenchResult | undefined => {
  const s = SETTINGS.reports;
  phase(
    `reports: KPI and control-score latency and read units at ${s.small.toLocaleString('en-GB')} vs ${s.large.toLocaleString('en-GB')} cases (seeded as stream records through the projection handler, ${s.concurrency} shards at once), projection throughput (fresh node process with its own DynamoDB Local)`,
  );
  // Seeding runs at a few dozen records/s on DynamoDB Local: allow 200 ms a case, and never less than 10 minutes.
  return runChildPhase<ReportBenchResult>(workDir, 'reports', Math.max(600_000, (s.small + s.large) * 200));
};

// ── Report ────────────────────────────────────────────────────────────────────────────────────

const printReport = (
  bundles: BundleReport | undefined,
  cold: ColdResult | undefined,
  deadlines: DeadlineBenchResult | undefined,
  api: Awaited<ReturnType<typeof runApi>>,
  timers: TimerBenchResult | undefined,
  evidence: EvidenceBenchResult | undefined,
  exportsResult: ExportBenchResult | undefined,
  workflows: WorkflowBenchResult | undefined,
  reports: ReportBenchResult | undefined,
  triage: TriageBenchResult | undefined,
) => {
  say('\n══ Results ══');
  if (bundles) {
    const coldOf = new Map((cold ? [cold.baseline, cold.floor, ...cold.functions] : []).map((c) => [c.id, c]));
    const signed = (n: number) => `${n >= 0 ? '+' : ''}${ms(n)}`;
    const row = (b: BundleInfo) => {
      const c = coldOf.get(b.id);
      return [
        b.id,
        kb(b.bytes),
        kb(b.gzipBytes),
        c ? ms(c.requireMsP50) : '–',
        c ? ms(c.wallMsP50) : '–',
        c ? `${c.wallRatio.toFixed(2)}×` : '–',
        c ? `${c.floorWallRatio.toFixed(2)}×` : '–',
        c ? signed(c.extraInitOverFloorMsP50) : '–',
      ];
    };
    say(`\nPer function (bundle: esbuild ${ESBUILD_SETTINGS.target} cjs minified; cold start: median of ${SETTINGS.coldRuns} fresh \`node ${SETTINGS.coldNodeArgs.join(' ')}\` processes on ${process.version})`);
    say(`SDK floor = a handler that only creates the bundled DynamoDB (document) client at module scope; "init over floor" = require p50 − the floor's: our code's own cost`);
    say(
      table(
        ['function', 'bundle KB', 'gzip KB', 'require p50 ms', 'wall p50 ms', 'wall ÷ empty', 'wall ÷ SDK floor', 'init over floor ms'],
        [row(bundles.empty), row(bundles.sdkFloor), ...[...bundles.functions].sort((a, b) => b.bytes - a.bytes).map(row)],
      ),
    );
    const largest = largestOf(bundles.functions);
    say(`\nLargest bundle: ${largest.id} (${kb(largest.bytes)} KB, ${largest.inputCount} inputs). Top inputs by bytes in output:`);
    say(table(['input', 'KB'], largest.inputs.slice(0, 5).map((i) => [i.path, kb(i.bytes)])));
    say('\nBy directory:');
    say(table(['directory', 'KB', '% of bundle'], largest.directories.slice(0, 5).map((d) => [d.path, kb(d.bytes), `${((100 * d.bytes) / largest.bytes).toFixed(0)}%`])));
    say('\nBy package:');
    say(table(['package', 'KB', '% of bundle'], largest.packages.slice(0, 8).map((p) => [p.path, kb(p.bytes), `${((100 * p.bytes) / largest.bytes).toFixed(0)}%`])));
    if (largest.duplicatePackages.length) {
      say('\nPackages bundled more than once (version skew in package-lock.json):');
      say(table(['package', 'copies', 'KB'], largest.duplicatePackages.map((d) => [d.name, d.copies.map((c) => c.version ?? '?').join(', '), kb(d.copies.reduce((n, c) => n + c.bytes, 0))])));
    }
  }
  if (deadlines) say(`\n${deadlineReport(deadlines)}`);
  if (api) {
    say(`\nLocal API (autocannon, ${SETTINGS.connections} connections, ${SETTINGS.loadSeconds} s each after ${SETTINGS.warmupSeconds} s warm-up, API + DynamoDB Local + load generator on ${cpus().length} cores)`);
    say(
      table(
        ['operation', 'request', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'API CPU-ms/req', 'API loop busy'],
        api.load.map((l) => [l.name, l.request, l.requests, l.rps.toFixed(0), ms(l.latencyMs.p50), ms(l.latencyMs.p99), l.non2xx + l.errors + l.timeouts, l.apiProcess.cpuMsPerRequest.toFixed(1), `${(100 * l.apiProcess.eventLoopUtilization).toFixed(0)}%`]),
      ),
    );
    say('\nDynamoDB requests per API operation (counted by the SDK middleware)');
    say(table(['operation', 'request', 'DynamoDB requests', 'goal', ''], api.dynamoRequests.map((d) => [d.operation, d.request, formatCounts(d.counts), d.goal ? formatCounts(d.goal) : '(info)', d.goal ? (d.meetsGoal ? '✓' : '✗') : ''])));
  }
  if (timers) say(`\n${timersReport(timers)}`);
  if (evidence) say(`\n${evidenceReport(evidence)}`);
  if (exportsResult) say(`\n${exportsReport(exportsResult)}`);
  if (workflows) say(`\n${workflowsReport(workflows)}`);
  if (reports) say(`\n${reportsReport(reports)}`);
  if (triage) say(`\n${triageReport(triage)}`);
  say('\nChecks');
  for (const c of checks) say(`  ${c.informational ? 'ℹ' : c.ok ? '✓' : c.hard ? '✗' : '○'} ${c.name}${c.informational ? ` (informational: ${c.ok ? 'met' : 'not met'})` : `: ${c.ok ? 'met' : 'NOT MET'}`}: ${c.detail}`);
};

const stripSamples = (c: ColdStats) => ({ ...c, samples: c.samples.map((s) => ({ requireMs: round(s.requireMs, 2), wallMs: round(s.wallMs, 2) })) });

const bundleJson = (b: BundleInfo) => ({ id: b.id, entry: b.entry, bytes: b.bytes, gzipBytes: b.gzipBytes, mapBytes: b.mapBytes, inputCount: b.inputCount });

const main = async () => {
  const load0 = loadavg();
  say(`npm run bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${load0.map((l) => l.toFixed(2)).join(' ')}`);
  const workDir = mkdtempSync(join(tmpdir(), 'complaints-bench-'));
  let bundles: BundleReport | undefined;
  let cold: ReturnType<typeof runColdStarts> | undefined;
  let deadlines: DeadlineBenchResult | undefined;
  let api: Awaited<ReturnType<typeof runApi>> = undefined;
  let timers: TimerBenchResult | undefined;
  let evidence: EvidenceBenchResult | undefined;
  let exportsResult: ExportBenchResult | undefined;
  let workflows: WorkflowBenchResult | undefined;
  let reports: ReportBenchResult | undefined;
  let triage: TriageBenchResult | undefined;
  let webhooks: WebhookBenchResult | undefined;
  let channels: ChannelBenchResult | undefined;
  let letters: LetterBenchResult | undefined;
  let chaos: ChaosBenchResult | undefined;
  let writes: WritesBenchResult | undefined;
  let lifecycleCost: CostBenchResult | undefined;
  let consoleBudget: ConsoleBenchResult | undefined;
  let fixedCost: SynthesizedCost | undefined;
  try {
    if (PHASES.has('bundle') || PHASES.has('cold')) bundles = await runBundles(workDir);
    if (PHASES.has('cold') && bundles) cold = runColdStarts(bundles, workDir);
    if (PHASES.has('deadlines')) deadlines = runDeadlines(workDir);
    if (PHASES.has('writes')) {
      phase('writes: DynamoDB capacity units per complaint lifecycle, ReturnConsumedCapacity INDEXES per step (fresh node process with its own local stack)');
      writes = runChildPhase<WritesBenchResult>(workDir, 'writes', 600_000);
    }
    if (PHASES.has('cost')) {
      phase('cost: compute + request cost per 1,000 complaints at list price, from the lifecycle\'s measured API requests, invocations × wall time × memory, DynamoDB units, Scheduler, Step Functions, KMS, EventBridge, S3 (fresh node process with its own local stack)');
      lifecycleCost = runChildPhase<CostBenchResult>(workDir, 'cost', 900_000);
    }
    if (PHASES.has('api')) api = await runApi();
    if (PHASES.has('timers')) timers = runTimers(workDir);
    if (PHASES.has('evidence')) evidence = runEvidence(workDir);
    if (PHASES.has('exports')) exportsResult = runExports(workDir);
    if (PHASES.has('workflows')) workflows = runWorkflows(workDir);
    if (PHASES.has('reports')) reports = runReports(workDir);
    if (PHASES.has('triage')) {
      phase('triage: local model load and per-suggestion latency over the held-out split, POST /v1/complaints with triage inline vs the model chain alone, interleaved (fresh node process with its own local stack)');
      triage = runChildPhase<TriageBenchResult>(workDir, 'triage', 600_000);
    }
    if (PHASES.has('webhooks')) {
      phase('webhooks: commit → signed delivery at a loopback receiver, stream tick 1 s (npm start) vs 100 ms, interleaved (fresh node process with its own local stack)');
      webhooks = runChildPhase<WebhookBenchResult>(workDir, 'webhooks', 600_000);
    }
    if (PHASES.has('channels')) {
      phase('channels: signed helpdesk webhook intake latency (new vs repeated ticket, interleaved) and throughput; email parse and intake time, 10 MB with attachments vs 100 KB (fresh node process with its own local stack)');
      channels = runChildPhase<ChannelBenchResult>(workDir, 'channels', 900_000);
    }
    if (PHASES.has('chaos')) {
      phase('chaos: mixed API load without and then with the injected AWS faults of issue 33, clock moves, drain; latency, retryable answers, faults per service, invariants (fresh node process with its own local stack)');
      chaos = runChildPhase<ChaosBenchResult>(workDir, 'chaos', 1_800_000);
    }
    if (PHASES.has('letters')) {
      phase('letters: render every kind × regime; POST …/acknowledgement (letter kept as evidence) vs POST …/notes, interleaved; POST /v1/feedback accepted, used (410), forged (401) (fresh node process with its own local stack)');
      letters = runChildPhase<LetterBenchResult>(workDir, 'letters', 600_000);
    }
    if (PHASES.has('console')) {
      phase('console: Vite production build of the staff console (skipped when its sources are unchanged), first-load JavaScript gzip (entry + static imports, from the build manifest), reports route split');
      consoleBudget = await runConsoleBench(say);
      const c = consoleBudget;
      say(table(['first-load file', 'bytes', 'gzip'], c.firstLoad.map((f) => [f.file, f.bytes, f.gzipBytes])));
      checks.push({
        name: 'console first-load JavaScript ≤ 450 KB gzip',
        ok: c.firstLoadGzipBytes <= c.budgetGzipBytes,
        hard: true,
        detail: `${kb(c.firstLoadGzipBytes)} KB gzip in ${c.firstLoad.length} files (${kb(c.firstLoadBytes)} KB raw); ${kb(c.lazyGzipBytes)} KB gzip more loads on demand`,
      });
      checks.push({
        name: 'console reports route is code-split (its own chunk, loaded lazily)',
        ok: c.reportsChunk !== undefined && c.reportsChunk.lazy && !c.reportsChunk.inFirstLoad,
        hard: true,
        detail: c.reportsChunk ? `${c.reportsChunk.file}: ${kb(c.reportsChunk.gzipBytes)} KB gzip, dynamic entry ${c.reportsChunk.lazy}, in first load ${c.reportsChunk.inFirstLoad}` : 'no chunk for src/pages/reports/ReportsPage.tsx in the manifest',
      });
      for (const check of checks.slice(-2)) say(`${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}`);
    }
    if (PHASES.has('fixedcost')) {
      phase('fixed cost: the app synthesized as cdk.json configures it (every stack and nested stack), each template priced at list price with zero traffic (infra/cost, the computation of npm run cost:fixed)');
      // Loaded here: the CDK app is needed by this phase only.
      const { costReport, synthesizedFixedCost } = await import('../infra/cost/synthesized-cost');
      const cost = synthesizedFixedCost();
      fixedCost = cost;
      say(costReport(cost));
      const alarmMetrics = cost.lines.find((l) => l.item === 'CloudWatch alarm metrics')?.count ?? 0;
      checks.push({
        name: `fixed monthly cost at zero traffic ≤ $${cost.budget}`,
        ok: cost.total <= cost.budget,
        hard: true,
        detail: `$${cost.total.toFixed(2)} a month at list price from ${cost.templates} templates (${cost.lines
          .filter((l) => l.monthly > 0)
          .map((l) => `${l.item.replace(/ \(.*\)$/, '')} $${l.monthly.toFixed(2)}`)
          .join(', ')}; ${alarmMetrics} alarm metrics)`,
      });
      const check = checks[checks.length - 1]!;
      say(`${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }

  printReport(bundles, cold, deadlines, api, timers, evidence, exportsResult, workflows, reports, triage);
  if (webhooks) say(`\n${webhooksReport(webhooks)}`);
  if (channels) say(`\n${channelsReport(channels)}`);
  if (letters) say(`\n${lettersReport(letters)}`);
  if (chaos) say(`\n${chaosReport(chaos)}`);
  if (writes) say(`\n${writesReport(writes)}`);
  if (lifecycleCost) say(`\n${lifecycleCostReport(lifecycleCost)}`);

  const finished = new Date();
  const largest = bundles ? largestOf(bundles.functions) : undefined;
  const results = {
    meta: {
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationS: round((finished.getTime() - started.getTime()) / 1000, 1),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadAverageAtStart: load0.map((l) => round(l, 2)),
      loadAverageAtEnd: loadavg().map((l) => round(l, 2)),
      gitCommit: git('rev-parse', 'HEAD'),
      gitDirty: (git('status', '--porcelain') ?? '') !== '',
      phases: [...PHASES],
      settings: { ...SETTINGS, esbuild: ESBUILD_SETTINGS, coldStartEnv: Object.fromEntries(Object.entries(COLD_START_ENV).filter(([k]) => k !== 'PATH')) },
    },
    bundles: bundles
      ? {
          buildMs: round(bundles.buildMs, 0),
          empty: bundleJson(bundles.empty),
          sdkFloor: bundleJson(bundles.sdkFloor),
          functions: bundles.functions.map(bundleJson),
          largest: largest && {
            id: largest.id,
            bytes: largest.bytes,
            topInputs: largest.inputs.slice(0, 5),
            topDirectories: largest.directories.slice(0, 10),
            topPackages: largest.packages.slice(0, 15),
            duplicatePackages: largest.duplicatePackages,
          },
        }
      : undefined,
    coldStart: cold
      ? {
          runs: SETTINGS.coldRuns,
          nodeArgs: SETTINGS.coldNodeArgs,
          goalRatio: SETTINGS.coldRatioGoal,
          empty: stripSamples(cold.baseline),
          sdkFloor: stripSamples(cold.floor),
          functions: cold.functions.map(stripSamples),
          maxWallRatio: Math.max(...cold.functions.map((f) => f.wallRatio)),
          minWallRatio: Math.min(...cold.functions.map((f) => f.wallRatio)),
          maxFloorWallRatio: Math.max(...cold.functions.map((f) => f.floorWallRatio)),
          minFloorWallRatio: Math.min(...cold.functions.map((f) => f.floorWallRatio)),
          maxExtraInitOverFloorMs: Math.max(...cold.functions.map((f) => f.extraInitOverFloorMsP50)),
          minExtraInitOverFloorMs: Math.min(...cold.functions.map((f) => f.extraInitOverFloorMsP50)),
          // Issue 28: earlier bundles and no-source-map runs of the compared routes, measured in the same rounds.
          sideBySide: cold.lean.comparisons.map((c) => ({
            id: c.id,
            after: stripSamples(c.after),
            ...(c.before ? { before: stripSamples(c.before) } : {}),
            ...(c.noMaps ? { withoutSourceMaps: stripSamples(c.noMaps) } : {}),
          })),
        }
      : undefined,
    deadlines,
    load: api ? { scenarios: api.load, powertoolsEmptyMetricsWarningsDropped: metricsWarnings } : undefined,
    dynamoRequests: api ? { listShards: api.listShards, operations: api.dynamoRequests } : undefined,
    timers,
    evidence,
    exports: exportsResult,
    workflows,
    reports,
    triage,
    webhooks,
    channels,
    letters,
    chaos,
    writes,
    cost: lifecycleCost,
    console: consoleBudget,
    fixedCost,
    checks,
  };
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const stamped = join(dir, `${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(stamped, json);
  writeFileSync(join(dir, 'latest.json'), json);
  say(`\nwrote ${join('bench', 'results', 'latest.json')} and ${join('bench', 'results', stamped.split('/').pop() ?? '')}  [${elapsed()}]`);
  if (checks.some((c) => c.hard && !c.ok)) process.exitCode = 1;
};

main().catch((err: unknown) => {
  process.stderr.write(`✗ bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
