// The case page's actions in chromium, each checked against the API afterwards: triage (accept one suggestion,
// override another with a reason), a waiver of a reached checkpoint with its justification (the local clock moved to
// reach it), an evidence download whose bytes hash to what was uploaded, a chain tampered with in DynamoDB Local shown
// "broken at event N", and an export bundle downloaded and opened (the manifest files the builder writes, each file's
// SHA-256 as the manifest lists it). Each screen passes axe (no serious or critical violations).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Download, Page } from 'playwright-core';
import yauzl from 'yauzl';
import { keys } from '#adapters/aws/dynamo/table-model';
import { BUNDLE_PATHS, type Manifest } from '#schemas/export';
import { createComplaint, settle, type CaseView } from '../support/api';
import { rawDocClient } from '../support/dynamo';
import { axeProblems, exactly, openCase, reloadCase, startConsoleHarness, type ConsoleHarness } from '../support/console';

jest.setTimeout(300_000);

type Role = 'handler' | 'supervisor' | 'compliance' | 'legal';
let h: ConsoleHarness;
beforeAll(async () => {
  h = await startConsoleHarness();
});
afterAll(() => h?.close());

const as = async (sub: string, role: Role) => h.api.client(await h.api.token(sub, [role]));
const open = async (over: Record<string, unknown> = {}): Promise<CaseView> => createComplaint(h.api, await h.api.token('web-form', ['intake']), { ownerId: 'olive', ...over });
const readCase = async (id: string): Promise<CaseView> => (await (await as('sam', 'supervisor')).GET('/v1/complaints/{id}', { params: { path: { id } } })).data!;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** The bytes of a download the page (or a tab it opened) started. */
const bytesOf = async (d: Download): Promise<Buffer> => {
  const path = await d.path();
  return readFile(path);
};
/** Waits for a download started by `click`, in the page itself or in a tab it opens (a link with target=_blank). */
const downloadFrom = async (page: Page, click: () => Promise<void>): Promise<Download> => {
  const context = page.context();
  const download = new Promise<Download>((resolve) => {
    page.once('download', resolve);
    context.once('page', (tab) => tab.once('download', resolve));
  });
  await click();
  return download;
};
/** Every entry of a ZIP, by name. */
const unzip = (zip: Buffer): Promise<Map<string, Buffer>> =>
  new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, file) => {
      if (err || !file) return reject(err ?? new Error('no zip'));
      const out = new Map<string, Buffer>();
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            file.readEntry();
          });
          stream.on('error', reject);
        });
      });
      file.on('end', () => resolve(out));
      file.on('error', reject);
      file.readEntry();
    });
  });

it('overview: accept one triage suggestion and override another with a reason; the case changes accordingly', async () => {
  const c = await open({
    category: 'other',
    summary: 'Charged twice for the same monthly bill',
    description: 'My card was charged twice for the same invoice this month and the duplicate payment has not been refunded. Please refund the double charge on my bill.',
  });
  await h.api.pump();
  const before = await readCase(c.id);
  const fields = before.triage!.fields!;
  // An override the owner may make: raise the severity (lowering it takes a supervisor who does not own the case).
  const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
  const severity = SEVERITIES.slice(SEVERITIES.indexOf(before.severity) + 1).find((v) => v !== fields.severity.value)!;
  expect(severity).toEqual(expect.any(String));

  const olive = await h.signIn('olive', ['handler']);
  await openCase(olive, c.id, 'overview');
  const table = olive.getByRole('table', { name: 'Triage suggestions' });
  await table.getByRole('button', { name: 'Accept category suggestion' }).click();
  await table.getByRole('row', { name: /^category/ }).getByText(`accepted ${String(fields.category.value).replace(/_/g, ' ')} by olive`).waitFor();

  await table.getByRole('button', { name: 'Override severity suggestion' }).click();
  const severityRow = table.getByRole('row', { name: /^severity/ });
  await severityRow.getByRole('button', { name: /New severity/ }).click();
  await olive.getByRole('option', { name: severity, exact: true }).click();
  await severityRow.getByLabel('Reason to override severity').fill('Second double charge this quarter; the customer is out of pocket');
  await severityRow.getByRole('button', { name: 'Save override' }).click();
  await severityRow.getByText(`overridden ${severity} by olive: Second double charge this quarter; the customer is out of pocket`).waitFor();
  expect(await axeProblems(olive)).toEqual([]);

  // The API: both decisions recorded, the case's category is the accepted suggestion and its severity the override.
  const after = await readCase(c.id);
  expect(after).toMatchObject({ category: fields.category.value, severity });
  expect(after.version).toBeGreaterThan(before.version);
  const triage = (await (await as('olive', 'handler')).GET('/v1/complaints/{id}/triage', { params: { path: { id: c.id } } })).data!;
  expect(triage.fields!.category.decision).toMatchObject({ kind: 'accepted', value: fields.category.value, by: 'olive' });
  expect(triage.fields!.severity.decision).toMatchObject({ kind: 'overridden', value: severity, by: 'olive', reason: 'Second double charge this quarter; the customer is out of pocket' });
});

