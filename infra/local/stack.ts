// The embedded stack as a library: DynamoDB Local + tables + token issuer + local API, used by npm start, tests and bench.
import { join } from 'node:path';
import { TABLES } from '#adapters/aws/dynamo/table-model';
import { localClock } from '#adapters/local/local-clock';
import { ensureTables, startDynamoLocal, type RunningDynamo } from './dynamodb-local';
import { startLocalApi, type LocalApi } from './server';
import { TokenIssuer } from './token-issuer';

export interface LocalTables {
  cases: string;
  idempotency: string;
}

/**
 * The environment the handlers read at cold start. It must be set before the first handler
 * module loads, exactly as Lambda sets it before the runtime imports the bundle.
 */
export const applyLocalEnv = (endpoint: string, tables: LocalTables, extra: Record<string, string> = {}): void => {
  Object.assign(process.env, {
    AWS_REGION: process.env.AWS_REGION ?? 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: endpoint,
    TABLE_NAME: tables.cases,
    IDEMPOTENCY_TABLE_NAME: tables.idempotency,
    CLOCK: 'local',
    POWERTOOLS_DEV: process.env.POWERTOOLS_DEV ?? 'false',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_METRICS_NAMESPACE: 'Complaints',
    // Node 20 runs locally; Lambda runs Node 22 (see README "Upgrading to Node 22").
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  });
};

export interface StartedStack {
  api: LocalApi;
  issuer: TokenIssuer;
  dynamo?: RunningDynamo;
  tables: LocalTables;
  stop(): Promise<void>;
}

/** Starts the API against an already running DynamoDB Local (tests) or a new one (npm start). */
export const startStack = async (opts: {
  endpoint?: string;
  dataDir?: string;
  tables?: LocalTables;
  port?: number;
  host?: string;
  log?: (line: string) => void;
  keyFile?: string;
  dynamoPort?: number;
}): Promise<StartedStack> => {
  const dynamo = opts.endpoint ? undefined : await startDynamoLocal({ ...(opts.dataDir ? { dataDir: join(opts.dataDir, 'dynamodb') } : {}), ...(opts.dynamoPort ? { port: opts.dynamoPort } : {}) });
  const endpoint = opts.endpoint ?? (dynamo as RunningDynamo).endpoint;
  const tables = opts.tables ?? { cases: 'complaints', idempotency: 'complaints-idempotency' };
  try {
    await ensureTables(endpoint, [
      { name: tables.cases, def: TABLES.cases },
      { name: tables.idempotency, def: TABLES.idempotency },
    ]);
    applyLocalEnv(endpoint, tables);
    const issuer = await TokenIssuer.create({ ...(opts.keyFile ? { keyFile: opts.keyFile } : {}), now: () => localClock.nowMs() });
    const api = await startLocalApi({ issuer, ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.host ? { host: opts.host } : {}), ...(opts.log ? { log: opts.log } : {}) });
    return {
      api,
      issuer,
      ...(dynamo ? { dynamo } : {}),
      tables,
      stop: async () => {
        await api.close();
        await dynamo?.stop();
      },
    };
  } catch (err) {
    await dynamo?.stop();
    throw err;
  }
};
