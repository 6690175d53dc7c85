// The console's screens in chromium: the work queue (views, filters applied by the API, cursor pages, due-date order), the case page
// (header, checkpoints, handoffs, tabs), a stale write (412 keeps what was typed), what each role is offered, a 403
// shown plainly, and an axe check of every screen (no serious or critical violations).
import type { Page } from 'playwright-core';
import { createComplaint, settle, type CaseView } from '../support/api';
import { times } from '../support/concurrency';
import { axeProblems, exactly, openCase, openTab, reloadCase, signInOn, startConsoleHarness, type ConsoleHarness } from '../support/console';

jest.setTimeout(300_000);

let h: ConsoleHarness;
beforeAll(async () => {
  h = await startConsoleHarness();
});
afterAll(() => h?.close());

const open = async (sub: string, over: Record<string, unknown> = {}): Promise<CaseView> => createComplaint(h.api, await h.api.token('web-form', ['intake']), { ownerId: sub, ...over });
const tokenOf = (sub: string, ...roles: ('handler' | 'supervisor' | 'compliance')[]) => h.api.token(sub, roles);
/** olive (the case's owner) opens a dependency on the case and marks it blocked; fails the test unless both succeed. */
const blockDependency = async (id: string): Promise<void> => {
  const olive = h.api.client(await tokenOf('olive', 'handler'));
  const task = await settle(olive.POST('/v1/complaints/{id}/tasks', { params: { path: { id } }, body: { title: 'Depot logs', team: 'operations' } }));
  if (task.status !== 201) throw new Error(`create task: ${task.status} ${task.text}`);
  const blocked = await settle(olive.PATCH('/v1/complaints/{id}/tasks/{taskId}', { params: { path: { id, taskId: task.body.id as string } }, body: { status: 'blocked', blockedReason: 'Depot system outage' } }));
  if (blocked.status !== 200) throw new Error(`block task: ${blocked.status} ${blocked.text}`);
};
const clockNow = async () => Date.parse(await h.api.now());

/** Serious and critical axe violations of what the page shows now, as "rule: target" lines (empty = none). */

const referencesOn = async (page: Page): Promise<string[]> => page.getByRole('table', { name: 'Cases' }).locator('tbody tr a').allTextContents();

