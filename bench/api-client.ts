// The bench phases' HTTP clients for the local stack: the integrators' typed client (@complaints/client, generated
// from the OpenAPI document) per caller with tokens from the embedded issuer, a hard failure on any status other than
// the one expected, and the local clock (a local-only route, outside the contract). Types only from the stack, so a
// phase's memory child that imports this stays light.
import { createComplaintsClient, type ComplaintsClient } from '@complaints/client';
import type { Fired } from '#adapters/local/local-scheduler';
import type { Role } from '#schemas/common';
import type { StartedStack } from '../infra/local/stack';

export type Caller = [string, Role[]];

export interface TypedOptions {
  /**
   * Issue a token before every request instead of once per caller: for phases that move the local clock by days,
   * where a token expires after an hour of local time.
   */
  freshTokens?: boolean;
}

const tokenCache = (stack: StartedStack) => {
  const tokens = new Map<string, Promise<string>>();
  return (sub: string, groups: Role[]): Promise<string> => {
    const k = `${sub}:${groups.join(',')}`;
    let t = tokens.get(k);
    if (!t) tokens.set(k, (t = stack.issuer.issue({ sub, groups }).then((x) => x.token)));
    return t;
  };
};

/** The typed client per caller (one client per caller; its token issued once, or before each request with `freshTokens`). */
export const typed = (stack: StartedStack, opts: TypedOptions = {}) => {
  const cached = tokenCache(stack);
  const token = opts.freshTokens ? async (sub: string, groups: Role[]) => (await stack.issuer.issue({ sub, groups })).token : cached;
  const clients = new Map<string, ComplaintsClient>();
  return ([sub, groups]: Caller): ComplaintsClient => {
    const k = `${sub}:${groups.join(',')}`;
    let c = clients.get(k);
    if (!c) clients.set(k, (c = createComplaintsClient({ baseUrl: stack.api.url, token: () => token(sub, groups) })));
    return c;
  };
};
export type Typed = ReturnType<typeof typed>;

/** The typed client with no token: for the routes the contract leaves unauthenticated (feedback links). */
export const anonymous = (stack: StartedStack): ComplaintsClient => createComplaintsClient({ baseUrl: stack.api.url });

/** The answer's data when its status is `expect`; otherwise the bench fails, naming the call and the problem. */
export const expectStatus = async <D>(call: Promise<{ data?: D; error?: unknown; response: Response }>, expect: number, what: string): Promise<D> => {
  const { data, error, response } = await call;
  if (response.status !== expect || data === undefined) throw new Error(`${what}: expected ${expect}, got ${response.status} ${JSON.stringify(error ?? null).slice(0, 300)}`);
  return data;
};

/** The answer's status when it is `expect` (bodies not read as data: refusals whose problem the phase does not inspect). */
export const expectOnly = async (call: Promise<{ response: Response }>, expect: number, what: string): Promise<number> => {
  const { response } = await call;
  if (response.status !== expect) throw new Error(`${what}: expected ${expect}, got ${response.status}`);
  return response.status;
};

/**
 * The local clock (`GET`/`POST /local/clock`): a local-only route, outside the OpenAPI document and so outside the
 * typed client; raw fetch. `advance` resolves with the timers that fired (the route pumps before and after moving).
 */
export const localClock = (stack: StartedStack) => {
  const call = async <T>(init?: RequestInit): Promise<T> => {
    const res = await fetch(`${stack.api.url}/local/clock`, init);
    if (res.status !== 200) throw new Error(`${init?.method ?? 'GET'} /local/clock: expected 200, got ${res.status} ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as T;
  };
  return {
    now: async (): Promise<number> => Date.parse((await call<{ now: string }>()).now),
    advance: async (advanceBy: string): Promise<Fired[]> => (await call<{ fired: Fired[] }>({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceBy }) })).fired,
  };
};
