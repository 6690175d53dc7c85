// Test access to the run's DynamoDB Local: unique tables per test file, raw clients for tampering.
import { randomUUID } from 'node:crypto';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '#adapters/aws/dynamo/table-model';
import { LOCAL_TABLE } from '#adapters/local/local-scheduler';
import { ensureTables, localDynamoClient } from '../../infra/local/dynamodb-local';
import type { LocalTables } from '../../infra/local/stack';

export const testEndpoint = (): string => {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run tests through jest (globalSetup starts DynamoDB Local)');
  return endpoint;
};

export const createTestTables = async (): Promise<LocalTables> => {
  const suffix = randomUUID().slice(0, 8);
  const tables = { cases: `cases-${suffix}`, idempotency: `idem-${suffix}`, local: `local-${suffix}` };
  await ensureTables(testEndpoint(), [
    { name: tables.cases, def: TABLES.cases },
    { name: tables.idempotency, def: TABLES.idempotency },
    { name: tables.local, def: LOCAL_TABLE },
  ]);
  return tables;
};

export const rawDocClient = () => DynamoDBDocumentClient.from(localDynamoClient(testEndpoint()));