describe('work queue', () => {
  it('my cases, the team by owner with cursor pages in due-date order, and at risk / overdue', async () => {
    const now = await clockNow();
    // 26 of hal's cases received an hour apart (so their deadlines differ), and one of olive's.
    const [hals, olives] = await Promise.all([
      times(26, (i) => open('hal', { receivedAt: new Date(now - (i + 1) * 3_600_000).toISOString(), customer: { id: `c-${i}`, name: `Customer ${i}` } })),
      open('olive', { customer: { id: 'c-olive', name: 'Grace Hopper' } }),
    ]);
    // One of olive's goes at risk: a dependency blocked for more than 24 hours.
    await blockDependency(olives.id);
    await h.api.advanceClock('PT25H');

    const sue = await h.signIn('sue', ['supervisor']);
    await sue.getByRole('heading', { name: 'Work queue' }).waitFor();
    // My cases: sue owns none.
    await sue.getByText('No cases in this view.').waitFor();

    // Team, filtered to hal: 25 on the first page, sorted by due date as the API sorts them, then the last one.
    await sue.getByText('Team', { exact: true }).click();
    await sue.getByLabel('Owner filter').fill('hal');
    const apiOrder = (await h.api.client(await tokenOf('sue', 'supervisor')).GET('/v1/complaints', { params: { query: { owner: 'hal', limit: 25 } } })).data!.items.map((c) => c.reference);
    await sue.getByRole('table', { name: 'Cases' }).getByRole('link', { name: apiOrder[24]!, exact: true }).waitFor();
    expect(await referencesOn(sue)).toEqual(apiOrder);
    const dues = apiOrder.map((ref) => hals.find((c) => c.reference === ref)!.finalResponseDueAt);
    expect([...dues].sort()).toEqual(dues);
    await sue.getByRole('button', { name: 'Next page' }).click();
    const last = hals.map((c) => c.reference).find((ref) => !apiOrder.includes(ref))!;
    await sue.getByRole('link', { name: last, exact: true }).waitFor();
    expect(await referencesOn(sue)).toEqual([last]);
    await sue.getByRole('button', { name: 'Previous page' }).click();
    await sue.getByRole('link', { name: apiOrder[0]!, exact: true }).waitFor();

    // Regime filter, applied by the API: one more of hal's cases runs under the Irish CPC (40 business days), due after
    // his 26 DISP cases, so it is not on his first page of 25. Filtered, page 1 shows it: a filter of the page shown
    // would show nothing there. The request carries the regime, and the choices are GET /v1/regimes.
    const irish = await open('hal', { regime: 'IE_CBI_CPC', allegedLoss: { amount: '180.00', currency: 'EUR' }, customer: { id: 'c-ie', name: 'Mary Ryan' } });
    const halsFirstPage = (await h.api.client(await tokenOf('sue', 'supervisor')).GET('/v1/complaints', { params: { query: { owner: 'hal', limit: 25 } } })).data!.items;
    expect(halsFirstPage.map((c) => c.reference)).not.toContain(irish.reference);
    await sue.getByRole('button', { name: /Regime filter/ }).click();
    const listed = (await h.api.client(await tokenOf('sue', 'supervisor')).GET('/v1/regimes', { params: { query: { limit: 100 } } })).data!.items;
    expect(await sue.getByRole('option').count()).toBe(listed.length + 1);
    for (const r of listed) await sue.getByRole('option', { name: new RegExp(`^${r.id} `) }).waitFor();
    const filtered = sue.waitForRequest((r) => {
      const url = new URL(r.url());
      return url.pathname === '/v1/complaints' && url.searchParams.get('regime') === 'IE_CBI_CPC' && url.searchParams.get('owner') === 'hal';
    });
    await sue.getByRole('option', { name: /^IE_CBI_CPC/ }).click();
    await filtered;
    await sue.getByRole('table', { name: 'Cases' }).getByRole('link', { name: irish.reference, exact: true }).waitFor();
    expect(await referencesOn(sue)).toEqual([irish.reference]);
    await sue.getByRole('row', { name: new RegExp(irish.reference) }).getByText('IE_CBI_CPC').waitFor();
    // Back to every regime: hal's first page is his DISP cases again.
    await sue.getByRole('button', { name: /Regime filter/ }).click();
    await sue.getByRole('option', { name: 'Any', exact: true }).click();
    await sue.getByRole('link', { name: apiOrder[0]!, exact: true }).waitFor();
    expect(await referencesOn(sue)).toEqual(apiOrder);

    // Status filter: nothing of hal's is closed.
    await sue.getByRole('button', { name: /Status filter/ }).click();
    await sue.getByRole('option', { name: 'closed' }).click();
    await sue.getByText('No cases in this view.').waitFor();

    // At risk / overdue (filters cleared): olive's blocked case, with its risk badge and time remaining; none of hal's.
    await sue.getByRole('button', { name: /Status filter/ }).click();
    await sue.getByRole('option', { name: 'Any' }).click();
    await sue.getByLabel('Owner filter').fill('');
    await sue.getByText('At risk / overdue', { exact: true }).click();
    const row = sue.getByRole('row', { name: new RegExp(olives.reference) });
    await row.getByText('At risk').waitFor();
    await row.getByText(/ left$/).waitFor();
    await row.getByText('Grace Hopper').waitFor();
    expect(await referencesOn(sue)).toEqual([olives.reference]);

    // olive's own view lists her case; the reference opens the case page.
    const olive = await h.signIn('olive', ['handler']);
    await olive.getByRole('link', { name: olives.reference, exact: true }).click();
    await olive.getByTestId('case-reference').filter({ hasText: exactly(olives.reference) }).waitFor();
    expect(await axeProblems(olive)).toEqual([]);
    await olive.getByRole('navigation').getByRole('link', { name: 'Work queue' }).click();
    await olive.getByRole('table', { name: 'Cases' }).getByRole('link', { name: olives.reference }).waitFor();
    expect(await axeProblems(olive)).toEqual([]);
  });
});

