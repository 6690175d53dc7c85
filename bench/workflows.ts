// Approval and escalation workflows (issue 6) on the local stack: Step Functions state transitions per path, what they
// cost per 1,000 complaints at Standard-workflow list price, and the local end-to-end time of the reference case test.
//
// `npm run bench` starts it as `node --import tsx bench/workflows.ts --json FILE --no-report`: a fresh process with its
// own local stack (the container binds to one DynamoDB endpoint per process, and the paths move the process-wide local
// clock by days). Standalone: `npx tsx bench/workflows.ts` prints progress and the report.
//
// 1. Transitions per path: a fresh in-process stack (in-memory DynamoDB Local started by the stack, API on an
//    ephemeral loopback port, no background tick: `tickMs: 0`, `stack.timers.pump()` after every mutating call so the
//    stream → workflow starts happen, time moved with POST /local/clock). Each path runs on a new case through the HTTP
//    API; its execution (`approval-<resolutionId>` / `escalation-<escalationId>`) runs the ASL CDK deploys in-process
//    (LocalWorkflows). Once `result` settled, `statesEntered.length` = the state transitions Step Functions Standard
//    bills for it.
// 2. Cost: arithmetic on the measured transitions, the stated mix (30 % of complaints need approval, 10 % escalate)
//    and the list price.
// 3. Reference case: `npx jest test/api/reference-case --json --outputFile=…` (CI=true) run N times in a child
//    process, after the stack has stopped; the test's own duration, the suite's wall time and the process's wall time.
import { benchComplaint } from './fixtures/complaint';
import { runStandalone } from './standalone';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { components } from '@complaints/client';
import { expectStatus, localClock, typed, type Caller, type Typed } from './api-client';
import type { CreateComplaint } from './fixtures/complaint';
import { startStack, type StartedStack } from '../infra/local/stack';
import { suppressStderrLines } from './quiet';
import { envInt, median, ms, round, say, table } from './stats';

const REPO_ROOT = resolve(__dirname, '..');
/** The environment before the stack set its own (applyLocalEnv: endpoints, table names, log level): what jest gets. */
const ENV_AT_START = { ...process.env };

// ── Settings and prices ───────────────────────────────────────────────────────────────────────

export interface WorkflowBenchSettings {
  /** Runs of the reference case test (BENCH_WORKFLOWS_REFERENCE_RUNS; 0 skips it). */
  referenceRuns: number;
  /** How long a path's execution may take to settle after its last step (real time). */
  settleTimeoutMs: number;
  /** The cost assumptions: per this many complaints, these shares start an approval / an escalation workflow. */
  mix: { complaints: number; approvalShare: number; escalationShare: number };
}

/** BENCH_WORKFLOWS_REFERENCE_RUNS. */
export const workflowSettings = (): WorkflowBenchSettings => ({
  referenceRuns: envInt('BENCH_WORKFLOWS_REFERENCE_RUNS', 3, 0),
  settleTimeoutMs: 30_000,
  mix: { complaints: 1000, approvalShare: 0.3, escalationShare: 0.1 },
});

/** AWS Step Functions list price, Standard workflows (us-east-1 and most regions). */
export const STEP_FUNCTIONS_PRICING = {
  workflowType: 'Standard',
  usdPer1000StateTransitions: 0.025,
  asOf: 'list price as of 2026',
  freeTier: '4,000 state transitions a month (not applied here)',
  source: 'https://aws.amazon.com/step-functions/pricing/',
} as const;

// ── Result types ──────────────────────────────────────────────────────────────────────────────

export interface PathFigures {
  id: string;
  workflow: 'approval' | 'escalation';
  title: string;
  steps: string[];
  executionId: string;
  /** The execution's status once `result` settled (SUCCEEDED expected). */
  status: string;
  /** What the path ended as: the approval output's `outcome` (and `reason`), or the escalation's status on the case. */
  outcome: string;
  expectedOutcome: string;
  /** State transitions = states entered (Step Functions Standard bills each). */
  transitions: number;
  statesEntered: string[];
  /** Real time from the path's first request to its execution settled (local, clock moves included). */
  wallMs: number;
}

