// Issue 25, finding 3 (the final response sent is not the one approved): what goes out is the approved finalResponse
// rendered in the regime's letter; other text is a new proposal that needs the same approvals (409 until then); the
// admission-of-liability scan runs on every text that leaves (the final response and the acknowledgement), and an
// admission goes out only with legal's approval.
import type { components } from '@complaints/client';
import { expectProblem, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

type Role = 'handler' | 'supervisor' | 'compliance' | 'legal' | 'admin';
let api: TestApi;
const tok = (sub: string, role: Role) => api.token(sub, [role]);
/** The typed client as `sub` in `role`. */
const as = async (sub: string, role: Role) => api.client(await tok(sub, role));

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

interface Event {
  actor: string;
  action: string;
  data: Record<string, unknown>;
}

const APPROVED = 'We will pay you £300.00.';
const openCase = async () => {
  const res = await settle((await as('sam', 'supervisor')).POST('/v1/complaints', { body: validComplaint({ ownerId: 'olive' }) }));
  expect(res.status).toBe(201);
  await api.pump();
  return res.body.id as string;
};
const proposal = (finalResponse: string, amount = '300.00'): components['schemas']['ProposeResolution'] => ({
  decision: 'upheld',
  remedy: { compensation: { amount, currency: 'GBP' }, description: 'Compensation for the missed appointment' },
  rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity' },
  finalResponse,
});
const propose = async (caseId: string, finalResponse: string, amount?: string) => {
  const res = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/resolution', { params: { path: { id: caseId } }, body: proposal(finalResponse, amount) }));
  await api.pump();
  return res;
};
const openStage = async (caseId: string) =>
  ((await settle((await as('audit-admin', 'admin')).GET('/v1/approvals', { params: { query: { status: 'pending', limit: 100 } } }))).body.items as { id: string; caseId: string; role: string; reasons: { rule: string }[] }[]).find(
    (a) => a.caseId === caseId,
  );
const approve = async (caseId: string, role: Role) => {
  const stage = await openStage(caseId);
  expect(stage).toMatchObject({ role });
  const res = await settle((await as(`${role}-approver`, role)).POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId: stage!.id } }, body: { decision: 'approve' } }));
  expect(res.status).toBe(200);
  await api.pump();
  return stage!;
};
const send = async (caseId: string, body: { text?: string } = {}) => settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/final-response', { params: { path: { id: caseId } }, body }));
const events = async (caseId: string) => (await settle((await as('sam', 'supervisor')).GET('/v1/complaints/{id}/timeline', { params: { path: { id: caseId } } }))).body.items as Event[];
const status = async (caseId: string) => (await settle((await as('sam', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id: caseId } } }))).body.status as string;
const letters = async (caseId: string) =>
  ((await settle((await as('olive', 'handler')).GET('/v1/complaints/{id}/evidence', { params: { path: { id: caseId } } }))).body.items as { letter?: { kind: string } }[]).filter((e) => e.letter);
/** The final-response letter as it would go out (the preview the owner sees). */
const finalLetter = async (caseId: string) => settle((await as('olive', 'handler')).GET('/v1/complaints/{id}/letters/{kind}', { params: { path: { id: caseId, kind: 'final_response' } } }));

