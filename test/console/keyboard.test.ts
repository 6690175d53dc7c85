// The keyboard alone works a case: sign in, open the case from the queue, switch tabs, create a task, block it, add a
// note; no mouse event is sent (focus moves with Tab and the arrow keys, actions fire with Enter and Space).
import type { Locator, Page } from 'playwright-core';
import { settle, validComplaint } from '../support/api';
import { startConsoleHarness, type ConsoleHarness } from '../support/console';

jest.setTimeout(120_000);

let h: ConsoleHarness;
beforeAll(async () => {
  h = await startConsoleHarness();
});
afterAll(() => h?.close());

// Runs in the page; typed structurally, as the tests are type-checked without the DOM library.
type PageNode = { ownerDocument: { activeElement: unknown }; contains(other: unknown): boolean };
const focused = (target: Locator) =>
  target.evaluate((el) => {
    const node = el as unknown as PageNode;
    return node === node.ownerDocument.activeElement || node.contains(node.ownerDocument.activeElement);
  });

/** Presses Tab (or Shift+Tab) until the target holds the focus; fails after `max` presses (not reachable by keyboard). */
const tabTo = async (page: Page, target: Locator, { back = false, max = 80 } = {}): Promise<void> => {
  await target.waitFor();
  for (let i = 0; i < max; i++) {
    if (await focused(target)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`not reachable with ${back ? 'Shift+' : ''}Tab in ${max} presses: ${String(target)}`);
};

/** Moves along the tab list with the arrow keys until the named tab is selected (Enter activates the focused tab). */
const arrowToTab = async (page: Page, name: RegExp): Promise<void> => {
  const tablist = page.getByRole('tablist');
  for (let i = 0; i < 24; i++) {
    if ((await page.getByRole('tab', { name, selected: true }).count()) > 0) return;
    // A re-render may take the focus away from the tab list: come back to the selected tab first.
    if (!(await focused(tablist))) await tabTo(page, page.getByRole('tab', { selected: true }), { back: true });
    if (await focused(page.getByRole('tab', { name }))) await page.keyboard.press('Enter');
    else await page.keyboard.press('ArrowRight');
  }
  const active = await page.evaluate<string | null>('document.activeElement ? document.activeElement.outerHTML.slice(0, 300) : null');
  throw new Error(`tab ${String(name)} not reached with the arrow keys; focus on ${active}`);
};

it('signs in, opens the case, creates and blocks a task and adds a note with the keyboard only', async () => {
  const res = await settle(h.api.client(await h.api.token('web-form', ['intake'])).POST('/v1/complaints', { body: validComplaint({ ownerId: 'kim' }) }));
  expect(res.status).toBe(201);
  const reference = res.body.reference as string;
  await h.api.pump();

  const context = await h.browser.newContext({ viewport: { width: 1400, height: 1000 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${h.base}/`);

  // Sign in: the user id, the handler role (already ticked), Enter.
  await tabTo(page, page.getByLabel('User id'));
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('kim');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Work queue' }).waitFor();

  // The queue's link to the case, Enter.
  const link = page.getByRole('table', { name: 'Cases' }).getByRole('link', { name: reference, exact: true });
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  await page.getByTestId('case-reference').waitFor();

  // Tasks: create one (Enter submits the form), then block it.
  await arrowToTab(page, /^Tasks/);
  await tabTo(page, page.getByLabel('Task title'));
  await page.keyboard.type('Ask the carrier for the delivery scans');
  await page.keyboard.press('Tab');
  await page.keyboard.type('logistics');
  await page.keyboard.press('Enter');
  await page.getByRole('row', { name: /Ask the carrier for the delivery scans/ }).waitFor();
  await tabTo(page, page.getByRole('button', { name: 'Block Ask the carrier for the delivery scans' }), { back: true });
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByLabel('Why is it blocked?'));
  await page.keyboard.type('Carrier portal down until Monday');
  await tabTo(page, page.getByRole('button', { name: 'Mark blocked' }));
  await page.keyboard.press('Enter');
  await page.getByText(/^blocked: Carrier portal down until Monday/).waitFor();

  // Notes: a call note.
  await arrowToTab(page, /^Notes/);
  await tabTo(page, page.getByLabel('Note text'));
  await page.keyboard.type('Told the customer we are waiting for the carrier');
  await tabTo(page, page.getByRole('button', { name: 'Add note' }));
  await page.keyboard.press('Enter');
  await page.getByRole('row', { name: /Told the customer we are waiting for the carrier/ }).waitFor();
  await context.close();
});
