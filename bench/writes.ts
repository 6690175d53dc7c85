// DynamoDB capacity units per complaint lifecycle on the local stack (DynamoDB Local), from `ReturnConsumedCapacity: INDEXES`.
//
// `npm run bench` starts it as `node --import tsx bench/writes.ts --json FILE --no-report` (BENCH_ONLY=writes);
// standalone: `npx tsx bench/writes.ts [--json FILE] [--no-report]`.
//
// The scenario of issue 28: intake → reassign → acknowledge → task (opened, later done) → note → evidence → resolution → approval → final
// response → close, BENCH_WRITES_ROUNDS fresh cases. Units are summed by the SDK middleware in
// shared/adapters/aws/dynamo/client.ts (observeConsumedCapacity), per step: the request itself ("request") and what
// it sets off before the next step (stream consumers, timers, workflows, the evidence verifier: "background"), so
// every write a complaint causes in the table is counted once. DynamoDB Local reports consumed capacity with the
// service's item-size rules (1 WCU per started KB written, doubled in transactions; each GSI write its own units).
import { runStandalone } from './standalone';
import { expectStatus, typed } from './api-client';
import type { ComplaintsClient } from '@complaints/client';
import { benchComplaint } from './fixtures/complaint';
import { envInt, round, table } from './stats';
import { createHash } from 'node:crypto';
import { caseOfItem, decodeStoredCase, encodeCase } from '#adapters/aws/dynamo/case-codec';
import type { Case } from '#schemas/complaint';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants, deflateRawSync, gzipSync, gunzipSync, inflateRawSync } from 'node:zlib';

export interface WriteStep {
  step: string;
  request: string;
  /** Median over the rounds. */
  writeUnits: number;
  readUnits: number;
  backgroundWriteUnits: number;
  backgroundReadUnits: number;
  /** Median write units of the request by table/index (`table`, `GSI1v2`, …). */
  writeUnitsBy: Record<string, number>;
  /** Median write units of the background by table/index. */
  backgroundWriteUnitsBy: Record<string, number>;
  /** Median size of the case item after the step, by DynamoDB's item-size rules (a write of it costs a unit per started KB). */
  caseItemBytes: number;
  /** Median write units of the background by DynamoDB operation (which consumers write: transactions, counter updates, …). */
  backgroundWriteUnitsByCommand: Record<string, number>;
}

export interface WritesBenchResult {
  settings: { rounds: number };
  steps: WriteStep[];
  total: { writeUnits: number; readUnits: number; backgroundWriteUnits: number; backgroundReadUnits: number; lifecycleWriteUnits: number; lifecycleReadUnits: number };
  goal: { lifecycleWriteUnits: number };
  /** The last round's case item after close: JSON bytes of each top-level attribute and of each field of `case` (largest first). */
  /** Mean units per case on the local-only table (stand-ins for Scheduler, stream positions, Step Functions): not DynamoDB in AWS. */
  localOnly: { writeUnits: number; readUnits: number };
  /**
   * The last round's case item after close. `bytes`: its size by DynamoDB's item-size rules (what write units are
   * charged on); `caseJsonBytes`: the case as JSON; `attributes`: each top-level attribute's stored bytes (name
   * included); `caseFields`: JSON bytes of each field of the case (largest first).
   */
  caseItem: { bytes: number; caseJsonBytes: number; attributes: Record<string, number>; caseFields: Record<string, number> };
  /**
   * The same case in candidate encodings (bytes, and µs to encode and decode, median of 50): what the stored form
   * (shared/adapters/aws/dynamo/case-codec.ts) was chosen by. `the first case as dictionary`: deflate with the first
   * round's case as preset dictionary (an upper bound: the same text; Node 20's brotli takes no custom dictionary).
   * `stored`: the codec's own (a dictionary of keys and enum values only, no case's text). `short keys`: every key
   * replaced by a one- or two-letter code before brotli (also an upper bound: the table is free).
   */
  caseEncodings: { encoding: string; bytes: number; encodeMicros: number; decodeMicros: number }[];
  checks: { name: string; ok: boolean; hard: boolean; detail: string }[];
}

const GOAL_WCU = 120;

