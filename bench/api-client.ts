// The bench phases' HTTP client for the local stack: tokens from the embedded issuer (cached per caller), JSON in
// and out, and a hard failure on any status other than the one expected. Types only from the stack, so a phase's
// memory child that imports this stays light.
import type { Role } from '#schemas/common';
import type { StartedStack } from '../infra/local/stack';

export interface ApiResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export const client = (stack: StartedStack) => {
  const tokens = new Map<string, string>();
  const token = async (sub: string, groups: Role[]) => {
    const k = `${sub}:${groups.join(',')}`;
    let t = tokens.get(k);
    if (!t) tokens.set(k, (t = (await stack.issuer.issue({ sub, groups })).token));
    return t;
  };
  return async (method: string, path: string, opts: { as: [string, Role[]]; body?: unknown; expect: number }): Promise<ApiResponse> => {
    const headers: Record<string, string> = { authorization: `Bearer ${await token(...opts.as)}` };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${stack.api.url}${path}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    const text = await res.text();
    if (res.status !== opts.expect) throw new Error(`${method} ${path}: expected ${opts.expect}, got ${res.status} ${text.slice(0, 300)}`);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
};
export type Api = ReturnType<typeof client>;
