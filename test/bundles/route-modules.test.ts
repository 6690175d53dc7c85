// The per-route modules (shared/http/route-modules/) are generated from the route table and match it: a handler loads
// only its own route, so the table stays the one source without every function bundling every route's schemas.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTES, type RouteDef, type RouteId } from '#http/routes';
import { STATIC_ROUTES } from '#http/static-handler';
import { OUT_DIR, routeModules } from '../../scripts/route-modules';
import { REPO_ROOT } from '../../bench/bundle';

describe('per-route modules generated from the route table', () => {
  const generated = routeModules();

  it('are up to date (run `npm run routes:modules` after editing shared/http/routes.ts)', () => {
    const onDisk = new Map(readdirSync(join(REPO_ROOT, OUT_DIR)).map((f) => [f.replace(/\.ts$/, ''), readFileSync(join(REPO_ROOT, OUT_DIR, f), 'utf8')]));
    expect([...onDisk.keys()].sort()).toEqual(Object.keys(ROUTES).sort());
    for (const [id, text] of generated) expect([id, onDisk.get(id)]).toEqual([id, text]);
  });

  it.each(Object.keys(ROUTES) as RouteId[])('%s holds the table entry, with the very same schema objects, less its response schema', async (id) => {
    const { route } = (await import(`#http/route-modules/${id}`)) as { route: Record<string, unknown> };
    const entry = ROUTES[id] as Record<string, unknown>;
    expect(route.id).toBe(id);
    expect(Object.keys(route).filter((k) => k !== 'id').sort()).toEqual(Object.keys(entry).sort());
    for (const key of ['params', 'query', 'body', 'signedBody'] as const) expect([key, route[key]]).toEqual([key, entry[key]]);
    for (const key of ['params', 'query', 'body', 'signedBody'] as const) if (entry[key] !== undefined) expect(route[key]).toBe(entry[key]);
    // The response schema is the OpenAPI document's alone (shared/http/openapi.ts reads the table): a function does not build it.
    const { schema: tableSchema, ...tableOk } = entry.ok as { schema: unknown };
    expect(tableSchema).toBeDefined();
    expect(route.ok).toEqual(tableOk);
    expect(Object.hasOwn(route.ok as object, 'schema')).toBe(false);
    const plain = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => !['id', 'params', 'query', 'body', 'signedBody', 'ok'].includes(k)));
    expect(plain(route)).toEqual(plain(entry));
  });
});

describe('the static routes (static-handler.ts)', () => {
  it.each(STATIC_ROUTES)('%s is a public GET without parameters, query or body', (id) => {
    const r = ROUTES[id] as RouteDef;
    expect([r.method, r.auth.kind, r.params, r.query, r.body, r.signedBody]).toEqual(['GET', 'public', undefined, undefined, undefined, undefined]);
  });
});
