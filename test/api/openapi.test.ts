// The OpenAPI document is valid 3.1, covers the route table, and live responses match the route table's schemas.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ROUTES, routeList } from '#http/routes';
import { localClock, settle, startTestApi, validComplaint, type TestApi } from '../support/api';

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
}
type OpenApiDoc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
};

const REPO_ROOT = resolve(__dirname, '..', '..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/**
 * @seriousme/openapi-schema-validator is ESM-only (it reads its schemas via import.meta.url), which
 * jest's CommonJS runtime cannot load; a child Node process runs it exactly as its README shows.
 */
const validateOpenApi = async (spec: unknown): Promise<{ valid: boolean; version?: string; errors?: unknown }> => {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(spec));
    const script = [
      "import { Validator } from '@seriousme/openapi-schema-validator';",
      'const validator = new Validator();',
      'const res = await validator.validate(process.argv[1]);',
      'process.stdout.write(JSON.stringify({ ...res, version: validator.version }));',
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, file], { cwd: REPO_ROOT });
    return JSON.parse(stdout) as { valid: boolean; version?: string; errors?: unknown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

let api: TestApi;
let doc: OpenApiDoc;

beforeAll(async () => {
  api = await startTestApi();
  const res = await settle(api.client().GET('/v1/openapi.json'));
  expect(res.status).toBe(200);
  doc = res.body as OpenApiDoc;
});
afterAll(() => api.close());

describe('GET /v1/openapi.json', () => {
  it('is served without a token as JSON and validates as OpenAPI 3.1', async () => {
    const res = await settle(api.client().GET('/v1/openapi.json'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc.openapi).toMatch(/^3\.1\./);

    const [verdict, broken] = await Promise.all([validateOpenApi(doc), validateOpenApi({ ...doc, info: undefined })]);

    expect(verdict.errors).toBeUndefined();
    expect(verdict).toMatchObject({ valid: true, version: '3.1' });
    // The validator is not vacuous: the same document without its required info object fails.
    expect(broken.valid).toBe(false);
  });

  it('documents every route of the route table with its method and nothing else', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    );
    const routes = routeList().map((r) => `${r.method} ${r.path} ${r.id}`);
    expect(documented.sort()).toEqual(routes.sort());
    for (const r of routeList()) expect(doc.paths[r.path]?.[r.method.toLowerCase()]?.responses[String(r.ok.status)]).toBeDefined();
  });

  it('puts bearer security on every JWT route, the HMAC header pairs on signed routes and none on other public ones', () => {
    const schemes = doc.components?.securitySchemes ?? {};
    for (const r of routeList()) {
      const op = doc.paths[r.path]![r.method.toLowerCase()]!;
      if (r.auth.kind === 'jwt') {
        expect(op.security?.length).toBeGreaterThan(0);
        for (const requirement of op.security!) {
          for (const name of Object.keys(requirement)) expect(schemes[name]).toMatchObject({ type: 'http', scheme: 'bearer' });
        }
        expect(op.responses['401']).toBeDefined();
        expect(op.responses['403']).toBeDefined();
      } else if (r.signedBody) {
        expect(op.security?.length).toBeGreaterThan(0);
        for (const requirement of op.security!) {
          for (const name of Object.keys(requirement)) expect(schemes[name]).toMatchObject({ type: 'apiKey', in: 'header' });
        }
      } else {
        expect(op.security).toEqual([]);
      }
    }
  });

  it('states on every JWT route the roles the route table enforces, with the rule the domain adds on the case', () => {
    for (const r of routeList()) {
      if (r.auth.kind !== 'jwt') continue;
      const op = doc.paths[r.path]![r.method.toLowerCase()] as Operation & { description: string };
      expect(op.description).toContain(`Roles: ${r.auth.roles.join(', ')}`);
      const rule = r.auth.caseRule;
      if (rule?.ownerOr) expect(op.description).toContain(rule.ownerOr.length ? `only the case’s owner or ${rule.ownerOr.join(', ')}` : 'only the case’s owner (');
      if (rule?.notOwner) expect(op.description).toContain('never the case’s owner');
    }
    expect((doc.paths['/v1/complaints/{id}/final-response']!.post as Operation & { description: string }).description).toContain('Of those, only the case’s owner (403 otherwise)');
  });

  it('names the 500 answer, lists every tag at the root and takes a merge patch on PATCH', () => {
    const root = doc as OpenApiDoc & { tags?: { name: string; description?: string }[] };
    const tags = new Set((root.tags ?? []).map((t) => t.name));
    for (const t of root.tags ?? []) expect(t.description).toBeTruthy();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item).filter(([m]) => METHODS.includes(m))) {
        expect({ op: `${method} ${path}`, response: op.responses['500'] }).toMatchObject({ response: { description: expect.stringContaining('unexpected'), content: { 'application/problem+json': {} } } });
        for (const tag of (op as Operation & { tags?: string[] }).tags ?? []) expect(tags).toContain(tag);
        const body = (op as Operation & { requestBody?: { content: Record<string, unknown> } }).requestBody;
        if (method === 'patch') expect(Object.keys(body!.content)).toContain('application/merge-patch+json');
      }
    }
  });

  it('documents the problem extension members a 409 carries', () => {
    const problem = (doc.components as { schemas: Record<string, { properties: Record<string, unknown> }> }).schemas.Problem!;
    for (const member of ['currentStatus', 'allowedFrom', 'action', 'existingId', 'missing', 'code']) expect(problem.properties[member]).toBeDefined();
  });

  it('documents the retryable answers (429 on JWT routes, 503 on every route) with their Retry-After header', () => {
    for (const r of routeList()) {
      const op = doc.paths[r.path]![r.method.toLowerCase()]!;
      const retryable = r.auth.kind === 'jwt' ? ['429', '503'] : ['503'];
      for (const status of retryable) {
        expect({ route: r.id, status, response: op.responses[status] }).toMatchObject({
          route: r.id,
          status,
          response: { headers: { 'Retry-After': { schema: { type: 'integer' } } }, content: { 'application/problem+json': {} } },
        });
      }
      expect((op.responses['400'] as { headers?: unknown } | undefined)?.headers).toBeUndefined();
    }
  });

  it('serves GET /v1/health without a token, matching its schema', async () => {
    const res = await settle(api.client().GET('/v1/health'));
    expect(res.status).toBe(200);
    expect(ROUTES.health.ok.schema.parse(res.body)).toMatchObject({ status: 'ok' });
  });
});

