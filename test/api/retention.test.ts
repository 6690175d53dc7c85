// Retention end to end on the local stack: the daily job (run by the local timers as the clock passes midnight UTC,
// the same handler the EventBridge rule invokes) redacts closed cases past retention, keeps their facts and a valid
// audit chain, skips legal holds until released, leaves open and younger cases alone, and changes nothing on a re-run.
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { RETENTION_ENDED_TAG } from '#domain/evidence';
import type { LocalRetentionObjects } from '#adapters/local/local-retention-objects';
import { retentionObjects } from '#http/retention-container';
import { caseRepository } from '#http/container';
import type { RetentionDispatch } from '#domain/retention-service';
import { lambdaContext, lazyEntry } from '../../infra/local/server';
import { settle, startTestApi, validComplaint, type TestApi } from '../support/api';
import { wholeTokens } from '../support/tokens';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

/** Who calls; tokens are issued per call, since moving the clock by years expires any token issued before. */
const WHO = { intake: ['web-form', 'intake'], alice: ['alice', 'handler'], sam: ['sam', 'supervisor'], legal: ['lee', 'legal'], compliance: ['cora', 'compliance'] } as const;
type Who = keyof typeof WHO;
const token = (who: Who) => api.token(WHO[who][0], [WHO[who][1]]);

/** The typed client as `who`, with a token issued now. */
const as = async (who: Who) => api.client(await token(who));
/** A typed client call's body; fails the test unless it succeeded. */
const ok = async (what: string, call: Promise<{ data?: unknown; error?: unknown; response: Response }>) => {
  const res = await settle(call);
  if (res.status >= 300) throw new Error(`${what} answered ${res.status}: ${res.text}`);
  return res.body;
};

// The exact personal values written below, as whole tokens: the timeline is full of random hex (salts, digests)
// and ULIDs, in which a bare '7946' or 'SECRET' can occur by chance.
const PERSONAL = wholeTokens(['Grace Hopper', 'grace@example.com', '+44 20 7946 0001', '+442079460001', 'SECRET']);

/** A UK_FCA_PSD complaint (three years' retention) worked to closure, with free text in every place it can go. */
const closedCase = async (customerId: string, opts: { evidence?: boolean } = {}): Promise<string> => {
  const body = validComplaint({
    regime: 'UK_FCA_PSD',
    ownerId: 'alice',
    customer: { id: customerId, name: 'Grace Hopper', email: 'grace@example.com', phone: '+44 20 7946 0001' },
    summary: 'SECRET card payment taken twice',
    description: 'SECRET the customer explains their circumstances',
  });
  const id = (await ok('create', (await as('intake')).POST('/v1/complaints', { body }))).id as string;
  const alice = await as('alice');
  const path = { id };
  await ok('add a note', alice.POST('/v1/complaints/{id}/notes', { params: { path }, body: { kind: 'call_note', body: 'SECRET call with the customer' } }));
  if (opts.evidence) {
    const bytes = Buffer.from('%PDF-1.7\nstatement\n%%EOF\n');
    const reg = await ok('register evidence', alice.POST('/v1/complaints/{id}/evidence', { params: { path }, body: { fileName: 'statement.pdf', contentType: 'application/pdf', sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') } }));
    // The upload goes to S3 on the presigned URL, not to the API: a plain PUT, as a browser sends it.
    expect((await fetch(reg.upload.url as string, { method: 'PUT', headers: reg.upload.headers as Record<string, string>, body: bytes })).status).toBe(200);
    await api.s3Idle();
  }
  const task = await ok('create a task', alice.POST('/v1/complaints/{id}/tasks', { params: { path }, body: { title: 'SECRET check the card scheme logs', team: 'payments' } }));
  await ok('finish the task', alice.PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id, taskId: task.id as string } }, body: { status: 'done', findings: 'SECRET duplicate authorisation' } }));
  await ok(
    'propose',
    alice.POST('/v1/complaints/{id}/resolution', {
      params: { path },
      body: {
        decision: 'upheld',
        remedy: { description: 'SECRET refund of the duplicate payment' },
        rootCause: { category: 'processing', description: 'SECRET duplicate submission' },
        finalResponse: 'SECRET we are sorry, the payment is refunded',
      },
    }),
  );
  await ok('final response', alice.POST('/v1/complaints/{id}/final-response', { params: { path }, body: {} }));
  await ok('close', alice.POST('/v1/complaints/{id}/close', { params: { path }, body: { followUpAction: 'SECRET fix the retry logic' } }));
  return id;
};

