// `npm run triage:export-feedback [-- --from 2026-11-01 --to 2026-11-30 --out feedback.jsonl]`: the triage decision log
// (suggestions, acceptances, overrides with model id/version and confidence) as JSONL, for retraining the model.
//
// Where: with TABLE_NAME set, that table (AWS credentials and region from the environment, or DYNAMODB_ENDPOINT);
// otherwise the local stack's data: the running `npm start`'s database, or DynamoDB Local started on .data.
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as z from 'zod';

const ROOT = resolve(__dirname, '..');
const DATA_DIR = resolve(ROOT, process.env.DATA_DIR ?? '.data');
/** Whether this run reads the local stack's data (no TABLE_NAME given). */
const LOCAL = !process.env.TABLE_NAME;
const Args = z.object({ from: z.iso.date().optional(), to: z.iso.date().optional(), out: z.string().min(1).optional() });

const main = async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const args = Args.parse(parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } } }).values);
  let stopLocal: (() => Promise<void>) | undefined;
  if (LOCAL) {
    const running = join(DATA_DIR, 'running.json');
    const { startDynamoLocal } = await import('../infra/local/dynamodb-local');
    const { applyLocalEnv } = await import('../infra/local/stack');
    if (existsSync(running)) {
      const r = JSON.parse(readFileSync(running, 'utf8')) as { dynamodb: string; tables: { cases: string; idempotency: string; local: string } };
      applyLocalEnv(r.dynamodb, r.tables);
    } else {
      const dynamo = await startDynamoLocal({ dataDir: join(DATA_DIR, 'dynamodb') });
      applyLocalEnv(dynamo.endpoint, { cases: 'complaints', idempotency: 'complaints-idempotency', local: 'complaints-local' });
      stopLocal = () => dynamo.stop();
    }
  }
  const out = args.out ? createWriteStream(args.out) : process.stdout;
  try {
    const { caseRepository } = await import('#http/container');
    const { exportFeedback } = await import('../tools/triage/feedback');
    let n = 0;
    for await (const row of exportFeedback(caseRepository(), args)) {
      out.write(`${JSON.stringify(row)}\n`);
      n++;
    }
    process.stderr.write(`✓ ${n} triage feedback row(s)${args.out ? ` written to ${args.out}` : ''}\n`);
  } finally {
    if (args.out) (out as ReturnType<typeof createWriteStream>).end();
    await stopLocal?.();
  }
};

main().catch((err: unknown) => {
  // A fresh DATA_DIR has no tables until `npm start` has created them: say so rather than quote DynamoDB.
  const hint = /non-existent table|ResourceNotFound/.test(`${(err as Error).name} ${(err as Error).message}`) && LOCAL ? ` (no local data in ${DATA_DIR}: run npm start once, or set TABLE_NAME)` : '';
  process.stderr.write(`✗ triage:export-feedback failed: ${(err as Error).message}${hint}\n`);
  process.exit(1);
});
