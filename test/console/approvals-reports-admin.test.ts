// The console's approvals inbox, deadlines and reports, and admin screens in chromium: four eyes as the inbox shows it,
// approve and reject (the rejected proposal goes back to its owner), every report tab with projected figures (charts,
// KPI group rows, control-review rows, CSV and JSON downloads, the reports code loaded only when opened), a webhook
// subscription with a real delivery to a receiver on 127.0.0.1, and a real refused inbound email; an axe check of each
// (no serious or critical violations).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { createComplaint, settle, type CaseView } from '../support/api';
import { resolutionBody } from '../support/route-fixtures';
import { axeProblems, exactly, openCase, startConsoleHarness, type ConsoleHarness } from '../support/console';

jest.setTimeout(240_000);

let h: ConsoleHarness;
/** A webhook receiver on an ephemeral 127.0.0.1 port: answers every delivery 200 and counts them. */
let receiver: Server;
let receiverUrl = '';
let received = 0;
beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  // The reporting projection runs (on pump) so the KPIs and the control review have rows to show.
  h = await startConsoleHarness({ reports: true });
});
afterAll(async () => {
  await h?.close();
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

const open = async (ownerId: string): Promise<CaseView> => createComplaint(h.api, await h.api.token('web-form', ['intake']), { ownerId });
/** A resolution above the 1,000 GBP threshold: a supervisor stage, then compliance. */
const propose = async (caseId: string, owner: string) => {
  const client = h.api.client(await h.api.token(owner, ['handler']));
  const res = await settle(client.POST('/v1/complaints/{id}/resolution', {
    params: { path: { id: caseId } },
    body: resolutionBody('1500.00'),
  }));
  if (res.status !== 201) throw new Error(`propose: ${res.status} ${res.text}`);
};

const goTo = async (page: Page, label: string) => page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();

describe('approvals inbox', () => {
  it('lists the stages the supervisor may decide, never their own case; reject needs a comment; approve decides the stage', async () => {
    const olives = await open('olive');
    await propose(olives.id, 'olive');
    // sue's own case with her own proposal: the server leaves it out of her inbox.
    const sues = await open('sue');
    await propose(sues.id, 'sue');

    const sue = await h.signIn('sue', ['handler', 'supervisor']);
    await goTo(sue, 'Approvals');
    const radio = sue.getByRole('radio', { name: `Stage 1 of case ${olives.id}` });
    await radio.waitFor();
    expect(await sue.getByRole('radio', { name: `Stage 1 of case ${sues.id}` }).count()).toBe(0);
    expect(await axeProblems(sue)).toEqual([]);

    await radio.click();
    await sue.getByRole('heading', { name: `Decide stage 1 of case ${olives.id}` }).waitFor();
    expect(await sue.getByRole('button', { name: 'Reject', exact: true }).isDisabled()).toBe(true);
    await sue.getByLabel('Comment').fill('Checked against the carrier logs');
    await sue.getByRole('button', { name: 'Approve', exact: true }).click();
    await sue.getByTestId('approval-result').getByText('Stage 1 (supervisor) approved.').waitFor();
    // The decided stage leaves the inbox (the next stage is compliance's, not sue's).
    await radio.waitFor({ state: 'detached' });
    expect(await axeProblems(sue)).toEqual([]);

    // The API recorded the decision: the next stage now waits in compliance's inbox.
    const compliance = await settle(h.api.client(await h.api.token('cora', ['compliance'])).GET('/v1/approvals', { params: { query: { status: 'pending' } } }));
    expect((compliance.body.items as { caseId: string; stage: number }[]).filter((a) => a.caseId === olives.id).map((a) => a.stage)).toEqual([2]);
  });

  it('reject with a comment: the stage shows rejected, the later stage is superseded, and the proposal goes back to its owner', async () => {
    const olives = await open('olive');
    await propose(olives.id, 'olive');
    const sue = await h.signIn('sue', ['handler', 'supervisor']);
    await goTo(sue, 'Approvals');
    const radio = sue.getByRole('radio', { name: `Stage 1 of case ${olives.id}` });
    await radio.click();
    await sue.getByRole('heading', { name: `Decide stage 1 of case ${olives.id}` }).waitFor();
    await sue.getByLabel('Comment').fill('The carrier logs show two missed deliveries, not three');
    await sue.getByRole('button', { name: 'Reject', exact: true }).click();
    await sue.getByTestId('approval-result').getByText('Stage 1 (supervisor) rejected.').waitFor();
    await radio.waitFor({ state: 'detached' });

    // The owner sees the rejection, sue's comment, the compliance stage superseded, and may propose again.
    const olive = await h.signIn('olive', ['handler']);
    await openCase(olive, olives.id, 'resolution');
    await olive.getByTestId('resolution-status').filter({ hasText: exactly('rejected') }).waitFor();
    const stages = olive.getByRole('table', { name: 'Approval stages' });
    const supervisorRow = stages.getByRole('row', { name: /supervisor/ });
    await supervisorRow.getByText('rejected', { exact: true }).waitFor();
    await supervisorRow.getByText(/^by sue, /).waitFor();
    await supervisorRow.getByRole('cell', { name: 'The carrier logs show two missed deliveries, not three', exact: true }).waitFor();
    await stages.getByRole('row', { name: /compliance/ }).getByText('superseded', { exact: true }).waitFor();
    expect(await stages.getByRole('row', { name: /compliance/ }).getByText('pending', { exact: true }).count()).toBe(0);
    await olive.getByRole('heading', { name: 'Propose the resolution' }).waitFor();
    expect(await axeProblems(olive)).toEqual([]);

    const read = await settle(h.api.client(await h.api.token('olive', ['handler'])).GET('/v1/complaints/{id}', { params: { path: { id: olives.id } } }));
    expect(read.body).toMatchObject({ status: 'open', resolution: { status: 'rejected' } });
    const stillPending = await settle(h.api.client(await h.api.token('cora', ['compliance'])).GET('/v1/approvals', { params: { query: { status: 'pending' } } }));
    expect((stillPending.body.items as { caseId: string }[]).filter((a) => a.caseId === olives.id)).toEqual([]);
  });
});

describe('deadlines and reports', () => {
  it('loads its code only when opened; board, KPIs (charts, CSV), control score items, control review, regulator return preview and downloads', async () => {
    const hals = await open('hal');
    // The projection catches up on the local clock's next tick (no wait on the machine's clock).
    await h.api.advanceClock('PT1M');
    await h.api.pump();
    const cora = await h.signIn('cora', ['compliance']);
    const scripts: string[] = [];
    cora.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    expect(scripts.filter((s) => s.includes('/ReportsPage-'))).toEqual([]);
    await goTo(cora, 'Deadlines and reports');
    await cora.getByRole('heading', { name: 'Deadline board' }).waitFor();
    expect(scripts.filter((s) => s.includes('/ReportsPage-'))).toHaveLength(1);
    await cora.getByRole('cell', { name: 'hal', exact: true }).first().waitFor();
    expect(await axeProblems(cora)).toEqual([]);

    await cora.getByRole('tab', { name: 'KPIs' }).click();
    await cora.getByRole('heading', { name: 'KPIs by month' }).waitFor();
    await cora.getByRole('heading', { name: 'KPIs by group' }).waitFor();
    await cora.getByRole('columnheader', { name: 'regime' }).waitFor();
    // A group row: the cases of this run (all UK_FCA_DISP) counted as received.
    const group = cora.getByRole('row').filter({ has: cora.getByRole('cell', { name: 'UK_FCA_DISP', exact: true }) });
    await group.waitFor();
    const groupCells = await group.getByRole('cell').allInnerTexts();
    expect(Number(groupCells[1])).toBeGreaterThanOrEqual(1);
    const [kpiCsv] = await Promise.all([cora.waitForEvent('download'), cora.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(kpiCsv.suggestedFilename()).toBe('kpis-by-regime.csv');
    expect(await axeProblems(cora)).toEqual([]);

    await cora.getByRole('tab', { name: 'Control score' }).click();
    await cora.getByRole('heading', { name: /^Control score \d+ \/ 12/ }).waitFor();
    for (const item of ['ownership', 'deadlineControl', 'evidenceRecord', 'escalationPath', 'approvals', 'reporting']) await cora.getByRole('cell', { name: item, exact: true }).waitFor();
    expect(await axeProblems(cora)).toEqual([]);

    await cora.getByRole('tab', { name: 'Control review' }).click();
    await cora.getByRole('heading', { name: 'Control review of the last 20 cases' }).waitFor();
    await cora.getByText('With a missed deadline').waitFor();
    // hal's case has its review row: open, no missed deadline, no approval needed.
    const row = cora.getByRole('row').filter({ has: cora.getByRole('cell', { name: hals.reference, exact: true }) });
    await row.waitFor();
    expect((await row.getByRole('cell').allInnerTexts()).slice(1, 3)).toEqual(['open', '0']);
    const [reviewCsv] = await Promise.all([cora.waitForEvent('download'), cora.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(reviewCsv.suggestedFilename()).toBe('control-review.csv');
    expect(await axeProblems(cora)).toEqual([]);

    await cora.getByRole('tab', { name: 'Regulator return' }).click();
    await cora.getByLabel('Period').fill('2026-H1');
    await cora.getByRole('button', { name: 'Preview', exact: true }).click();
    await cora.getByRole('heading', { name: 'Return preview' }).waitFor();
    const [json] = await Promise.all([cora.waitForEvent('download'), cora.getByRole('button', { name: 'Download JSON' }).click()]);
    expect(json.suggestedFilename()).toBe('return-UK_FCA_DISP-2026-H1.json');
    expect(await axeProblems(cora)).toEqual([]);
  });

  it('a handler is not offered the reports, and the API refuses them a 403 anyway', async () => {
    const hal = await h.signIn('hal', ['handler']);
    expect(await hal.getByRole('navigation').getByRole('link', { name: 'Deadlines and reports', exact: true }).count()).toBe(0);
    const res = await settle(h.api.client(await h.api.token('hal', ['handler'])).GET('/v1/reports/deadlines'));
    expect(res.status).toBe(403);
  });
});

describe('admin', () => {
  it('webhook subscriptions with their deliveries, and the day’s intake rejections', async () => {
    const hookUrl = `${receiverUrl}/hook`;
    const created = await settle(h.api.client(await h.api.token('ada', ['admin'])).POST('/v1/webhooks', { body: { url: hookUrl, eventTypes: ['ComplaintOpened'] } }));
    expect(created.status).toBe(201);
    const opened = await open('olive');
    await h.api.pump();
    expect(received).toBe(1);
    // A real refusal: the local inbound-email route (the SES receipt locally) given a message that is no email. Raw: the
    // route is local-only, outside the contract the typed client is generated from.
    const refused = await h.api.raw('POST', '/local/inbound-email', { rawBody: Buffer.from('this is not an email at all'), headers: { 'content-type': 'message/rfc822' } });
    expect(refused.status).toBe(422);
    expect(refused.body.rejection).toMatchObject({ reason: 'malformed' });

    const ada = await h.signIn('ada', ['admin']);
    await goTo(ada, 'Admin');
    const radio = ada.getByRole('radio', { name: `Subscription ${hookUrl}` });
    await radio.waitFor();
    expect(await axeProblems(ada)).toEqual([]);
    await radio.click();
    await ada.getByRole('heading', { name: 'Deliveries' }).waitFor();
    const delivery = ada.getByRole('row').filter({ has: ada.getByRole('cell', { name: opened.id, exact: true }) });
    await delivery.waitFor();
    const deliveryCells = await delivery.getByRole('cell').allInnerTexts();
    expect(deliveryCells.slice(0, 3).map((t) => t.trim())).toEqual(['ComplaintOpened', opened.id, 'delivered']);
    expect(deliveryCells[3]).toMatch(/^#1 200 \d+ ms$/);
    expect(await axeProblems(ada)).toEqual([]);

    await ada.getByRole('tab', { name: 'Intake rejections' }).click();
    const rejection = ada.getByRole('row').filter({ has: ada.getByRole('cell', { name: 'malformed', exact: true }) });
    await rejection.waitFor();
    expect(await rejection.getByRole('cell').nth(4).innerText()).toBe(refused.body.rejection.detail);
    expect(await axeProblems(ada)).toEqual([]);
  });
});