it('escalations: a supervisor waives the escalation of a checkpoint the clock reached, with a justification', async () => {
  // Received 40 days ago under UK_FCA_DISP (8 weeks): three more days and the 75 % checkpoint is reached.
  const now = Date.parse(await h.api.now());
  const c = await open({ receivedAt: new Date(now - 40 * 86_400_000).toISOString() });
  await h.api.pump();
  expect((await readCase(c.id)).checkpoints.find((k) => k.percent === 75)?.firedAt).toBeUndefined();
  await h.api.advanceClock('P3D');
  const reached = await readCase(c.id);
  expect(reached.checkpoints.find((k) => k.percent === 75)?.firedAt).toEqual(expect.any(String));
  const escalation = reached.escalations.find((e) => e.trigger?.kind === 'checkpoint' && e.trigger.percent === 75)!;
  expect(escalation).toMatchObject({ status: 'open' });

  const sue = await h.signIn('sue', ['supervisor']);
  await openCase(sue, c.id, 'escalations');
  await sue.getByRole('row', { name: /75 % checkpoint/ }).getByText('open', { exact: true }).waitFor();
  await sue.getByRole('button', { name: /Checkpoint to waive/ }).click();
  await sue.getByRole('option', { name: '75 %', exact: true }).click();
  await sue.getByLabel('Waiver justification').fill('The final response is approved and goes out tomorrow morning');
  await sue.getByRole('button', { name: 'Record waiver' }).click();
  const waivers = sue.getByRole('table', { name: 'Waivers' });
  await waivers.getByRole('row', { name: /75 %/ }).getByText('The final response is approved and goes out tomorrow morning').waitFor();
  await sue.getByRole('table', { name: 'Escalations' }).getByRole('row', { name: /75 % checkpoint/ }).getByText('waived', { exact: true }).waitFor();
  expect(await axeProblems(sue)).toEqual([]);

  const after = await readCase(c.id);
  expect(after.waivers).toEqual([expect.objectContaining({ checkpoint: 75, waivedBy: 'sue', justification: 'The final response is approved and goes out tomorrow morning', escalationId: escalation.id })]);
  expect(after.escalations.find((e) => e.id === escalation.id)).toMatchObject({ status: 'waived' });
});

it('evidence: the download action hands over the very bytes that were uploaded (SHA-256)', async () => {
  const c = await open();
  const bytes = Buffer.from(`%PDF-1.7 bank statement for case ${c.reference}: two debits of 42.50 GBP on the same day`);
  const olive = await h.signIn('olive', ['handler']);
  await openCase(olive, c.id, 'evidence');
  await olive.locator('#evidence-file').setInputFiles({ name: 'bank-statement.pdf', mimeType: 'application/pdf', buffer: bytes });
  await olive.getByRole('button', { name: 'Upload', exact: true }).click();
  await olive.getByText(/^Uploaded bank-statement\.pdf/).waitFor();
  await h.api.s3Idle();
  const row = olive.getByRole('row', { name: /bank-statement\.pdf/ });
  await row.getByText('verified', { exact: true }).waitFor();
  await row.getByText(sha256(bytes), { exact: true }).waitFor();

  await row.getByRole('button', { name: 'Get download link for bank-statement.pdf' }).click();
  const download = await downloadFrom(olive, () => row.getByRole('link', { name: 'Download bank-statement.pdf' }).click());
  expect(download.suggestedFilename()).toBe('bank-statement.pdf');
  const got = await bytesOf(download);
  expect(sha256(got)).toBe(sha256(bytes));
  expect(got.equals(bytes)).toBe(true);
  expect(await axeProblems(olive)).toEqual([]);
});

