// `npm run reports:rebuild`: recomputes every reporting projection (KPI counters, the open-case board, the returns,
// the control-review rows) from the case items into a new generation, then makes it current. Run it after changing
// the product or root-cause groups, the organisation time zone, or the projection code. The stream keeps the new
// generation up to date while it runs, so the API can stay up.
//
// Where: with TABLE_NAME set, that table (AWS credentials and region from the environment, or DYNAMODB_ENDPOINT);
// otherwise the local stack's data: the running `npm start`'s database, or DynamoDB Local started on .data.
import { useLocalTableUnlessSet } from './local-table';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const DATA_DIR = resolve(ROOT, process.env.DATA_DIR ?? '.data');
const say = (line: string) => process.stdout.write(`${line}\n`);

const main = async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const stopLocal = await useLocalTableUnlessSet(DATA_DIR, say);
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
