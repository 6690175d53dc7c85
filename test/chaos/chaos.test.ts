// Faults survived: mixed API load with AWS errors injected into every dependency (the faults at its rates),
// clock moves that fire timers, then faults off and a drain; nothing acknowledged is lost or doubled, no answer is a
// bare 500. Small by default (npm test); `npm run chaos` runs it at 5,000 operations (CHAOS_OPERATIONS).
import { CHAOS_FAULTS, runChaos, type ChaosResult } from './scenario';
import { startTestApi, type TestApi } from '../support/api';
import { projectionItems, recountFromCases } from '../support/report-recount';

const OPERATIONS = Number(process.env.CHAOS_OPERATIONS ?? 40);
let api: TestApi;
let result: ChaosResult;

beforeAll(async () => {
  api = await startTestApi({ WEBHOOK_MAX_ATTEMPTS: '20', WEBHOOK_BACKOFF_BASE_SECONDS: '1', WEBHOOK_BACKOFF_CAP_SECONDS: '60' }, { reports: true });
  result = await runChaos(api.stack, { operations: OPERATIONS, concurrency: 4, clockEvery: Math.max(20, Math.floor(OPERATIONS / 12)), seed: Number(process.env.FAULT_SEED ?? 33), faults: CHAOS_FAULTS, clientRetries: 6 });
}, 120_000 + OPERATIONS * 1_000);
afterAll(() => api?.close());

describe('under injected AWS faults', () => {
  it('injected faults into every service the issue names, and the load saw them', () => {
    const services = new Set(Object.keys(result.faults.injected).map((k) => k.split(':')[0]));
    expect([...services].sort()).toEqual(expect.arrayContaining(['dynamodb', 's3']));
    expect(result.created).toBeGreaterThan(OPERATIONS / 10);
  });

  it('lost, doubled and answered nothing wrongly', () => {
    expect(result.findings).toEqual([]);
  });

  it('delivered every domain event to the subscriber, de-duplicated by event id', () => {
    expect(result.deliveries.unique).toBeGreaterThanOrEqual(result.deliveries.expected);
    expect(result.evidence.pending).toBe(0);
  });
});

describe('after the faults', () => {
  it('the report projection kept under faults equals a recount from the cases (a rebuild), item for item', async () => {
    const incremental = await projectionItems(api.tables.cases, 1);
    expect(Object.keys(incremental).length).toBeGreaterThan(0);
    const out = await recountFromCases();
    expect(await projectionItems(api.tables.cases, out.generation)).toEqual(incremental);
  });
});