describe('live responses match the route table schemas', () => {
  it('create, get, list, reclassify, note, task and timeline parse with their ok schemas', async () => {
    const supervisor = await api.token('sam', ['supervisor']);
    const sam = api.client(supervisor);
    const created = await settle(sam.POST('/v1/complaints', {
      body: validComplaint({ externalRef: { system: 'crm', id: 'C-1' }, receivedAt: new Date(localClock.nowMs() - 86_400_000).toISOString(), customer: { id: 'c-7', name: 'Grace Hopper', phone: '+44 20 7946 0000', vulnerable: true } }),
    }));
    expect(created.status).toBe(ROUTES.createComplaint.ok.status);
    const c = ROUTES.createComplaint.ok.schema.parse(created.body);
    const id = c.id;

    const reclassified = await settle(sam.PATCH('/v1/complaints/{id}', { params: { path: { id } }, body: { severity: 'high', legalExposure: true, reason: 'Threatened legal action' } }));
    expect(reclassified.status).toBe(ROUTES.reclassifyComplaint.ok.status);
    ROUTES.reclassifyComplaint.ok.schema.parse(reclassified.body);

    const task = await settle(sam.POST('/v1/complaints/{id}/tasks', { params: { path: { id } }, body: { title: 'Pull call recording', team: 'contact-centre', dueAt: new Date(localClock.nowMs() + 86_400_000).toISOString() } }));
    expect(task.status).toBe(ROUTES.createTask.ok.status);
    ROUTES.createTask.ok.schema.parse(task.body);

    const note = await settle(sam.POST('/v1/complaints/{id}/notes', { params: { path: { id } }, body: { kind: 'policy_reference', body: 'Refund policy 4.2' } }));
    expect(note.status).toBe(ROUTES.addNote.ok.status);
    ROUTES.addNote.ok.schema.parse(note.body);

    const got = await settle(sam.GET('/v1/complaints/{id}', { params: { path: { id } } }));
    expect(got.status).toBe(ROUTES.getComplaint.ok.status);
    expect(ROUTES.getComplaint.ok.schema.parse(got.body)).toMatchObject({ id, severity: 'high', legalExposure: true, openTaskCount: 1 });

    const listed = await settle(sam.GET('/v1/complaints', { params: { query: { limit: 10 } } }));
    expect(listed.status).toBe(ROUTES.listComplaints.ok.status);
    expect(ROUTES.listComplaints.ok.schema.parse(listed.body).items.map((x) => x.id)).toContain(id);

    const triage = await settle(sam.GET('/v1/complaints/{id}/triage', { params: { path: { id } } }));
    expect(triage.status).toBe(ROUTES.getTriage.ok.status);
    ROUTES.getTriage.ok.schema.parse(triage.body);
    const decided = await settle(sam.POST('/v1/complaints/{id}/triage/decisions', { params: { path: { id } }, body: { field: 'regulatory', value: false, reason: 'Not a regulated activity' } }));
    expect(decided.status).toBe(ROUTES.decideTriage.ok.status);
    ROUTES.decideTriage.ok.schema.parse(decided.body);
    const triageReport = await settle(sam.GET('/v1/reports/triage'));
    expect(triageReport.status).toBe(ROUTES.triageReport.ok.status);
    ROUTES.triageReport.ok.schema.parse(triageReport.body);

    const tl = await settle(sam.GET('/v1/complaints/{id}/timeline', { params: { path: { id } } }));
    expect(tl.status).toBe(ROUTES.getTimeline.ok.status);
    expect(ROUTES.getTimeline.ok.schema.parse(tl.body).chain.valid).toBe(true);

    const regimes = await settle(sam.GET('/v1/regimes'));
    expect(ROUTES.listRegimes.ok.schema.parse(regimes.body).items.map((r) => r.id)).toContain('UK_FCA_DISP');
  });
});

