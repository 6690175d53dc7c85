// zod validation of path parameters, query string, body and If-Match, and the length limit of the headers we compare
// or store: 400 with one error per field.
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import type { FieldError } from '#domain/errors';
import { badRequest } from '../errors';
import type { FunctionRouteDef } from '../routes';

export interface Parsed {
  params: unknown;
  query: unknown;
  body: unknown;
  ifMatch?: number;
  /** Conditional GET routes: the versions named by If-None-Match ('*' for any), when the client sent one. */
  ifNoneMatch?: number[] | '*';
}

/** One error per field; an unknown key is named itself (zod reports it at the enclosing object). */
const fieldErrors = (where: string, error: z.ZodError): FieldError[] =>
  error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ field: [where, ...i.path.map(String), k].join('.'), message: 'unknown field' }))
      : [{ field: [where, ...i.path.map(String)].join('.'), message: i.message }],
  );

/** ETag is the quoted case version; weak and unquoted forms are accepted, "*" means any. */
export const parseIfMatch = (raw: string | undefined): number | undefined | 'invalid' => {
  if (raw === undefined || raw.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(raw);
  return m ? Number(m[1]) : 'invalid';
};

/**
 * Request headers the service compares or stores (an Idempotency-Key becomes part of a stored record's key): longer
 * values are refused on every route, before the idempotency layer or a handler reads them. Keys are lower case (the
 * header normalizer runs first). OpenAPI documents the same limits as maxLength.
 */
export const HEADER_LIMITS: Readonly<Record<'idempotency-key' | 'if-match', number>> = { 'idempotency-key': 255, 'if-match': 255 };

const headerErrors = (headers: Record<string, string | undefined> | undefined): FieldError[] =>
  (Object.keys(HEADER_LIMITS) as (keyof typeof HEADER_LIMITS)[]).flatMap((name) => {
    const value = headers?.[name];
    return value !== undefined && value.length > HEADER_LIMITS[name] ? [{ field: `header.${name}`, message: `must be at most ${HEADER_LIMITS[name]} characters (got ${value.length})` }] : [];
  });

/**
 * If-None-Match: "*" or a comma-separated list of ETags (weak or strong; RFC 9110 compares them weakly here). An entry
 * that is not one of our ETags matches nothing, so it simply yields a full answer, never an error.
 */
export const parseIfNoneMatch = (raw: string | undefined): number[] | '*' | undefined => {
  if (raw === undefined || raw.trim() === '') return undefined;
  if (raw.trim() === '*') return '*';
  return raw.split(',').flatMap((tag) => {
    const m = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(tag);
    return m ? [Number(m[1])] : [];
  });
};

export const etagOf = (version: number) => `"${version}"`;

/** A route that declares no query takes none: any parameter is unknown (400 naming it), as on routes with a query schema. */
const NO_QUERY = z.object({}).strict();

export const validate = (route: FunctionRouteDef, onParsed: (event: object, parsed: Parsed) => void): MiddlewareObj<APIGatewayProxyEventV2> => ({
  before: (request) => {
    const e = request.event;
    const errors: FieldError[] = headerErrors(e.headers);
    const run = (where: string, schema: z.ZodType | undefined, input: unknown): unknown => {
      if (!schema) return undefined;
      const r = schema.safeParse(input);
      if (r.success) return r.data;
      errors.push(...fieldErrors(where, r.error));
      return undefined;
    };
    const params = run('path', route.params, e.pathParameters ?? {});
    const query = run('query', route.query ?? NO_QUERY, e.queryStringParameters ?? {});
    const body = run('body', route.body, e.body);
    let ifMatch: number | undefined;
    if (route.ifMatch && !errors.some((x) => x.field === 'header.if-match')) {
      const parsed = parseIfMatch(e.headers?.['if-match']);
      if (parsed === 'invalid') errors.push({ field: 'header.if-match', message: 'must be an ETag from a previous response, e.g. "3"' });
      else ifMatch = parsed;
    }
    const ifNoneMatch = route.conditional ? parseIfNoneMatch(e.headers?.['if-none-match']) : undefined;
    if (errors.length) throw badRequest(`the request is invalid: ${errors.map((x) => x.field).join(', ')}`, errors);
    onParsed(e, { params, query: route.query ? query : undefined, body, ...(ifMatch !== undefined ? { ifMatch } : {}), ...(ifNoneMatch !== undefined ? { ifNoneMatch } : {}) });
  },
});
