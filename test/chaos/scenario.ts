// The chaos scenario, shared by the chaos test (test/chaos) and the bench phase `chaos`: mixed API load on a running
// local stack while injected AWS faults hit every dependency, clock moves that fire timers, then faults off, drain,
// and a check of everything that must have survived. It returns findings; the caller decides what fails.
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { localClock } from '#adapters/local/local-clock';
import { sign } from '#domain/helpdesk';
import { DOMAIN_EVENT_OF_ACTION } from '#domain/domain-events';
import { PUBLISHED_EVENT_TYPES } from '#schemas/events';
import { APPROVAL_STATES } from '#schemas/workflow-steps';
import { decisionOutcome, type StoredApproval } from '#domain/resolution';
import type { Role } from '#schemas/common';
import { FaultInjector, parseFaults, setFaults, standInCall, type FaultCounts } from '../../infra/local/faults';
import type { StartedStack } from '../../infra/local/stack';

/** The issue's faults at the issue's rates. */
export const CHAOS_FAULTS =
  'dynamodb:ProvisionedThroughputExceededException:0.1,dynamodb:TransactionCanceledException:0.05:TransactWriteItems,s3:InternalError:0.05,scheduler:ThrottlingException:0.1,eventbridge:InternalException:0.1,sfn:ThrottlingException:0.1';

/** After the load, under the faults: sixty days in three moves, past every checkpoint of an open case (8 weeks at most). */
export const CHECKPOINT_MOVES: readonly string[] = ['P20D', 'P20D', 'P20D'];

export interface ChaosOptions {
  operations: number;
  concurrency: number;
  /** A clock move (one local day) every this many operations. */
  clockEvery: number;
  seed: number;
  faults: string;
  /** Retries a client makes of a 429/503 with the same Idempotency-Key before giving up. */
  clientRetries: number;
  /**
   * Clock moves after the load, still under the faults (e.g. ['P20D', 'P20D', 'P20D']): the open cases' checkpoints
   * (50/75/90/100 % of their deadlines, weeks away) fall due and fire with the faults on, so "each fired exactly once"
   * is checked on checkpoints that fired, not only on none. Default: none (the fault-free baseline).
   */
  checkpointMoves?: readonly string[];
}

export interface Answer {
  op: string;
  status: number;
  ms: number;
  retryAfter: string | null;
  /** The problem's detail or title (a 4xx/5xx must carry a reason). */
  reason: string | null;
}

export interface ChaosResult {
  answers: Answer[];
  faults: FaultCounts;
  drainMs: number;
  created: number;
  findings: string[];
  /** Event deliveries the receiver got, and how many were repeats of an event id it had (de-duplicated, counted). */
  deliveries: { received: number; unique: number; repeats: number; expected: number };
  /** Checkpoint and breach timers: audit events found, and the case's own record of fired checkpoints (each must be one). */
  checkpoints: { fired: number; marked: number };
  /** Step Functions callbacks sent a second time (duplicate SendTaskSuccess/Failure): `gone` when the first arrived. */
  callbacks: { duplicated: number; gone: number; resumedLate: number };
  /** Requests sent again with the same Idempotency-Key (creations and notes) and checked for one effect. */
  idempotentRetries: number;
  /** Stream batches a consumer failed halfway (ReportBatchItemFailures past the first record) during this run. */
  partialBatches: number;
  /** Stream records and timers the stand-ins dead-lettered under the faults (replayed before the checks). */
  deadLettered: number;
  evidence: { verified: number; rejected: number; pending: number };
  /** Emails that opened a case, were recorded `intake_failed` under a fault, and were replayed into a case afterwards. */
  email: { cases: number; intakeFailed: number; replayed: number };
  /** How long each one-day clock move of the load took (due timers fire before it answers). */
  clockMovesMs: number[];
  /** The moves past the checkpoints after the load (under faults, no concurrent load), each with the timers it fired. */
  checkpointMoves: { advanceBy: string; ms: number; fired: number }[];
}

