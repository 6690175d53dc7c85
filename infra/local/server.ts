// The local HTTP API: maps the route table onto node:http, builds the API Gateway v2 event and
// invokes the same handler entries Lambda runs. Local-only routes live under /local.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import { routeKey, routeList, type RouteDef, type RouteId } from '#http/routes';
import { flattenArrayClaim } from '#http/claims';
import { problem, problemResponse } from '#http/problem';
import { localClock, parseDuration, type LocalClock } from '#adapters/local/local-clock';
import type { ApiHandler } from '#http/handler';
import { TokenIssuer, TokenRequest } from './token-issuer';
import { serveConsole, type ConsoleServing } from './console';
import { inInvocation } from './invoke-store';

/** API Gateway HTTP APIs accept at most 10 MB; the handlers enforce their own, smaller limit. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;
/** SES receiving accepts messages up to 40 MB; the intake refuses (and records) what is over its own limit. */
const INBOUND_EMAIL_MAX_BYTES = 48 * 1024 * 1024;
const REPO_ROOT = resolve(__dirname, '..', '..');

interface CompiledRoute {
  id: RouteId;
  def: RouteDef;
  regex: RegExp;
  names: string[];
}

const compile = (id: RouteId, def: RouteDef): CompiledRoute => {
  const names: string[] = [];
  const pattern = def.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (param) {
        names.push(param);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { id, def, regex: new RegExp(`^${pattern}$`), names };
};

export interface LocalApiOptions {
  port?: number;
  host?: string;
  clock?: LocalClock;
  issuer: TokenIssuer;
  /** Called before POST /local/clock moves time, so work already pending (schedules to create) is done first. */
  beforeClockAdvance?: () => Promise<unknown>;
  /** Called after POST /local/clock moved time; returns the timers that fired. */
  onClockAdvanced?: (now: string) => Promise<unknown[]>;
  /** GET /local/dead-letters and POST /local/dead-letters/replay: what the stand-ins gave up on, and its replay. */
  deadLetters?: { list(): Promise<unknown>; replay(): Promise<unknown> };
  /** POST /local/inbound-email: a raw RFC 822 message through the email intake (SES receiving's part, locally). */
  onInboundEmail?: (raw: Buffer) => Promise<{ status: number; body: unknown }>;
  /** Serve the built staff console at /console/ (npm start; the browser tests). */
  console?: ConsoleServing;
  log?: (line: string) => void;
}

export interface LocalApi {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const ClockAdvance = z.object({ advanceBy: z.string().min(2).max(40) }).strict();

const readBody = (req: IncomingMessage, limit = GATEWAY_MAX_BYTES): Promise<Buffer | 'too_large'> =>
  new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolveBody(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });

const isTextual = (contentType: string | undefined) => !contentType || /^(text\/|application\/([\w.+-]*json|xml|x-www-form-urlencoded))/i.test(contentType);

/** Claims as API Gateway passes them: every value a string, arrays flattened to "[a b]". */
const gatewayClaims = (payload: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? flattenArrayClaim(v.map(String)) : typeof v === 'string' ? v : JSON.stringify(v)]),
  );

/**
 * The handler of an entry file CDK bundles into a Lambda function, loaded on first use (after the environment is set,
 * as Lambda loads the bundle). Each call is one invocation in its own context of the runtime's store (see
 * ./invoke-store): invocations the local stack runs side by side keep their Powertools state (logger keys, batch
 * failures) apart, as Lambda keeps concurrent invocations apart.
 */
export const lazyEntry = <T>(file: string): (() => T) => {
  let h: T | undefined;
  return () => (h ??= asInvocations(file, (require(resolve(REPO_ROOT, file)) as { handler: T }).handler)); // eslint-disable-line @typescript-eslint/no-require-imports
};

