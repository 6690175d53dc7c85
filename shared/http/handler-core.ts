// The one middy stack every HTTP handler shares, without the idempotency middleware: handler.ts adds that
// for POST routes. The routes that touch no data (health, openapi) use static-handler.ts instead.
// No Powertools Tracer here: its X-Ray SDK (with cls-hooked and semver) was about 120 KB of every API bundle and a
// good part of its init. The API functions keep Lambda active tracing (infra/constructs/api-function.ts), which records
// each invocation's segment with its init, invocation and overhead; what they no longer send is the handler
// subsegment and a subsegment per outbound AWS call (docs/architecture.md, Observability).
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Principal } from '#domain/principal';
import { config } from './config';
import { authorize } from './middleware/authorize';
import { problemHandler } from './middleware/problem-handler';
import { requestGuard } from './middleware/request-guard';
import { etagOf, validate, type Parsed } from './middleware/validate';
import { logger } from './logger';
import { metrics } from './metrics';
import { loadSettings } from './settings-loader';
import { isPaged } from './route-helpers';
import type { FunctionRouteDef, ROUTES, RouteId, WithoutResponseSchema } from './routes';

type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;
type R<K extends RouteId> = (typeof ROUTES)[K];

/**
 * A route as its generated module exports it (shared/http/route-modules/<id>.ts, from the route table): a handler passes
 * its own route, so its function loads that route's schemas and never the whole table's (and not the response schema,
 * which only the OpenAPI document reads).
 */
export type RouteOf<K extends RouteId> = WithoutResponseSchema<R<K>> & { readonly id: K };

export interface HttpRequest<K extends RouteId> {
  params: Infer<R<K> extends { params: infer S } ? S : undefined>;
  query: Infer<R<K> extends { query: infer S } ? S : undefined>;
  body: Infer<R<K> extends { body: infer S } ? S : undefined>;
  /** Present on every JWT route (public routes get an anonymous principal). */
  principal: Principal;
  /** The version from If-Match, when the client sent one. */
  ifMatch?: number;
  /** Conditional GET routes: the versions named by If-None-Match ('*' for any), when the client sent one. */
  ifNoneMatch?: number[] | '*';
  requestId: string;
  /** The Accept header (routes that also answer text/csv negotiate on it). */
  accept?: string;
  /** Routes with a `signedBody`: the body bytes exactly as sent, and the (lower-case) request headers. */
  rawBody?: Buffer;
  headers?: Record<string, string | undefined>;
}

export interface HttpReply {
  body: unknown;
  /** A non-JSON representation (e.g. text/csv): sent as is with this content type instead of the JSON body. */
  text?: { contentType: string; body: string; fileName?: string };
  status?: number;
  /** Case version: sets the ETag header. */
  version?: number;
  headers?: Record<string, string>;
}

const ANONYMOUS: Principal = { sub: 'anonymous', roles: [], scopes: [] };

export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

type Middleware = middy.MiddlewareObj<APIGatewayProxyEventV2>;

/** Implementations that seal their page cursors (paged-handler.ts marks them): a list route must be one of them. */
export const SEALED_PAGES = new WeakSet<object>();

/**
 * Loads the settings kept outside the environment before the first event (settings-loader.ts). Passed in, not imported
 * here, so the routes that touch no data (health, openapi) bundle no Secrets Manager client.
 */
export type SettingsLoader = () => Promise<void>;

