// The reference case of PRODUCT.md, end to end through the HTTP API on the local stack (same handlers, the ASL CDK
// deploys, the local clock): a third delayed delivery this month, a missed appointment, a claimed loss and a request
// for compensation → a named owner → investigation tasks to operations → the customer's documents in the evidence log
// → operations blocks its task past 24 h → an escalation fires before the 75 % checkpoint and a supervisor takes it →
// the owner proposes compensation above the threshold → the owner's own approval is refused → a supervisor approves →
// the final response goes out inside the deadline → closed with root cause and follow-up action → the chain is valid.
import { createHash } from 'node:crypto';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

type Role = 'handler' | 'supervisor' | 'compliance' | 'legal' | 'admin' | 'intake';
let api: TestApi;
const tok = (sub: string, ...roles: Role[]) => api.token(sub, roles);
/** The typed client as `sub` holding `roles`. */
const as = async (sub: string, ...roles: Role[]) => api.client(await tok(sub, ...roles));

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

it('the reference case, from intake to a closed case with a valid chain', async () => {
  const started = performance.now();
  // Intake: the customer's third delayed delivery this month, a missed appointment, a claimed loss.
  const created = await settle(
    (await as('web-form', 'intake')).POST('/v1/complaints', {
      body: validComplaint({
        ownerId: 'olive',
        summary: 'Third delayed delivery this month; missed a service appointment',
        description: 'The delivery was late for the third time this month. The customer missed a paid service appointment waiting for it, claims the cost as a loss, and asks for a formal review and compensation.',
        allegedLoss: { amount: '180.00', currency: 'GBP' },
      }),
    }),
  );
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect(created.body).toMatchObject({ ownerId: 'olive', status: 'open', risk: 'on_track' });
  const dueAt = created.body.finalResponseDueAt as string;
  await api.pump();

  // The named owner acknowledges and sends investigation tasks to operations.
  expect((await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/acknowledgement', { params: { path: { id } }, body: { channel: 'email' } }))).status).toBe(200);
  const depot = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/tasks', { params: { path: { id } }, body: { title: 'Pull the depot delivery logs for the three delays', team: 'operations' } }));
  const carrier = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/tasks', { params: { path: { id } }, body: { title: 'Confirm the carrier capacity report', team: 'operations' } }));
  expect([depot.status, carrier.status]).toEqual([201, 201]);

  // The customer's documents go into the evidence log and are verified.
  const invoice = Buffer.from('%PDF-1.7 service appointment invoice: 180.00 GBP');
  const reg = await settle(
    (await as('olive', 'handler')).POST('/v1/complaints/{id}/evidence', {
      params: { path: { id } },
      body: { fileName: 'appointment-invoice.pdf', contentType: 'application/pdf', sizeBytes: invoice.length, sha256: sha(invoice) },
    }),
  );
  expect(reg.status).toBe(201);
  // Raw: the presigned upload goes to S3, not to the API the client describes.
  expect((await fetch(reg.body.upload.url as string, { method: 'PUT', headers: reg.body.upload.headers as Record<string, string>, body: invoice })).status).toBe(200);
  await api.s3Idle();
  const evidence = await settle((await as('olive', 'handler')).GET('/v1/complaints/{id}/evidence/{evidenceId}', { params: { path: { id, evidenceId: reg.body.evidenceId as string } } }));
  expect(evidence.body).toMatchObject({ status: 'verified', sha256: sha(invoice) });

  // Operations blocks its task; 25 hours later the dependency escalates, well before the 75 % checkpoint.
  const blocked = await settle((await as('olive', 'handler')).PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id, taskId: depot.body.id as string } }, body: { status: 'blocked', blockedReason: 'Depot system outage: logs unavailable' } }));
  expect(blocked.status).toBe(200);
  await api.advanceClock('PT25H');
  let c = (await settle((await as('sue', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id } } }))).body;
  expect(c.risk).toBe('at_risk');
  expect(c.escalations).toEqual([expect.objectContaining({ trigger: { kind: 'dependency', taskId: depot.body.id, cycle: 1 }, status: 'open', level: 1 })]);
  expect(c.checkpoints.find((k: { percent: number }) => k.percent === 75).firedAt).toBeUndefined();
  const escalationId = c.escalations[0].id as string;
  expect(api.outbox.notifications.filter((n) => n.caseId === id && n.eventType === 'Escalated').map((n) => n.to)).toContainEqual({ kind: 'role', role: 'supervisor', team: null });
  const ack = await settle((await as('sue', 'supervisor')).POST('/v1/complaints/{id}/escalations/{escalationId}/acknowledgement', { params: { path: { id, escalationId } }, body: { note: 'Chasing the depot manager for the logs today' } }));
  expect(ack.status).toBe(200);
  await api.pump();
  await expect(api.workflows.execution(`escalation-${escalationId}`)!.result).resolves.toMatchObject({ status: 'SUCCEEDED' });

  // Operations reports back; both tasks done.
  for (const [taskId, findings] of [
    [depot.body.id as string, 'Three failed slots: the regional carrier was over capacity and no re-routing rule existed'],
    [carrier.body.id as string, 'Carrier confirmed capacity shortfall for the region this month'],
  ] as const) {
    expect((await settle((await as('olive', 'handler')).PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id, taskId } }, body: { status: 'done', findings } }))).status).toBe(200);
  }

  // The owner proposes compensation above the supervisor threshold.
  const proposed = await settle(
    (await as('olive', 'handler')).POST('/v1/complaints/{id}/resolution', {
      params: { path: { id } },
      body: {
        decision: 'upheld',
        remedy: { compensation: { amount: '300.00', currency: 'GBP' }, description: 'The missed appointment (180.00) and a goodwill payment for three delays' },
        rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity; no re-routing rule' },
        finalResponse: 'We uphold your complaint. We will pay you £300.00 within 5 working days and have added a re-routing rule.',
      },
    }),
  );
  expect(proposed.status).toBe(201);
  expect(proposed.body.stages).toEqual([expect.objectContaining({ stage: 1, role: 'supervisor' })]);
  await api.pump();
  const queue = await settle((await as('sue', 'supervisor')).GET('/v1/approvals', { params: { query: { status: 'pending', limit: 100 } } }));
  const stage = (queue.body.items as { id: string; caseId: string }[]).find((a) => a.caseId === id)!;
  expect(stage).toBeDefined();

  // Four eyes: the owner (a team lead with the supervisor role too) may not approve their own case.
  expectProblem(await settle((await as('olive', 'handler', 'supervisor')).POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId: stage.id } }, body: { decision: 'approve' } })), 403);
  expectProblem(await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/final-response', { params: { path: { id } }, body: {} })), 409);
  const approved = await settle((await as('sue', 'supervisor')).POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId: stage.id } }, body: { decision: 'approve', comment: 'Proportionate to the evidenced loss' } }));
  expect(approved.status).toBe(200);
  await api.pump();
  await expect(api.workflows.execution(`approval-${proposed.body.id}`)!.result).resolves.toMatchObject({ status: 'SUCCEEDED', output: { outcome: 'approved' } });

  // The final response goes out inside the deadline; the clock stops.
  const sent = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/final-response', { params: { path: { id } }, body: { channel: 'email' } }));
  expect(sent.status).toBe(200);
  expect(sent.body.status).toBe('resolved');
  const now = await api.now();
  expect(Date.parse(now)).toBeLessThan(Date.parse(dueAt));

  // Closed with the root cause and the follow-up action.
  const closed = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/close', { params: { path: { id } }, body: { followUpAction: 'Add a re-routing rule for over-capacity regions; review carrier capacity monthly' } }));
  expect(closed.status).toBe(200);
  c = closed.body;
  expect(c).toMatchObject({ status: 'closed', rootCause: { category: 'carrier_capacity' } });

  // The timeline tells the whole story, and its chain is valid.
  const timeline = (await settle((await as('cora', 'compliance')).GET('/v1/complaints/{id}/timeline', { params: { path: { id } } }))).body;
  expect(timeline.chain.valid).toBe(true);
  const sequence = (timeline.items as { action: string }[]).map((e) => e.action);
  const inOrder = [
    'complaint.received',
    'owner.assigned',
    'acknowledgement.sent',
    'task.created',
    'evidence.verified',
    'task.updated',
    'dependency.blocked',
    'escalation.raised',
    'escalation.started',
    'escalation.notified',
    'escalation.acknowledged',
    'resolution.proposed',
    'approval.requested',
    'approval.approved',
    'resolution.approved',
    'final_response.sent',
    'complaint.closed',
  ];
  let cursor = -1;
  for (const action of inOrder) {
    const next = sequence.indexOf(action, cursor + 1);
    expect({ action, found: next > cursor }).toEqual({ action, found: true });
    cursor = next;
  }
  const final = (timeline.items as { action: string; data: { withinDeadline?: boolean } }[]).find((e) => e.action === 'final_response.sent')!;
  expect(final.data.withinDeadline).toBe(true);
  // Read by the benchmark: the local end-to-end time of the reference case.
  process.env.REFERENCE_CASE_MS = String(Math.round(performance.now() - started));
});