/** One finished invocation of a Lambda entry: its file, its wall time, and how many other invocations ran when it started. */
export interface InvocationRecord {
  entry: string;
  /** The event the function was invoked with (as the local stack built it; not to be changed). */
  event: unknown;
  functionName: string | undefined;
  ms: number;
  overlapping: number;
  ok: boolean;
}
const invocationObservers = new Set<(r: InvocationRecord) => void>();
let running = 0;
/** Bench only (bench/cost.ts): every invocation the local stack makes of a Lambda entry, as it ends. */
export const observeInvocations = (fn: (r: InvocationRecord) => void): (() => void) => {
  invocationObservers.add(fn);
  return () => invocationObservers.delete(fn);
};

const asInvocations = <T>(entry: string, handler: T): T => {
  if (typeof handler !== 'function') return handler;
  const fn = handler as (event: unknown, context?: Partial<Context>, ...rest: unknown[]) => unknown;
  return ((event: unknown, context?: Partial<Context>, ...rest: unknown[]) => {
    if (!invocationObservers.size) return inInvocation(context?.awsRequestId, () => fn(event, context, ...rest));
    const overlapping = running++;
    const started = performance.now();
    const done = (ok: boolean) => {
      running--;
      const record: InvocationRecord = { entry, event, functionName: context?.functionName, ms: performance.now() - started, overlapping, ok };
      for (const o of invocationObservers) o(record);
    };
    let out: unknown;
    try {
      out = inInvocation(context?.awsRequestId, () => fn(event, context, ...rest));
    } catch (err) {
      done(false);
      throw err;
    }
    if (out && typeof (out as Promise<unknown>).then === 'function') {
      return (out as Promise<unknown>).then(
        (v) => (done(true), v),
        (err: unknown) => {
          done(false);
          throw err;
        },
      );
    }
    done(true);
    return out;
  }) as T;
};

/** The Lambda context the local stack hands a handler (function name as in AWS, minus the stack prefix). */

export const lambdaContext = (id: string, requestId: string = randomUUID()): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: `complaints-local-${id}`,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:complaints-local-${id}`,
  memoryLimitInMB: '512',
  awsRequestId: requestId,
  logGroupName: `/aws/lambda/complaints-local-${id}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 29_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** The marker a credential path segment is logged as. */
export const REDACTED = '[redacted]';

/**
 * The path as the request log shows it: the segments the route table marks as credentials (the feedback link's token)
 * replaced by [redacted], so a credential never reaches a log. Matched on the literal segments before the credential
 * only (whatever follows, and whatever the method), so a near miss such as a trailing slash is redacted too.
 */
export const loggedPath = (routes: readonly CompiledRoute[], path: string): string => {
  const segments = path.split('/');
  for (const r of routes) {
    const secret = r.def.credentialParams;
    if (!secret?.length) continue;
    const template = r.def.path.split('/');
    const positions = template.flatMap((t, i) => (secret.includes(/^\{(\w+)\}$/.exec(t)?.[1] ?? '') ? [i] : []));
    const last = Math.max(...positions);
    if (segments.length <= last) continue;
    const literalsMatch = template.slice(0, last + 1).every((t, i) => /^\{\w+\}$/.test(t) || t === segments[i]);
    if (!literalsMatch) continue;
    return segments.map((s, i) => (positions.includes(i) ? REDACTED : s)).join('/');
  }
  return path;
};

export const compiledRoutes = (): CompiledRoute[] => routeList().map((r) => compile(r.id, r));