/** A value's size by DynamoDB's item-size rules (strings and binaries by their bytes, numbers ~1 byte per 2 digits, +3/+1 per map/list entry). */
const valueBytes = (v: unknown): number => {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace(/[.]/g, '').length / 2) + 1;
  if (v instanceof Uint8Array) return v.byteLength;
  if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + 1 + valueBytes(x), 0);
  if (v instanceof Set) return [...(v as Set<unknown>)].reduce((n: number, x) => n + valueBytes(x), 0);
  return 3 + Object.entries(v as Record<string, unknown>).reduce((n, [k, x]) => n + Buffer.byteLength(k) + 1 + valueBytes(x), 0);
};
const itemBytes = (item: Record<string, unknown>): number => Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + valueBytes(v), 0);

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Every key of a JSON value replaced by a short code (and back): the upper bound of a key-shortening table. */
const shortenKeys = (json: string): { short: string; restore: (s: string) => string } => {
  const names = new Map<string, string>();
  const code = (k: string) => {
    let c = names.get(k);
    // Letters only: an integer-like key would move to the front of its object and change the order.
    if (!c) names.set(k, (c = LETTERS[names.size % LETTERS.length]! + (names.size >= LETTERS.length ? LETTERS[Math.floor(names.size / LETTERS.length) % LETTERS.length]! : '')));
    return c;
  };
  const walk = (v: unknown, f: (k: string) => string): unknown =>
    Array.isArray(v) ? v.map((x) => walk(x, f)) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [f(k), walk(x, f)])) : v;
  const short = JSON.stringify(walk(JSON.parse(json), code));
  const back = new Map([...names].map(([k, c]) => [c, k] as const));
  return { short, restore: (s) => JSON.stringify(walk(JSON.parse(s), (c) => back.get(c) ?? c)) };
};

