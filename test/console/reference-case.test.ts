// The seed's reference case worked in the staff console by three signed-in users (handler olive, supervisor sue,
// compliance cora): intake → blocked task → escalation → resolution above the threshold → the owner cannot approve →
// the supervisor approves → final response → close → export → download. Intake goes through the API (the console has
// no intake screen); everything after it is clicked in chromium.
import { settle, validComplaint } from '../support/api';
import { exactly, openCase, openTab, reloadCase, startConsoleHarness, type ConsoleHarness } from '../support/console';

jest.setTimeout(300_000);

let h: ConsoleHarness;
beforeAll(async () => {
  h = await startConsoleHarness();
});
afterAll(() => h?.close());

it('the reference case, from the queue to a downloaded export bundle, in the browser', async () => {
  const { api } = h;
  const created = await settle(api.client(await api.token('web-form', ['intake'])).POST('/v1/complaints', {
    body: validComplaint({
      ownerId: 'olive',
      summary: 'Third delayed delivery this month; missed a service appointment',
      description: 'The delivery was late for the third time this month. The customer missed a paid service appointment waiting for it, claims the cost as a loss, and asks for a formal review and compensation.',
      allegedLoss: { amount: '180.00', currency: 'GBP' },
    }),
  }));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const reference = created.body.reference as string;
  await api.pump();

  // The owner finds it in "My cases" and opens it.
  const olive = await h.signIn('olive', ['handler']);
  await olive.getByRole('link', { name: reference }).click();
  await olive.getByTestId('case-reference').filter({ hasText: exactly(reference) }).waitFor();
  await olive.getByRole('button', { name: 'Record acknowledgement sent' }).click();
  await olive.getByText(/^Acknowledged /).waitFor();

  // Investigation tasks to operations.
  await openTab(olive, 'Tasks');
  for (const title of ['Pull the depot delivery logs for the three delays', 'Confirm the carrier capacity report']) {
    await olive.getByLabel('Task title').fill(title);
    await olive.getByLabel('Task team').fill('operations');
    await olive.getByRole('button', { name: 'Create task' }).click();
    await olive.getByRole('row', { name: new RegExp(title) }).waitFor();
  }

  // The customer's invoice: hashed in the browser, PUT to the presigned URL, verified by storage's event.
  await openTab(olive, 'Evidence');
  await olive.locator('#evidence-file').setInputFiles({ name: 'appointment-invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7 service appointment invoice: 180.00 GBP') });
  await olive.getByRole('button', { name: 'Upload', exact: true }).click();
  await olive.getByText(/^Uploaded appointment-invoice\.pdf/).waitFor();
  await api.s3Idle();
  await olive.getByRole('row', { name: /appointment-invoice\.pdf/ }).getByText('verified').waitFor();
  // Verification changed the case (evidence counts, version): read it again before the next change.
  await reloadCase(olive, id);

  // Operations blocks its task; 25 hours later the dependency escalates.
  await openTab(olive, 'Tasks');
  await olive.getByRole('button', { name: 'Block Pull the depot delivery logs for the three delays' }).click();
  await olive.getByLabel('Why is it blocked?').fill('Depot system outage: logs unavailable');
  await olive.getByRole('button', { name: 'Mark blocked' }).click();
  await olive.getByText('blocked: Depot system outage: logs unavailable').waitFor();
  await api.advanceClock('PT25H');

  // The supervisor sees the escalation and takes it; the owner is offered no acknowledgement (escalation managers only).
  const sue = await h.signIn('sue', ['supervisor']);
  await openCase(sue, id, 'escalations');
  await sue.getByText('blocked dependency').waitFor();
  await sue.getByLabel('Acknowledgement note for blocked dependency').fill('Chasing the depot manager for the logs today');
  await sue.getByRole('button', { name: 'Acknowledge escalation: blocked dependency' }).click();
  await sue.getByRole('row', { name: /blocked dependency/ }).getByText('acknowledged').waitFor();
  await api.pump();
  await openTab(olive, 'Escalations');
  await reloadCase(olive, id);
  await olive.getByRole('row', { name: /blocked dependency/ }).getByText('acknowledged').waitFor();
  expect(await olive.getByRole('button', { name: /^Acknowledge escalation/ }).count()).toBe(0);

  // Operations reports back: both tasks done.
  await openTab(olive, 'Tasks');
  for (const [title, findings] of [
    ['Pull the depot delivery logs for the three delays', 'Three failed slots: the regional carrier was over capacity and no re-routing rule existed'],
    ['Confirm the carrier capacity report', 'Carrier confirmed capacity shortfall for the region this month'],
  ] as const) {
    await olive.getByRole('button', { name: `Complete ${title}` }).click();
    await olive.getByLabel('Findings').fill(findings);
    await olive.getByRole('button', { name: 'Mark done' }).click();
    await olive.getByRole('row', { name: new RegExp(title) }).getByText(findings).waitFor();
  }

  // The owner proposes compensation above the supervisor threshold.
  await openTab(olive, 'Resolution');
  await olive.getByLabel('Compensation amount').fill('300.00');
  await olive.getByLabel('Remedy description').fill('The missed appointment (180.00) and a goodwill payment for three delays');
  await olive.getByLabel('Root cause category').fill('carrier_capacity');
  await olive.getByLabel('Root cause description').fill('Regional carrier over capacity; no re-routing rule');
  await olive.getByLabel('Final response to the customer').fill('We uphold your complaint. We will pay you £300.00 within 5 working days and have added a re-routing rule.');
  await olive.getByRole('button', { name: 'Propose resolution' }).click();
  await olive.getByTestId('resolution-status').filter({ hasText: exactly('pending') }).waitFor();
  await olive.getByRole('row', { name: /supervisor/ }).getByText('pending').waitFor();
  await api.pump();

  // Four eyes: the owner, even with the supervisor role, is offered no decision on their own case.
  const oliveLead = await h.signIn('olive', ['handler', 'supervisor']);
  await openCase(oliveLead, id, 'resolution');
  await oliveLead.getByText(/someone other than you decides each stage/).waitFor();
  expect(await oliveLead.getByRole('button', { name: 'Approve' }).count()).toBe(0);

  // The supervisor approves.
  await openCase(sue, id, 'resolution');
  await sue.getByLabel('Approval comment').fill('Proportionate to the evidenced loss');
  await sue.getByRole('button', { name: 'Approve' }).click();
  const approvedRow = sue.getByRole('table', { name: 'Approval stages' }).getByRole('row', { name: /supervisor/ });
  await approvedRow.getByText('approved', { exact: true }).waitFor();
  await approvedRow.getByText(/^by sue, /).waitFor();
  await approvedRow.getByRole('cell', { name: 'Proportionate to the evidenced loss', exact: true }).waitFor();
  await api.pump();

  // The final response goes out; the case closes with its follow-up action.
  await reloadCase(olive, id);
  await olive.getByRole('button', { name: 'Send final response' }).click();
  await olive.getByRole('button', { name: 'Close case' }).waitFor();
  await olive.getByLabel('Follow-up action').fill('Add a re-routing rule for over-capacity regions; review carrier capacity monthly');
  await olive.getByRole('button', { name: 'Close case' }).click();
  await olive.getByText(/^Closed /).waitFor();

  // Compliance: the chain verifies, the export is requested, built, and downloaded.
  const cora = await h.signIn('cora', ['compliance']);
  await openCase(cora, id, 'timeline');
  await cora.getByTestId('chain-verdict').filter({ hasText: exactly('verified') }).waitFor();
  await cora.getByRole('rowheader', { name: 'complaint.closed', exact: true }).waitFor();
  await openTab(cora, 'Export');
  await cora.getByRole('button', { name: 'Request export' }).click();
  await cora.getByTestId('export-status').waitFor();
  await api.pump();
  await cora.getByRole('button', { name: 'Refresh status' }).click();
  await cora.getByTestId('export-status').filter({ hasText: exactly('ready') }).waitFor();
  const href = await cora.getByRole('link', { name: 'Download bundle' }).getAttribute('href');
  const zip = await cora.request.get(href!);
  expect(zip.status()).toBe(200);
  expect((await zip.body()).subarray(0, 2).toString('latin1')).toBe('PK');

  const final = (await settle(api.client(await api.token('cora', ['compliance'])).GET('/v1/complaints/{id}', { params: { path: { id } } }))).body;
  expect(final).toMatchObject({ status: 'closed', rootCause: { category: 'carrier_capacity' } });
});
