// Runtime helpers over one route (its Location, whether it pages), apart from the route table so a function that holds
// only its own route module (shared/http/route-modules/) never loads the table.
import * as z from 'zod';
import type { FunctionRouteDef, RouteDef } from './routes';

/**
 * The Location of a 201/202 of `route`: its template with `{name}` replaced by `values[name]` (URI-encoded).
 * Throws when a placeholder has no value, so a handler cannot send a half-filled URL.
 */
export const locationIn = (route: Pick<FunctionRouteDef, 'ok'> & { id: string }, values: Readonly<Record<string, string>>): string => {
  const loc = route.ok.location;
  if (!loc) throw new Error(`${route.id} documents no Location`);
  return loc.template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = Object.hasOwn(values, name) ? values[name] : undefined;
    if (v === undefined) throw new Error(`${route.id}: no value for {${name}} in its Location`);
    return encodeURIComponent(v);
  });
};

/** A list route: its query takes `limit` and `cursor`, and it answers `{ items, nextCursor? }` with sealed cursors. */
export const isPaged = (r: Pick<RouteDef, 'query'>): boolean => r.query instanceof z.ZodObject && Object.hasOwn(r.query.shape, 'cursor');
