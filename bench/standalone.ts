// The command line every child phase shares: `npx tsx bench/<phase>.ts [--json FILE] [--no-report]`. Writes the
// figures as JSON, prints the report, exits 1 on a failed hard check and 3 when the local stack did not start
// (bench/run.ts reads these codes). No static import of the stack: a phase's memory child stays light.
import { writeFileSync } from 'node:fs';
import { say } from './stats';

export const runStandalone = <T extends { checks: { hard: boolean; ok: boolean }[] }>(name: string, run: () => Promise<T>, report: (result: T) => string, args: string[] = process.argv.slice(2)): void => {
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
  if (jsonAt >= 0 && !jsonFile) throw new Error('--json needs a file name');
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  run()
    .then((result) => {
      if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
      if (!args.includes('--no-report')) say(`\n${report(result)}`);
      if (result.checks.some((c) => c.hard && !c.ok)) process.exitCode = 1;
    })
    .catch(async (err: unknown) => {
      const { LocalStackError } = await import('../infra/local/dynamodb-local');
      process.stderr.write(`✗ ${name} bench failed: ${err instanceof LocalStackError ? err.message : ((err as Error).stack ?? String(err))}\n`);
      process.exit(err instanceof LocalStackError ? 3 : 1);
    });
};
