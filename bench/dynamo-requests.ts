// DynamoDB requests per API operation, counted by the SDK middleware in shared/adapters/aws/dynamo/client.ts.
// The stack runs in this process, so the observer sees every request the handlers send; the calls go through the typed client.
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

/** A typed client call (@complaints/client): what the counter runs and checks. */
export type TypedCall<D> = () => Promise<{ data?: D; error?: unknown; response: Response }>;

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

export const makeCounter = () => {
  const results: OperationCount[] = [];
  /** Runs `call` while counting the DynamoDB requests it causes; `request` names it in the report (`POST /v1/complaints/{id}/owner`). */
  const measure = async <D>(operation: string, request: string, call: TypedCall<D>, opts: { expect: number; goal?: Counts; note?: string }): Promise<{ data: D; response: Response }> => {
    const counts: Counts = {};
    const unsubscribe = observeDynamoRequests((name) => {
      counts[action(name)] = (counts[action(name)] ?? 0) + 1;
    });
    let res: Awaited<ReturnType<TypedCall<D>>>;
    try {
      res = await call();
    } finally {
      unsubscribe();
    }
    const { data, error, response } = res;
    if (response.status !== opts.expect || data === undefined) throw new Error(`${operation}: ${request} answered ${response.status}, expected ${opts.expect}: ${JSON.stringify(error ?? null)}`);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    results.push({
      operation,
      request,
      status: response.status,
      counts,
      total,
      ...(opts.goal ? { goal: opts.goal, meetsGoal: sameCounts(counts, opts.goal) } : {}),
      ...(opts.note ? { note: opts.note } : {}),
    });
    return { data, response };
  };
  return { measure, results };
};
