// More of the console in chromium, each checked against the API: the approvals inbox decides on the case version the
// approver saw when it loaded (If-Match of that version; a case changed meanwhile answers 412, the inbox says "this
// case changed; reload" and keeps the typed comment), the KPIs by month as a table with a CSV download of the same
// figures, and the work queue's risk filter applied by the API. Each screen passes axe (no serious or critical
// violations).
import { readFile } from 'node:fs/promises';
import type { Page, Request } from 'playwright-core';
import { createComplaint, settle, type CaseView } from '../support/api';
import { times } from '../support/concurrency';
import { resolutionBody } from '../support/route-fixtures';
import { axeProblems, startConsoleHarness, type ConsoleHarness } from '../support/console';

jest.setTimeout(300_000);

type Role = 'intake' | 'handler' | 'supervisor' | 'compliance';
let h: ConsoleHarness;
beforeAll(async () => {
  // The reporting projection runs (on pump) so the monthly KPIs have figures to show.
  h = await startConsoleHarness({ reports: true });
});
afterAll(() => h?.close());

const as = async (sub: string, role: Role) => h.api.client(await h.api.token(sub, [role]));
const open = async (ownerId: string, over: Record<string, unknown> = {}): Promise<CaseView> => createComplaint(h.api, await h.api.token('web-form', ['intake']), { ownerId, ...over });
/** The owner proposes a remedy above the supervisor threshold: the case then waits for a supervisor's decision. */
const proposeAboveThreshold = async (id: string): Promise<void> => {
  const proposed = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/resolution', {
    params: { path: { id } },
    body: resolutionBody('300.00'),
  }));
  expect(proposed.status).toBe(201);
};
const readCase = async (id: string): Promise<CaseView> => (await (await as('sam', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id } } })).data!;
const goTo = async (page: Page, label: string) => page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();
const isDecision = (approvalId: string) => (r: Request) => r.method() === 'POST' && new URL(r.url()).pathname === `/v1/approvals/${approvalId}/decision`;