export interface CostMix {
  approvalPath: string;
  escalationPath: string;
  approvalTransitions: number;
  escalationTransitions: number;
  /** State transitions per `complaints` complaints under the mix. */
  transitions: number;
  usd: number;
}

export interface CostFigures {
  assumptions: { complaints: number; approvals: number; escalations: number; approvalShare: number; escalationShare: number };
  formula: string;
  typical: CostMix;
  pessimistic: CostMix;
  pricing: typeof STEP_FUNCTIONS_PRICING;
}

export interface ReferenceSample {
  /** The test's own duration (jest `assertionResults[0].duration`), ms. */
  testMs: number;
  /** The suite's wall time (jest `testResults[0].endTime − startTime`: startTestApi in beforeAll, the test, close), ms. */
  suiteMs: number;
  /** The child process's wall time (npx, jest start-up, DynamoDB Local start and stop included), ms. */
  processMs: number;
  passed: boolean;
}

export interface ReferenceFigures {
  runs: number;
  command: string;
  samples: ReferenceSample[];
  testMs: { median: number; min: number; max: number };
  suiteMs: { median: number; min: number; max: number };
  processMs: { median: number; min: number; max: number };
  /** Why runs failed (jest's message, last lines of its output). */
  failures: string[];
}

export interface WorkflowCheck {
  name: string;
  ok: boolean;
  hard: boolean;
  informational?: boolean;
  detail: string;
}

export interface WorkflowBenchResult {
  settings: WorkflowBenchSettings;
  node: string;
  paths: PathFigures[];
  cost: CostFigures | undefined;
  /** Undefined when skipped (BENCH_WORKFLOWS_REFERENCE_RUNS=0). */
  referenceCase: ReferenceFigures | undefined;
  /** Local server errors, timer-loop and workflow-store errors seen during the run (should be none). */
  errors: string[];
  powertoolsEmptyMetricsWarningsDropped: number;
  checks: WorkflowCheck[];
  durationS: number;
}

// ── API driver ────────────────────────────────────────────────────────────────────────────────

const OWNER: Caller = ['olive', ['handler']];
const SUPERVISOR: Caller = ['sue', ['supervisor']];
const COMPLIANCE: Caller = ['carl', ['compliance']];
const ADMIN: Caller = ['hannah', ['admin']];
const INTAKE: Caller = ['sam', ['supervisor']];

interface Driver {
  /** The typed client per caller (a fresh token each request: tokens expire after an hour of local time). */
  api: Typed;
  /** A typed call that must answer `expect`, then a pump if it mutates (stream → workflow starts). */
  call<D>(what: string, call: Promise<{ data?: D; error?: unknown; response: Response }>, expect: number, mutates?: boolean): Promise<D>;
  /** POST /local/clock (it pumps before and after moving the clock). */
  advance(advanceBy: string): Promise<void>;
  clockNow(): Promise<number>;
}

const driver = (stack: StartedStack): Driver => {
  const clock = localClock(stack);
  return {
    api: typed(stack, { freshTokens: true }),
    call: async (what, call, expect, mutates = true) => {
      const data = await expectStatus(call, expect, what);
      if (mutates) await stack.timers.pump();
      return data;
    },
    advance: async (advanceBy) => void (await clock.advance(advanceBy)),
    clockNow: clock.now,
  };
};

const complaint = (summary: string, over: Partial<CreateComplaint> = {}) => benchComplaint(summary, { ownerId: OWNER[0], ...over });

const proposal = (amount: string) => ({
  decision: 'upheld' as const,
  remedy: { compensation: { amount, currency: 'GBP' }, description: 'Compensation for the missed appointment' },
  rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity' },
  finalResponse: 'We uphold your complaint and will pay you compensation.',
});

const openCase = async (d: Driver, summary: string, over: Partial<CreateComplaint> = {}) => (await d.call('create a case', d.api(INTAKE).POST('/v1/complaints', { body: complaint(`workflows bench: ${summary}`, over) }), 201)).id;