/** A seeded generator (the operation mix and bodies repeat under a seed). */
const seeded = (seed: number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const PDF = Buffer.from('%PDF-1.7\nDelivery log: three missed slots.\n%%EOF\n');

/** A subscriber endpoint that de-duplicates by event id and counts what it received. */
class Receiver {
  readonly byId = new Map<string, number>();
  readonly typeOf = new Map<string, string>();
  received = 0;
  private server: Server | undefined;
  url = '';
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received++;
        try {
          const ev = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown; type?: unknown };
          const id = String(ev.id);
          this.typeOf.set(id, String(ev.type));
          this.byId.set(id, (this.byId.get(id) ?? 0) + 1);
        } catch {
          // A body that is not an event is counted as received only.
        }
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
  }
  close(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

interface TrailEvent {
  seq: number;
  action: string;
  at: string;
  data: Record<string, unknown>;
}

interface Created {
  id: string;
  customerId: string;
}

export const runChaos = async (stack: StartedStack, opts: ChaosOptions): Promise<ChaosResult> => {
  const random = seeded(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const answers: Answer[] = [];
  const findings: string[] = [];
  const cases: Created[] = [];
  const evidence: { caseId: string; evidenceId: string }[] = [];
  const idempotent: { key: string; ids: Set<string>; customerId: string }[] = [];
  const retriedNotes: { caseId: string; body: string }[] = [];
  /** Emails the intake recorded as `intake_failed` (a fault inside it) and the cases emails opened. */
  const failedMail: string[] = [];
  const mailCases: string[] = [];
  const callbacks = { duplicated: 0, gone: 0, resumedLate: 0 };
  const secrets = JSON.parse((await import('node:fs')).readFileSync(stack.helpdeskSecretsFile, 'utf8')) as Record<string, string>;
  const token = async (sub: string, groups: Role[]) => (await stack.issuer.issue({ sub, groups })).token;
  const url = stack.api.url;

  const call = async (op: string, method: string, path: string, o: { sub?: string; groups?: Role[]; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.sub) headers.authorization = `Bearer ${await token(o.sub, o.groups ?? [])}`;
    let body: string | Buffer | undefined = o.raw;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const t0 = performance.now();
    const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    const ms = performance.now() - t0;
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      parsed = undefined;
    }
    // A problem's detail or title; the local email route answers the intake's outcome instead, whose rejection names its reason.
    const rejection = parsed?.rejection as { reason?: unknown } | undefined;
    const reason =
      res.status >= 400
        ? typeof parsed?.detail === 'string'
          ? parsed.detail
          : typeof parsed?.title === 'string'
            ? parsed.title
            : typeof rejection?.reason === 'string'
              ? `rejected: ${rejection.reason}`
              : null
        : null;
    answers.push({ op, status: res.status, ms, retryAfter: res.headers.get('retry-after'), reason });
    return { status: res.status, body: parsed, retryAfter: res.headers.get('retry-after') };
  };

  /** A client that retries 429/503 with the same request (and Idempotency-Key), as the answer tells it to. */
  const withRetries = async (send: () => ReturnType<typeof call>) => {
    let res = await send();
    for (let i = 0; i < opts.clientRetries && (res.status === 429 || res.status === 503); i++) {
      // No sleep on the machine clock: the local stack's pressure is this process's own queue, so yielding to it is
      // the back-off (Retry-After is still required of every 429/503 and checked below).
      await new Promise<void>((r) => setImmediate(r));
      res = await send();
    }
    return res;
  };

  const receiver = new Receiver();
  await receiver.start();
  // Subscribed before the load, with faults off: the subscription is set-up, not the subject.
  const sub = await call('setup', 'POST', '/v1/webhooks', { sub: 'ada-admin', groups: ['admin'], body: { url: receiver.url, eventTypes: [...PUBLISHED_EVENT_TYPES] } });
  if (sub.status !== 201) throw new Error(`could not subscribe the receiver: ${sub.status}`);

  const partial0 = stack.poller.partialBatches + (stack.projection?.partialBatches ?? 0);
  const injector = new FaultInjector(parseFaults(opts.faults), opts.seed, standInCall(stack.tables.local, stack.inboundBucket));
  setFaults(injector);

  const duplicateCallback = async (caseId: string, approvalId: string) => {
    const { caseRepository } = await import('#http/container');
    let stored: StoredApproval | undefined;
    try {
      stored = ((await caseRepository().listApprovals(caseId)) as StoredApproval[]).find((x) => x.id === approvalId);
    } catch {
      return; // The read met an injected fault; the callback under test is the engine's, not this read.
    }
    const outcome = stored ? decisionOutcome(stored) : undefined;
    if (!stored?.taskToken || !outcome) return;
    callbacks.duplicated++;
    const r = await stack.workflows.resume(stored.taskToken, outcome);
    if (r === 'gone') callbacks.gone++;
    else callbacks.resumedLate++;
  };

  const ops: Record<string, () => Promise<void>> = {
    web: async () => {
      const customerId = `chaos-${randomUUID()}`;
      const key = randomUUID();
      const body = {
        customer: { id: customerId, name: 'Ada Lovelace', email: 'ada@example.com', vulnerable: false },
        channel: pick(['web', 'phone', 'branch', 'letter']),
        summary: 'Third delayed delivery this month',
        description: 'Missed a service appointment, asks for formal review and compensation.',
        product: 'home-delivery',
        category: 'service_delay',
        regime: pick(['UK_FCA_DISP', 'UK_FCA_DISP', 'INTERNAL_STANDARD']),
        ownerId: 'alice',
      };
      const send = () => call('create', 'POST', '/v1/complaints', { sub: 'sam', groups: ['supervisor'], body, headers: { 'idempotency-key': key } });
      const first = await withRetries(send);
      if (first.status !== 201) return;
      const id = String(first.body?.id);
      cases.push({ id, customerId });
      // A client that lost the answer sends the same request again: one effect, the same case.
      if (random() < 0.3) {
        const again = await withRetries(send);
        const entry = { key, ids: new Set([id]), customerId };
        if (again.status >= 200 && again.status < 300) entry.ids.add(String(again.body?.id));
        idempotent.push(entry);
      }
    },
    helpdesk: async () => {
      const ticket = randomUUID();
      const payload = JSON.stringify({
        system: 'acme-desk',
        ticketId: ticket,
        subject: 'Agent was rude on the phone',
        description: 'I was hung up on twice.',
        customer: { id: `chaos-hd-${ticket}`, name: 'Mary Jackson' },
        history: [{ author: 'Mary Jackson', fromCustomer: true, body: 'Second call dropped too.' }],
        complaint: { category: 'agent_interaction', product: 'contact-centre' },
      });
      const send = () => {
        const ts = String(Math.floor(localClock.nowMs() / 1000));
        return call('helpdesk', 'POST', '/v1/intake/helpdesk/generic', {
          raw: payload,
          headers: { 'content-type': 'application/json', 'x-complaints-signature': sign('generic', secrets.generic ?? '', ts, payload), 'x-complaints-timestamp': ts },
        });
      };
      const res = await withRetries(send);
      if (res.status === 201) cases.push({ id: String((res.body?.case as { id?: unknown } | undefined)?.id), customerId: `chaos-hd-${ticket}` });
    },
    email: async () => {
      const raw = Buffer.from(
        [`From: grace.${randomUUID().slice(0, 8)}@example.com`, 'To: complaints@example.org', 'Subject: Complaint about my missed delivery', `Message-ID: <${randomUUID()}@mail.example.com>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', 'I want to complain: nobody came again.', ''].join('\r\n'),
      );
      const res = await withRetries(() => call('email', 'POST', '/local/inbound-email', { raw, headers: { 'content-type': 'message/rfc822' } }));
      const rejection = res.body?.rejection as { id?: unknown; reason?: unknown } | undefined;
      // A fault inside the intake leaves the stored message as an `intake_failed` rejection: kept, to be replayed below.
      if (res.status === 422 && rejection?.reason === 'intake_failed') failedMail.push(String(rejection.id));
      else if (res.status === 201 && typeof res.body?.caseId === 'string') mailCases.push(res.body.caseId);
    },
    note: async () => {
      if (!cases.length) return;
      const c = pick(cases);
      const key = randomUUID();
      const body = `Called the customer (${key}).`;
      const send = () => call('note', 'POST', `/v1/complaints/${c.id}/notes`, { sub: 'alice', groups: ['handler'], body: { kind: 'call_note', body }, headers: { 'idempotency-key': key } });
      const first = await withRetries(send);
      // The answer lost on the way: the same request again, which must add no second note.
      if (first.status === 201 && random() < 0.3) {
        await withRetries(send);
        retriedNotes.push({ caseId: c.id, body });
      }
    },
    task: async () => {
      if (!cases.length) return;
      const c = pick(cases);
      await withRetries(() => call('task', 'POST', `/v1/complaints/${c.id}/tasks`, { sub: 'alice', groups: ['handler'], body: { title: 'Pull depot logs', team: 'operations' }, headers: { 'idempotency-key': randomUUID() } }));
    },
    evidence: async () => {
      if (!cases.length) return;
      const c = pick(cases);
      const reg = await withRetries(() =>
        call('evidence', 'POST', `/v1/complaints/${c.id}/evidence`, { sub: 'alice', groups: ['handler'], body: { fileName: 'log.pdf', contentType: 'application/pdf', sizeBytes: PDF.length, sha256: sha(PDF) }, headers: { 'idempotency-key': randomUUID() } }),
      );
      if (reg.status !== 201) return;
      const upload = reg.body?.upload as { url: string; headers: Record<string, string> };
      evidence.push({ caseId: c.id, evidenceId: String(reg.body?.evidenceId) });
      // A client retries a failed PUT of the same bytes to the same presigned URL.
      for (let i = 0; i < 5; i++) {
        const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: PDF });
        await put.arrayBuffer();
        if (put.ok) break;
      }
    },
    resolution: async () => {
      if (!cases.length) return;
      const c = pick(cases);
      const res = await withRetries(() =>
        call('resolution', 'POST', `/v1/complaints/${c.id}/resolution`, {
          sub: 'alice',
          groups: ['handler'],
          body: {
            decision: 'upheld',
            remedy: { compensation: { amount: pick(['50.00', '1500.00']), currency: 'GBP' }, description: 'Compensation for three missed deliveries' },
            rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity' },
            finalResponse: 'We uphold your complaint and will pay you compensation within 5 working days.',
          },
          headers: { 'idempotency-key': randomUUID() },
        }),
      );
      if (res.status !== 201) return;
    },
    approve: async () => {
      for (const [who, role] of [
        ['sue', 'supervisor'],
        ['carl', 'compliance'],
      ] as const) {
        const queue = await call('approvals', 'GET', '/v1/approvals?status=pending', { sub: who, groups: [role] });
        const items = (queue.body?.items ?? []) as { id: string; caseId: string; role: string }[];
        const mine = items.filter((a) => a.role === role);
        if (!mine.length) continue;
        const a = pick(mine);
        const decided = await withRetries(() => call('decision', 'POST', `/v1/approvals/${a.id}/decision`, { sub: who, groups: [role], body: { decision: 'approve' }, headers: { 'idempotency-key': randomUUID() } }));
        // The callback arrives twice: SendTaskSuccess again with the stored token. Step Functions answers a settled token
        // TaskDoesNotExist (`gone`); if the first was lost to a fault, this one is the late callback and moves the stage.
        if (decided.status === 200 && random() < 0.3) await duplicateCallback(a.caseId, a.id);
        return;
      }
    },
    export: async () => {
      if (!cases.length) return;
      const c = pick(cases);
      await withRetries(() => call('export', 'POST', `/v1/complaints/${c.id}/exports`, { sub: 'cora', groups: ['compliance'], body: {}, headers: { 'idempotency-key': randomUUID() } }));
    },
    read: async () => {
      if (!cases.length) return;
      await call('read', 'GET', `/v1/complaints/${pick(cases).id}`, { sub: 'sam', groups: ['supervisor'] });
    },
  };
  const MIX: [string, number][] = [
    ['web', 26],
    ['helpdesk', 8],
    ['email', 5],
    ['note', 14],
    ['task', 9],
    ['evidence', 9],
    ['resolution', 7],
    ['approve', 7],
    ['export', 4],
    ['read', 11],
  ];
  const total = MIX.reduce((s, [, w]) => s + w, 0);
  const chooseOp = () => {
    let r = random() * total;
    for (const [name, w] of MIX) if ((r -= w) < 0) return name;
    return 'read';
  };
  const plan = Array.from({ length: opts.operations }, (_, i) => (i > 0 && i % opts.clockEvery === 0 ? 'clock' : chooseOp()));

  let next = 0;
  const clockMoves: number[] = [];
  /**
   * The operator's clock move (local only, outside the API): due timers fire before it answers, which at thousands of
   * cases under faults takes minutes, longer than fetch's fixed 300 s wait for headers; so a plain request, no timeout.
   * Resolves with the status and how many timers fired (the answer's `fired`).
   */
  const moveClock = (advanceBy: string): Promise<{ status: number; fired: number }> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(`${url}/local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let fired = 0;
          try {
            fired = ((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { fired?: unknown[] }).fired ?? []).length;
          } catch {
            // Not JSON: the status says what went wrong.
          }
          resolve({ status: res.statusCode ?? 0, fired });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ advanceBy }));
    });
  const trace = process.env.CHAOS_TRACE ? (line: string) => appendFileSync(process.env.CHAOS_TRACE!, `${line}\n`) : () => undefined;
  const worker = async () => {
    while (next < plan.length) {
      const op = plan[next++]!;
      const t0 = performance.now();
      try {
        if (op === 'clock') {
          const { status } = await moveClock('P1D');
          clockMoves.push(performance.now() - t0);
          if (status !== 200) findings.push(`clock move answered ${status}`);
        } else await ops[op]!();
      } catch (err) {
        // fetch's own message is only "fetch failed": the cause says which (a reset, a header timeout, a refusal).
        const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
        findings.push(`${op}: the client failed: ${(err as Error).message}${cause ? ` (${String(cause.code ?? cause.message)})` : ''}`);
      }
      trace(`${next} ${op} ${Math.round(performance.now() - t0)} ms`);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));

  // Time passes with the faults still on and the load over: weeks, so the open cases' checkpoints fire under the faults
  // (the checks below then find each marked fired and audited exactly once). A timer whose firing failed stays due and
  // fires in a later round or move; one that fails every attempt is dead-lettered, listed and replayed in the drain.
  const checkpointMoves: ChaosResult['checkpointMoves'] = [];
  for (const advanceBy of opts.checkpointMoves ?? []) {
    const t0 = performance.now();
    const moved = await moveClock(advanceBy);
    checkpointMoves.push({ advanceBy, ms: Math.round(performance.now() - t0), fired: moved.fired });
    trace(`checkpoint move ${advanceBy}: ${moved.fired} timers fired in ${Math.round(performance.now() - t0)} ms`);
    if (moved.status !== 200) findings.push(`clock move ${advanceBy} after the load answered ${moved.status}`);
  }

  // Faults off, then drain: stream consumers, timers, workflows, the verifier and webhook retries run until idle.
  setFaults(undefined);
  const drain0 = performance.now();
  // Webhook retries and stuck stream records fall due as time passes: an hour per round; one round moves a day, the
  // approval reminder interval (APPROVAL_REMINDER_HOURS), so a stage whose callback was lost to a fault wakes on its
  // lapsed heartbeat, finds the recorded decision and resumes itself (checked below: no workflow hangs on it).
  const steps = ['PT1H', 'PT1H', 'PT1H', 'P1D', 'PT1H', 'PT1H', 'PT1H', 'PT1H'];
  for (const [round, advanceBy] of steps.entries()) {
    await stack.s3.idle();
    await stack.timers.pump();
    await stack.workflows.idle();
    await moveClock(advanceBy);
    trace(`drain round ${round} ${Math.round(performance.now() - drain0)} ms`);
  }
  await stack.s3.idle();
  await stack.timers.pump();
  await stack.workflows.idle();
  // What the stand-ins gave up on under the faults is listed and replayed (the operator's redrive), then drained.
  const listed = (await (await fetch(`${url}/local/dead-letters`)).json()) as { streams: Record<string, unknown[]>; timers: unknown[] };
  const deadLettered = Object.values(listed.streams).reduce((n, xs) => n + xs.length, 0) + listed.timers.length;
  if (deadLettered) {
    const replay = (await (await fetch(`${url}/local/dead-letters/replay`, { method: 'POST' })).json()) as { streams: Record<string, { failed: number }> };
    for (const [name, r] of Object.entries(replay.streams)) if (r.failed) findings.push(`${r.failed} dead-lettered ${name} records failed their replay`);
    await stack.timers.pump();
    await stack.workflows.idle();
    await stack.timers.pump();
  }
  // Every email the intake could not take under the faults is kept as a rejection: the admin's replay now opens its
  // case, once (a second replay answers the same case), so no message is lost.
  const replayedMail = new Set<string>();
  for (const id of failedMail) {
    const first = await call('verify', 'POST', `/v1/intake/rejections/${id}/replay`, { sub: 'ada-admin', groups: ['admin'] });
    const again = await call('verify', 'POST', `/v1/intake/rejections/${id}/replay`, { sub: 'ada-admin', groups: ['admin'] });
    const caseId = first.body?.caseId;
    if (first.status !== 200 || typeof caseId !== 'string') findings.push(`email rejection ${id} (intake_failed) answered ${first.status} to its replay`);
    else if (again.body?.caseId !== caseId || again.body?.outcome !== 'already_replayed') findings.push(`email rejection ${id}: a second replay answered ${again.status} ${String(again.body?.outcome)}`);
    else replayedMail.add(caseId);
  }
  for (const id of [...mailCases, ...replayedMail]) {
    const got = await call('verify', 'GET', `/v1/complaints/${id}/timeline`, { sub: 'sam', groups: ['supervisor'] });
    if (got.status !== 200 || !(got.body?.chain as { valid?: boolean } | undefined)?.valid) findings.push(`emailed case ${id}: timeline ${got.status}, chain not valid`);
  }
  // A last settle: what the final rounds and the replay started (a workflow resumed on its lapsed heartbeat opening the
  // next stage, a replayed record's events) reaches the webhook queue after the rounds above last pumped it.
  for (let round = 0; round < 2; round++) {
    await stack.s3.idle();
    await stack.timers.pump();
    await stack.workflows.idle();
    await moveClock('PT5M');
  }
  await stack.timers.pump();
  const drainMs = performance.now() - drain0;

  // 1. Every answer: 2xx/3xx, 4xx with a reason, or 429/503 with Retry-After; never a bare 500.
  for (const a of answers) {
    if (a.status >= 500 && a.status !== 503) findings.push(`${a.op} answered ${a.status}${a.reason ? ` (${a.reason})` : ''}`);
    if ((a.status === 429 || a.status === 503) && !a.retryAfter) findings.push(`${a.op} answered ${a.status} without Retry-After`);
    if (a.status >= 400 && a.status < 500 && !a.reason) findings.push(`${a.op} answered ${a.status} without a reason`);
  }

  // 2. Every creation answered 201 exists, once, with a valid chain; its checkpoints fired at most once each.
  const expectedEvents = new Set<string>();
  let checkpointsFired = 0;
  let checkpointsMarked = 0;
  const published = new Set<string>(PUBLISHED_EVENT_TYPES);
  const tracked = new Set(cases.map((c) => c.id));
  const nowIso = localClock.now();
  const trailOf = new Map<string, string>();
  const actionOf = new Map<string, string>();
  for (const c of cases) {
    const tl = await call('verify', 'GET', `/v1/complaints/${c.id}/timeline`, { sub: 'sam', groups: ['supervisor'] });
    if (tl.status !== 200) {
      findings.push(`case ${c.id} answered 201 but its timeline answers ${tl.status}`);
      continue;
    }
    const chain = tl.body?.chain as { valid?: boolean } | undefined;
    if (!chain?.valid) findings.push(`case ${c.id}: audit chain not valid`);
    // The whole trail, page by page (the timeline is a list like every other: `items`, `nextCursor`).
    const events = [...((tl.body?.items ?? []) as TrailEvent[])];
    for (let cursor = tl.body?.nextCursor as string | undefined; cursor; ) {
      const more = await call('verify', 'GET', `/v1/complaints/${c.id}/timeline?cursor=${encodeURIComponent(cursor)}`, { sub: 'sam', groups: ['supervisor'] });
      events.push(...((more.body?.items ?? []) as TrailEvent[]));
      cursor = more.status === 200 ? (more.body?.nextCursor as string | undefined) : undefined;
    }
    if (!events.length) findings.push(`case ${c.id}: its timeline is empty`);
    const timerKeys = new Map<string, number>();
    trailOf.set(c.id, events.map((e) => `${e.seq}:${e.action}`).join(' '));
    for (const e of events) {
      const type = (DOMAIN_EVENT_OF_ACTION as Record<string, string>)[e.action];
      if (type && published.has(type) && Object.hasOwn(DOMAIN_EVENT_OF_ACTION, e.action)) {
        expectedEvents.add(`${c.id}:${e.seq}`);
        actionOf.set(`${c.id}:${e.seq}`, `${e.action} at ${e.at}`);
      }
      if (['checkpoint.reached', 'deadline.breached', 'acknowledgement.overdue'].includes(e.action)) {
        checkpointsFired++;
        const k = `${e.action}:${JSON.stringify(e.data.percent ?? null)}:${JSON.stringify(e.data.cycle ?? null)}:${JSON.stringify(e.data.dueAt ?? null)}`;
        timerKeys.set(k, (timerKeys.get(k) ?? 0) + 1);
      }
    }
    for (const [k, n] of timerKeys) if (n > 1) findings.push(`case ${c.id}: ${k} recorded ${n} times`);
    // Exactly once, per checkpoint of the running cycle: the case marks it fired and the trail holds one event for it;
    // a checkpoint due on a running clock that the case does not mark fired is a timer lost.
    const got = await call('verify', 'GET', `/v1/complaints/${c.id}`, { sub: 'sam', groups: ['supervisor'] });
    const kase = got.body as { checkpoints?: { percent: number; at: string; firedAt?: string }[]; cycles?: { n: number; stoppedAt?: string }[]; clock?: { pausedAt?: string } } | undefined;
    const cycle = kase?.cycles?.at(-1);
    if (got.status === 200 && cycle) {
      for (const cp of kase?.checkpoints ?? []) {
        const action = cp.percent === 100 ? 'deadline.breached' : 'checkpoint.reached';
        const audited = events.filter((e) => e.action === action && e.data.percent === cp.percent && e.data.cycle === cycle.n).length;
        if (cp.firedAt) {
          checkpointsMarked++;
          if (audited !== 1) findings.push(`case ${c.id}: checkpoint ${cp.percent}% of cycle ${cycle.n} fired, audited ${audited} times`);
        } else if (audited) findings.push(`case ${c.id}: checkpoint ${cp.percent}% audited ${audited} times but not marked fired`);
        else if (cp.at <= nowIso && !cycle.stoppedAt && !kase?.clock?.pausedAt) findings.push(`case ${c.id}: checkpoint ${cp.percent}% due at ${cp.at} never fired`);
      }
    } else findings.push(`case ${c.id} answered 201 but reads ${got.status}`);
    const mine = await call('verify', 'GET', `/v1/customers/${encodeURIComponent(c.customerId)}/complaints`, { sub: 'sam', groups: ['supervisor'] });
    const ids = ((mine.body?.items ?? []) as { id: string }[]).map((i) => i.id);
    if (mine.status === 200 && ids.length !== 1) findings.push(`customer ${c.customerId}: ${ids.length} cases for one creation`);
  }
  // Every due timer fired (nothing due is still pending) and none is dead-lettered.
  const now = localClock.now();
  const overdue = (await stack.scheduler.pending()).filter((t) => t.at <= now);
  if (overdue.length) findings.push(`${overdue.length} timers due and never fired`);
  const dead = await stack.scheduler.deadLetters();
  if (dead.length) findings.push(`${dead.length} timers dead-lettered: ${dead.map((d) => d.lastError).join('; ')}`);

  // 3. Idempotent retries: one effect (one case per retried creation, one note per retried note).
  for (const r of idempotent) if (r.ids.size !== 1) findings.push(`Idempotency-Key ${r.key} produced ${r.ids.size} cases`);
  for (const n of retriedNotes) {
    const listed = await call('verify', 'GET', `/v1/complaints/${n.caseId}/notes`, { sub: 'sam', groups: ['supervisor'] });
    const same = ((listed.body?.items ?? []) as { body: string }[]).filter((x) => x.body === n.body).length;
    if (same !== 1) findings.push(`a note sent twice with one Idempotency-Key is on case ${n.caseId} ${same} times`);
  }

  // Step Functions callbacks: none lost for good, none doubled. A stage still waiting for a token after the drain must
  // be undecided; a duplicate SendTaskSuccess of a delivered callback was refused (`gone`), never applied twice.
  const { caseRepository } = await import('#http/container');
  for (const t of stack.workflows.pendingTasks()) {
    if (t.stateName !== APPROVAL_STATES.awaitDecision) continue;
    const p = t.payload as { caseId?: string; approvalId?: string };
    if (!p.caseId || !tracked.has(p.caseId)) continue;
    const a = (await caseRepository().listApprovals(p.caseId)).find((x) => x.id === p.approvalId);
    if (a && a.status !== 'pending') findings.push(`approval ${a.id} is ${a.status} but its workflow still waits for the callback`);
  }

  // 4. Every domain event delivered exactly once after de-duplication (none missing), and none the trail does not explain.
  for (const id of expectedEvents) if (!receiver.byId.has(id)) findings.push(`event ${id} (${actionOf.get(id) ?? '?'}) never reached the subscriber`);
  // …and nothing delivered for these cases that their trails do not hold (a doubled effect would show here).
  for (const id of receiver.byId.keys()) if (tracked.has(id.split(':')[0]!) && !expectedEvents.has(id)) findings.push(`event ${id} (${receiver.typeOf.get(id) ?? '?'}) delivered but not in its case's trail (${trailOf.get(id.split(':')[0]!) ?? ''})`);
  const repeats = [...receiver.byId.values()].reduce((s, n) => s + n - 1, 0);

  // 5. Evidence: verified or rejected, never pending.
  const ev = { verified: 0, rejected: 0, pending: 0 };
  for (const e of evidence) {
    const res = await call('verify', 'GET', `/v1/complaints/${e.caseId}/evidence/${e.evidenceId}`, { sub: 'sam', groups: ['supervisor'] });
    const status = String(res.body?.status);
    if (status === 'verified') ev.verified++;
    else if (status === 'rejected') ev.rejected++;
    else {
      ev.pending++;
      findings.push(`evidence ${e.evidenceId} is ${status} after the drain`);
    }
  }
  // The subscription goes with its receiver (a later run on the same stack must not deliver to a closed port).
  await call('setup', 'DELETE', `/v1/webhooks/${String(sub.body?.id)}`, { sub: 'ada-admin', groups: ['admin'] });
  await receiver.close();
  return {
    answers: answers.filter((a) => a.op !== 'verify' && a.op !== 'setup'),
    faults: injector.counts,
    drainMs,
    created: cases.length,
    findings,
    deliveries: { received: receiver.received, unique: receiver.byId.size, repeats, expected: expectedEvents.size },
    checkpoints: { fired: checkpointsFired, marked: checkpointsMarked },
    callbacks,
    idempotentRetries: idempotent.length + retriedNotes.length,
    partialBatches: stack.poller.partialBatches + (stack.projection?.partialBatches ?? 0) - partial0,
    deadLettered,
    evidence: ev,
    email: { cases: mailCases.length, intakeFailed: failedMail.length, replayed: replayedMail.size },
    clockMovesMs: clockMoves.map((ms) => Math.round(ms)),
    checkpointMoves,
  };
};