describe('approvals inbox', () => {
  it('decides on the version seen when the inbox loaded: a case changed meanwhile is 412, "this case changed; reload", the comment kept', async () => {
    const c = await open('olive');
    await proposeAboveThreshold(c.id);
    await h.api.pump();
    const [stage] = (await (await as('sam', 'supervisor')).GET('/v1/complaints/{id}/approvals', { params: { path: { id: c.id } } })).data!.items;
    expect(stage).toMatchObject({ role: 'supervisor', status: 'pending', open: true });

    const sue = await h.signIn('sue', ['supervisor']);
    await goTo(sue, 'Approvals');
    const radio = sue.getByRole('radio', { name: `Stage 1 of case ${c.id}` });
    await radio.waitFor();
    const seen = (await readCase(c.id)).version;

    // While sue looks at her inbox, the owner adds a note: the case is now a version sue has not seen.
    const note = await settle((await as('olive', 'handler')).POST('/v1/complaints/{id}/notes', { params: { path: { id: c.id } }, body: { kind: 'finding', body: 'The carrier admits two of the three failed slots' } }));
    expect(note.status).toBe(201);
    const changed = (await readCase(c.id)).version;
    expect(changed).toBeGreaterThan(seen);

    await radio.click();
    const comment = 'Proportionate to the evidenced loss';
    await sue.getByLabel('Comment').fill(comment);
    const [stale] = await Promise.all([sue.waitForRequest(isDecision(stage!.id)), sue.getByRole('button', { name: 'Approve', exact: true }).click()]);
    expect(stale.headers()['if-match']).toBe(`"${seen}"`);
    expect((await stale.response())!.status()).toBe(412);
    await sue.getByText('This case changed; reload').waitFor();
    expect(await sue.getByLabel('Comment').inputValue()).toBe(comment);
    expect(await axeProblems(sue)).toEqual([]);
    // Nothing was decided.
    const [still] = (await (await as('sam', 'supervisor')).GET('/v1/complaints/{id}/approvals', { params: { path: { id: c.id } } })).data!.items;
    expect(still).toMatchObject({ status: 'pending' });

    // Reload: the inbox reads the case again; the same stage and comment are still there and now go through.
    await sue.getByRole('button', { name: 'Reload case' }).click();
    await sue.getByText('This case changed; reload').waitFor({ state: 'detached' });
    expect(await sue.getByLabel('Comment').inputValue()).toBe(comment);
    const [fresh] = await Promise.all([sue.waitForRequest(isDecision(stage!.id)), sue.getByRole('button', { name: 'Approve', exact: true }).click()]);
    expect(fresh.headers()['if-match']).toBe(`"${changed}"`);
    await sue.getByTestId('approval-result').getByText('Stage 1 (supervisor) approved.').waitFor();
    const [decided] = (await (await as('sam', 'supervisor')).GET('/v1/complaints/{id}/approvals', { params: { path: { id: c.id } } })).data!.items;
    expect(decided).toMatchObject({ status: 'approved', decidedBy: 'sue', comment });
  });

  it('pages the inbox with the API’s cursor: every pending stage is reachable, shown by its case reference', async () => {
    // More stages than a page holds: each proposal above the threshold waits for a supervisor.
    const cases: CaseView[] = await times(21, async () => {
      const c = await open('olive');
      await proposeAboveThreshold(c.id);
      return c;
    });
    await h.api.pump();
    // What the API has for her, every page of it.
    const sueApi = await as('sue', 'supervisor');
    const expected: string[] = [];
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const page = (await sueApi.GET('/v1/approvals', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } })).data!;
      expected.push(...page.items.map((a) => `Stage ${a.stage} of case ${a.caseId}`));
      cursor = page.nextCursor;
    }
    expect(expected.length).toBeGreaterThanOrEqual(cases.length);

    const sue = await h.signIn('sue', ['supervisor']);
    await goTo(sue, 'Approvals');
    const radios = sue.getByRole('radio', { name: /^Stage \d+ of case / });
    await radios.first().waitFor();
    const referenceOf = new Map(cases.map((c) => [c.id, c.reference]));
    const seen: string[] = [];
    for (;;) {
      await sue.getByText('Loading approvals').waitFor({ state: 'detached' });
      const labels = await radios.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      expect(labels.length).toBeGreaterThan(0);
      expect(labels.length).toBeLessThan(expected.length);
      seen.push(...labels);
      // Each of this test's cases on the page links to it by its reference, not its id.
      for (const label of labels) {
        const reference = referenceOf.get(label.slice(label.lastIndexOf(' ') + 1));
        if (reference) expect(await sue.getByRole('link', { name: reference, exact: true }).count()).toBe(1);
      }
      const next = sue.getByRole('button', { name: 'Next page' });
      if (await next.isDisabled()) break;
      await next.click();
      // The next page has answered once this page's first stage is gone (pages never share a stage).
      await sue.getByRole('radio', { name: labels[0]!, exact: true }).waitFor({ state: 'detached' });
    }
    expect([...seen].sort()).toEqual([...expected].sort());
    expect(await axeProblems(sue)).toEqual([]);
  });
});