/** Proposes a resolution; resolves with the approval execution's id. */
const propose = async (d: Driver, caseId: string, amount: string, stages: number): Promise<string> => {
  const res = await d.call('propose a resolution', d.api(OWNER).POST('/v1/complaints/{id}/resolution', { params: { path: { id: caseId } }, body: proposal(amount) }), 201);
  const got = (res.stages ?? []).length;
  if (got !== stages) throw new Error(`proposal of ${amount} GBP: expected ${stages} approval stage(s), got ${got}`);
  return `approval-${res.id}`;
};

/** The pending approval of the case (one stage is open at a time). */
const pendingApproval = async (d: Driver, caseId: string): Promise<{ id: string; stage: number; escalationLevel: number }> => {
  const res = await d.call('list pending approvals', d.api(ADMIN).GET('/v1/approvals', { params: { query: { status: 'pending', limit: 100 } } }), 200, false);
  const mine = res.items.filter((a) => a.caseId === caseId);
  if (mine.length !== 1) throw new Error(`case ${caseId}: expected 1 pending approval, found ${mine.length}`);
  return mine[0]!;
};

type Decision = components['schemas']['ApprovalDecision'];

const decide = async (d: Driver, caseId: string, as: Caller, body: Decision = { decision: 'approve' }) => {
  const stage = await pendingApproval(d, caseId);
  await d.call('decide an approval', d.api(as).POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId: stage.id } }, body }), 200);
  return stage;
};

const raise = async (d: Driver, caseId: string): Promise<string> =>
  (await d.call('raise an escalation', d.api(OWNER).POST('/v1/complaints/{id}/escalations', { params: { path: { id: caseId } }, body: { reason: 'Customer threatens to go to the ombudsman' } }), 201)).id;

const acknowledgeEscalation = async (d: Driver, as: Caller, caseId: string, escalationId: string) =>
  d.call('acknowledge an escalation', d.api(as).POST('/v1/complaints/{id}/escalations/{escalationId}/acknowledgement', { params: { path: { id: caseId, escalationId } }, body: { note: 'Calling the customer today' } }), 200);

const getCase = async (d: Driver, caseId: string) => d.call('read the case', d.api(INTAKE).GET('/v1/complaints/{id}', { params: { path: { id: caseId } } }), 200, false);

// ── 1. Paths ──────────────────────────────────────────────────────────────────────────────────

interface PathDef {
  id: string;
  workflow: 'approval' | 'escalation';
  title: string;
  steps: string[];
  expectedOutcome: string;
  /** Drives the path; resolves with its execution id and the case (for the outcome). */
  run(d: Driver): Promise<{ executionId: string; caseId: string }>;
}

