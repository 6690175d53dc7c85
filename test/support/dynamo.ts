// Test access to the run's DynamoDB Local: unique tables per test file, raw clients for tampering.
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '#adapters/aws/dynamo/table-model';
import { LOCAL_TABLE } from '#adapters/local/local-scheduler';
import { ensureTables, localDynamoClient } from '../../infra/local/dynamodb-local';
import type { LocalTables } from '../../infra/local/stack';

/** This worker's DynamoDB Local (globalSetup starts one per jest worker; JEST_WORKER_ID counts from 1). */
export const testEndpoint = (): string => {
  const endpoints = (process.env.TEST_DYNAMODB_ENDPOINTS ?? '').split(',').filter(Boolean);
  if (!endpoints.length) {
    throw new Error(
      process.env.TEST_NO_DYNAMODB
        ? 'this test needs DynamoDB Local, which `npm run test:unit` does not start: run it with `npx jest <file>` (or move it out of test/unit)'
        : 'TEST_DYNAMODB_ENDPOINTS is not set: run tests through jest (globalSetup starts DynamoDB Local)',
    );
  }
  const worker = Number(process.env.JEST_WORKER_ID ?? '1');
  return endpoints[(Number.isInteger(worker) && worker > 0 ? worker - 1 : 0) % endpoints.length]!;
};

/** Names for a test file's own tables, not yet created (a local stack started on them creates them). */
export const testTableNames = (): LocalTables => {
  const suffix = randomUUID().slice(0, 8);
  return { cases: `cases-${suffix}`, idempotency: `idem-${suffix}`, local: `local-${suffix}` };
};

export const createTestTables = async (): Promise<LocalTables> => {
  const tables = testTableNames();
  await ensureTables(testEndpoint(), [
    { name: tables.cases, def: TABLES.cases },
    { name: tables.idempotency, def: TABLES.idempotency },
    { name: tables.local, def: LOCAL_TABLE },
  ]);
  return tables;
};

/** A cases table of its own, for tests of the repository alone (no idempotency or local table). */
export const createCasesTable = async (): Promise<string> => {
  const name = `cases-${randomUUID().slice(0, 8)}`;
  await ensureTables(testEndpoint(), [{ name, def: TABLES.cases }]);
  return name;
};

export const rawDocClient = () => DynamoDBDocumentClient.from(localDynamoClient(testEndpoint()));