describe('reports', () => {
  it('KPIs by month: a table of the monthly figures and a CSV download of the same figures the API reports', async () => {
    await open('hal');
    // The projection catches up on the local clock's next tick (no wait on the machine's clock).
    await h.api.advanceClock('PT1M');
    await h.api.pump();
    const cora = await h.signIn('cora', ['compliance']);
    await goTo(cora, 'Deadlines and reports');
    await cora.getByRole('tab', { name: 'KPIs' }).click();
    await cora.getByRole('heading', { name: 'KPIs by month' }).waitFor();
    const table = cora.getByRole('table', { name: 'KPIs by month' });
    await table.locator('tbody tr').nth(5).waitFor();
    expect(await axeProblems(cora)).toEqual([]);

    const [download] = await Promise.all([cora.waitForEvent('download'), cora.getByRole('button', { name: 'Download monthly KPIs as CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('kpis-by-month.csv');
    const lines = (await readFile(await download.path(), 'utf8')).split('\r\n');
    expect(lines.at(-1)).toBe('');
    const [header, ...rows] = lines.slice(0, -1).map((l) => l.split(','));
    expect(header).toEqual(['month', 'from', 'to', 'received', 'responded', 'responded_within_deadline', 'responded_within_deadline_rate', 'closed', 'reopened']);
    expect(rows).toHaveLength(6);

    // Each row is the API's report for that month's range; the table shows the same figures.
    const api = await as('cora', 'compliance');
    for (const [month, from, to, ...figures] of rows) {
      const { data } = await api.GET('/v1/reports/kpis', { params: { query: { from: from!, to: to! } } });
      const t = (data as { totals: { received: number; responded: number; respondedWithinDeadline: { count: number; rate: number | null }; closed: number; reopened: number } }).totals;
      expect({ month, figures }).toEqual({ month, figures: [t.received, t.responded, t.respondedWithinDeadline.count, t.respondedWithinDeadline.rate ?? '', t.closed, t.reopened].map(String) });
      const cells = await table.getByRole('row').filter({ has: cora.getByRole('rowheader', { name: month!, exact: true }) }).getByRole('cell').allInnerTexts();
      expect({ month, cells: [cells[0], cells[1], cells[2], cells[4], cells[5]].map((x) => x?.trim()) }).toEqual({ month, cells: [t.received, t.responded, t.respondedWithinDeadline.count, t.closed, t.reopened].map(String) });
    }
    // This month counts the case opened above.
    expect(Number(rows.at(-1)![3])).toBeGreaterThanOrEqual(1);
  });
});

describe('work queue', () => {
  it('the risk filter: on track, at risk and overdue each list exactly what the API lists with that filter', async () => {
    const owner = 'rhea';
    const now = Date.parse(await h.api.now());
    const onTrack = await open(owner, { customer: { id: 'c-rhea-1', name: 'Rosalind Franklin' } });
    const atRisk = await open(owner, { customer: { id: 'c-rhea-2', name: 'Lise Meitner' } });
    // Received nine weeks ago under UK_FCA_DISP (eight weeks): overdue once its deadline timer fires.
    const overdue = await open(owner, { receivedAt: new Date(now - 63 * 86_400_000).toISOString(), customer: { id: 'c-rhea-3', name: 'Emmy Noether' } });
    // A dependency blocked for more than 24 hours puts a case at risk.
    const rhea = await as(owner, 'handler');
    const task = await settle(rhea.POST('/v1/complaints/{id}/tasks', { params: { path: { id: atRisk.id } }, body: { title: 'Depot logs', team: 'operations' } }));
    expect(task.status).toBe(201);
    const blocked = await settle(rhea.PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id: atRisk.id, taskId: task.body.id as string } }, body: { status: 'blocked', blockedReason: 'Depot system outage' } }));
    expect(blocked.status).toBe(200);
    await h.api.advanceClock('PT25H');
    await h.api.pump();
    expect([(await readCase(onTrack.id)).risk, (await readCase(atRisk.id)).risk, (await readCase(overdue.id)).risk]).toEqual(['on_track', 'at_risk', 'overdue']);

    const sue = await h.signIn('sue', ['supervisor']);
    await sue.getByText('Team', { exact: true }).click();
    await sue.getByLabel('Owner filter').fill(owner);
    const cases = sue.getByRole('table', { name: 'Cases' });
    for (const c of [onTrack, atRisk, overdue]) await cases.getByRole('link', { name: c.reference, exact: true }).waitFor();

    const sam = await as('sam', 'supervisor');
    for (const [label, risk, expected] of [
      ['At risk', 'at_risk', atRisk],
      ['Overdue', 'overdue', overdue],
      ['On track', 'on_track', onTrack],
    ] as const) {
      const listed = (await sam.GET('/v1/complaints', { params: { query: { owner, risk, limit: 100 } } })).data!.items.map((c) => c.reference);
      expect(listed).toEqual([expected.reference]);
      const asked = sue.waitForRequest((r) => {
        const url = new URL(r.url());
        return url.pathname === '/v1/complaints' && url.searchParams.get('risk') === risk && url.searchParams.get('owner') === owner;
      });
      await sue.getByRole('button', { name: /Risk filter/ }).click();
      await sue.getByRole('option', { name: label, exact: true }).click();
      await asked;
      await cases.getByRole('link', { name: expected.reference, exact: true }).waitFor();
      await cases.locator('tbody tr').nth(1).waitFor({ state: 'detached' });
      expect(await cases.locator('tbody tr a').allTextContents()).toEqual(listed);
      await sue.getByRole('row', { name: new RegExp(expected.reference) }).getByText(label, { exact: true }).waitFor();
    }
    expect(await axeProblems(sue)).toEqual([]);
  });
});