it('timeline: an audit event edited in the table shows the chain "broken at event N" at that event', async () => {
  const c = await open();
  const olive = await as('olive', 'handler');
  for (const body of ['Customer called about the double debit', 'Bank confirmed the second debit']) {
    const note = await settle(olive.POST('/v1/complaints/{id}/notes', { params: { path: { id: c.id } }, body: { kind: 'call_note', body } }));
    expect(note.status).toBe(201);
  }
  const cora = await h.signIn('cora', ['compliance']);
  await openCase(cora, c.id, 'timeline');
  await cora.getByTestId('chain-verdict').filter({ hasText: exactly('verified') }).waitFor();
  const events = (await (await as('cora', 'compliance')).GET('/v1/complaints/{id}/timeline', { params: { path: { id: c.id } } })).data!.items;
  expect(events.length).toBeGreaterThanOrEqual(4);
  // Someone with table access rewrites who did event 3, in DynamoDB Local itself (no API call).
  const tampered = 3;
  expect(events.find((e) => e.seq === tampered)!.actor).not.toBe('mallory');
  await rawDocClient().send(new UpdateCommand({ TableName: h.api.tables.cases, Key: keys.audit(c.id, tampered), UpdateExpression: 'SET actor = :a', ExpressionAttributeValues: { ':a': 'mallory' } }));

  await reloadCase(cora, c.id);
  await cora.getByTestId('chain-verdict').filter({ hasText: exactly(`broken at event ${tampered}`) }).waitFor();
  await cora.getByRole('row', { name: new RegExp(`^${tampered} `) }).getByRole('cell', { name: 'mallory', exact: true }).waitFor();
  expect(await axeProblems(cora)).toEqual([]);
  const chain = (await (await as('cora', 'compliance')).GET('/v1/complaints/{id}/timeline', { params: { path: { id: c.id } } })).data!.chain;
  expect(chain).toMatchObject({ valid: false, firstBrokenSeq: tampered });
});

it('export: the downloaded bundle opens as a ZIP holding the manifest, its signature and every file the manifest lists', async () => {
  const c = await open();
  const cora = await h.signIn('cora', ['compliance']);
  await openCase(cora, c.id, 'export');
  const [requested] = await Promise.all([
    cora.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/v1/complaints/${c.id}/exports`),
    cora.getByRole('button', { name: 'Request export' }).click(),
  ]);
  expect(requested.status()).toBe(202);
  const exportId = ((await requested.json()) as { exportId: string }).exportId;
  await cora.getByTestId('export-status').waitFor();
  await h.api.pump();
  await cora.getByRole('button', { name: 'Refresh status' }).click();
  await cora.getByTestId('export-status').filter({ hasText: exactly('ready') }).waitFor();
  expect(await axeProblems(cora)).toEqual([]);

  const download = await downloadFrom(cora, () => cora.getByRole('link', { name: 'Download bundle' }).click());
  const zip = await bytesOf(download);
  const entries = await unzip(zip);
  for (const path of [BUNDLE_PATHS.manifest, BUNDLE_PATHS.signature, BUNDLE_PATHS.publicKey, BUNDLE_PATHS.case, BUNDLE_PATHS.timeline, BUNDLE_PATHS.approvals, BUNDLE_PATHS.summary]) {
    expect({ path, present: entries.has(path) }).toEqual({ path, present: true });
  }
  const manifest = JSON.parse(entries.get(BUNDLE_PATHS.manifest)!.toString('utf8')) as Manifest;
  expect(manifest).toMatchObject({ caseId: c.id, reference: c.reference, exportedBy: 'cora' });
  expect(manifest.files.length).toBeGreaterThan(0);
  for (const f of manifest.files) {
    const body = entries.get(f.path);
    expect({ path: f.path, sha256: body ? sha256(body) : undefined, sizeBytes: body?.length }).toEqual({ path: f.path, sha256: f.sha256, sizeBytes: f.sizeBytes });
  }
  // The bundle is the one the API recorded.
  const exportView = (await (await as('cora', 'compliance')).GET('/v1/exports/{exportId}', { params: { path: { exportId } } })).data!;
  expect(exportView).toMatchObject({ status: 'ready', files: manifest.files.length });
  expect(sha256(zip)).toBe(exportView.sha256);
  expect(sha256(entries.get(BUNDLE_PATHS.manifest)!)).toBe(exportView.manifestSha256);
});
