// docs/client.md's five-line snippet, run exactly as written (a child Node process, through the typed client
// package) against the local test stack; and the client's basic contract: typed data on 2xx, the problem on errors.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createComplaintsClient } from '@complaints/client';
import { createComplaint, getComplaint, startTestApi, type TestApi } from '../support/api';

const REPO_ROOT = resolve(__dirname, '..', '..');
// A child process compiles and loads the client: slow on a loaded 2-core machine.
jest.setTimeout(120_000);

/** The page's "five lines" block: the first ```ts block under its heading. */
const snippet = (): string => {
  const page = readFileSync(join(REPO_ROOT, 'docs', 'client.md'), 'utf8');
  const section = page.split('## Create a complaint in five lines')[1] ?? '';
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('docs/client.md has no ```ts block under "Create a complaint in five lines"');
  return m[1]!;
};

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('docs/client.md', () => {
  it('is the snippet the README shows, line for line', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('```ts\n' + snippet() + '```');
  });

  it('creates a complaint with the five-line snippet, typechecked and run as written', async () => {
    const code = snippet();
    expect(code.trimEnd().split('\n')).toHaveLength(5);
    // Under the repository's node_modules so that '@complaints/client' resolves as it does for an integrator.
    const dir = mkdtempSync(join(REPO_ROOT, 'node_modules', '.cache-client-snippet-'));
    try {
      const file = join(dir, 'snippet.mts');
      writeFileSync(file, code);
      // It typechecks as an integrator's strict ESM project would compile it (no repository tsconfig).
      const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      await promisify(execFile)(process.execPath, [tsc, '--ignoreConfig', '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--skipLibCheck', file], { cwd: dir });
      const token = await api.token('ivy', ['intake']);
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
        cwd: REPO_ROOT,
        env: { ...process.env, COMPLAINTS_API_URL: api.url, COMPLAINTS_TOKEN: token },
      });
      const m = /^(CMP-\d{4}-\d{6}) \(([0-9A-HJKMNP-TV-Z]{26})\) is due by (\S+)\n$/.exec(stdout);
      expect(m).not.toBeNull();
      const [, reference, id, due] = m!;
      // The case exists as the snippet reported it.
      const got = await getComplaint(api, await api.token('sam', ['supervisor']), id!);
      expect(got).toMatchObject({ id, reference, finalResponseDueAt: due, summary: 'Parcel lost', customer: { id: 'cust-42', name: 'Ada Lovelace' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createComplaintsClient', () => {
  it('sends the bearer token, answers typed data with the response headers, and the problem on an error', async () => {
    const client = createComplaintsClient({ baseUrl: api.url, token: () => api.token('ivy', ['intake']) });
    const created = await client.POST('/v1/complaints', { body: { customer: { id: 'cust-7', name: 'Grace Hopper' }, channel: 'phone', summary: 'Refund missing', description: 'The refund never arrived.', product: 'cards', category: 'billing', regime: 'UK_FCA_DISP' } });
    expect(created.response.status).toBe(201);
    expect(created.data?.status).toBe('open');
    expect(created.response.headers.get('location')).toBe(`/v1/complaints/${created.data!.id}`);
    // The support helpers build on the same client.
    expect((await createComplaint(api, await api.token('ivy', ['intake']))).status).toBe('open');

    // The intake role may create a case but not read one: a typed refusal.
    const refused = await client.GET('/v1/complaints/{id}', { params: { path: { id: created.data!.id } } });
    expect(refused.data).toBeUndefined();
    expect(refused.response.status).toBe(403);
    expect(refused.error).toMatchObject({ status: 403, title: 'Forbidden' });

    const anonymous = createComplaintsClient({ baseUrl: api.url });
    const unauthorised = await anonymous.GET('/v1/regimes');
    expect(unauthorised.response.status).toBe(401);
    expect((await anonymous.GET('/v1/health')).data).toMatchObject({ status: 'ok' });
  });
});
