// The Resolution tab's approval stages in chromium, as GET /v1/complaints/{id}/approvals records them (nothing read off
// the timeline): after a re-plan the new round shows its carried-over approved stage (who decided, the comment, the
// approval it carries) and its open stage with the due time; a stage nobody decides shows its escalation level, then
// "timed out" with the later stage superseded. Each screen passes axe (no serious or critical violations).
import type { Locator, Page } from 'playwright-core';
import type { components } from '@complaints/client';
import { createComplaint, settle } from '../support/api';
import { resolutionBody } from '../support/route-fixtures';
import { axeProblems, exactly, openCase, reloadCase, startConsoleHarness, type ConsoleHarness } from '../support/console';

jest.setTimeout(300_000);

type Stage = components['schemas']['CaseApproval'];
type Role = 'handler' | 'supervisor' | 'compliance' | 'legal';

let h: ConsoleHarness;
beforeAll(async () => {
  h = await startConsoleHarness();
});
afterAll(() => h?.close());

const as = async (sub: string, role: Role) => h.api.client(await h.api.token(sub, [role]));

const openOlives = async (): Promise<string> => (await createComplaint(h.api, await h.api.token('web-form', ['intake']), { ownerId: 'olive' })).id;
const propose = async (caseId: string, amount: string): Promise<void> => {
  const res = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/resolution', {
    params: { path: { id: caseId } },
    body: resolutionBody(amount),
  }));
  if (res.status !== 201) throw new Error(`propose: ${res.status} ${res.text}`);
  await h.api.pump();
};
/** The stages of the case's current proposal, as the API lists them (what the screen must show). */
const currentStages = async (caseId: string): Promise<Stage[]> => {
  const sam = await as('sam', 'supervisor');
  const c = (await sam.GET('/v1/complaints/{id}', { params: { path: { id: caseId } } })).data!;
  const resolutionId = (c.resolution as { id: string }).id;
  return (await sam.GET('/v1/complaints/{id}/approvals', { params: { path: { id: caseId }, query: { resolutionId } } })).data!.items;
};
const stageRow = (page: Page, role: string): Locator => page.getByRole('table', { name: 'Approval stages' }).getByRole('row', { name: new RegExp(`\\b${role}\\b`) });

it('after a re-plan: the new round with its carried-over approved stage and the open stage due when the API says', async () => {
  const caseId = await openOlives();
  await propose(caseId, '300.00');
  const [asked] = await currentStages(caseId);
  const approved = await settle((await as('sue', 'supervisor')).POST('/v1/approvals/{approvalId}/decision', { params: { path: { approvalId: asked!.id } }, body: { decision: 'approve', comment: 'Within policy' } }));
  expect(approved.status).toBe(200);
  await h.api.pump();
  // The owner raises legal exposure: the standing proposal is re-planned (a new resolution id, round 2).
  const patched = await settle((await as('olive', 'handler')).PATCH('/v1/complaints/{id}', { params: { path: { id: caseId } }, body: { legalExposure: true } }));
  expect(patched.status).toBe(200);
  await h.api.pump();
  const [carried, legal] = await currentStages(caseId);
  expect(carried).toMatchObject({ role: 'supervisor', status: 'approved', carriedFrom: asked!.id });
  expect(legal).toMatchObject({ role: 'legal', status: 'pending', open: true });

  const olive = await h.signIn('olive', ['handler']);
  await openCase(olive, caseId, 'resolution');
  await olive.getByTestId('resolution-status').filter({ hasText: exactly('pending') }).waitFor();
  const supervisor = stageRow(olive, 'supervisor');
  await supervisor.getByText('approved', { exact: true }).waitFor();
  await supervisor.getByText(/^by sue, /).waitFor();
  await supervisor.locator(`time[datetime="${carried!.decidedAt}"]`).waitFor();
  await supervisor.getByRole('cell', { name: 'Within policy', exact: true }).waitFor();
  await supervisor.getByRole('cell', { name: `approval ${asked!.id}`, exact: true }).waitFor();
  const legalRow = stageRow(olive, 'legal');
  await legalRow.getByText('pending', { exact: true }).waitFor();
  await legalRow.locator(`time[datetime="${legal!.dueAt}"]`).waitFor();
  await legalRow.getByRole('cell', { name: '0', exact: true }).waitFor();
  // Exactly the current round's two stages: nothing of the replaced round, nothing superseded.
  expect(await olive.getByRole('table', { name: 'Approval stages' }).locator('tbody tr').count()).toBe(2);
  expect(await olive.getByText('superseded', { exact: true }).count()).toBe(0);
  expect(await axeProblems(olive)).toEqual([]);
});

it('a stage nobody decides: its escalation level and due time, later stage waiting; then timed out, the later stage superseded', async () => {
  const caseId = await openOlives();
  // Above 1,000 GBP: a supervisor stage, then compliance.
  await propose(caseId, '1500.00');
  await h.api.advanceClock('PT48H');
  const [escalated] = await currentStages(caseId);
  expect(escalated).toMatchObject({ role: 'supervisor', status: 'pending', escalationLevel: 1 });

  const olive = await h.signIn('olive', ['handler']);
  await openCase(olive, caseId, 'resolution');
  const supervisor = stageRow(olive, 'supervisor');
  await supervisor.getByText('pending', { exact: true }).waitFor();
  await supervisor.getByRole('cell', { name: '1', exact: true }).waitFor();
  await supervisor.locator(`time[datetime="${escalated!.dueAt}"]`).waitFor();
  await stageRow(olive, 'compliance').getByText('waiting', { exact: true }).waitFor();
  expect(await axeProblems(olive)).toEqual([]);

  // Nobody decides at any level: the stage times out and the proposal goes back to its owner.
  await h.api.advanceClock('P7D');
  await h.api.pump();
  const [expired] = await currentStages(caseId);
  expect(expired).toMatchObject({ status: 'timed_out' });
  await reloadCase(olive, caseId);
  await olive.getByTestId('resolution-status').filter({ hasText: exactly('rejected') }).waitFor();
  await supervisor.getByText('timed out', { exact: true }).waitFor();
  await supervisor.locator(`time[datetime="${expired!.decidedAt}"]`).waitFor();
  await supervisor.getByRole('cell', { name: String(expired!.escalationLevel), exact: true }).waitFor();
  await stageRow(olive, 'compliance').getByText('superseded', { exact: true }).waitFor();
  await olive.getByRole('heading', { name: 'Propose the resolution' }).waitFor();
  expect(await axeProblems(olive)).toEqual([]);
});