/** Nearest-rank percentile of a sample (the figures only; bench/stats.ts interpolates for the bench tables). */
const nearestRank = (xs: number[], p: number): number => {
  if (!xs.length) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! * 10) / 10;
};

/** The figures of a `npm run chaos` run: a fault-free baseline and the faulted run, on one stack, in one process. */
export const chaosFigures = (operations: number, concurrency: number, seed: number, faultedRunMs: number, baseline: ChaosResult, faulted: ChaosResult) => {
  const of = (r: ChaosResult) => ({
    answers: r.answers.length,
    retryable: r.answers.filter((a) => a.status === 429 || a.status === 503).length,
    status5xxOther: r.answers.filter((a) => a.status >= 500 && a.status !== 503).length,
    p50Ms: nearestRank(r.answers.map((a) => a.ms), 50),
    p99Ms: nearestRank(r.answers.map((a) => a.ms), 99),
    drainMs: Math.round(r.drainMs),
    created: r.created,
    deliveries: r.deliveries,
    checkpoints: r.checkpoints,
    callbacks: r.callbacks,
    idempotentRetries: r.idempotentRetries,
    partialBatches: r.partialBatches,
    deadLettered: r.deadLettered,
    evidence: r.evidence,
    email: r.email,
    clockMoveMs: { count: r.clockMovesMs.length, p50: nearestRank(r.clockMovesMs, 50), max: Math.max(0, ...r.clockMovesMs) },
    checkpointMoves: r.checkpointMoves,
    findings: r.findings,
  });
  return {
    settings: { operations, baselineOperations: Math.max(20, Math.floor(operations / 10)), concurrency, seed, faults: CHAOS_FAULTS },
    faultedRunMs: Math.round(faultedRunMs),
    withoutFaults: of(baseline),
    withFaults: { ...of(faulted), injected: faulted.faults.injected, calls: faulted.faults.calls },
  };
};
