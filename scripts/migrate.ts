// `npm run migrate`: moves an existing cases table to the compact case item (issue 28): every case item whose case is
// still stored as a DynamoDB map is rewritten with the case compressed (shared/adapters/aws/dynamo/case-codec.ts).
// The code that reads case items accepts both forms, so deploy first, then migrate while the API serves; see
// docs/deploy.md, "Migrating an existing table". How the pass is safe beside live writes: tools/migrate/case-items.ts.
//
// Where: with TABLE_NAME set, that table (AWS credentials and region from the environment, or DYNAMODB_ENDPOINT);
// otherwise the local stack's data: the running `npm start`'s database, or DynamoDB Local started on .data.
//
// Options: --segments N (parallel Scan segments, default 4), --rate N (rewrites a second at most, default 25),
// --page N (items a Scan page reads, default 100), --state FILE (where the cursor is saved after every page; default
// .data/migrate-<table>.json), --fresh (start over, ignoring a saved cursor). Interrupted, it is started again with the
// same options and carries on from the saved cursor; finished, it removes the file, and a second run rewrites nothing.
//
// `--indexes`: rewrites nothing; says where the table stands on the move to index generation 2 (one GSI a deploy,
// `complaints:caseIndexStep`; tools/migrate/index-steps.ts), whether every index is ACTIVE, and what to deploy next.
import { useLocalTableUnlessSet } from './local-table';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(__dirname, '..');
const DATA_DIR = resolve(ROOT, process.env.DATA_DIR ?? '.data');
const say = (line: string) => process.stdout.write(`${line}\n`);

const positiveInt = (name: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${raw}`);
  return n;
};

const main = async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: { segments: { type: 'string' }, rate: { type: 'string' }, page: { type: 'string' }, state: { type: 'string' }, fresh: { type: 'boolean', default: false }, indexes: { type: 'boolean', default: false } },
    strict: true,
  });
  const stopLocal = await useLocalTableUnlessSet(DATA_DIR, say);
  try {
    const tableName = process.env.TABLE_NAME;
    if (!tableName) throw new Error('TABLE_NAME is not set');
    if (values.indexes) {
      const { DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
      const { indexStepOf } = await import('../tools/migrate/index-steps');
      const { dynamo } = await import('#http/container');
      const { Table } = await dynamo().raw.send(new DescribeTableCommand({ TableName: tableName }));
      const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((g) => ({ name: g.IndexName ?? '', status: g.IndexStatus ?? 'UNKNOWN', ...(g.Backfilling ? { backfilling: true } : {}) }));
      const report = indexStepOf(indexes);
      say(`▸ ${tableName}: indexes ${indexes.map((i) => `${i.name} ${i.status}`).join(', ') || 'none'}`);
      say(report.step === undefined ? `✗ ${report.next}` : `✓ step ${report.step} of complaints:caseIndexStep; next: ${report.next}`);
      return;
    }
    const stateFile = resolve(values.state ?? join(DATA_DIR, `migrate-${tableName}.json`));
    const { migrateCaseItems, validCursor } = await import('../tools/migrate/case-items');
    const { dynamo } = await import('#http/container');
    let cursor: unknown;
    if (!values.fresh && existsSync(stateFile)) {
      cursor = JSON.parse(readFileSync(stateFile, 'utf8'));
      if (!validCursor(cursor)) throw new Error(`${stateFile} is not a migration cursor: remove it or run with --fresh`);
      say(`▸ resuming from ${stateFile} (${cursor.positions.filter((p) => p === 'done').length}/${cursor.segments} segments done)`);
    }
    say(`▸ migrating the case items of ${tableName}`);
    const t0 = performance.now();
    mkdirSync(dirname(stateFile), { recursive: true });
    const out = await migrateCaseItems(dynamo().doc, {
      tableName,
      segments: positiveInt('segments', values.segments, 4),
      pageSize: positiveInt('page', values.page, 100),
      writesPerSecond: positiveInt('rate', values.rate, 25),
      ...(validCursor(cursor) ? { cursor } : {}),
      onProgress: (p) => {
        // Saved before the segment reads on: a crash after this line resumes after this page.
        writeFileSync(`${stateFile}.tmp`, `${JSON.stringify(p.cursor)}\n`);
        renameSync(`${stateFile}.tmp`, stateFile);
        const done = p.cursor.positions.filter((x) => x === 'done').length;
        say(
          `  segment ${p.segment + 1}/${p.cursor.segments}: ${p.scanned} item(s) scanned, ${p.found} old-form case(s) found, ${p.rewritten} rewritten, ${p.changedConcurrently} changed concurrently, ${p.gone} gone; ${done}/${p.cursor.segments} segments done, ${((performance.now() - t0) / 1000).toFixed(1)} s (cursor saved to ${stateFile})`,
        );
      },
    });
    rmSync(stateFile, { force: true });
    say(`✓ ${out.rewritten} case item(s) rewritten, ${out.changedConcurrently} changed concurrently (already new), ${out.gone} gone; ${out.scanned} item(s) scanned in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await stopLocal?.();
  }
};

main().catch((err: unknown) => {
  process.stderr.write(`✗ migrate failed: ${(err as Error).message}\n`);
  process.exit(1);
});