describe('the signed helpdesk intake', () => {
  it('documents every provider shape, the 200 of a repeat, the 401 and the signature headers, with no bearer security and no Idempotency-Key', () => {
    const op = doc.paths['/v1/intake/helpdesk/{provider}']!.post as Operation & { requestBody?: { content: Record<string, { schema: unknown }> }; parameters?: { name: string }[] };
    expect(op.security).toEqual([
      { zendeskSignature: [], zendeskSignatureTimestamp: [] },
      { helpdeskSignature: [], helpdeskSignatureTimestamp: [] },
    ]);
    expect(op.responses['401']).toBeDefined();
    expect(op.responses['404']).toBeDefined();
    // A repeated delivery answers 200 with the case it already created, documented beside the 201.
    expect(op.responses['200']).toMatchObject({ description: expect.stringContaining('repeated delivery') });
    expect(op.responses['201']).toBeDefined();
    expect((op.parameters ?? []).map((p) => p.name)).not.toContain('Idempotency-Key');
    const schemas = (doc.components as { schemas?: Record<string, unknown> }).schemas ?? {};
    for (const id of ['HelpdeskEscalation', 'ZendeskEscalation', 'JiraServiceManagementEscalation', 'ServiceNowEscalation', 'GenericHelpdeskEscalation', 'HelpdeskIntakeResult']) expect(schemas[id]).toBeDefined();
    expect(JSON.stringify(op.requestBody)).toContain('HelpdeskEscalation');
  });
});