/** The shared stack around `impl`; the `extra` middlewares (created last) run innermost, after validation (and metrics). */
export const buildHandler = <K extends RouteId>(
  routeOf: RouteOf<K>,
  impl: (req: HttpRequest<K>) => Promise<HttpReply>,
  extra: (route: FunctionRouteDef) => Middleware[] = () => [],
  loadSettings?: SettingsLoader,
): ApiHandler => {
  const route = routeOf as FunctionRouteDef;
  const id = routeOf.id;
  // Never hand out a table key as a cursor: a list route that does not seal its cursors fails at cold start.
  if (isPaged(route) && !SEALED_PAGES.has(impl)) throw new Error(`${id} is a list route (limit and cursor): define it with definePagedHandler from #http/paged-handler`);
  const parsedByEvent = new WeakMap<object, Parsed>();
  const principalByEvent = new WeakMap<object, Principal>();

  const core = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const parsed = parsedByEvent.get(event) ?? { params: undefined, query: undefined, body: undefined };
    const reply = await impl({
      params: parsed.params,
      query: parsed.query,
      body: parsed.body,
      principal: principalByEvent.get(event) ?? ANONYMOUS,
      ...(parsed.ifMatch !== undefined ? { ifMatch: parsed.ifMatch } : {}),
      ...(parsed.ifNoneMatch !== undefined ? { ifNoneMatch: parsed.ifNoneMatch } : {}),
      requestId: event.requestContext?.requestId ?? '',
      ...(event.headers?.accept ? { accept: event.headers.accept } : {}),
      ...(route.signedBody ? { rawBody: event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0), headers: event.headers ?? {} } : {}),
    } as HttpRequest<K>);
    if (reply.status === 304) {
      // Not Modified: no body and no content type, but the validator (RFC 9110 §15.4.5).
      return { statusCode: 304, headers: { 'cache-control': 'no-store', ...(reply.version !== undefined ? { etag: etagOf(reply.version) } : {}), ...reply.headers } };
    }
    if (reply.text) {
      return {
        statusCode: reply.status ?? route.ok.status,
        headers: {
          'content-type': reply.text.contentType,
          'cache-control': 'no-store',
          ...(reply.text.fileName ? { 'content-disposition': `attachment; filename="${reply.text.fileName}"` } : {}),
          ...reply.headers,
        },
        body: reply.text.body,
      };
    }
    return {
      statusCode: reply.status ?? route.ok.status,
      headers: {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        ...(reply.version !== undefined ? { etag: etagOf(reply.version) } : {}),
        ...reply.headers,
      },
      body: JSON.stringify(reply.body),
    };
  };

  const expectsBody = route.body !== undefined || route.signedBody !== undefined;
  const stack = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(core)
    // First: the settings kept outside the environment (a no-op without SETTINGS_SECRET_ARN), once per container.
    .use({ before: () => loadSettings?.() })
    .use(problemHandler())
    .use(httpHeaderNormalizer())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use({
      before: (request: middy.Request<APIGatewayProxyEventV2>) => {
        const e = request.event;
        logger.appendKeys({ route: id, correlationId: e.requestContext?.requestId, caseId: e.pathParameters?.id });
        metrics.addMetric('Requests', MetricUnit.Count, 1);
      },
    })
    // Who you are before what you sent: an unauthorised caller learns nothing about validation.
    .use(authorize(route.auth, (e, p) => principalByEvent.set(e, p)) as middy.MiddlewareObj<APIGatewayProxyEventV2>)
    .use(requestGuard({ maxBytes: config().MAX_BODY_BYTES, expectsBody, keepRaw: route.signedBody !== undefined }))
    .use(validate(route, (e, p) => parsedByEvent.set(e, p)));
  // Locally many requests share one process and metrics are off: flushing would only warn.
  if (process.env.POWERTOOLS_METRICS_DISABLED !== 'true') stack.use(logMetrics(metrics));
  for (const m of extra(route)) stack.use(m);
  return stack;
};

/**
 * defineHandler for a route that never takes an Idempotency-Key (any method but POST): the same stack, as
 * defineHandler builds it for such a route, without loading the idempotency middleware. Refuses POST routes,
 * so no POST handler can lose idempotency by using it.
 */
export const defineCoreHandler = <K extends RouteId>(route: RouteOf<K>, impl: (req: HttpRequest<K>) => Promise<HttpReply>): ApiHandler => {
  if ((route as FunctionRouteDef).method === 'POST') throw new Error(`${route.id} is a POST route: use defineHandler from #http/handler (Idempotency-Key)`);
  return buildHandler(route, impl, undefined, loadSettings);
};