const PATHS: PathDef[] = [
  {
    id: 'approval-1-stage',
    workflow: 'approval',
    title: 'approval, 1 stage (300.00 GBP → supervisor), approved',
    steps: ['propose 300.00 GBP', 'supervisor approves'],
    expectedOutcome: 'approved',
    run: async (d) => {
      const caseId = await openCase(d, 'approval, 1 stage');
      const executionId = await propose(d, caseId, '300.00', 1);
      await decide(d, caseId, SUPERVISOR);
      return { executionId, caseId };
    },
  },
  {
    id: 'approval-2-stages',
    workflow: 'approval',
    title: 'approval, 2 stages (1500.00 GBP → supervisor, compliance), approved',
    steps: ['propose 1500.00 GBP', 'supervisor approves stage 1', 'compliance approves stage 2'],
    expectedOutcome: 'approved',
    run: async (d) => {
      const caseId = await openCase(d, 'approval, 2 stages');
      const executionId = await propose(d, caseId, '1500.00', 2);
      await decide(d, caseId, SUPERVISOR);
      await decide(d, caseId, COMPLIANCE);
      return { executionId, caseId };
    },
  },
  {
    id: 'approval-rejected',
    workflow: 'approval',
    title: 'approval rejected at stage 1 (1500.00 GBP, 2 stages)',
    steps: ['propose 1500.00 GBP', 'supervisor rejects stage 1'],
    expectedOutcome: 'rejected (Rejected)',
    run: async (d) => {
      const caseId = await openCase(d, 'approval rejected');
      const executionId = await propose(d, caseId, '1500.00', 2);
      await decide(d, caseId, SUPERVISOR, { decision: 'reject', comment: 'Compensation exceeds the evidenced loss' });
      return { executionId, caseId };
    },
  },
  {
    id: 'approval-reminded',
    workflow: 'approval',
    title: 'approval, 1 stage, 1 reminder, then approved',
    steps: ['propose 300.00 GBP', '+24 h (reminder)', 'supervisor approves'],
    expectedOutcome: 'approved',
    run: async (d) => {
      const caseId = await openCase(d, 'approval reminded');
      const executionId = await propose(d, caseId, '300.00', 1);
      await d.advance('PT24H');
      await decide(d, caseId, SUPERVISOR);
      return { executionId, caseId };
    },
  },
  {
    id: 'approval-escalated',
    workflow: 'approval',
    title: 'approval, 1 stage, escalated once to the next approver level, then approved',
    steps: ['propose 300.00 GBP', '+48 h (reminder at 24 h, escalated to level 1 at 48 h)', 'admin approves'],
    expectedOutcome: 'approved',
    run: async (d) => {
      const caseId = await openCase(d, 'approval escalated');
      const executionId = await propose(d, caseId, '300.00', 1);
      await d.advance('PT48H');
      const level = (await pendingApproval(d, caseId)).escalationLevel;
      if (level !== 1) throw new Error(`approval escalated: expected approver level 1 after 48 h, got ${level}`);
      await decide(d, caseId, ADMIN);
      return { executionId, caseId };
    },
  },
  {
    id: 'approval-expired',
    workflow: 'approval',
    title: 'approval, 1 stage, expired at every level → returned to the owner',
    steps: ['propose 300.00 GBP', '+7 d (no decision at any level)'],
    expectedOutcome: 'rejected (ApprovalExpired)',
    run: async (d) => {
      const caseId = await openCase(d, 'approval expired');
      const executionId = await propose(d, caseId, '300.00', 1);
      await d.advance('P7D');
      return { executionId, caseId };
    },
  },
  {
    id: 'escalation-ack-level-1',
    workflow: 'escalation',
    title: 'escalation (manual, by the owner) acknowledged at level 1',
    steps: ['owner escalates', 'supervisor acknowledges'],
    expectedOutcome: 'acknowledged (level 1)',
    run: async (d) => {
      const caseId = await openCase(d, 'escalation acknowledged at level 1');
      const escalationId = await raise(d, caseId);
      await acknowledgeEscalation(d, SUPERVISOR, caseId, escalationId);
      return { executionId: `escalation-${escalationId}`, caseId };
    },
  },
  {
    id: 'escalation-ack-level-2',
    workflow: 'escalation',
    title: 'escalation (manual, by the owner) acknowledged at level 2',
    steps: ['owner escalates', '+24 h (level 2)', 'admin acknowledges'],
    expectedOutcome: 'acknowledged (level 2)',
    run: async (d) => {
      const caseId = await openCase(d, 'escalation acknowledged at level 2');
      const escalationId = await raise(d, caseId);
      await d.advance('PT24H');
      await acknowledgeEscalation(d, ADMIN, caseId, escalationId);
      return { executionId: `escalation-${escalationId}`, caseId };
    },
  },
  {
    id: 'escalation-waived',
    workflow: 'escalation',
    title: 'escalation (75 % checkpoint, case received 45 days ago) waived',
    steps: ['case received 45 days ago: the 75 % checkpoint escalates', 'supervisor waives checkpoint 75'],
    expectedOutcome: 'waived (level 1)',
    run: async (d) => {
      const now = await d.clockNow();
      const caseId = await openCase(d, 'escalation waived', { receivedAt: new Date(now - 45 * 86_400_000).toISOString() });
      const escalations = (await getCase(d, caseId)).escalations;
      if (escalations.length !== 1) throw new Error(`escalation waived: expected the 75 % checkpoint to raise 1 escalation, found ${escalations.length}`);
      const escalationId = escalations[0]!.id;
      await d.call('waive checkpoint 75', d.api(SUPERVISOR).POST('/v1/complaints/{id}/escalation-waivers', { params: { path: { id: caseId } }, body: { checkpoint: 75, justification: 'The final response goes out tomorrow morning' } }), 201);
      return { executionId: `escalation-${escalationId}`, caseId };
    },
  },
  {
    id: 'escalation-unacknowledged',
    workflow: 'escalation',
    title: 'escalation (manual, by the owner) unacknowledged at every level',
    steps: ['owner escalates', '+4 d (no acknowledgement at any level)'],
    expectedOutcome: 'unacknowledged (level 3)',
    run: async (d) => {
      const caseId = await openCase(d, 'escalation unacknowledged');
      const escalationId = await raise(d, caseId);
      await d.advance('P4D');
      return { executionId: `escalation-${escalationId}`, caseId };
    },
  },
];