describe('case page', () => {
  it('header with owner, handoffs, regime and checkpoints; notes; letters; triage; each tab passes axe', async () => {
    const c = await open('hal', { summary: 'Card payment taken twice', category: 'billing' });
    await h.api.pump();
    const moved = await settle(h.api.client(await tokenOf('sue', 'supervisor')).POST('/v1/complaints/{id}/owner', { params: { path: { id: c.id } }, body: { ownerId: 'olive', reason: 'olive knows this customer' } }));
    expect(moved.status).toBe(200);
    const olive = await h.signIn('olive', ['handler']);
    await openCase(olive, c.id);
    await olive.getByTestId('case-owner').filter({ hasText: exactly('olive') }).waitFor();
    await olive.getByText('UK_FCA_DISP', { exact: true }).waitFor();
    await olive.getByText(/^Handoffs \(\d+\)$/).click();
    await olive.getByRole('list', { name: 'Handoff history' }).getByText(/hal → olive by sue \(olive knows this customer\)/).waitFor();
    for (const percent of [50, 75, 90, 100]) await olive.getByTestId(`checkpoint-${percent}`).waitFor();
    await olive.getByRole('list', { name: 'Checkpoints' }).waitFor();
    expect(await axeProblems(olive)).toEqual([]);

    // Notes: add one; it is listed with its kind and author.
    await openTab(olive, 'Notes');
    await olive.getByLabel('Note text').fill('Customer called: the second payment is still pending on the statement');
    await olive.getByRole('button', { name: 'Add note' }).click();
    await olive.getByRole('row', { name: /second payment is still pending/ }).getByText('olive').waitFor();
    expect(await axeProblems(olive)).toEqual([]);

    // Letters: the acknowledgement preview of the case's regime.
    await openTab(olive, 'Letters');
    await olive.getByTestId('letter-text').waitFor();
    expect(await olive.getByTestId('letter-text').textContent()).toContain('Ada Lovelace'.split(' ')[0]);
    expect(await axeProblems(olive)).toEqual([]);

    for (const tab of ['Tasks', 'Evidence', 'Timeline', 'Escalations', 'Resolution', 'Overview']) {
      await openTab(olive, tab);
      await olive.getByRole('tab', { name: new RegExp(`^${tab}`), selected: true }).waitFor();
      expect({ tab, problems: await axeProblems(olive) }).toEqual({ tab, problems: [] });
    }

    // Time passes beyond half the clock: the 50 % checkpoint is marked fired.
    await h.api.advanceClock('P30D');
    await reloadCase(olive, c.id);
    await olive.locator('[data-testid="checkpoint-50"][data-fired="true"]').waitFor();
    await olive.getByTestId('checkpoint-50').getByText(/fired/).waitFor();
  });

  it('a stale write shows "this case changed; reload", keeps the typed text, and goes through after the reload', async () => {
    const c = await open('olive');
    const olive = await h.signIn('olive', ['handler']);
    await openCase(olive, c.id, 'notes');
    await olive.getByLabel('Note text').fill('Typed before someone else changed the case');
    // Meanwhile a supervisor changes the case.
    const changed = await settle(h.api.client(await tokenOf('sue', 'supervisor')).POST('/v1/complaints/{id}/tasks', { params: { path: { id: c.id } }, body: { title: 'Check the payment processor log', team: 'payments' } }));
    expect(changed.status).toBe(201);
    await olive.getByRole('button', { name: 'Add note' }).click();
    await olive.getByText('This case changed; reload').waitFor();
    expect(await olive.getByLabel('Note text').inputValue()).toBe('Typed before someone else changed the case');
    await olive.getByRole('alert').getByRole('button', { name: 'Reload case' }).or(olive.getByRole('button', { name: 'Reload case' }).nth(1)).first().click();
    await olive.getByText('Tasks (1 open)').waitFor();
    expect(await olive.getByLabel('Note text').inputValue()).toBe('Typed before someone else changed the case');
    await olive.getByRole('button', { name: 'Add note' }).click();
    await olive.getByRole('row', { name: /Typed before someone else changed the case/ }).waitFor();
  });

  it('offers each role only what it may do, and shows a refusal by the server plainly (403)', async () => {
    const c = await open('olive');
    // A handler who does not own the case: no task, evidence, resolution or export actions.
    const hal = await h.signIn('hal', ['handler']);
    await openCase(hal, c.id, 'tasks');
    await hal.getByRole('heading', { name: 'Tasks', exact: true }).waitFor();
    expect(await hal.getByRole('button', { name: 'Create task' }).count()).toBe(0);
    await openTab(hal, 'Resolution');
    await hal.getByText('No resolution proposed yet.').waitFor();
    expect(await hal.getByRole('button', { name: 'Propose resolution' }).count()).toBe(0);
    expect(await hal.getByRole('tab', { name: 'Export' }).getAttribute('aria-disabled')).toBe('true');

    // A blocked dependency escalates at level 1 (supervisors). Compliance manages escalations from level 3, so the
    // console offers it the acknowledgement, and the server, which knows the level, refuses: the 403 is shown plainly.
    await blockDependency(c.id);
    await h.api.advanceClock('PT25H');
    const cora = await h.signIn('cora', ['compliance']);
    await openCase(cora, c.id, 'escalations');
    await cora.getByLabel('Acknowledgement note for blocked dependency').fill('Looking into it');
    await cora.getByRole('button', { name: 'Acknowledge escalation: blocked dependency' }).click();
    await cora.getByText('Not allowed (403)').waitFor();
    await cora.getByTestId('error-message').filter({ hasText: /^Not allowed: / }).waitFor();
    expect(await cora.getByLabel('Acknowledgement note for blocked dependency').inputValue()).toBe('Looking into it');
    await openTab(cora, 'Tasks');
    await cora.getByRole('heading', { name: 'Tasks', exact: true }).waitFor();
    expect(await cora.getByRole('button', { name: 'Create task' }).count()).toBe(0);
    await openTab(cora, 'Export');
    await cora.getByRole('button', { name: 'Request export' }).waitFor();
  });

  it('the sign-in page passes axe and signs in with the picked roles', async () => {
    const context = await h.browser.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(`${h.base}/`);
    await page.getByLabel('User id').waitFor();
    expect(await axeProblems(page)).toEqual([]);
    await signInOn(page, h.base, 'lee', ['legal', 'compliance']);
    await page.getByRole('button', { name: /lee/ }).waitFor();
    await context.close();
  });
});
