// DynamoDB requests per API operation, counted by the SDK middleware in shared/adapters/aws/dynamo/client.ts.
// The stack runs in this process, so the observer sees every request the handlers send.
import { observeDynamoRequests } from '#adapters/aws/dynamo/client';

export type Counts = Record<string, number>;

export interface OperationCount {
  operation: string;
  request: string;
  status: number;
  counts: Counts;
  total: number;
  /** What the issue asks for; absent for operations measured for information only. */
  goal?: Counts;
  meetsGoal?: boolean;
  note?: string;
}

export interface Caller {
  call(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: unknown; etag: string | null }>;
}

const sameCounts = (a: Counts, b: Counts): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
};

/** `GetItemCommand` → `GetItem`: the DynamoDB API action, as the goals name them. */
const action = (commandName: string) => commandName.replace(/Command$/, '');

export const formatCounts = (c: Counts): string =>
  Object.entries(c)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${v} ${k}`)
    .join(' + ') || '0';

export const makeCounter = (api: Caller) => {
  const results: OperationCount[] = [];
  const measure = async (
    operation: string,
    method: string,
    path: string,
    opts: { token: string; body?: unknown; headers?: Record<string, string>; expect: number; goal?: Counts; note?: string },
  ) => {
    const counts: Counts = {};
    const unsubscribe = observeDynamoRequests((name) => {
      counts[action(name)] = (counts[action(name)] ?? 0) + 1;
    });
    let res: Awaited<ReturnType<Caller['call']>>;
    try {
      res = await api.call(method, path, { token: opts.token, ...(opts.body !== undefined ? { body: opts.body } : {}), ...(opts.headers ? { headers: opts.headers } : {}) });
    } finally {
      unsubscribe();
    }
    if (res.status !== opts.expect) throw new Error(`${operation}: ${method} ${path} answered ${res.status}, expected ${opts.expect}: ${JSON.stringify(res.body)}`);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    results.push({
      operation,
      request: `${method} ${path.replace(/[0-9A-HJKMNP-TV-Z]{26}/g, '{id}')}`,
      status: res.status,
      counts,
      total,
      ...(opts.goal ? { goal: opts.goal, meetsGoal: sameCounts(counts, opts.goal) } : {}),
      ...(opts.note ? { note: opts.note } : {}),
    });
    return res;
  };
  return { measure, results };
};
