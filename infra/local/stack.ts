// The embedded stack as a library: DynamoDB Local + tables + local S3 + token issuer + local API + local workflows
// (the ASL CDK deploys, run in-process), used by npm start, tests and bench.
import { createHash, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '#adapters/aws/dynamo/table-model';
import { API_FUNCTION_TIMEOUT_SECONDS, sdkRetryEnvironment } from '#adapters/aws/retry-policy';
import { localClock } from '#adapters/local/local-clock';
import { LOCAL_TABLE, type LocalScheduler } from '#adapters/local/local-scheduler';
import { ensureHelpdeskSecretsFile } from '#adapters/local/local-helpdesk-secrets';
import { localInboundEmail } from './inbound-email';
import { localOutbox } from '#adapters/local/local-outbox';
import { localExportLauncher } from '#adapters/local/local-export-launcher';
import { localInboundReplayer } from '#adapters/local/local-inbound-replayer';
import { ensureTables, startDynamoLocal, type RunningDynamo } from './dynamodb-local';
import { startLocalS3, type LocalS3, type ObjectCreatedEvent } from './s3-local';
import { lambdaContext, lazyEntry, startLocalApi, type LocalApi } from './server';
import type { ConsoleServing } from './console';
import { StreamPages, StreamPoller, type StreamHandler } from './stream-poller';
import { LocalTimers, type CheckpointHandler, type DailyJob } from './timers';
import { TokenIssuer } from './token-issuer';
import { LocalWorkflows } from './workflows';
import { LocalWebhookRoute } from './webhooks';
import { installFaultHooks, standInCall, type FaultInjector } from './faults';
import { installLocalInvokeStore } from './invoke-store';


export interface LocalTables {
  cases: string;
  idempotency: string;
  /** Local-only: the scheduler's schedules, the stream poller's positions, the workflows' executions (`WF#…`). */
  local: string;
}


/**
 * The environment the handlers read at cold start. It must be set before the first handler
 * module loads, exactly as Lambda sets it before the runtime imports the bundle.
 */
export const applyLocalEnv = (endpoint: string, tables: LocalTables, extra: Record<string, string> = {}): void => {
  // Many invocations share this process at once: Powertools keeps each one's state apart (see ./invoke-store).
  installLocalInvokeStore();
  Object.assign(process.env, {
    AWS_REGION: process.env.AWS_REGION ?? 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DYNAMODB_ENDPOINT: endpoint,
    TABLE_NAME: tables.cases,
    IDEMPOTENCY_TABLE_NAME: tables.idempotency,
    LOCAL_TABLE_NAME: tables.local,
    INTEGRATIONS: 'local',
    CLOCK: 'local',
    POWERTOOLS_DEV: process.env.POWERTOOLS_DEV ?? 'false',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_METRICS_NAMESPACE: 'Complaints',
    // The retry policy a deployed API function gets from its timeout (#adapters/aws/retry-policy).
    ...sdkRetryEnvironment(API_FUNCTION_TIMEOUT_SECONDS),
    // Node 20 runs locally; Lambda runs Node 22 (see README "Upgrading to Node 22").
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  });
};

/** Case-stream handler invocations per stream page, side by side (StreamPoller `lanes`). */
const STREAM_LANES = 32;
/**
 * A failed stream record is retried at once this many times before its drain gives up on it until the next round
 * (StreamPoller `retriesInDrain`): under injected faults a page otherwise advanced one failed record per round.
 */
const STREAM_RETRIES_IN_DRAIN = 3;

/**
 * The daily retention fan-out, the same path as in AWS: the handler entry the EventBridge schedule invokes dispatches
 * due case ids in batches to the (here in-memory) queue, and each batch goes to the same handler as the SQS event
 * source would deliver it, a few at a time (the mapping's maximum concurrency). A failed batch stays due in the index
 * and is dispatched again the next day. The run's result adds up the dispatch and every batch.
 */
const RETENTION_LOCAL_CONCURRENCY = 4;
const retentionJob = (): DailyJob => {
  const handler = lazyEntry<(event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>>('functions/retention-job/handler.ts');
  return {
    name: 'retention-job',
    run: async (now) => {
      const dispatch = (await handler()({ source: 'local.timers', 'detail-type': 'Scheduled Event', time: now }, lambdaContext('retention-job'))) as Record<string, unknown>;
      const { localRetentionQueue } = await import('#adapters/local/local-retention-queue');
      const batches = localRetentionQueue.take();
      const held = Number(dispatch.held ?? 0);
      const total = { examined: held, redacted: 0, skippedLegalHold: held, failed: 0, failures: [] as unknown[], stoppedEarly: false };
      let seq = 0;
      const worker = async () => {
        for (let ids = batches.shift(); ids; ids = batches.shift()) {
          const record = { messageId: `local-retention-${++seq}`, body: JSON.stringify({ caseIds: ids }), eventSource: 'aws:sqs' };
          const out = (await handler()({ Records: [record] }, lambdaContext('retention-job'))) as { run: typeof total };
          total.examined += out.run.examined;
          total.redacted += out.run.redacted;
          total.skippedLegalHold += out.run.skippedLegalHold;
          total.failed += out.run.failed;
          total.failures.push(...out.run.failures);
          total.stoppedEarly ||= out.run.stoppedEarly;
        }
      };
      await Promise.all(Array.from({ length: RETENTION_LOCAL_CONCURRENCY }, worker));
      return { ...dispatch, ...total };
    },
  };
};

/** The daily problem signals job (spikes, suggestions): the same handler entry the EventBridge schedule invokes in AWS. */
const problemSignalsJob = (): DailyJob => {
  const handler = lazyEntry<(event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>>('functions/problem-signals/handler.ts');
  return { name: 'problem-signals', run: (now) => handler()({ source: 'local.timers', 'detail-type': 'Scheduled Event', time: now }, lambdaContext('problem-signals')) };
};

/** The audit digest job: the same handler entry the recurring EventBridge Scheduler schedule invokes in AWS. */
const auditDigestJob = () => {
  const handler = lazyEntry<(event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>>('functions/audit-digest/handler.ts');
  return (now: string) => handler()({ source: 'local.timers', 'detail-type': 'Scheduled Event', time: now }, lambdaContext('audit-digest'));
};

/** The staff console served at /console/: its runtime config (config.json), given or built from the API's URL. */
export type LocalConsoleOptions = {
  dir?: string;
  /**
   * Exact origins (scheme://host:port) the console's scripts may also connect to, besides its own and the local S3: e.g.
   * the OpenID provider a browser test signs in with in deployed mode. Wildcards and paths are refused.
   */
  connectSrc?: readonly string[];
} & ({ config: unknown } | { configFor: (apiUrl: string) => unknown });

/** Each value must be an origin exactly as a browser writes it: a CSP source list must not widen by accident. */
const exactOrigins = (values: readonly string[]): string[] =>
  values.map((value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url || url.origin !== value || !['http:', 'https:'].includes(url.protocol) || value.includes('*')) throw new Error(`console connectSrc: ${value} is not an exact http(s) origin`);
    return value;
  });

export interface StartedStack {
  api: LocalApi;
  issuer: TokenIssuer;
  timers: LocalTimers;
  poller: StreamPoller;
  /** The reporting projection's consumer of the same stream (absent when started with `projection: false`). */
  projection?: StreamPoller;
  scheduler: LocalScheduler;
  /** Approval and escalation executions (the WorkflowEngine the handlers use); what `restore()` continued at start-up. */
  workflows: LocalWorkflows;
  restoredWorkflows: { resumed: string[]; restarted: string[] };
  dynamo?: RunningDynamo;
  tables: LocalTables;
  /** The evidence bucket on the local S3; `idle()` resolves when every Object Created event has reached the verifier. */
  s3: Pick<LocalS3, 'endpoint' | 'bucket' | 'idle' | 'failed'> & { exportsBucket: string };
  /** The local manifest signing key (P-256 PEM). */
  signingKeyFile: string;
  /** The helpdesk signing secrets (JSON: provider → secret) the webhook intake checks deliveries against. */
  helpdeskSecretsFile: string;
  /** The local stand-in of the bucket SES receiving writes raw messages to. */
  inboundBucket: string;
  /** Published events on their way to the webhook delivery function (bus rule → queue, locally). */
  webhooks: LocalWebhookRoute;
  /** The faults FAULT_INJECTION put in force at start (absent without); `setFaults` (infra/local/faults) changes them. */
  faults?: FaultInjector;
  /** Runs the audit digest job now (the handler the schedule invokes), as the periodic timer would. */
  runAuditDigest(): Promise<unknown>;
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
  /** How often the local scheduler looks for due schedules in real time (default 1 s; 0 = only on clock moves). */
  tickMs?: number;
  /** Default: ephemeral. */
  s3Port?: number;
  /** Default: `complaints-evidence` with a dataDir (npm start), else a unique name. */
  evidenceBucket?: string;
  /**
   * Run the reporting projection's stream consumer (default true). Tests that never read reports turn it off: on
   * DynamoDB Local each case change costs the projection a transaction, and nothing those tests check depends on it.
   */
  projection?: boolean;
  /** Run the retention job once a local day, as the clock passes midnight UTC (default true). */
  retentionJob?: boolean;
  /** Run the audit digest job each time the clock passes a multiple of AUDIT_DIGEST_MINUTES (default true). */
  auditDigest?: boolean;
  /** Run the problem signals job (spike detection, problem suggestions) once a local day (default true). */
  problemSignals?: boolean;
  /** Serve the built staff console at /console/ with this runtime config (npm start; the browser tests). */
  console?: LocalConsoleOptions;
}): Promise<StartedStack> => {
  const consoleConnectSrc = exactOrigins(opts.console?.connectSrc ?? []);
  // A restart on the same tables (in-process, as a test restarts npm start) keeps the same bucket names: handlers read
  // their settings once per process, so the buckets they were told must still be there after the restart.
  const suffix = opts.tables ? createHash('sha256').update(opts.tables.cases).digest('hex').slice(0, 8) : randomUUID().slice(0, 8);
  const exportsBucket = opts.dataDir ? 'complaints-exports' : `complaints-exports-${suffix}`;
  // Email intake: the bucket SES receiving writes to, and the helpdesk signing secrets (random on first start).
  const inboundBucket = opts.dataDir ? 'complaints-inbound-mail' : `complaints-inbound-mail-${suffix}`;
  const helpdeskSecretsFile = opts.dataDir ? join(opts.dataDir, 'helpdesk-secrets.json') : join(tmpdir(), `complaints-helpdesk-secrets-${suffix}.json`);
  const signingKeyFile = opts.dataDir ? join(opts.dataDir, 'export-signing-key.pem') : join(tmpdir(), `complaints-export-key-${suffix}.pem`);
  const webhookKeyFile = opts.dataDir ? join(opts.dataDir, 'webhook-secret.key') : join(tmpdir(), `complaints-webhook-key-${suffix}`);
  // The HMAC key of the satisfaction-feedback links (random on first use; kept with the data so links survive a restart).
  const feedbackKeyFile = opts.dataDir ? join(opts.dataDir, 'feedback-signing.key') : join(tmpdir(), `complaints-feedback-key-${suffix}`);
  // The key material of sealed page cursors: generated per stack on first use (kept with the data, like the others).
  const cursorKeyFile = opts.dataDir ? join(opts.dataDir, 'page-cursor.key') : join(tmpdir(), `complaints-cursor-key-${suffix}`);
  const dynamo = opts.endpoint ? undefined : await startDynamoLocal({ ...(opts.dataDir ? { dataDir: join(opts.dataDir, 'dynamodb') } : {}), ...(opts.dynamoPort ? { port: opts.dynamoPort } : {}) });
  const endpoint = opts.endpoint ?? (dynamo as RunningDynamo).endpoint;
  const tables = opts.tables ?? { cases: 'complaints', idempotency: 'complaints-idempotency', local: 'complaints-local' };
  let s3: LocalS3 | undefined;
  let workflows: LocalWorkflows | undefined;
  try {
    // S3 → EventBridge → verifier, locally: the stand-in's Object Created events go to the same handler entry CDK deploys.
    const verifier = lazyEntry<(event: ObjectCreatedEvent, context: ReturnType<typeof lambdaContext>) => Promise<unknown>>('functions/evidence-verifier/handler.ts');
    s3 = await startLocalS3({
      ...(opts.dataDir ? { dataDir: join(opts.dataDir, 's3') } : {}),
      ...(opts.s3Port !== undefined ? { port: opts.s3Port } : {}),
      bucket: opts.evidenceBucket ?? (opts.dataDir ? 'complaints-evidence' : `complaints-evidence-${suffix}`),
      extraBuckets: [exportsBucket, inboundBucket],
      // The console is served by the local API on a loopback port: its pages upload evidence straight to this bucket.
      ...(opts.console ? { corsOrigins: ['http://127.0.0.1:*', 'http://localhost:*'] } : {}),
      onObjectCreated: (event) => verifier()(event, lambdaContext('evidence-verifier')),
      now: () => localClock.nowMs(),
      // The region applyLocalEnv gives the handlers.
      region: process.env.AWS_REGION ?? 'local',
      ...(opts.log ? { log: opts.log } : {}),
    });
    await ensureTables(endpoint, [
      { name: tables.cases, def: TABLES.cases },
      { name: tables.idempotency, def: TABLES.idempotency },
      { name: tables.local, def: LOCAL_TABLE },
    ]);
    applyLocalEnv(endpoint, tables, { S3_ENDPOINT: s3.endpoint, EVIDENCE_BUCKET: s3.bucket, EXPORTS_BUCKET: exportsBucket, INBOUND_MAIL_BUCKET: inboundBucket, HELPDESK_SECRETS_FILE: helpdeskSecretsFile, EXPORT_SIGNING_KEY_FILE: signingKeyFile, WEBHOOK_SECRET_KEY_FILE: webhookKeyFile, FEEDBACK_SIGNING_KEY_FILE: feedbackKeyFile, CURSOR_KEY_FILE: cursorKeyFile });
    ensureHelpdeskSecretsFile(helpdeskSecretsFile);
    // Fault injection (FAULT_INJECTION, FAULT_SEED): on every SDK client the handlers build from here on and at the
    // stand-ins' boundary; the stand-ins' own bookkeeping (the local table, SES writing raw mail) is AWS's side.
    const faults = installFaultHooks({ exempt: standInCall(tables.local, inboundBucket) });
    // Loaded after the environment is set: the container reads it once.
    const container = await import('#http/container');
    const { deadlineIntegrations } = await import('#http/integrations');
    const scheduler = deadlineIntegrations().scheduler as LocalScheduler;
    const { raw, doc } = container.dynamo();
    // Every consumer of the cases-table stream reads it through the same pages (StreamPages; each poller joins).
    const pages = new StreamPages();
    /** One consumer of the cases-table stream, like one event source mapping in AWS (each keeps its own positions). */
    const consumer = (entry: string, name?: string, lanes = 1) =>
      new StreamPoller({
        lanes,
        retriesInDrain: STREAM_RETRIES_IN_DRAIN,
        endpoint,
        region: process.env.AWS_REGION ?? 'local',
        tableName: tables.cases,
        stateTable: tables.local,
        dynamo: raw,
        doc,
        handler: lazyEntry<StreamHandler>(entry),
        ...(name ? { consumer: name } : {}),
        pages,
        context: (n) => lambdaContext(n),
        ...(opts.log ? { log: opts.log } : {}),
      });
    // The case stream's handler applies each record on its own (schedules, events, workflows): its pages go out in lanes
    // by case, as the table's shards would in AWS. The projection takes a page at once (it projects a batch's cases
    // together and skips what a later record of the same case supersedes), so it keeps one lane.
    const poller = consumer('functions/case-stream/handler.ts', undefined, STREAM_LANES);
    // The reporting projection: a second consumer of the same stream.
    const projection = opts.projection === false ? undefined : consumer('functions/report-projection/handler.ts', 'report-projection');
    // Compliance exports: the case-stream handler launches the builder (an asynchronous invocation in AWS).
    const builder = lazyEntry<(event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>>('functions/export-builder/handler.ts');
    localExportLauncher.install((job) => builder()(job, lambdaContext('export-builder')), opts.log);
    // The replay of a recorded inbound rejection: the replay route invokes the inbound-email function (synchronously in AWS).
    const inboundEmail = lazyEntry<(event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>>('functions/inbound-email/handler.ts');
    localInboundReplayer.install((event) => inboundEmail()(event, lambdaContext('inbound-email')));
    // Step Functions: installed before any handler runs (the container asks for it), then what ran before a restart
    // continues, before the catch-up below fires the timers that lapsed meanwhile.
    workflows = new LocalWorkflows({ doc, tableName: tables.local, clock: localClock, ...(opts.log ? { log: opts.log } : {}) });
    workflows.install();
    const restoredWorkflows = await workflows.restore();
    // Subscriber webhooks: published events reach the delivery function as the bus rule's queue would hand them over.
    const webhooks = new LocalWebhookRoute(localOutbox);
    const digest = auditDigestJob();
    const timers = new LocalTimers({
      poller,
      consumers: projection ? [projection] : [],
      scheduler,
      workflows,
      checkpoint: lazyEntry<CheckpointHandler>('functions/checkpoint/handler.ts'),
      context: (name) => lambdaContext(name),
      now: () => localClock.now(),
      ...(opts.log ? { log: opts.log } : {}),
      daily: [...(opts.retentionJob === false ? [] : [retentionJob()]), ...(opts.problemSignals === false ? [] : [problemSignalsJob()])],
      jobs: [webhooks.job],
      ...(opts.auditDigest === false ? {} : { periodic: [{ name: 'audit-digest', everyMs: (await import('#http/config')).config().AUDIT_DIGEST_MINUTES * 60_000, run: digest }] }),
    });
    const unlog = opts.log ? localOutbox.onLog(opts.log) : () => undefined;
    const streamConsumers = projection ? [poller, projection] : [poller];
    // Catch up: whatever fell due while the stack was down fires now, before the API answers.
    await timers.pump();
    // The console PUTs evidence straight to the local S3 with presigned URLs: its CSP lets scripts connect there, and to
    // the exact origins the caller adds (a test's OpenID provider).
    const serving: ConsoleServing | undefined = opts.console
      ? { ...(opts.console.dir ? { dir: opts.console.dir } : {}), config: 'config' in opts.console ? opts.console.config : undefined, connectSrc: [s3.endpoint, ...consoleConnectSrc] }
      : undefined;
    const issuer = await TokenIssuer.create({ ...(opts.keyFile ? { keyFile: opts.keyFile } : {}), now: () => localClock.nowMs() });
    const api = await startLocalApi({
      issuer,
      beforeClockAdvance: () => timers.pump(),
      onClockAdvanced: () => timers.pump(),
      deadLetters: {
        list: async () => ({
          streams: Object.fromEntries(await Promise.all(streamConsumers.map(async (c) => [c.name, await c.deadLetters()] as const))),
          timers: await scheduler.deadLetters(),
        }),
        replay: async () => ({
          streams: Object.fromEntries(await Promise.all(streamConsumers.map(async (c) => [c.name, await c.replayDeadLetters()] as const))),
          timers: await scheduler.replayDeadLetters(),
        }),
      },
      onInboundEmail: localInboundEmail({ bucket: inboundBucket, endpoint: s3.endpoint, region: process.env.AWS_REGION ?? 'local' }),
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.host ? { host: opts.host } : {}),
      ...(opts.log ? { log: opts.log } : {}),
      ...(serving ? { console: serving } : {}),
    });
    // A config that names the API (deployed mode in the browser tests) is known once the API has its port.
    if (serving && opts.console && 'configFor' in opts.console) serving.config = opts.console.configFor(api.url);
    if ((opts.tickMs ?? 1000) > 0) timers.start(opts.tickMs ?? 1000);
    return {
      api,
      issuer,
      timers,
      poller,
      ...(projection ? { projection } : {}),
      scheduler,
      workflows,
      restoredWorkflows,
      ...(dynamo ? { dynamo } : {}),
      tables,
      s3: { endpoint: s3.endpoint, bucket: s3.bucket, idle: s3.idle, failed: s3.failed, exportsBucket },
      signingKeyFile,
      webhooks,
      runAuditDigest: () => digest(localClock.now()),
      ...(faults ? { faults } : {}),
      helpdeskSecretsFile,
      inboundBucket,
      stop: async () => {
        await api.close();
        await timers.stop();
        // Executions stay `running` in the store: the next start continues them.
        await workflows?.stop();
        poller.close();
        projection?.close();
        // After the API (no new presigned URLs), before DynamoDB (pending verifications still write).
        await s3?.stop();
        unlog();
        await dynamo?.stop();
        // A temporary signing key (no data dir: tests, bench) goes with the stack.
        if (!opts.dataDir) rmSync(signingKeyFile, { force: true });
        webhooks.close();
        if (!opts.dataDir) rmSync(webhookKeyFile, { force: true });
        if (!opts.dataDir) rmSync(feedbackKeyFile, { force: true });
        if (!opts.dataDir) rmSync(cursorKeyFile, { force: true });
        if (!opts.dataDir) rmSync(helpdeskSecretsFile, { force: true });
      },
    };
  } catch (err) {
    await workflows?.stop();
    await s3?.stop();
    await dynamo?.stop();
    throw err;
  }
};
