// Starts the real local API (same handlers, same SDK adapters) against the run's DynamoDB Local.
import { createComplaintsClient, type ComplaintsClient, type components } from '@complaints/client';
import { localClock } from '#adapters/local/local-clock';
import type { Role } from '#schemas/common';
import { localOutbox } from '#adapters/local/local-outbox';
import type { Fired } from '#adapters/local/local-scheduler';
import { startStack, type LocalTables, type StartedStack } from '../../infra/local/stack';
import type { LocalWorkflows } from '../../infra/local/workflows';
import { pinLocalClockOnce } from './clock';
import { testEndpoint, testTableNames } from './dynamo';

export interface TestApi {
  url: string;
  tables: LocalTables;
  token(sub: string, groups: Role[], opts?: { scope?: string; expiresInSeconds?: number }): Promise<string>;
  /**
   * A hand-written request, for what the typed client cannot send because the contract forbids it (bad input, unknown
   * query parameters, oversized headers, tampered cursors, wrong content types, missing auth) or for local-only routes
   * outside the contract. Every documented, valid call goes through `client` instead.
   */
  raw(method: string, path: string, opts?: CallOptions): Promise<ApiResponse>;
  /** The typed client integrators use (@complaints/client, generated from the OpenAPI document), as the token's holder. */
  client(token?: string): ComplaintsClient;
  /** The local clock's current instant (GET /local/clock, a local-only route). */
  now(): Promise<string>;
  /** Moves the local clock; resolves with the timers that fired (as POST /local/clock answers). */
  advanceClock(duration: string): Promise<Fired[]>;
  /** Runs the stream consumers, the local scheduler and the workflows until idle (tests run without the background tick). */
  pump(): Promise<Fired[]>;
  /** Resolves when every Object Created event of the local S3 has been handled by the evidence verifier (tests wait on this, never sleep). */
  s3Idle(): Promise<void>;
  /** The local S3 endpoint and evidence bucket (presigned URLs point here). */
  s3: { endpoint: string; bucket: string };
  stack: StartedStack;
  /**
   * The local Step Functions (the ASL CDK deploys): `pendingTasks(executionId?)`, `execution(id)` (status,
   * `statesEntered`, `result`), `describe(id)` (as persisted, also from before a restart), `idle()`.
   */
  workflows: LocalWorkflows;
  /** Resolves when every workflow execution waits for a token or has ended (the pump waits for this too). */
  workflowsIdle(): Promise<void>;
  outbox: typeof localOutbox;
  close(): Promise<void>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as-is (no JSON encoding), e.g. malformed JSON. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // Tests read response bodies loosely; the schema tests check their shape.
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export interface TestApiOptions {
  /** Start on these tables (e.g. those of a stopped TestApi: a restart) instead of new ones. */
  tables?: LocalTables;
  /**
   * Run the reporting projection's stream consumer, as `npm start` does (default false): tests that read report
   * figures turn it on; the others would only pay a DynamoDB Local transaction per case change for nothing they check.
   */
  reports?: boolean;
  /** Receives every line the local stack logs (the request log included); by default only server errors are printed. */
  log?: (line: string) => void;
  /** Run the audit digest job as the clock passes each period, as `npm start` does (default false: tests run it when they mean to). */
  auditDigest?: boolean;
  /** Run the daily problem signals job (spikes, suggestions) as the clock passes midnight UTC (default false). */
  problemSignals?: boolean;
  /**
   * Serve the built staff console at /console/ (the browser tests; build it first, test/support/console.ts): `true` in
   * local mode, or with a runtime config built from the API's URL and extra exact origins its CSP lets it connect to.
   */
  console?: boolean | { configFor: (apiUrl: string) => unknown; connectSrc?: readonly string[] };
}

/** The S3 stand-in's port of each test stack, by its cases table (a restart on the same tables reuses it). */
const s3PortsByTable = new Map<string, number>();

export const startTestApi = async (env: Record<string, string> = {}, opts: TestApiOptions = {}): Promise<TestApi> => {
  Object.assign(process.env, env);
  // The suite's fixed instant (TEST_NOW for the awkward-date runs), once per test file: a restart keeps the clock's time.
  pinLocalClockOnce();
  // New tables are made by startStack (ensureTables): creating them here first made it ask DynamoDB Local for each again.
  const tables = opts.tables ?? testTableNames();
  // A restart on the same tables reuses the S3 stand-in's port, as npm start does with S3_PORT: the handlers' settings
  // are read once per process, so the endpoint they were told must answer again.
  const s3Port = opts.tables ? s3PortsByTable.get(opts.tables.cases) : undefined;
  const stack = await startStack({ endpoint: testEndpoint(), tables, tickMs: 0, ...(s3Port !== undefined ? { s3Port } : {}), projection: opts.reports ?? false, auditDigest: opts.auditDigest ?? false, problemSignals: opts.problemSignals ?? false, ...(opts.console ? { console: opts.console === true ? { config: { mode: 'local' } } : opts.console } : {}), log: opts.log ?? ((line) => line.startsWith('local server error') && process.stderr.write(`${line}\n`)) });
  s3PortsByTable.set(tables.cases, Number(new URL(stack.s3.endpoint).port));
  const raw: TestApi['raw'] = async (method, path, opts = {}) => {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | Buffer | undefined;
      if (opts.rawBody !== undefined) body = opts.rawBody;
      else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${stack.api.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
  };
  const api: TestApi = {
    url: stack.api.url,
    tables,
    token: async (sub, groups, opts = {}) => (await stack.issuer.issue({ sub, groups, ...opts })).token,
    raw,
    client: (token) => createComplaintsClient({ baseUrl: stack.api.url, ...(token !== undefined ? { token } : {}) }),
    now: async () => {
      const res = await fetch(`${stack.api.url}/local/clock`);
      if (res.status !== 200) throw new Error(`clock read failed: ${res.status}`);
      return ((await res.json()) as { now: string }).now;
    },
    advanceClock: async (duration) => {
      const res = await fetch(`${stack.api.url}/local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceBy: duration }) });
      if (res.status !== 200) throw new Error(`clock advance failed: ${res.status}`);
      return ((await res.json()) as { fired: Fired[] }).fired;
    },
    pump: () => stack.timers.pump(),
    s3Idle: () => stack.s3.idle(),
    s3: { endpoint: stack.s3.endpoint, bucket: stack.s3.bucket },
    stack,
    workflows: stack.workflows,
    workflowsIdle: () => stack.workflows.idle(),
    outbox: localOutbox,
    close: () => stack.stop(),
  };
  return api;
};

export { localClock };

/**
 * A typed client call's outcome in the shape tests read: the status, the headers and the body (the documented data, or
 * the problem). Bodies are read loosely here, as with `raw`; the conformance test checks their shape against the schema.
 */
export const settle = async (call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<ApiResponse> => {
  const { data, error, response } = await call;
  const body = data ?? error;
  return { status: response.status, headers: response.headers, body, text: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body) };
};

/** The documented error shape: the status, problem+json, and a body whose `status`, `type` and `title` match. */
export const expectProblem = (res: ApiResponse, status: number): void => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(/\S/), title: expect.stringMatching(/\S/) });
};

/** A valid complaint body; override what the test is about. */
export const complaintBody = (over: Record<string, unknown> = {}) => ({
  customer: { id: 'cust-42', name: 'Ada Lovelace', email: 'ada@example.com', vulnerable: false },
  channel: 'web',
  summary: 'Third delayed delivery this month',
  description: 'Missed a service appointment, claims financial loss, asks for formal review and compensation.',
  product: 'home-delivery',
  category: 'service_delay',
  regime: 'UK_FCA_DISP',
  allegedLoss: { amount: '180.00', currency: 'GBP' },
  ...over,
});

export type CaseView = components['schemas']['Case'];
export type CreateComplaint = components['schemas']['CreateComplaint'];

/** complaintBody typed for the client: `over` is loose, so keeping it valid is the calling test's job. */
export const validComplaint = (over: Record<string, unknown> = {}): CreateComplaint => complaintBody(over) as CreateComplaint;

/** Opens a case through the typed client (a valid complaintBody with `over`); fails the test unless it answers 201. */
export const createComplaint = async (api: TestApi, token: string, over: Record<string, unknown> = {}): Promise<CaseView> => {
  const { data, error, response } = await api.client(token).POST('/v1/complaints', { body: validComplaint(over) });
  if (response.status !== 201 || !data) throw new Error(`create a complaint: expected 201, got ${response.status} ${JSON.stringify(error ?? null)}`);
  return data;
};

/** Reads a case through the typed client; fails the test unless it answers 200. */
export const getComplaint = async (api: TestApi, token: string, id: string): Promise<CaseView> => {
  const { data, error, response } = await api.client(token).GET('/v1/complaints/{id}', { params: { path: { id } } });
  if (response.status !== 200 || !data) throw new Error(`get complaint ${id}: expected 200, got ${response.status} ${JSON.stringify(error ?? null)}`);
  return data;
};