const compareEncodings = (json: string, dictionaryJson: string): WritesBenchResult['caseEncodings'] => {
  const raw = Buffer.from(json);
  const dictionary = Buffer.from(dictionaryJson);
  const brotli = (quality: number) => (b: Buffer) => brotliCompressSync(b, { params: { [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT, [zlibConstants.BROTLI_PARAM_QUALITY]: quality, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: b.length } });
  const { short, restore } = shortenKeys(json);
  const candidates: [string, () => Buffer, (b: Buffer) => string][] = [
    ['json', () => raw, (b) => b.toString()],
    ['gzip 9', () => gzipSync(raw, { level: 9 }), (b) => gunzipSync(b).toString()],
    ['deflate-raw 9', () => deflateRawSync(raw, { level: 9 }), (b) => inflateRawSync(b).toString()],
    ['deflate-raw 9 + the first case as dictionary', () => deflateRawSync(raw, { level: 9, dictionary }), (b) => inflateRawSync(b, { dictionary }).toString()],
    ['stored: deflate-raw 9 + CASE_DICTIONARY_1', () => Buffer.from(encodeCase(JSON.parse(json) as Case)), (b) => JSON.stringify(decodeStoredCase(b))],
    ['brotli 5', () => brotli(5)(raw), (b) => brotliDecompressSync(b).toString()],
    ['brotli 9', () => brotli(9)(raw), (b) => brotliDecompressSync(b).toString()],
    ['brotli 11', () => brotli(11)(raw), (b) => brotliDecompressSync(b).toString()],
    ['short keys + brotli 9', () => brotli(9)(Buffer.from(short)), (b) => restore(brotliDecompressSync(b).toString())],
  ];
  const timed = (f: () => unknown): number => {
    const xs: number[] = [];
    for (let i = 0; i < 50; i++) {
      const a = process.hrtime.bigint();
      f();
      xs.push(Number(process.hrtime.bigint() - a) / 1000);
    }
    return round(median(xs), 1);
  };
  return candidates.map(([encoding, enc, dec]) => {
    const out = enc();
    if (JSON.stringify(JSON.parse(dec(out))) !== JSON.stringify(JSON.parse(json))) throw new Error(`${encoding} does not round-trip`);
    return { encoding, bytes: out.length, encodeMicros: timed(enc), decodeMicros: timed(() => dec(out)) };
  });
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Tally {
  write: number;
  read: number;
  by: Record<string, number>;
  byCommand: Record<string, number>;
}
const tally = (): Tally => ({ write: 0, read: 0, by: {}, byCommand: {} });

/**
 * Everything a step set off, run to its end (evidence verified, both stream consumers, timers, workflows), three
 * times over so that what one part starts the others also finish; the writes and cost benches share it.
 */
export const settleStack = async (stack: Awaited<ReturnType<typeof import('../infra/local/stack').startStack>>): Promise<void> => {
  for (let i = 0; i < 3; i += 1) {
    await stack.s3.idle();
    await stack.poller.drain();
    await stack.projection?.drain();
    await stack.timers.pump();
    await stack.workflows.idle();
  }
};

/** Runs one step of the scenario: `name` and `request` label it, `fn` makes the request(s). */
export type LifecycleStep = <T>(name: string, request: string, fn: () => Promise<T>) => Promise<T>;

/**
 * Issue 28's lifecycle of one complaint, round `r`: intake → reassign → acknowledge → task → note → evidence (register +
 * presigned upload) → task done → resolution → approval → final response → close. Each step goes through `step`; the
 * approval queue read between resolution and approval is a plain request (not a step). bench/cost.ts runs it too.
 */
export const lifecycle = async (users: { intake: ComplaintsClient; sue: ComplaintsClient; olive: ComplaintsClient }, r: number, step: LifecycleStep, onCreated?: (id: string) => void): Promise<string> => {
  const { intake, sue, olive } = users;
  const created = await step('intake', 'POST /v1/complaints', () => expectStatus(intake.POST('/v1/complaints', { body: benchComplaint(`Writes bench ${r}`, { ownerId: 'bench-first-owner', allegedLoss: { amount: '180.00', currency: 'GBP' } }) }), 201, 'intake'));
  const id = created.id;
  const path = { path: { id } };
  onCreated?.(id);
  await step('reassign', 'POST …/owner', () => expectStatus(sue.POST('/v1/complaints/{id}/owner', { params: path, body: { ownerId: 'olive', reason: 'Olive handles repeat delivery complaints' } }), 200, 'reassign'));
  await step('acknowledge', 'POST …/acknowledgement', () => expectStatus(olive.POST('/v1/complaints/{id}/acknowledgement', { params: path, body: { channel: 'email' } }), 200, 'acknowledge'));
  const task = await step('task', 'POST …/tasks', () => expectStatus(olive.POST('/v1/complaints/{id}/tasks', { params: path, body: { title: 'Pull the depot delivery logs', team: 'operations' } }), 201, 'task'));
  await step('note', 'POST …/notes', () => expectStatus(olive.POST('/v1/complaints/{id}/notes', { params: path, body: { kind: 'call_note', body: 'Customer confirmed missed appointment.' } }), 201, 'note'));
  const invoice = Buffer.from(`%PDF-1.7 service appointment invoice ${r}: 180.00 GBP`);
  await step('evidence', 'POST …/evidence + upload + verify', async () => {
    const reg = await expectStatus(
      olive.POST('/v1/complaints/{id}/evidence', { params: path, body: { fileName: 'invoice.pdf', contentType: 'application/pdf', sizeBytes: invoice.length, sha256: createHash('sha256').update(invoice).digest('hex') } }),
      201,
      'register evidence',
    );
    const up = reg.upload;
    // The presigned S3 PUT goes to the bucket, not the API: outside the contract, raw fetch as an integrator's upload.
    const put = await fetch(up.url, { method: 'PUT', headers: up.headers, body: invoice });
    if (put.status !== 200) throw new Error(`evidence upload: ${put.status}`);
    return reg;
  });
  await step('task done', 'PATCH …/tasks/{taskId}', () => expectStatus(olive.PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id, taskId: task.id } }, body: { status: 'done', findings: 'Regional carrier over capacity' } }), 200, 'task done'));
  const proposed = await step('resolution', 'POST …/resolution', () =>
    expectStatus(
      olive.POST('/v1/complaints/{id}/resolution', {
        params: path,
        body: {
          decision: 'upheld',
          remedy: { compensation: { amount: '300.00', currency: 'GBP' }, description: 'The missed appointment and a goodwill payment' },
          rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity' },
          finalResponse: 'We uphold your complaint and will pay you £300.00 within 5 working days.',
        },
      }),
      201,
      'resolution',
    ),
  );
  const stages = proposed.stages ?? [];
  const queue = await expectStatus(sue.GET('/v1/approvals', { params: { query: { status: 'pending', limit: 100 } } }), 200, 'approval queue');
  const stage = queue.items.find((a) => a.caseId === id);
  if (stages.length > 0) {
    if (!stage) throw new Error('approval stage not in the pending queue');
    await step('approval', 'POST /v1/approvals/{id}/decision', () => expectStatus(sue.POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId: stage.id } }, body: { decision: 'approve', comment: 'Proportionate' } }), 200, 'approval'));
  }
  await step('final response', 'POST …/final-response', () => expectStatus(olive.POST('/v1/complaints/{id}/final-response', { params: path, body: { channel: 'email' } }), 200, 'final response'));
  await step('close', 'POST …/close', () => expectStatus(olive.POST('/v1/complaints/{id}/close', { params: path, body: { followUpAction: 'Add a re-routing rule for over-capacity regions' } }), 200, 'close'));
  return id;
};