export const startLocalApi = async (opts: LocalApiOptions): Promise<LocalApi> => {
  const clock = opts.clock ?? localClock;
  const routes = compiledRoutes();
  const handlers = new Map<RouteId, () => ApiHandler>();
  const handlerFor = (r: CompiledRoute): ApiHandler => {
    let h = handlers.get(r.id);
    if (!h) handlers.set(r.id, (h = lazyEntry<ApiHandler>(r.def.entry)));
    return h();
  };

  const send = (res: ServerResponse, result: APIGatewayProxyStructuredResultV2, requestId: string) => {
    const headers: Record<string, string> = { 'x-request-id': requestId };
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
    res.writeHead(result.statusCode ?? 200, headers);
    res.end(body);
  };

  const sendProblem = (res: ServerResponse, status: number, title: string, detail: string, requestId: string, headers: Record<string, string> = {}) =>
    send(res, problemResponse(problem(status, title, detail, { instance: `urn:request:${requestId}` }), headers), requestId);

  const parseJson = (buf: Buffer): unknown => {
    try {
      return buf.length ? (JSON.parse(buf.toString('utf8')) as unknown) : {};
    } catch {
      return Symbol.for('invalid');
    }
  };

  const handleLocal = async (req: IncomingMessage, res: ServerResponse, path: string, body: Buffer, requestId: string): Promise<void> => {
    const method = req.method ?? 'GET';
    if (path === '/local/clock' && method === 'GET') return send(res, json(200, { now: clock.now() }), requestId);
    if (path === '/local/clock' && method === 'POST') {
      const parsed = ClockAdvance.safeParse(parseJson(body));
      const ms = parsed.success ? parseDuration(parsed.data.advanceBy) : undefined;
      if (ms === undefined) return sendProblem(res, 400, 'Bad Request', 'advanceBy must be an ISO-8601 duration such as P10D or PT25H (no months or years)', requestId);
      await opts.beforeClockAdvance?.();
      const now = clock.advance(ms);
      const fired = opts.onClockAdvanced ? await opts.onClockAdvanced(now) : [];
      return send(res, json(200, { now, fired }), requestId);
    }
    if (path === '/local/token' && method === 'POST') {
      const parsed = TokenRequest.safeParse(parseJson(body));
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({ field: ['body', ...i.path.map(String)].join('.'), message: i.message }));
        return send(res, problemResponse(problem(400, 'Bad Request', 'expected { sub, groups[], scope?, expiresInSeconds? }', { errors })), requestId);
      }
      return send(res, json(200, await opts.issuer.issue(parsed.data)), requestId);
    }
    if (path === '/local/dead-letters' && method === 'GET' && opts.deadLetters) return send(res, json(200, await opts.deadLetters.list()), requestId);
    if (path === '/local/dead-letters/replay' && method === 'POST' && opts.deadLetters) return send(res, json(200, await opts.deadLetters.replay()), requestId);
    if (path === '/local/inbound-email' && method === 'POST' && opts.onInboundEmail) {
      if (body.length === 0) return sendProblem(res, 400, 'Bad Request', 'send the raw RFC 822 message as the body (e.g. curl --data-binary @message.eml)', requestId);
      const out = await opts.onInboundEmail(body);
      return send(res, json(out.status, out.body), requestId);
    }
    return sendProblem(res, 404, 'Not Found', `no local route ${method} ${path}`, requestId);
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    const requestId = randomUUID();
    const target = req.url ?? '/';
    let url: URL;
    try {
      // The request target is a path: "//host:port/…" must not parse as an authority (it threw here, outside
      // any catch, and took the whole server down).
      url = new URL(`http://localhost${target.startsWith('/') ? '' : '/'}${target}`);
    } catch {
      return sendProblem(res, 400, 'Bad Request', 'the request target is not a valid path', requestId);
    }
    const path = url.pathname;
    res.on('finish', () => opts.log?.(`${req.method} ${loggedPath(routes, path)} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`));
    if (opts.console && (path === '/console' || path.startsWith('/console/'))) {
      const served = opts.console;
      return void serveConsole(served, (req.method ?? 'GET').toUpperCase(), path, res).catch((err: unknown) => {
        opts.log?.(`local server error: ${(err as Error).stack ?? String(err)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end();
      });
    }
    void (async () => {
      const limit = path === '/local/inbound-email' ? INBOUND_EMAIL_MAX_BYTES : GATEWAY_MAX_BYTES;
      const body = await readBody(req, limit);
      if (body === 'too_large') return sendProblem(res, 413, 'Payload Too Large', `request body exceeds ${limit} bytes`, requestId);
      if (path.startsWith('/local/')) return handleLocal(req, res, path, body, requestId);

      const method = (req.method ?? 'GET').toUpperCase();
      const candidates = routes.map((r) => ({ r, m: r.regex.exec(path) })).filter((x) => x.m);
      const hit = candidates.find((x) => x.r.def.method === method);
      if (!hit?.m) {
        if (candidates.length) {
          return sendProblem(res, 405, 'Method Not Allowed', `${method} is not supported on ${path}`, requestId, { allow: candidates.map((c) => c.r.def.method).join(', ') });
        }
        return sendProblem(res, 404, 'Not Found', `no route ${method} ${path}`, requestId);
      }
      const { r, m } = hit;

      let claims: Record<string, string> | undefined;
      if (r.def.auth.kind === 'jwt') {
        // What the API Gateway JWT authorizer does before any Lambda runs.
        const auth = req.headers.authorization ?? '';
        const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
        if (!token) return sendProblem(res, 401, 'Unauthorized', 'a bearer token is required (POST /local/token issues one)', requestId, { 'www-authenticate': 'Bearer' });
        try {
          claims = gatewayClaims(await opts.issuer.verify(token));
        } catch (err) {
          const reason = (err as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'the token has expired' : 'the token is invalid';
          return sendProblem(res, 401, 'Unauthorized', reason, requestId, { 'www-authenticate': 'Bearer error="invalid_token"' });
        }
      }

      // Names a client chooses are data: collected in Maps and turned into own properties (Object.fromEntries defines
      // them), so `?constructor=` or a header named `__proto__` is an ordinary key, never Object.prototype's member.
      const headers: Record<string, string> = Object.fromEntries(
        Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k.toLowerCase(), Array.isArray(v) ? v.join(',') : v]])),
      );
      const queryValues = new Map<string, string>();
      for (const [k, v] of url.searchParams) queryValues.set(k, queryValues.has(k) ? `${queryValues.get(k)},${v}` : v);
      const query: Record<string, string> = Object.fromEntries(queryValues);
      const pathParameters: Record<string, string> = {};
      let badPath = false;
      r.names.forEach((n, i) => {
        try {
          pathParameters[n] = decodeURIComponent(m[i + 1] ?? '');
        } catch {
          badPath = true;
        }
      });
      if (badPath) return sendProblem(res, 400, 'Bad Request', 'the path is not valid URL encoding', requestId);
      const textual = isTextual(headers['content-type']);
      const nowMs = clock.nowMs();
      const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
        version: '2.0',
        routeKey: routeKey(r.def),
        rawPath: path,
        rawQueryString: url.search.slice(1),
        headers,
        ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
        ...(r.names.length ? { pathParameters } : {}),
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: req.headers.host ?? 'localhost',
          domainPrefix: 'local',
          http: { method, path, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: req.headers['user-agent'] ?? '' },
          requestId,
          routeKey: routeKey(r.def),
          stage: '$default',
          time: new Date(nowMs).toUTCString(),
          timeEpoch: nowMs,
          authorizer: { principalId: claims?.sub ?? '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: claims?.scope ? claims.scope.split(' ') : [] } },
        },
        ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
        isBase64Encoded: body.length > 0 && !textual,
      };
      if (r.def.auth.kind === 'public') delete (event.requestContext as { authorizer?: unknown }).authorizer;
      const result = await handlerFor(r)(event, lambdaContext(r.id, requestId));
      send(res, result, requestId);
    })().catch((err: unknown) => {
      opts.log?.(`local server error: ${(err as Error).stack ?? String(err)}`);
      if (!res.headersSent) sendProblem(res, 500, 'Internal Server Error', 'the local server failed; see its log', requestId);
      else res.end();
    });
  });

  // A request the HTTP parser cannot frame (e.g. a DELETE body sent without Content-Length, bytes after the request)
  // gets a problem document too, not Node's bare 400, as every other client error does.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
    const body = JSON.stringify(problem(400, 'Bad Request', 'the request is not valid HTTP/1.1 (framing, headers or target)', { instance: `urn:request:${randomUUID()}` }));
    socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });

  // An idle keep-alive socket is closed by the client first (Node's fetch, undici, drops it after 4 s idle), never by
  // the server while a request is on its way in: with Node's 5 s default, a loaded machine's late timer let the server
  // close a socket just as a client reused it, and the request failed with ECONNRESET. API Gateway keeps idle
  // connections far longer, too.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
};

const json = (status: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode: status,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});