const getCase = async (id: string) => ok(`get ${id}`, (await as('sam')).GET('/v1/complaints/{id}', { params: { path: { id } } }));
const timeline = async (id: string) => ok(`timeline of ${id}`, (await as('sam')).GET('/v1/complaints/{id}/timeline', { params: { path: { id } } }));
const customerCases = async (customerId: string) => ok(`complaints of ${customerId}`, (await as('compliance')).GET('/v1/customers/{customerId}/complaints', { params: { path: { customerId } } }));
const legalHold = async (id: string, on: boolean, reason: string) => ok(`legal hold ${String(on)}`, (await as('legal')).POST('/v1/complaints/{id}/legal-hold', { params: { path: { id } }, body: { on, reason } }));
const lastRun = () => api.stack.timers.dailyRuns.filter((r) => r.name === 'retention-job').at(-1);

describe('retention job', () => {
  let due: string;
  let held: string;
  let open: string;
  let young: string;
  const before: Record<string, unknown> = {};

  it('runs once a local day and redacts only the closed case past retention; legal hold, open and younger cases untouched', async () => {
    due = await closedCase('cust-ret-due', { evidence: true });
    // A compliance export of it before retention ends: its bundle is marked for the lifecycle too.
    const exp = await ok('export', (await as('compliance')).POST('/v1/complaints/{id}/exports', { params: { path: { id: due } } }));
    await api.pump();
    expect((await ok('the export job', (await as('compliance')).GET('/v1/exports/{exportId}', { params: { path: { exportId: exp.exportId as string } } }))).status).toBe('ready');
    held = await closedCase('cust-ret-held');
    await legalHold(held, true, 'Litigation hold requested by counsel');
    open = (await ok('create', (await as('intake')).POST('/v1/complaints', { body: validComplaint({ regime: 'UK_FCA_PSD', customer: { id: 'cust-ret-open', name: 'Open Case' } }) }))).id as string;
    const dueCase = await getCase(due);
    expect(dueCase.retainUntil).toBe(DateTime.fromISO(dueCase.closedAt as string, { zone: 'utc' }).plus({ years: 3 }).toJSDate().toISOString());
    expect((await customerCases('cust-ret-due')).items.map((c: { id: string }) => c.id)).toEqual([due]);

    const runsBefore = api.stack.timers.dailyRuns.length;
    await api.advanceClock('P800D');
    // Crossing midnight ran the job once however many days passed; nothing was due yet.
    expect(api.stack.timers.dailyRuns.length).toBe(runsBefore + 1);
    expect(lastRun()?.result).toMatchObject({ redacted: 0, failed: 0 });
    young = await closedCase('cust-ret-young');
    // The young case's satisfaction follow-up goes out a week after its final response; let it, so the comparison
    // below sees only what retention does (nothing, to these two).
    await api.advanceClock('P8D');
    for (const id of [held, young]) before[id] = { case: await getCase(id), timeline: await timeline(id) };

    await api.advanceClock('P400D');
    expect(lastRun()).toMatchObject({ result: { examined: 2, redacted: 1, skippedLegalHold: 1, failed: 0, failures: [] } });

    const redacted = await getCase(due);
    expect(JSON.stringify(redacted)).not.toMatch(PERSONAL);
    // The vulnerable flag is a fact kept for reporting (redactCase); everything that names the customer is gone.
    const { vulnerable: _kept, ...who } = redacted.customer as Record<string, unknown>;
    expect(who).toEqual({ id: '[redacted]', name: '[redacted]' });
    expect(redacted).toMatchObject({
      id: due,
      reference: dueCase.reference,
      status: 'closed',
      regime: 'UK_FCA_PSD',
      category: dueCase.category,
      product: dueCase.product,
      channel: dueCase.channel,
      receivedAt: dueCase.receivedAt,
      finalResponseDueAt: dueCase.finalResponseDueAt,
      closedAt: dueCase.closedAt,
      retainUntil: dueCase.retainUntil,
      allegedLoss: dueCase.allegedLoss,
      summary: '[redacted]',
      description: '[redacted]',
      followUpAction: '[redacted]',
      rootCause: { category: 'processing', description: '[redacted]' },
      redaction: { by: 'system:retention', items: 5, events: expect.any(Number) }, // note, task, resolution, evidence file name, the final-response letter kept as evidence
    });
    expect(redacted.cycles).toEqual(dueCase.cycles);
    expect(redacted.cycles[0]).toMatchObject({ decision: 'upheld', respondedAt: expect.any(String), closedAt: dueCase.closedAt });
    expect(redacted.checkpoints).toEqual(dueCase.checkpoints);
    expect(JSON.stringify(await ok('notes', (await as('sam')).GET('/v1/complaints/{id}/notes', { params: { path: { id: due } } })))).not.toMatch(PERSONAL);
    expect(JSON.stringify(await ok('tasks', (await as('sam')).GET('/v1/complaints/{id}/tasks', { params: { path: { id: due } } })))).not.toMatch(PERSONAL);

    const trail = await timeline(due);
    expect(trail.chain).toEqual({ valid: true, head: expect.any(String), length: trail.items.length });
    expect(JSON.stringify(trail.items)).not.toMatch(PERSONAL);
    const redactedEvents = trail.items.filter((e: { redaction?: unknown }) => e.redaction);
    expect(redactedEvents.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['note.added', 'task.created', 'task.updated', 'resolution.proposed', 'final_response.sent', 'complaint.closed']));
    expect(redactedEvents.length).toBe(redacted.redaction.events);
    expect(trail.items.find((e: { action: string }) => e.action === 'complaint.received')).toMatchObject({ data: { regime: 'UK_FCA_PSD', reference: dueCase.reference } });
    expect(trail.items.at(-1)).toMatchObject({ action: 'retention.redacted', actor: 'system:retention', data: { regime: 'UK_FCA_PSD', years: 3, rule: 'FCA Handbook DISP 1.9.1R(2)', retainUntil: dueCase.retainUntil } });
    expect(trail.chain.length).toBe(trail.items.length);

    // Its evidence and bundle are tagged for the buckets' lifecycle (which removes them once their locks allow).
    const objects = retentionObjects() as LocalRetentionObjects;
    const [ev] = (await ok('evidence', (await as('sam')).GET('/v1/complaints/{id}/evidence', { params: { path: { id: due } } }))).items as { key?: string; id: string }[];
    expect(await objects.tagOf('evidence', `cases/${due}/evidence/${ev!.id}`)).toBe(RETENTION_ENDED_TAG.value);
    const [bundle] = await caseRepository().listExports(due);
    expect(await objects.tagOf('exports', bundle!.key)).toBe(RETENTION_ENDED_TAG.value);
    expect(await objects.tagOf('evidence', `cases/${held}/evidence/none`)).toBeUndefined();
    // The customer index no longer finds the person.
    expect((await customerCases('cust-ret-due')).items).toEqual([]);
    // Held and younger cases: exactly as they were. The open case ran on (its deadline timers and escalations) but
    // kept every personal field and has no retention event.
    for (const id of [held, young]) expect({ case: await getCase(id), timeline: await timeline(id) }).toEqual(before[id]);
    expect((await getCase(held)).customer.name).toBe('Grace Hopper');
    const stillOpen = await getCase(open);
    expect(stillOpen).toMatchObject({ status: 'open', customer: { id: 'cust-ret-open', name: 'Open Case' } });
    expect(stillOpen.redaction).toBeUndefined();
    expect(stillOpen.retainUntil).toBeUndefined();
    expect((await timeline(open)).items.filter((e: { action: string; redaction?: unknown }) => e.action === 'retention.redacted' || e.redaction)).toEqual([]);
  }, 120_000);

  it('redacts the held case on the first run after its hold is released', async () => {
    await legalHold(held, false, 'Litigation settled; hold released by counsel');
    await api.advanceClock('P1D');
    expect(lastRun()).toMatchObject({ result: { examined: 1, redacted: 1, skippedLegalHold: 0, failed: 0 } });
    const c = await getCase(held);
    expect(c.redaction).toBeDefined();
    expect(JSON.stringify(c)).not.toMatch(PERSONAL);
    expect((await timeline(held)).chain).toEqual(expect.objectContaining({ valid: true }));
    expect((await customerCases('cust-ret-held')).items).toEqual([]);
  });

  it('a redacted case cannot be reopened', async () => {
    const res = await settle((await as('sam')).POST('/v1/complaints/{id}/reopen', { params: { path: { id: due } }, body: { reason: 'Customer disputes the outcome' } }));
    expect(res.status).toBe(409);
  });

  it('re-running the job (the handler, invoked directly) changes nothing', async () => {
    const snapshot = { due: { case: await getCase(due), timeline: await timeline(due) }, held: { case: await getCase(held), timeline: await timeline(held) } };
    const job = lazyEntry<(event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<RetentionDispatch>>('functions/retention-job/handler.ts');
    const run = await job()({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, lambdaContext('retention-job'));
    // Nothing is due any more (both were redacted): nothing is queued, and nothing is overdue.
    expect(run).toEqual({ dispatched: 0, batches: 0, held: 0, oldestDueAgeSeconds: 0 });
    await api.pump();
    expect({ due: { case: await getCase(due), timeline: await timeline(due) }, held: { case: await getCase(held), timeline: await timeline(held) } }).toEqual(snapshot);
    // The younger case is still inside its period; the open case was never closed.
    expect((await getCase(young)).redaction).toBeUndefined();
    expect((await getCase(open)).redaction).toBeUndefined();
  });
});