const runWritesBench = async (): Promise<WritesBenchResult> => {
  const rounds = envInt('BENCH_WRITES_ROUNDS', 3, 1);
  const { startStack } = await import('../infra/local/stack');
  const { observeConsumedCapacity } = await import('#adapters/aws/dynamo/client');
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, projection: true, log: () => {} });
  try {
    const api = typed(stack);
    const intake = api(['bench-web-form', ['intake']]);
    const sue = api(['bench-sue', ['supervisor']]);
    const olive = api(['olive', ['handler']]);
    let current: Tally = tally();
    let lastId: string | undefined;
    let firstId: string | undefined;
    const localOnly = tally();
    // Only the cases and idempotency tables exist in AWS; the local-only table (the stand-ins' schedules, stream
    // positions, workflow executions) is EventBridge Scheduler, Lambda's stream poller and Step Functions there, so its
    // units are counted apart and never in the lifecycle.
    const costed = new Set([stack.tables.cases, stack.tables.idempotency]);
    const unsubscribe = observeConsumedCapacity((u) => {
      for (const [name, t] of Object.entries(u.byTable)) {
        if (!costed.has(name)) {
          localOnly.write += t.writeUnits;
          localOnly.read += t.readUnits;
          continue;
        }
        current.write += t.writeUnits;
        current.read += t.readUnits;
        if (t.writeUnits) current.byCommand[u.commandName] = (current.byCommand[u.commandName] ?? 0) + t.writeUnits;
        for (const [k, v] of Object.entries(t.writeUnitsBy)) current.by[k] = (current.by[k] ?? 0) + v;
      }
    });
    const settle = () => settleStack(stack);
    const perStep = new Map<string, { request: string; req: Tally[]; bg: Tally[]; itemBytes: number[] }>();
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { dynamo } = await import('#http/container');
    const { keys } = await import('#adapters/aws/dynamo/table-model');
    const step = async <T>(name: string, request: string, fn: () => Promise<T>): Promise<T> => {
      await settle();
      current = tally();
      const out = await fn();
      const req = current;
      current = tally();
      await settle();
      const bg = current;
      // The case item's size after the step (read outside both tallies): how far each write of it is from 1 KB.
      const caseId = name === 'intake' ? (out as { id?: string }).id : lastId;
      const after = caseId ? (await dynamo().doc.send(new GetCommand({ TableName: stack.tables.cases, Key: keys.case(caseId) }))).Item : undefined;
      current = tally();
      const row = perStep.get(name) ?? { request, req: [], bg: [], itemBytes: [] };
      row.req.push(req);
      row.bg.push(bg);
      if (after) row.itemBytes.push(itemBytes(after));
      perStep.set(name, row);
      return out;
    };
    try {
      for (let r = 0; r < rounds; r += 1) {
        if (r === rounds - 1) lastId = undefined;
        await lifecycle({ intake, sue, olive }, r, step, (id) => {
          lastId = id;
          firstId ??= id;
        });
      }
    } finally {
      unsubscribe();
    }
    const got = await dynamo().doc.send(new GetCommand({ TableName: stack.tables.cases, Key: keys.case(lastId ?? '') }));
    const first = await dynamo().doc.send(new GetCommand({ TableName: stack.tables.cases, Key: keys.case(firstId ?? '') }));
    const bytesOf = (v: unknown) => Buffer.byteLength(JSON.stringify(v) ?? '');
    const sizes = (o: Record<string, unknown>, size: (k: string, v: unknown) => number) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, size(k, v)] as const).sort((a, b) => b[1] - a[1]));
    const item = (got.Item ?? {}) as Record<string, unknown>;
    const stored = caseOfItem(item);
    const caseItem = {
      bytes: itemBytes(item),
      caseJsonBytes: bytesOf(stored),
      attributes: sizes(item, (k, v) => Buffer.byteLength(k) + valueBytes(v)),
      caseFields: sizes(stored, (_k, v) => bytesOf(v)),
    };
    const caseEncodings = compareEncodings(JSON.stringify(stored), JSON.stringify(first.Item ? caseOfItem(first.Item) : stored));
    const steps: WriteStep[] = [...perStep.entries()].map(([name, row]) => {
      const indexes = [...new Set(row.req.flatMap((t) => Object.keys(t.by)))].sort();
      const bgIndexes = [...new Set(row.bg.flatMap((t) => Object.keys(t.by)))].sort();
      const bgCommands = [...new Set(row.bg.flatMap((t) => Object.keys(t.byCommand)))].sort();
      return {
        step: name,
        request: row.request,
        writeUnits: round(median(row.req.map((t) => t.write)), 1),
        readUnits: round(median(row.req.map((t) => t.read)), 1),
        backgroundWriteUnits: round(median(row.bg.map((t) => t.write)), 1),
        backgroundReadUnits: round(median(row.bg.map((t) => t.read)), 1),
        writeUnitsBy: Object.fromEntries(indexes.map((k) => [k, round(median(row.req.map((t) => t.by[k] ?? 0)), 1)])),
        backgroundWriteUnitsBy: Object.fromEntries(bgIndexes.map((k) => [k, round(median(row.bg.map((t) => t.by[k] ?? 0)), 1)])),
        caseItemBytes: round(median(row.itemBytes), 0),
        backgroundWriteUnitsByCommand: Object.fromEntries(bgCommands.map((k) => [k, round(median(row.bg.map((t) => t.byCommand[k] ?? 0)), 1)])),
      };
    });
    const sum = (f: (s: WriteStep) => number) => round(steps.reduce((a, s) => a + f(s), 0), 1);
    const total = {
      writeUnits: sum((s) => s.writeUnits),
      readUnits: sum((s) => s.readUnits),
      backgroundWriteUnits: sum((s) => s.backgroundWriteUnits),
      backgroundReadUnits: sum((s) => s.backgroundReadUnits),
      lifecycleWriteUnits: sum((s) => s.writeUnits + s.backgroundWriteUnits),
      lifecycleReadUnits: sum((s) => s.readUnits + s.backgroundReadUnits),
    };
    const reported = steps.every((s) => s.writeUnits > 0);
    return {
      settings: { rounds },
      steps,
      total,
      goal: { lifecycleWriteUnits: GOAL_WCU },
      caseItem,
      caseEncodings,
      localOnly: { writeUnits: round(localOnly.write / rounds, 1), readUnits: round(localOnly.read / rounds, 1) },
      checks: [
        { name: 'DynamoDB Local reports consumed capacity on every writing step', ok: reported, hard: true, detail: reported ? `${steps.length} steps, each > 0 WCU` : steps.filter((s) => s.writeUnits === 0).map((s) => s.step).join(', ') },
        { name: `DynamoDB write units per complaint lifecycle ≤ ${GOAL_WCU}`, ok: total.lifecycleWriteUnits <= GOAL_WCU, hard: false, detail: `${total.lifecycleWriteUnits} WCU (${total.writeUnits} in the requests + ${total.backgroundWriteUnits} set off by them), median of ${rounds} cases` },
      ],
    };
  } finally {
    await stack.stop();
  }
};

