// definePagedHandler: a list route's handler. The use case works with plain positions (a table key, a seq); here they
// are sealed into opaque cursors on the way out and opened on the way in, bound to the route, the caller and the
// filters (cursor-seal.ts). A cursor that does not open is a 400 naming query.cursor.
import { badRequest } from './errors';
import { buildHandler, SEALED_PAGES, type ApiHandler, type HttpReply, type HttpRequest, type RouteOf } from './handler-core';
import { cursorKey } from './cursor-key';
import { openCursor, sealCursor, type CursorBinding } from './cursor-seal';
import type { FunctionRouteDef, RouteId } from './routes';
import { loadSettings } from './settings-loader';

/** What a page is bound to besides route and caller: the path parameters and every query parameter but cursor and limit. */
export const pageFilters = (params: unknown, query: unknown): Record<string, unknown> => {
  const filters: Record<string, unknown> = {};
  for (const [where, values] of [['path', params], ['query', query]] as const) {
    if (typeof values !== 'object' || values === null) continue;
    for (const [k, v] of Object.entries(values)) if (v !== undefined && !(where === 'query' && (k === 'cursor' || k === 'limit'))) filters[`${where}.${k}`] = v;
  }
  return filters;
};

const invalidCursor = () =>
  badRequest('cursor is not valid for this query', [{ field: 'query.cursor', message: 'pass the nextCursor this list returned to you, with the same filters' }]);

export const definePagedHandler = <K extends RouteId>(route: RouteOf<K>, impl: (req: HttpRequest<K>) => Promise<HttpReply>): ApiHandler => {
  const id = route.id;
  if ((route as FunctionRouteDef).method !== 'GET') throw new Error(`${id}: only a GET route lists pages`);
  const sealed = async (req: HttpRequest<K>): Promise<HttpReply> => {
    const binding: CursorBinding = { route: id, subject: req.principal.sub, filters: pageFilters(req.params, req.query) };
    const query = req.query as { cursor?: string } | undefined;
    let request = req;
    if (query?.cursor !== undefined) {
      const position = openCursor(await cursorKey(), query.cursor, binding);
      if (position === undefined) throw invalidCursor();
      request = { ...req, query: { ...query, cursor: position } as HttpRequest<K>['query'] };
    }
    const reply = await impl(request);
    const body = reply.body as { nextCursor?: unknown } | undefined;
    if (typeof body?.nextCursor !== 'string') return reply;
    return { ...reply, body: { ...body, nextCursor: sealCursor(await cursorKey(), body.nextCursor, binding) } };
  };
  SEALED_PAGES.add(sealed);
  return buildHandler(route, sealed, undefined, loadSettings);
};
