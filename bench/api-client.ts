// The bench phases' HTTP clients for the local stack: tokens from the embedded issuer (cached per caller), and a hard
// failure on any status other than the one expected. `typed` is the integrators' client (@complaints/client, generated
// from the OpenAPI document); `client` is the loose JSON caller kept for phases that time raw requests. Types only from
// the stack, so a phase's memory child that imports this stays light.
import { createComplaintsClient, type ComplaintsClient } from '@complaints/client';
import type { Role } from '#schemas/common';
import type { StartedStack } from '../infra/local/stack';

type Caller = [string, Role[]];

const tokenCache = (stack: StartedStack) => {
  const tokens = new Map<string, Promise<string>>();
  return (sub: string, groups: Role[]): Promise<string> => {
    const k = `${sub}:${groups.join(',')}`;
    let t = tokens.get(k);
    if (!t) tokens.set(k, (t = stack.issuer.issue({ sub, groups }).then((x) => x.token)));
    return t;
  };
};

/** The typed client per caller (one per caller, its token issued once). */
export const typed = (stack: StartedStack) => {
  const token = tokenCache(stack);
  const clients = new Map<string, ComplaintsClient>();
  return ([sub, groups]: Caller): ComplaintsClient => {
    const k = `${sub}:${groups.join(',')}`;
    let c = clients.get(k);
    if (!c) clients.set(k, (c = createComplaintsClient({ baseUrl: stack.api.url, token: () => token(sub, groups) })));
    return c;
  };
};
export type Typed = ReturnType<typeof typed>;

/** The answer's data when its status is `expect`; otherwise the bench fails, naming the call and the problem. */
export const expectStatus = async <D>(call: Promise<{ data?: D; error?: unknown; response: Response }>, expect: number, what: string): Promise<D> => {
  const { data, error, response } = await call;
  if (response.status !== expect || data === undefined) throw new Error(`${what}: expected ${expect}, got ${response.status} ${JSON.stringify(error ?? null).slice(0, 300)}`);
  return data;
};

export interface ApiResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export const client = (stack: StartedStack) => {
  const token = tokenCache(stack);
  return async (method: string, path: string, opts: { as: Caller; body?: unknown; expect: number }): Promise<ApiResponse> => {
    const headers: Record<string, string> = { authorization: `Bearer ${await token(...opts.as)}` };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${stack.api.url}${path}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    const text = await res.text();
    if (res.status !== opts.expect) throw new Error(`${method} ${path}: expected ${opts.expect}, got ${res.status} ${text.slice(0, 300)}`);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
};
export type Api = ReturnType<typeof client>;
