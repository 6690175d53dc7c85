// `npm run reports:rebuild`: recomputes every reporting projection (KPI counters, the open-case board, the returns,
// the control-review rows) from the case items into a new generation, then makes it current. Run it after changing
// the product or root-cause groups, the organisation time zone, or the projection code. The stream keeps the new
// generation up to date while it runs, so the API can stay up.
//
// Where: with TABLE_NAME set, that table (AWS credentials and region from the environment, or DYNAMODB_ENDPOINT);
// otherwise the local stack's data: the running `npm start`'s database, or DynamoDB Local started on .data.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const DATA_DIR = resolve(ROOT, process.env.DATA_DIR ?? '.data');
const say = (line: string) => process.stdout.write(`${line}\n`);

const main = async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let stopLocal: (() => Promise<void>) | undefined;
  if (!process.env.TABLE_NAME) {
    const running = join(DATA_DIR, 'running.json');
    const { startDynamoLocal } = await import('../infra/local/dynamodb-local');
    const { applyLocalEnv } = await import('../infra/local/stack');
    if (existsSync(running)) {
      const r = JSON.parse(readFileSync(running, 'utf8')) as { dynamodb: string; tables: { cases: string; idempotency: string; local: string } };
      say(`▸ using the running npm start's DynamoDB Local at ${r.dynamodb}`);
      applyLocalEnv(r.dynamodb, r.tables);
    } else {
      say(`▸ starting DynamoDB Local on ${join(DATA_DIR, 'dynamodb')} …`);
      const dynamo = await startDynamoLocal({ dataDir: join(DATA_DIR, 'dynamodb') });
      applyLocalEnv(dynamo.endpoint, { cases: 'complaints', idempotency: 'complaints-idempotency', local: 'complaints-local' });
      stopLocal = () => dynamo.stop();
    }
  }
  try {
    const { reportingService } = await import('#http/reporting-container');
    const { caseRepository } = await import('#http/container');
    const repo = caseRepository();
    const t0 = performance.now();
    const out = await reportingService().rebuild(
      () => repo.everyCase(),
      (done, pass) => say(`  pass ${pass}: ${done} case(s)${pass === 1 ? '' : ' re-checked'}`),
    );
    say(`✓ generation ${out.generation} is current: ${out.cases} case(s) projected in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await stopLocal?.();
  }
};

main().catch((err: unknown) => {
  process.stderr.write(`✗ reports:rebuild failed: ${(err as Error).message}\n`);
  process.exit(1);
});
