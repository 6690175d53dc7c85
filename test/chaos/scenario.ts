// The chaos scenario, shared by the chaos test (test/chaos) and the bench phase `chaos`: mixed API load on a running
// local stack while injected AWS faults hit every dependency, clock moves that fire timers, then faults off, drain,
// and a check of everything that must have survived. It returns findings; the caller decides what fails.
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { localClock } from '#adapters/local/local-clock';
import { sign } from '#domain/helpdesk';
import { DOMAIN_EVENT_OF_ACTION } from '#domain/domain-events';
import { PUBLISHED_EVENT_TYPES } from '#schemas/events';
import type { Role } from '#schemas/common';
import { FaultInjector, parseFaults, setFaults, standInCall, type FaultCounts } from '../../infra/local/faults';
import type { StartedStack } from '../../infra/local/stack';

/** The issue's faults at the issue's rates. */
export const CHAOS_FAULTS =
  'dynamodb:ProvisionedThroughputExceededException:0.1,dynamodb:TransactionCanceledException:0.05:TransactWriteItems,s3:InternalError:0.05,scheduler:ThrottlingException:0.1,eventbridge:InternalException:0.1,sfn:ThrottlingException:0.1';

export interface ChaosOptions {
  operations: number;
  concurrency: number;
  /** A clock move (one local day) every this many operations. */
  clockEvery: number;
  seed: number;
  faults: string;
  /** Retries a client makes of a 429/503 with the same Idempotency-Key before giving up. */
  clientRetries: number;
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
  checkpoints: { fired: number };
  /** Stream records and timers the stand-ins dead-lettered under the faults (replayed before the checks). */
  deadLettered: number;
  evidence: { verified: number; rejected: number; pending: number };
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
          const id = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown }).id);
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
    const reason = res.status >= 400 ? (typeof parsed?.detail === 'string' ? parsed.detail : typeof parsed?.title === 'string' ? parsed.title : null) : null;
    answers.push({ op, status: res.status, ms, retryAfter: res.headers.get('retry-after'), reason });
    return { status: res.status, body: parsed, retryAfter: res.headers.get('retry-after') };
  };

  /** A client that retries 429/503 with the same request (and Idempotency-Key), as the answer tells it to. */
  const withRetries = async (send: () => ReturnType<typeof call>) => {
    let res = await send();
    for (let i = 0; i < opts.clientRetries && (res.status === 429 || res.status === 503); i++) {
      // Retry-After is in seconds; the local run honours its order of magnitude without sleeping whole seconds.
      await new Promise((r) => setTimeout(r, 20 + 30 * i));
      res = await send();
    }
    return res;
  };

  const receiver = new Receiver();
  await receiver.start();
  // Subscribed before the load, with faults off: the subscription is set-up, not the subject.
  const sub = await call('setup', 'POST', '/v1/webhooks', { sub: 'ada-admin', groups: ['admin'], body: { url: receiver.url, eventTypes: [...PUBLISHED_EVENT_TYPES] } });
  if (sub.status !== 201) throw new Error(`could not subscribe the receiver: ${sub.status}`);

  const injector = new FaultInjector(parseFaults(opts.faults), opts.seed, standInCall(stack.tables.local, stack.inboundBucket));
  setFaults(injector);

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
        regime: pick(['UK_FCA_DISP', 'UK_FCA_DISP', 'INTERNAL']),
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
      await withRetries(() => call('email', 'POST', '/local/inbound-email', { raw, headers: { 'content-type': 'message/rfc822' } }));
    },
    note: async () => {
      if (!cases.length) return;
      const c = pick(cases);
      const key = randomUUID();
      await withRetries(() => call('note', 'POST', `/v1/complaints/${c.id}/notes`, { sub: 'alice', groups: ['handler'], body: { kind: 'call_note', body: `Called the customer (${key.slice(0, 8)}).` }, headers: { 'idempotency-key': key } }));
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
        const items = (queue.body?.items ?? []) as { id: string; role: string }[];
        const mine = items.filter((a) => a.role === role);
        if (!mine.length) continue;
        const a = pick(mine);
        await withRetries(() => call('decision', 'POST', `/v1/approvals/${a.id}/decision`, { sub: who, groups: [role], body: { decision: 'approve' }, headers: { 'idempotency-key': randomUUID() } }));
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
  const trace = process.env.CHAOS_TRACE ? (line: string) => appendFileSync(process.env.CHAOS_TRACE!, `${line}\n`) : () => undefined;
  const worker = async () => {
    while (next < plan.length) {
      const op = plan[next++]!;
      const t0 = performance.now();
      try {
        if (op === 'clock') {
          const res = await fetch(`${url}/local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceBy: 'P1D' }) });
          await res.arrayBuffer();
          if (res.status !== 200) findings.push(`clock move answered ${res.status}`);
        } else await ops[op]!();
      } catch (err) {
        findings.push(`${op}: the client failed: ${(err as Error).message}`);
      }
      trace(`${next} ${op} ${Math.round(performance.now() - t0)} ms`);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));

  // Faults off, then drain: stream consumers, timers, workflows, the verifier and webhook retries run until idle.
  setFaults(undefined);
  const drain0 = performance.now();
  for (let round = 0; round < 8; round++) {
    await stack.s3.idle();
    await stack.timers.pump();
    await stack.workflows.idle();
    // Webhook retries and stuck stream records fall due as time passes: an hour per round.
    const res = await fetch(`${url}/local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceBy: 'PT1H' }) });
    await res.arrayBuffer();
    trace(`drain round ${round} ${Math.round(performance.now() - drain0)} ms`);
  }
  await stack.s3.idle();
  await stack.timers.pump();
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
  const published = new Set<string>(PUBLISHED_EVENT_TYPES);
  for (const c of cases) {
    const tl = await call('verify', 'GET', `/v1/complaints/${c.id}/timeline`, { sub: 'sam', groups: ['supervisor'] });
    if (tl.status !== 200) {
      findings.push(`case ${c.id} answered 201 but its timeline answers ${tl.status}`);
      continue;
    }
    const chain = tl.body?.chain as { valid?: boolean } | undefined;
    if (!chain?.valid) findings.push(`case ${c.id}: audit chain not valid`);
    const events = (tl.body?.events ?? []) as { seq: number; action: string; data: Record<string, unknown> }[];
    const timerKeys = new Map<string, number>();
    for (const e of events) {
      const type = (DOMAIN_EVENT_OF_ACTION as Record<string, string>)[e.action];
      if (type && published.has(type) && Object.hasOwn(DOMAIN_EVENT_OF_ACTION, e.action)) expectedEvents.add(`${c.id}:${e.seq}`);
      if (['checkpoint.reached', 'deadline.breached', 'acknowledgement.overdue'].includes(e.action)) {
        checkpointsFired++;
        const k = `${e.action}:${JSON.stringify(e.data.percent ?? null)}:${JSON.stringify(e.data.cycle ?? null)}:${JSON.stringify(e.data.dueAt ?? null)}`;
        timerKeys.set(k, (timerKeys.get(k) ?? 0) + 1);
      }
    }
    for (const [k, n] of timerKeys) if (n > 1) findings.push(`case ${c.id}: ${k} recorded ${n} times`);
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

  // 3. Idempotent retries: one effect.
  for (const r of idempotent) if (r.ids.size !== 1) findings.push(`Idempotency-Key ${r.key} produced ${r.ids.size} cases`);

  // 4. Every domain event delivered exactly once after de-duplication (none missing), and none the trail does not explain.
  for (const id of expectedEvents) if (!receiver.byId.has(id)) findings.push(`event ${id} never reached the subscriber`);
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
    checkpoints: { fired: checkpointsFired },
    deadLettered,
    evidence: ev,
  };
};