describe('the text sent is the text approved', () => {
  it('the issue reproduction: after "We will pay you £300.00" was approved, other text is refused (409) and nothing is sent', async () => {
    const caseId = await openCase();
    expect((await propose(caseId, APPROVED)).body.stages.map((s: { role: string }) => s.role)).toEqual(['supervisor']);
    await approve(caseId, 'supervisor');

    const swapped = await send(caseId, { text: 'We admit liability and will pay you £30,000.00' });
    expectProblem(swapped, 409);
    expect(swapped.body).toMatchObject({ code: 'final_response_not_approved' });
    expect(swapped.body.detail).toMatch(/^the text differs from the approved final response/);
    expect(await status(caseId)).toBe('open');
    expect((await events(caseId)).some((e) => e.action === 'final_response.sent')).toBe(false);
    expect(await letters(caseId)).toEqual([]);
  });

  it('what goes out is the approved finalResponse rendered in the regime letter, also when the owner repeats it as text', async () => {
    const caseId = await openCase();
    await propose(caseId, APPROVED);
    await approve(caseId, 'supervisor');
    const preview = (await finalLetter(caseId)).body;
    expect(preview.admissions).toEqual([]);

    const sent = await send(caseId, { text: `  ${APPROVED}\n` });
    expect(sent.status).toBe(200);
    const text = (await events(caseId)).find((e) => e.action === 'final_response.sent')!.data.text as string;
    expect(text).toBe(`Subject: ${preview.subject}\n\n${preview.text}`);
    expect(text).toContain(APPROVED);
    expect(text).toContain('Financial Ombudsman Service'); // UK_FCA_DISP: the referral rights the letter carries
    expect((await letters(caseId)).map((e) => e.letter!.kind)).toEqual(['final_response']);
  });

  it('the letter as previewed may be sent back as text (it is the approved one)', async () => {
    const caseId = await openCase();
    await propose(caseId, APPROVED, '100.00');
    const preview = (await finalLetter(caseId)).body;
    expect((await send(caseId, { text: preview.text })).status).toBe(200);
  });

  it('other text becomes sendable only as a new proposal with the same approvals', async () => {
    const caseId = await openCase();
    await propose(caseId, APPROVED);
    await approve(caseId, 'supervisor');
    const better = 'We will pay you £300.00 and have changed our carrier for your area.';
    expectProblem(await send(caseId, { text: better }), 409);

    const again = await propose(caseId, better);
    expect(again.status).toBe(201);
    expect(again.body.stages.map((s: { role: string }) => s.role)).toEqual(['supervisor']);
    expectProblem(await send(caseId, { text: better }), 409); // awaiting its approval
    await approve(caseId, 'supervisor');
    expect((await send(caseId, { text: better })).status).toBe(200);
  });
});

describe('the admission-of-liability scan', () => {
  it.each([
    ['plain', 'We admit liability and will pay you £300.00.'],
    ['upper case across a line break', 'WE ARE\nLIABLE for your loss.'],
    ['a zero-width space inside the phrase', 'It was our\u200b fault and we will pay you.'],
    ['full-width letters', 'We ａｄｍｉｔ the delivery failed through our error.'],
  ])('a proposal that admits liability (%s) needs legal approval before it goes out', async (_how, text) => {
    const caseId = await openCase();
    const proposed = await propose(caseId, text, '100.00');
    expect(proposed.status).toBe(201);
    expect(proposed.body.stages).toEqual([expect.objectContaining({ role: 'legal', reasons: [expect.objectContaining({ rule: 'admission_of_liability' })] })]);
    expectProblem(await send(caseId), 409);
    const preview = await finalLetter(caseId);
    expect(preview.body.admissions).toEqual(expect.arrayContaining([expect.any(String)])); // the scan, shown before sending
    await approve(caseId, 'legal');
    expect((await send(caseId)).status).toBe(200);
  });

  it('"your fault" is not "our fault": quoting the customer does not call for legal', async () => {
    const caseId = await openCase();
    expect((await propose(caseId, 'You said the delay was not your fault; we agree and will pay you.', '100.00')).body.stages).toEqual([]);
  });

  it('an acknowledgement may not admit liability (400 naming the field); a plain one goes out', async () => {
    const caseId = await openCase();
    const ack = async (text?: string) =>
      settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/acknowledgement', { params: { path: { id: caseId } }, body: text === undefined ? {} : { text } }));
    const refused = await ack('We received your complaint. We accept responsibility for the delay.');
    expectProblem(refused, 400);
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'body.text' })]);
    expect((await events(caseId)).some((e) => e.action === 'acknowledgement.sent')).toBe(false);
    expect((await ack('We received your complaint and will reply within eight weeks.')).status).toBe(200);
  });
});
