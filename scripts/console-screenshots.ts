// `npm run console:screenshots`: a PNG of each console screen in docs/console/, taken in chromium from a local stack
// (its own DynamoDB Local and S3 under a temporary directory) seeded with the reference case worked part of the way.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../infra/local/console';
import { startStack } from '../infra/local/stack';
import { chromiumPath, openCase, signInOn } from '../test/support/chromium';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'docs', 'console');
const say = (line: string) => process.stdout.write(`${line}\n`);
type Role = 'intake' | 'handler' | 'supervisor' | 'compliance' | 'legal' | 'admin';

const main = async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  mkdirSync(OUT, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'console-screenshots-'));
  say('▸ building the console and starting a local stack …');
  const [stack] = await Promise.all([startStack({ dataDir, port: 0, tickMs: 0, console: { config: { mode: 'local' } } }), ensureConsoleBuilt(say)]);
  const url = stack.api.url;
  const token = async (sub: string, ...groups: Role[]) => (await stack.issuer.issue({ sub, groups })).token;
  const call = async (method: string, path: string, sub: string, roles: Role[], body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${await token(sub, ...roles)}`, 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  };
  const settle = () => stack.timers.pump();
  const advance = async (by: string) => {
    const res = await fetch(`${url}/local/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceBy: by }) });
    if (!res.ok) throw new Error(`clock: ${res.status}`);
  };
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  // A webhook receiver on 127.0.0.1, so the admin screen shows a subscription with real deliveries.
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/complaints-hook`;
  try {
    say('▸ seeding cases …');
    await call('POST', '/v1/webhooks', 'ada', ['admin'], { url: hookUrl, eventTypes: ['ComplaintOpened', 'ComplaintClosed'] });
    const complaint = (over: Record<string, unknown>) => ({
      customer: { id: `cust-${String(over.ownerId)}-${String(over.summary).length}`, name: 'Ada Lovelace', email: 'ada@example.com' },
      channel: 'web',
      summary: 'Third delayed delivery this month; missed a service appointment',
      description: 'The delivery was late for the third time this month. The customer missed a paid service appointment waiting for it, claims the cost as a loss, and asks for a formal review and compensation.',
      product: 'home-delivery',
      category: 'service_delay',
      regime: 'UK_FCA_DISP',
      allegedLoss: { amount: '180.00', currency: 'GBP' },
      ...over,
    });
    const others = [
      { ownerId: 'hal', summary: 'Card payment taken twice', category: 'billing', customer: { id: 'cust-2', name: 'Grace Hopper' }, product: 'cards' },
      { ownerId: 'hal', summary: 'Agent was rude on the phone', category: 'agent_interaction', customer: { id: 'cust-3', name: 'Alan Turing' }, product: 'support' },
      { ownerId: 'olive', summary: 'Policy renewal letter never arrived', category: 'policy', customer: { id: 'cust-4', name: 'Katherine Johnson' }, product: 'home-insurance' },
      { ownerId: 'kim', summary: 'App shows the wrong balance', category: 'product_issue', customer: { id: 'cust-5', name: 'Hedy Lamarr' }, product: 'mobile-app', regime: 'IE_CBI_CPC' },
    ];
    for (const o of others) await call('POST', '/v1/complaints', 'web-form', ['intake'], complaint(o));
    const c = await call('POST', '/v1/complaints', 'web-form', ['intake'], complaint({ ownerId: 'olive' }));
    const id = c.id as string;
    await settle();
    const olive = ['handler'] as Role[];
    await call('POST', `/v1/complaints/${id}/acknowledgement`, 'olive', olive, { channel: 'email' });
    const depot = await call('POST', `/v1/complaints/${id}/tasks`, 'olive', olive, { title: 'Pull the depot delivery logs for the three delays', team: 'operations' });
    await call('POST', `/v1/complaints/${id}/tasks`, 'olive', olive, { title: 'Confirm the carrier capacity report', team: 'operations' });
    await call('POST', `/v1/complaints/${id}/notes`, 'olive', olive, { kind: 'call_note', body: 'Customer called: the appointment invoice is attached; wants the cost back and an apology.' });
    const invoice = Buffer.from('%PDF-1.7 service appointment invoice: 180.00 GBP');
    const reg = await call('POST', `/v1/complaints/${id}/evidence`, 'olive', olive, { fileName: 'appointment-invoice.pdf', contentType: 'application/pdf', sizeBytes: invoice.length, sha256: createHash('sha256').update(invoice).digest('hex') });
    const upload = reg.upload as { url: string; headers: Record<string, string> };
    await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: invoice });
    await stack.s3.idle();
    await call('PATCH', `/v1/complaints/${id}/tasks/${depot.id as string}`, 'olive', olive, { status: 'blocked', blockedReason: 'Depot system outage: logs unavailable' });
    await advance('PT25H');
    await settle();

    const shoot = async (page: Page, name: string) => {
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
      say(`  ✓ docs/console/${name}.png`);
    };
    const signedIn = async (sub: string, roles: Role[]) => {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await signInOn(page, `${url}/console`, sub, roles);
      return page;
    };
    const goTo = (page: Page, label: string) => page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();
    const tab = async (page: Page, label: string) => {
      await page.getByRole('tab', { name: new RegExp(`^${label}`) }).click();
      await page.getByRole('tab', { name: new RegExp(`^${label}`), selected: true }).waitFor();
    };

    say('▸ screens …');
    const signin = await browser.newPage({ viewport: { width: 1400, height: 700 } });
    await signin.goto(`${url}/console/`);
    await signin.getByLabel('User id').waitFor();
    await shoot(signin, 'sign-in');

    const sue = await signedIn('sue', ['supervisor']);
    await sue.getByText('Team', { exact: true }).click();
    await sue.getByRole('table', { name: 'Cases' }).getByRole('link').nth(4).waitFor();
    await shoot(sue, 'queue-team');
    await sue.getByText('At risk / overdue', { exact: true }).click();
    await sue.getByText('At risk', { exact: true }).first().waitFor();
    await shoot(sue, 'queue-at-risk');

    const o = await signedIn('olive', ['handler']);
    await o.getByRole('link', { name: c.reference as string }).click();
    await o.getByTestId('case-reference').waitFor();
    await shoot(o, 'case-overview');
    await tab(o, 'Tasks');
    await o.getByText(/^blocked: Depot/).waitFor();
    await shoot(o, 'case-tasks');
    await tab(o, 'Notes');
    await o.getByText(/appointment invoice is attached/).waitFor();
    await shoot(o, 'case-notes');
    await tab(o, 'Evidence');
    await o.getByText('verified', { exact: true }).first().waitFor();
    await shoot(o, 'case-evidence');

    await sue.getByRole('link', { name: c.reference as string }).click();
    await tab(sue, 'Escalations');
    await sue.getByText('blocked dependency').waitFor();
    await shoot(sue, 'case-escalations');
    await sue.getByLabel('Acknowledgement note for blocked dependency').fill('Chasing the depot manager for the logs today');
    await sue.getByRole('button', { name: 'Acknowledge escalation: blocked dependency' }).click();
    await sue.getByRole('row', { name: /blocked dependency/ }).getByText('acknowledged').waitFor();
    await settle();

    for (const t of await call('GET', `/v1/complaints/${id}/tasks`, 'olive', olive).then((r) => r.items as { id: string }[])) {
      await call('PATCH', `/v1/complaints/${id}/tasks/${t.id}`, 'olive', olive, { status: 'done', findings: 'The regional carrier was over capacity; no re-routing rule existed' });
    }
    const fresh = await call('GET', `/v1/complaints/${id}`, 'olive', olive);
    await fetch(`${url}/v1/complaints/${id}/resolution`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token('olive', 'handler')}`, 'content-type': 'application/json', 'if-match': `"${String(fresh.version)}"` },
      body: JSON.stringify({
        decision: 'upheld',
        remedy: { compensation: { amount: '300.00', currency: 'GBP' }, description: 'The missed appointment (180.00) and a goodwill payment for three delays' },
        rootCause: { category: 'carrier_capacity', description: 'Regional carrier over capacity; no re-routing rule' },
        finalResponse: 'We uphold your complaint. We will pay you £300.00 within 5 working days and have added a re-routing rule.',
      }),
    });
    await settle();
    const inbox = await signedIn('sue', ['supervisor']);
    await goTo(inbox, 'Approvals');
    await inbox.getByRole('radio', { name: `Stage 1 of case ${id}` }).click();
    await inbox.getByRole('heading', { name: `Decide stage 1 of case ${id}` }).waitFor();
    await shoot(inbox, 'approvals-inbox');
    await inbox.context().close();
    await sue.getByRole('button', { name: 'Reload case' }).click();
    await tab(sue, 'Resolution');
    await sue.getByLabel('Approval comment').waitFor();
    await shoot(sue, 'case-resolution-approval');
    await sue.getByLabel('Approval comment').fill('Proportionate to the evidenced loss');
    await sue.getByRole('button', { name: 'Approve' }).click();
    await sue.getByRole('table', { name: 'Approval stages' }).getByText(/^by sue, /).waitFor();
    await settle();

    await o.getByRole('button', { name: 'Reload case' }).click();
    await tab(o, 'Letters');
    await o.getByTestId('letter-text').waitFor();
    await shoot(o, 'case-letters');
    await tab(o, 'Resolution');
    await o.getByRole('button', { name: 'Send final response' }).click();
    await o.getByLabel('Follow-up action').fill('Add a re-routing rule for over-capacity regions; review carrier capacity monthly');
    await o.getByRole('button', { name: 'Close case' }).click();
    await o.getByText(/^Closed /).waitFor();
    await shoot(o, 'case-resolution-closed');

    const cora = await signedIn('cora', ['compliance']);
    await openCase(cora, id, 'timeline');
    await cora.getByTestId('chain-verdict').waitFor();
    await shoot(cora, 'case-timeline');
    await tab(cora, 'Export');
    await cora.getByRole('button', { name: 'Request export' }).click();
    await cora.getByTestId('export-status').waitFor();
    await settle();
    await cora.getByRole('button', { name: 'Refresh status' }).click();
    await cora.getByRole('link', { name: 'Download bundle' }).waitFor();
    await shoot(cora, 'case-export');

    // A refused email (the local SES receipt route), so the intake rejections screen has a row.
    await fetch(`${url}/local/inbound-email`, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: 'this is not an email at all' });
    await settle();
    await goTo(cora, 'Deadlines and reports');
    await cora.getByRole('heading', { name: 'Deadline board' }).waitFor();
    await cora.getByRole('cell', { name: 'hal', exact: true }).first().waitFor();
    await shoot(cora, 'reports-deadline-board');
    await tab(cora, 'KPIs');
    await cora.getByRole('heading', { name: 'KPIs by group' }).waitFor();
    await cora.getByRole('columnheader', { name: 'regime' }).waitFor();
    await shoot(cora, 'reports-kpis');
    await tab(cora, 'Control score');
    await cora.getByRole('heading', { name: /^Control score \d+ \/ 12/ }).waitFor();
    await shoot(cora, 'reports-control-score');
    await tab(cora, 'Control review');
    await cora.getByRole('heading', { name: 'Control review of the last 20 cases' }).waitFor();
    await cora.getByRole('cell', { name: c.reference as string, exact: true }).waitFor();
    await shoot(cora, 'reports-control-review');
    await tab(cora, 'Regulator return');
    await cora.getByLabel('Period').fill('2026-H1');
    await cora.getByRole('button', { name: 'Preview', exact: true }).click();
    await cora.getByRole('heading', { name: 'Return preview' }).waitFor();
    await shoot(cora, 'reports-regulator-return');

    const ada = await signedIn('ada', ['admin']);
    await goTo(ada, 'Admin');
    await ada.getByRole('radio', { name: `Subscription ${hookUrl}` }).click();
    await ada.getByRole('heading', { name: 'Deliveries' }).waitFor();
    await ada.getByRole('cell', { name: 'delivered', exact: true }).first().waitFor();
    await shoot(ada, 'admin-webhooks');
    await tab(ada, 'Intake rejections');
    await ada.getByRole('cell', { name: 'malformed', exact: true }).waitFor();
    await shoot(ada, 'admin-intake-rejections');
  } finally {
    receiver.close();
    await browser.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`✗ console screenshots failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
