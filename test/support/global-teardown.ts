// Stops the run's DynamoDB Local instances and removes the run's temp dir (test/support/global-setup.ts).
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__DYNAMOS__ ?? []).map((d) => d.stop()));
  const dir = globalThis.__RUN_TMPDIR__;
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
