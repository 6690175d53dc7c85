// `npm start`: the whole product on embedded stand-ins (DynamoDB Local, local JWT issuer, local clock).
import { existsSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { localClock } from '#adapters/local/local-clock';
import { checkJava, LocalStackError } from './dynamodb-local';
import { ensureConsoleBuilt } from './console';
import { startStack } from './stack';

const ROOT = resolve(__dirname, '..', '..');
const DATA_DIR = resolve(ROOT, process.env.DATA_DIR ?? '.data');
const PORT = Number(process.env.PORT ?? 3000);
const HOST = process.env.HOST ?? '127.0.0.1';
/** Written while the stack runs: its DynamoDB endpoint and tables. */
const RUNNING_FILE = join(DATA_DIR, 'running.json');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const say = (line: string) => process.stdout.write(`${line}\n`);
const fail = (line: string): never => {
  process.stderr.write(`✗ ${line}\n`);
  process.exit(1);
};

const portFree = (port: number, host: string): Promise<boolean> =>
  new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, host, () => srv.close(() => res(true)));
  });

/** The local clock's offset survives restarts, like the data does. */
const restoreClock = () => {
  const file = join(DATA_DIR, 'clock.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: number };
    if (typeof saved.offsetMs === 'number' && saved.offsetMs > 0) localClock.setOffset(saved.offsetMs);
  }
  localClock.onChange((offsetMs) => writeFileSync(file, JSON.stringify({ offsetMs })));
};

const main = async () => {
  if (!Number.isInteger(PORT) || PORT < 0 || PORT > 65535) fail(`PORT must be a port number, got ${process.env.PORT}`);
  checkJava();
  if (!(await portFree(PORT, HOST))) fail(`port ${PORT} is already in use on ${HOST}: stop the other process or run PORT=${PORT + 1} npm start`);
  mkdirSync(DATA_DIR, { recursive: true });
  restoreClock();

  const t0 = performance.now();
  // The console builds in a child process while DynamoDB Local starts; unchanged sources reuse the last build.
  const consoleBuild = ensureConsoleBuilt(say).then(
    (r) => (r.built ? `✓ console built in ${(r.ms / 1000).toFixed(1)} s` : '✓ console build is current (sources unchanged)'),
    (err: unknown) => `⚠ the console did not build, /console/ answers 503 until it does: ${(err as Error).message}`,
  );
  say(`▸ starting DynamoDB Local (data in ${join(DATA_DIR, 'dynamodb')}) …`);
  const stack = await startStack({
    dataDir: DATA_DIR,
    port: PORT,
    host: HOST,
    keyFile: join(DATA_DIR, 'local-issuer-key.json'),
    log: (line) => say(`  ${new Date(localClock.nowMs()).toISOString()} ${line}`),
    ...(process.env.DYNAMODB_PORT ? { dynamoPort: Number(process.env.DYNAMODB_PORT) } : {}),
    ...(process.env.S3_PORT ? { s3Port: Number(process.env.S3_PORT) } : {}),
    console: { config: { mode: 'local' } },
  });
  say(`✓ DynamoDB Local on ${stack.dynamo?.endpoint}, tables ${stack.tables.cases} + ${stack.tables.idempotency} ready`);
  // Where tools such as `npm run reports:rebuild` find the running stack's database.
  writeFileSync(RUNNING_FILE, JSON.stringify({ pid: process.pid, dynamodb: stack.dynamo?.endpoint, tables: stack.tables }));
  say(`✓ local S3 (s3rver) on ${stack.s3.endpoint}, bucket ${stack.s3.bucket} (data in ${join(DATA_DIR, 's3')}); Object Created events → evidence verifier`);
  const pending = await stack.scheduler.pending();
  const caughtUp = stack.timers.history.length;
  say(`✓ local scheduler: ${pending.length} pending timer(s)${caughtUp ? `, ${caughtUp} caught up after the restart` : ''}; stream poller on ${stack.tables.cases}`);
  const { resumed, restarted } = stack.restoredWorkflows;
  const running = stack.workflows.executions().filter((e) => e.status === 'RUNNING').length;
  say(
    `✓ local Step Functions: approval + escalation (the ASL CDK deploys); ${running} execution(s) running` +
      (resumed.length + restarted.length ? `, ${resumed.length} resumed and ${restarted.length} restarted after the restart` : ''),
  );
  if (stack.faults) {
    say(`⚠ fault injection (FAULT_INJECTION, seed ${process.env.FAULT_SEED ?? 1}): a share of the calls to AWS services fail on purpose`);
    for (const line of stack.faults.describe()) say(`    ${line}`);
  }
  say(await consoleBuild);
  say(`✓ API on ${stack.api.url} (ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  if (localClock.offset > 0) say(`  local clock is ${Math.round(localClock.offset / 3_600_000)} h ahead of real time (${localClock.now()})`);
  say('');
  say(`  console:  ${stack.api.url}/console/ (local sign-in: pick a user and roles)`);
  say(`  health:   curl ${stack.api.url}/v1/health`);
  say(`  openapi:  curl ${stack.api.url}/v1/openapi.json`);
  say('  get a token (roles: intake handler supervisor compliance legal admin):');
  say(`    TOKEN=$(curl -s -X POST ${stack.api.url}/local/token -H 'content-type: application/json' \\`);
  say(`      -d '{"sub":"alice","groups":["handler","supervisor"]}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`);
  say(`    curl -H "authorization: Bearer $TOKEN" ${stack.api.url}/v1/complaints`);
  say('');
  say(`  helpdesk webhooks: POST ${stack.api.url}/v1/intake/helpdesk/{zendesk|jira|servicenow|generic}, signed with the secrets in ${stack.helpdeskSecretsFile}`);
  say(`  inbound email:     curl -X POST ${stack.api.url}/local/inbound-email -H 'content-type: message/rfc822' --data-binary @message.eml`);
  say('');
  say('  move time (due timers fire before it answers):');
  say(`    curl -X POST ${stack.api.url}/local/clock -H 'content-type: application/json' -d '{"advanceBy":"P10D"}'`);
  say('');
  say('  Ctrl-C stops the API, DynamoDB Local and the local S3.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n▸ ${signal}: stopping API, local S3 and DynamoDB Local …`);
    rmSync(RUNNING_FILE, { force: true });
    await stack.stop();
    say('✓ stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
};

main().catch((err: unknown) => {
  if (err instanceof LocalStackError) fail(err.message);
  const code = (err as { code?: string }).code;
  if (code === 'EADDRINUSE') fail(`port ${PORT} is already in use on ${HOST}: stop the other process or run PORT=${PORT + 1} npm start`);
  if (code === 'EACCES') fail(`not allowed to listen on port ${PORT}: choose a port above 1024, e.g. PORT=3000 npm start`);
  fail(`npm start failed: ${(err as Error).message}`);
});
