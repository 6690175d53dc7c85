// DynamoDB clients, created once per process; optional observers count requests per command and sum consumed capacity.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

export interface DynamoClientOptions {
  region: string;
  /** Set for DynamoDB Local; unset in AWS. */
  endpoint?: string;
}

export type RequestObserver = (commandName: string) => void;
const observers = new Set<RequestObserver>();

/** Benchmarks subscribe here to count the DynamoDB requests an API operation makes. */
export const observeDynamoRequests = (fn: RequestObserver): (() => void) => {
  observers.add(fn);
  return () => observers.delete(fn);
};

/** Capacity one request consumed: the table's and each index's write and read units (`ReturnConsumedCapacity: INDEXES`). */
export interface ConsumedUnits {
  commandName: string;
  writeUnits: number;
  readUnits: number;
  /** Per table or index (`table`, `GSI1`, …) write units, summed over the tables a transaction touched. */
  writeUnitsBy: Record<string, number>;
  /** Write and read units per table name (a transaction or batch may touch several). */
  byTable: Record<string, { writeUnits: number; readUnits: number; writeUnitsBy: Record<string, number> }>;
}
export type CapacityObserver = (units: ConsumedUnits) => void;
const capacityObservers = new Set<CapacityObserver>();

/**
 * Benchmarks and tests subscribe here to see the capacity each request consumed. While one is subscribed, every request
 * that accepts it asks for `ReturnConsumedCapacity: INDEXES`; with none subscribed (production), requests are unchanged.
 */
export const observeConsumedCapacity = (fn: CapacityObserver): (() => void) => {
  capacityObservers.add(fn);
  return () => capacityObservers.delete(fn);
};

/** Commands whose input takes `ReturnConsumedCapacity` (every data-plane read and write). */
const CAPACITY_COMMANDS = new Set(['GetItemCommand', 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand', 'TransactGetItemsCommand']);

interface RawCapacity {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }>;
}

/** Sums `ConsumedCapacity` (one object, or one per table for transactions and batches) into units by table/index. */
export const sumCapacity = (commandName: string, raw: RawCapacity | RawCapacity[] | undefined): ConsumedUnits => {
  const out: ConsumedUnits = { commandName, writeUnits: 0, readUnits: 0, writeUnitsBy: {}, byTable: {} };
  const isRead = /^(Get|Query|Scan|BatchGet|TransactGet)/.test(commandName);
  const add = (table: string, name: string, u: { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined) => {
    if (!u) return;
    const write = u.WriteCapacityUnits ?? (isRead ? 0 : (u.CapacityUnits ?? 0));
    const read = u.ReadCapacityUnits ?? (isRead ? (u.CapacityUnits ?? 0) : 0);
    out.writeUnits += write;
    out.readUnits += read;
    const t = (out.byTable[table] ??= { writeUnits: 0, readUnits: 0, writeUnitsBy: {} });
    t.writeUnits += write;
    t.readUnits += read;
    if (write > 0) t.writeUnitsBy[name] = (t.writeUnitsBy[name] ?? 0) + write;
    if (write > 0) out.writeUnitsBy[name] = (out.writeUnitsBy[name] ?? 0) + write;
  };
  for (const c of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
    // With INDEXES, the per-table and per-index figures partition the total; without, only the total is there.
    const table = c.TableName ?? '';
    if (c.Table || c.GlobalSecondaryIndexes) {
      add(table, 'table', c.Table);
      for (const [name, u] of Object.entries(c.GlobalSecondaryIndexes ?? {})) add(table, name, u);
    } else add(table, 'table', c);
  }
  return out;
};

export const createDynamoClients = (opts: DynamoClientOptions) => {
  const raw = withoutSdkLogger(
    new DynamoDBClient({
      region: opts.region,
      ...(opts.endpoint ? { endpoint: opts.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    }),
  );
  // One observing step for both kinds of observer; with none subscribed (production) a request passes straight through.
  raw.middlewareStack.add(
    (next, context) => async (args) => {
      const commandName = String(context.commandName);
      for (const fn of observers) fn(commandName);
      if (capacityObservers.size === 0 || !CAPACITY_COMMANDS.has(commandName)) return next(args);
      const input = args.input as { ReturnConsumedCapacity?: string };
      const result = await next({ ...args, input: { ...input, ReturnConsumedCapacity: 'INDEXES' } });
      const units = sumCapacity(commandName, (result.output as { ConsumedCapacity?: RawCapacity | RawCapacity[] }).ConsumedCapacity);
      for (const fn of capacityObservers) fn(units);
      return result;
    },
    { step: 'initialize', name: 'requestObserver' },
  );
  const doc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  return { raw, doc };
};