const withTimeout = <T>(p: Promise<T>, timeoutMs: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not settle within ${timeoutMs / 1000} s`)), timeoutMs);
    }),
  ]);
};

const runPaths = async (stack: StartedStack, settings: WorkflowBenchSettings, log: (line: string) => void, elapsed: () => string): Promise<PathFigures[]> => {
  const d = driver(stack);
  const out: PathFigures[] = [];
  for (const def of PATHS) {
    const t0 = performance.now();
    let executionId = '';
    try {
      const ran = await def.run(d);
      executionId = ran.executionId;
      await stack.timers.pump();
      const execution = stack.workflows.execution(executionId);
      if (!execution) throw new Error(`no execution ${executionId}`);
      const ended = await withTimeout(execution.result, settings.settleTimeoutMs, `execution ${executionId}`);
      const wallMs = performance.now() - t0;
      let outcome: string;
      if (def.workflow === 'approval') {
        const output = (ended.status === 'SUCCEEDED' ? ended.output : undefined) as { outcome?: string; reason?: string } | undefined;
        outcome = output?.outcome ? `${output.outcome}${output.reason ? ` (${output.reason})` : ''}` : ended.status;
      } else {
        const escalationId = executionId.slice('escalation-'.length);
        const e = (await getCase(d, ran.caseId)).escalations.find((x) => x.id === escalationId);
        outcome = e ? `${e.status} (level ${e.level})` : 'not on the case';
      }
      out.push({
        id: def.id,
        workflow: def.workflow,
        title: def.title,
        steps: def.steps,
        executionId,
        status: ended.status,
        outcome,
        expectedOutcome: def.expectedOutcome,
        transitions: execution.statesEntered.length,
        statesEntered: [...execution.statesEntered],
        wallMs: round(wallMs, 0),
      });
    } catch (err) {
      // A path that could not be driven is reported (and fails the run's hard check); the other paths still run.
      const entered = executionId ? (stack.workflows.execution(executionId)?.statesEntered ?? []) : [];
      out.push({
        id: def.id,
        workflow: def.workflow,
        title: def.title,
        steps: def.steps,
        executionId,
        status: 'ERROR',
        outcome: (err as Error).message,
        expectedOutcome: def.expectedOutcome,
        transitions: entered.length,
        statesEntered: [...entered],
        wallMs: round(performance.now() - t0, 0),
      });
    }
    const f = out.at(-1)!;
    const flag = f.status !== 'SUCCEEDED' || f.outcome !== def.expectedOutcome ? '  ✗' : '';
    log(`  ${def.title.padEnd(76)} ${String(f.transitions).padStart(3)} transitions, ${f.status}, ${f.outcome}${flag}  [${elapsed()}]`);
  }
  return out;
};

// ── 2. Cost ───────────────────────────────────────────────────────────────────────────────────

const costOf = (settings: WorkflowBenchSettings, measured: PathFigures[]): CostFigures | undefined => {
  // Only paths that ran as intended count.
  const paths = measured.filter((x) => x.status === 'SUCCEEDED' && x.outcome === x.expectedOutcome);
  const m = settings.mix;
  const approvals = Math.round(m.complaints * m.approvalShare);
  const escalations = Math.round(m.complaints * m.escalationShare);
  const p = STEP_FUNCTIONS_PRICING.usdPer1000StateTransitions;
  const byId = new Map(paths.map((x) => [x.id, x]));
  const mix = (approval: PathFigures | undefined, escalation: PathFigures | undefined): CostMix | undefined => {
    if (!approval || !escalation) return undefined;
    const transitions = approvals * approval.transitions + escalations * escalation.transitions;
    return {
      approvalPath: approval.id,
      escalationPath: escalation.id,
      approvalTransitions: approval.transitions,
      escalationTransitions: escalation.transitions,
      transitions,
      usd: round((transitions * p) / 1000, 4),
    };
  };
  // Pessimistic: the costliest approval path measured short of expiry (expiry is the rare failure, not a mix).
  const worstApproval = paths.filter((x) => x.workflow === 'approval' && x.id !== 'approval-expired').reduce<PathFigures | undefined>((a, b) => (!a || b.transitions > a.transitions ? b : a), undefined);
  const typical = mix(byId.get('approval-1-stage'), byId.get('escalation-ack-level-1'));
  const pessimistic = mix(worstApproval, byId.get('escalation-ack-level-2'));
  if (!typical || !pessimistic) return undefined;
  return {
    assumptions: { complaints: m.complaints, approvals, escalations, approvalShare: m.approvalShare, escalationShare: m.escalationShare },
    formula: `(${approvals} × T_approval + ${escalations} × T_escalation) × ${p} / 1000 USD`,
    typical,
    pessimistic,
    pricing: STEP_FUNCTIONS_PRICING,
  };
};

// ── 3. Reference case ─────────────────────────────────────────────────────────────────────────

const spreadOf = (values: number[]) => ({ median: round(median(values), 0), min: values.length ? Math.min(...values) : Number.NaN, max: values.length ? Math.max(...values) : Number.NaN });

interface JestJson {
  success: boolean;
  testResults: { startTime: number; endTime: number; status: string; message: string; assertionResults: { title: string; status: string; duration?: number | null }[] }[];
}

const runReferenceCase = (runs: number, log: (line: string) => void, elapsed: () => string): ReferenceFigures => {
  const args = ['jest', 'test/api/reference-case', '--json'];
  const dir = mkdtempSync(join(tmpdir(), 'complaints-bench-reference-'));
  const samples: ReferenceSample[] = [];
  const failures: string[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const file = join(dir, `run-${i}.json`);
      const t0 = performance.now();
      const out = spawnSync('npx', [...args, `--outputFile=${file}`], {
        cwd: REPO_ROOT,
        env: { ...ENV_AT_START, CI: 'true' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 300_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      const processMs = performance.now() - t0;
      let json: JestJson | undefined;
      try {
        json = JSON.parse(readFileSync(file, 'utf8')) as JestJson;
      } catch {
        json = undefined;
      }
      const suite = json?.testResults[0];
      const test = suite?.assertionResults[0];
      const passed = out.status === 0 && json?.success === true && test?.status === 'passed';
      if (!passed) {
        const tail = `${out.stderr ?? ''}${out.stdout ?? ''}`.split('\n').filter((l) => l.trim() && !l.includes('Unknown user config')).slice(-8).join(' | ');
        failures.push(`run ${i + 1}: ${out.error ? out.error.message : `exit ${out.status ?? out.signal}`}; ${suite?.message ? suite.message.split('\n').slice(0, 4).join(' | ') : tail}`);
      }
      const sample: ReferenceSample = {
        testMs: typeof test?.duration === 'number' ? test.duration : Number.NaN,
        suiteMs: suite ? suite.endTime - suite.startTime : Number.NaN,
        processMs: round(processMs, 0),
        passed,
      };
      samples.push(sample);
      log(`  reference case run ${i + 1}/${runs}: test ${ms(sample.testMs)} ms, suite ${ms(sample.suiteMs)} ms, process ${ms(sample.processMs)} ms${passed ? '' : ' ✗ failed'}  [${elapsed()}]`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ok = samples.filter((s) => s.passed);
  return {
    runs,
    command: `CI=true npx ${args.join(' ')} --outputFile=<tmp>`,
    samples,
    testMs: spreadOf(ok.map((s) => s.testMs)),
    suiteMs: spreadOf(ok.map((s) => s.suiteMs)),
    processMs: spreadOf(ok.map((s) => s.processMs)),
    failures,
  };
};

// ── Run and report ────────────────────────────────────────────────────────────────────────────

const METRICS_WARNING = 'No application metrics to publish';

export const runWorkflowBench = async (settings: WorkflowBenchSettings = workflowSettings(), log: (line: string) => void = say): Promise<WorkflowBenchResult> => {
  const t0 = performance.now();
  // Under bench/run.ts, progress shows the run's elapsed time, as its other phases do.
  const base = Number(process.env.BENCH_ELAPSED_BASE_S ?? 0) || 0;
  const elapsed = () => `${(base + (performance.now() - t0) / 1000).toFixed(0)} s`;
  const checks: WorkflowCheck[] = [];
  const errors: string[] = [];
  const onLog = (line: string) => {
    if (line.startsWith('local server error') || line.startsWith('local timers:') || line.startsWith('workflow store:')) errors.push(line);
  };
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, log: onLog });
  log(`  DynamoDB Local ${stack.dynamo?.endpoint}, API ${stack.api.url}, no background tick  [${elapsed()}]`);
  const quiet = suppressStderrLines(METRICS_WARNING);
  let paths: PathFigures[] = [];
  try {
    log(`  state transitions per path (a new case each; tickMs 0, pump after every mutating call, POST /local/clock moves time):`);
    paths = await runPaths(stack, settings, log, elapsed);
  } finally {
    await stack.stop();
    quiet.restore();
  }
  const notSucceeded = paths.filter((x) => x.status !== 'SUCCEEDED');
  checks.push({
    name: 'workflows: every measured execution SUCCEEDED',
    ok: paths.length === PATHS.length && notSucceeded.length === 0,
    hard: true,
    detail: notSucceeded.length ? notSucceeded.map((x) => `${x.id}: ${x.status}`).join('; ') : `${paths.length}/${PATHS.length} paths`,
  });
  const wrong = paths.filter((x) => x.outcome !== x.expectedOutcome);
  checks.push({
    name: 'workflows: every path ended as intended (approved / rejected / expired; acknowledged / waived / unacknowledged at the intended level)',
    ok: wrong.length === 0,
    hard: true,
    detail: wrong.length ? wrong.map((x) => `${x.id}: ${x.outcome}, expected ${x.expectedOutcome}`).join('; ') : `${paths.length} paths`,
  });
  checks.push({ name: 'workflows: no local server, timer-loop or workflow-store errors', ok: errors.length === 0, hard: true, detail: errors.length ? `${errors.length}; first: ${errors[0]?.split('\n').slice(0, 3).join(' | ')}` : 'none' });

  const cost = costOf(settings, paths);
  if (cost) {
    log(
      `  Step Functions per ${cost.assumptions.complaints.toLocaleString('en-GB')} complaints: typical ${cost.typical.transitions.toLocaleString('en-GB')} transitions = $${cost.typical.usd.toFixed(4)}, pessimistic ${cost.pessimistic.transitions.toLocaleString('en-GB')} = $${cost.pessimistic.usd.toFixed(4)}  [${elapsed()}]`,
    );
  }

  let referenceCase: ReferenceFigures | undefined;
  if (settings.referenceRuns > 0) {
    log(`  reference case end to end: CI=true npx jest test/api/reference-case --json, ${settings.referenceRuns} runs (child process each)`);
    referenceCase = runReferenceCase(settings.referenceRuns, log, elapsed);
    checks.push({
      name: 'workflows: the reference case test passes on every run',
      ok: referenceCase.failures.length === 0,
      hard: true,
      detail: referenceCase.failures.length ? referenceCase.failures.join('; ') : `${referenceCase.runs}/${referenceCase.runs} runs; test median ${ms(referenceCase.testMs.median)} ms`,
    });
  } else {
    log('  reference case: skipped (BENCH_WORKFLOWS_REFERENCE_RUNS=0)');
  }

  return {
    settings,
    node: process.version,
    paths,
    cost,
    referenceCase,
    errors: errors.slice(0, 20),
    powertoolsEmptyMetricsWarningsDropped: quiet.count(),
    checks,
    durationS: round((performance.now() - t0) / 1000, 1),
  };
};

/** The report tables (printed standalone, and by bench/run.ts in its Results section). */
export const workflowsReport = (r: WorkflowBenchResult): string => {
  const lines = [
    'Workflows: Step Functions state transitions per path (local stack, the ASL CDK deploys run in-process; transitions = states entered once the execution settled)',
    table(
      ['workflow', 'path', 'status', 'outcome', 'transitions'],
      r.paths.map((x) => [x.workflow, x.title, x.status, x.outcome, x.transitions]),
    ),
    '  states entered:',
    ...r.paths.map((x) => `    ${x.id}: ${x.statesEntered.join(' → ')}`),
  ];
  const c = r.cost;
  if (c) {
    const p = c.pricing;
    const a = c.assumptions;
    lines.push(
      '',
      `Workflows: Step Functions cost per ${a.complaints.toLocaleString('en-GB')} complaints (${Math.round(a.approvalShare * 100)} % need approval = ${a.approvals}, ${Math.round(a.escalationShare * 100)} % escalate = ${a.escalations}); ${p.workflowType} workflows at $${p.usdPer1000StateTransitions} per 1,000 state transitions (${p.asOf}, free tier ignored)`,
      table(
        ['mix', 'approval path', 'T approval', 'escalation path', 'T escalation', 'transitions', '$ / 1,000 complaints'],
        [
          ['typical', c.typical.approvalPath, c.typical.approvalTransitions, c.typical.escalationPath, c.typical.escalationTransitions, c.typical.transitions, `$${c.typical.usd.toFixed(4)}`],
          ['pessimistic', c.pessimistic.approvalPath, c.pessimistic.approvalTransitions, c.pessimistic.escalationPath, c.pessimistic.escalationTransitions, c.pessimistic.transitions, `$${c.pessimistic.usd.toFixed(4)}`],
        ],
      ),
      `  $ = ${c.formula}; pessimistic = the costliest approval path measured except expiry, and an escalation acknowledged at level 2. ${p.source}`,
    );
  }
  const ref = r.referenceCase;
  lines.push('');
  if (ref) {
    lines.push(
      `Workflows: local end-to-end time of the reference case test (\`${ref.command}\`, ${ref.runs} runs)`,
      table(
        ['', 'median ms', 'min ms', 'max ms', 'samples ms'],
        [
          ['test (assertionResults[0].duration)', ms(ref.testMs.median), ms(ref.testMs.min), ms(ref.testMs.max), ref.samples.map((s) => ms(s.testMs)).join(', ')],
          ['suite wall (endTime − startTime)', ms(ref.suiteMs.median), ms(ref.suiteMs.min), ms(ref.suiteMs.max), ref.samples.map((s) => ms(s.suiteMs)).join(', ')],
          ['process wall (npx + jest + DynamoDB Local)', ms(ref.processMs.median), ms(ref.processMs.min), ms(ref.processMs.max), ref.samples.map((s) => ms(s.processMs)).join(', ')],
        ],
      ),
      `  ${ref.samples.filter((s) => s.passed).length}/${ref.runs} runs passed; medians over the passing runs.`,
    );
  } else {
    lines.push('Workflows: reference case test skipped (BENCH_WORKFLOWS_REFERENCE_RUNS=0)');
  }
  return lines.join('\n');
};

// Standalone: `npx tsx bench/workflows.ts [--json FILE] [--no-report]`.
if (require.main === module) runStandalone('workflows', runWorkflowBench, workflowsReport);