export const writesReport = (r: WritesBenchResult): string =>
  [
    `DynamoDB capacity per complaint lifecycle (ReturnConsumedCapacity: INDEXES, DynamoDB Local, median of ${r.settings.rounds} cases)`,
    table(
      ['step', 'request', 'WCU', 'by table/index', 'RCU', 'background WCU', 'background by table/index', 'background RCU', 'case item B'],
      [
        ...r.steps.map((s) => [
          s.step,
          s.request,
          String(s.writeUnits),
          Object.entries(s.writeUnitsBy).map(([k, v]) => `${k} ${v}`).join(', '),
          String(s.readUnits),
          String(s.backgroundWriteUnits),
          Object.entries(s.backgroundWriteUnitsBy ?? {}).map(([k, v]) => `${k} ${v}`).join(', '),
          String(s.backgroundReadUnits),
          String(s.caseItemBytes),
        ]),
        ['total', '', String(r.total.writeUnits), '', String(r.total.readUnits), String(r.total.backgroundWriteUnits), '', String(r.total.backgroundReadUnits), ''],
      ],
    ),
    `case item after close: ${r.caseItem.bytes} B stored (case ${r.caseItem.caseJsonBytes} B as JSON); largest attributes ${Object.entries(r.caseItem.attributes).slice(0, 6).map(([k, v]) => `${k} ${v}`).join(', ')}; largest case fields ${Object.entries(r.caseItem.caseFields).slice(0, 8).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `case encodings: ${r.caseEncodings.map((e) => `${e.encoding} ${e.bytes} B (${e.encodeMicros}/${e.decodeMicros} µs)`).join(', ')}`,
    `local-only table (stand-ins, not DynamoDB in AWS, not counted): ${r.localOnly.writeUnits} WCU, ${r.localOnly.readUnits} RCU per case`,
    `lifecycle: ${r.total.lifecycleWriteUnits} WCU, ${r.total.lifecycleReadUnits} RCU (goal ≤ ${r.goal.lifecycleWriteUnits} WCU)`,
    ...r.checks.map((c) => `  ${c.ok ? '✓' : c.hard ? '✗' : '○'} ${c.name}: ${c.detail}`),
  ].join('\n');

if (require.main === module) runStandalone('writes', runWritesBench, writesReport);
