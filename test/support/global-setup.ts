// Starts the run's DynamoDB Local instances (one per jest worker, each in memory on an ephemeral loopback port) and
// gives the run its own temp dir, removed by globalTeardown.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '@jest/types';
import { startDynamoLocal, type RunningDynamo } from '../../infra/local/dynamodb-local';

declare global {
  var __DYNAMOS__: RunningDynamo[] | undefined;
  var __RUN_TMPDIR__: string | undefined;
}

/**
 * DynamoDB Local serves one database on one SQLite connection, so one instance works through every worker's requests
 * on about one core, in turn: with the API suites on two workers it was the bottleneck of the run. One instance per
 * worker lets the workers' requests proceed side by side (each worker's test files create their own tables anyway).
 */
export default async function globalSetup(globalConfig: Config.GlobalConfig): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // Everything the run writes under the OS temp dir (each CDK app's cdk.out, the S3 stand-in's data, the local stacks'
  // key files, the tests' own temp dirs) goes into one dir of its own, removed after the run: the workers inherit
  // TMPDIR, and os.tmpdir() reads it. A run used to leave a cdk.out dir per synthesized app behind (thousands in /tmp).
  globalThis.__RUN_TMPDIR__ = mkdtempSync(join(tmpdir(), 'complaints-test-run-'));
  process.env.TMPDIR = globalThis.__RUN_TMPDIR__;
  // The workflows' ASL, synthesised by the run's first local stack and read by the others (infra/local/workflows.ts):
  // one run, one set of sources.
  process.env.LOCAL_WORKFLOW_ASL_FILE = join(globalThis.__RUN_TMPDIR__, 'workflow-asl.json');
  // `npm run test:unit` runs pure code only: no JVM to wait for (a test that needs one fails on testEndpoint()).
  if (process.env.TEST_NO_DYNAMODB) return;
  // Each JVM holds up to ~1 GB: past four, workers share instances (round-robin by worker id).
  const count = Math.max(1, Math.min(globalConfig.maxWorkers, 4));
  const started = await Promise.allSettled(Array.from({ length: count }, () => startDynamoLocal()));
  const dynamos = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(dynamos.map((d) => d.stop()));
    throw failed.reason;
  }
  globalThis.__DYNAMOS__ = dynamos;
  // Workers inherit the parent's environment; each picks its instance by JEST_WORKER_ID (test/support/dynamo.ts).
  process.env.TEST_DYNAMODB_ENDPOINTS = dynamos.map((d) => d.endpoint).join(',');
}
