// The cost bench's arithmetic (bench/cost.ts) on fixed counts, the deployed stream filters it applies to the local
// stack's invocations, and the committed result's own sums: what keeps the printed cost per 1,000 complaints honest.
// No timing: the counts are given, not measured.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beyondLines, COST_GOAL_USD_PER_1000, COST_PRICES, passesFilters, priceLines, totalOf, type CostBenchResult, type CostCounts } from '../../bench/cost';
import { CASE_STREAM_FILTERS } from '../../infra/constructs/checkpoint-scheduler';
import { REPORT_STREAM_FILTERS } from '../../infra/constructs/report-projection';
import { DEFAULT_FUNCTION_MEMORY_MB, functionMemoryMb } from '../../infra/constructs/function-sizing';

const counts: CostCounts = {
  apiRequests: 10,
  // 10.2 ms bills as 11 ms (Lambda rounds duration up to the millisecond).
  functions: [{ entry: 'functions/create-complaint/handler.ts', invocationsPerComplaint: 2, medianMs: 10.2, meanMs: 12, memoryMb: 1024, overlapped: 0 }],
  writeUnits: 100,
  readUnits: 40,
  schedulerInvocations: 1,
  stepFunctionsTransitions: 8,
  kmsRequests: 3,
  eventBridgeEntries: 5,
  snsMessages: 2,
  sqsRequests: 9,
  s3PutClass: 3,
  s3GetClass: 2,
  beyond: { appLogBytes: 2000, modelledLogBytes: 1000, traces: 10 },
  coldStart: { share: 0, initMs: 300, source: 'test' },
};

const usdOf = (lines: ReturnType<typeof priceLines>, prefix: string) => {
  const line = lines.find((l) => l.line.startsWith(prefix));
  if (!line) throw new Error(`no line ${prefix}`);
  return line.usd;
};

describe('cost bench pricing', () => {
  const lines = priceLines(counts, COST_PRICES, 'arm64');

  it('prices each count per 1,000 complaints at its list price', () => {
    expect(usdOf(lines, 'API Gateway')).toBeCloseTo(0.01, 10);
    expect(usdOf(lines, 'Lambda requests')).toBeCloseTo(0.0004, 10);
    // 2,000 invocations × 0.011 s × 1 GB = 22 GB-s.
    expect(usdOf(lines, 'Lambda duration: create-complaint')).toBeCloseTo(22 * 0.0000133334, 10);
    expect(usdOf(lines, 'Lambda INIT')).toBe(0);
    expect(usdOf(lines, 'DynamoDB write')).toBeCloseTo(0.0625, 10);
    expect(usdOf(lines, 'DynamoDB read')).toBeCloseTo(0.005, 10);
    expect(usdOf(lines, 'EventBridge Scheduler')).toBeCloseTo(0.001, 10);
    expect(usdOf(lines, 'Step Functions')).toBeCloseTo(0.2, 10);
    expect(usdOf(lines, 'KMS')).toBeCloseTo(0.009, 10);
    expect(usdOf(lines, 'EventBridge PutEvents')).toBeCloseTo(0.005, 10);
    expect(usdOf(lines, 'SNS')).toBeCloseTo(0.001, 10);
    expect(usdOf(lines, 'SQS')).toBeCloseTo(0.0036, 10);
    expect(usdOf(lines, 'S3 PUT')).toBeCloseTo(0.015, 10);
    expect(usdOf(lines, 'S3 GET')).toBeCloseTo(0.0008, 10);
    expect(totalOf(lines)).toBeCloseTo(0.313593335, 8);
  });

  it('prices GB-seconds at the architecture the functions deploy on, and INIT on the modelled cold share', () => {
    expect(usdOf(priceLines(counts, COST_PRICES, 'x86_64'), 'Lambda duration')).toBeCloseTo(22 * 0.0000166667, 10);
    // 10 % of 2,000 invocations cold × 0.3 s × 1 GB = 60 GB-s.
    expect(usdOf(priceLines({ ...counts, coldStart: { share: 0.1, initMs: 300, source: 'test' } }), 'Lambda INIT')).toBeCloseTo(60 * COST_PRICES.lambda.usdPerGbSecond.arm64, 10);
  });

  it('prices logs and traces apart, outside the figure', () => {
    const beyond = beyondLines(counts);
    // 2,000 B × 1,000 = 2 MB at $0.50 per GB; 1 MB modelled; 10,000 traces at $5 per million.
    expect(beyond.map((l) => l.usd)).toEqual([expect.closeTo(0.001, 10), expect.closeTo(0.0005, 10), expect.closeTo(0.05, 10)]);
    expect(beyond.map((l) => l.measured)).toEqual([true, false, false]);
    expect(lines.some((l) => /CloudWatch|X-Ray/.test(l.line))).toBe(false);
  });

  it('says which lines are modelled', () => {
    expect(lines.filter((l) => !l.measured).map((l) => l.line)).toEqual(['Lambda INIT on cold starts (modelled)', 'KMS requests (modelled)', 'SQS requests (modelled)']);
    for (const l of lines) expect(l.source.length).toBeGreaterThan(0);
  });

  it('prices memory from the sizing table the construct deploys', () => {
    expect(functionMemoryMb('functions/case-stream/handler.ts')).toBe(DEFAULT_FUNCTION_MEMORY_MB);
    expect(functionMemoryMb('functions/export-builder/handler.ts')).toBe(1769);
  });
});

describe('cost bench stream filters (as deployed)', () => {
  const record = (eventName: string, SK: string) => ({ eventName, dynamodb: { Keys: { PK: { S: 'CASE#1' }, SK: { S: SK } } } });
  it('keeps a batch the case-stream mapping would deliver and drops one it filters out', () => {
    expect(passesFilters({ Records: [record('MODIFY', 'CASE')] }, CASE_STREAM_FILTERS)).toBe(true);
    expect(passesFilters({ Records: [record('INSERT', 'AUDIT#00000001')] }, CASE_STREAM_FILTERS)).toBe(true);
    expect(passesFilters({ Records: [record('MODIFY', 'AUDIT#00000001'), record('INSERT', 'NOTE#1')] }, CASE_STREAM_FILTERS)).toBe(false);
    expect(passesFilters({ Records: [record('INSERT', 'AUDIT#00000001')] }, REPORT_STREAM_FILTERS)).toBe(false);
    expect(passesFilters({ Records: [record('INSERT', 'NOTE#1'), record('MODIFY', 'CASE')] }, REPORT_STREAM_FILTERS)).toBe(true);
  });
});

describe('the committed cost result', () => {
  const r = JSON.parse(readFileSync(join(__dirname, '../../bench/results/cost-2026-12-07.json'), 'utf8')) as CostBenchResult;
  it('adds up: each line is its count × unit price, the total their sum, the goal check its comparison', () => {
    for (const l of r.lines) expect(l.usd).toBeCloseTo(l.per1000 * l.unitPrice, 4);
    expect(r.totalUsdPer1000).toBeCloseTo(r.lines.reduce((n, l) => n + l.usd, 0), 3);
    const goal = r.checks.find((c) => c.name.startsWith('#28 compute + request cost'));
    expect(goal?.ok).toBe(r.totalUsdPer1000 <= COST_GOAL_USD_PER_1000);
  });
});
