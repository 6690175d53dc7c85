// Fault injection at the SDK boundary (infra/local/faults.ts): the spec is parsed strictly, the SDK's own exception
// classes arrive with their HTTP status after the SDK's real retries, draws repeat under a seed, operations filter,
// the stand-ins' boundary raises the same errors, and the error mapping answers them 429/503 with Retry-After.
import { DynamoDBClient, ListTablesCommand, ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ThrottlingException } from '@aws-sdk/client-scheduler';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';
import { atLocalBoundary } from '#adapters/local/local-boundary';
import { IdempotencyPersistenceLayerError } from '@aws-lambda-powertools/idempotency';
import { toProblem } from '#http/problem';
import { FaultInjector, FaultSpecError, installFaultHooks, parseFaults, serviceError, setFaults } from '../../infra/local/faults';
import { createTestTables, testEndpoint } from '../support/dynamo';

const ISSUE_EXAMPLE =
  'dynamodb:ProvisionedThroughputExceededException:0.1,dynamodb:TransactionCanceledException:0.05:TransactWriteItems,s3:InternalError:0.05,scheduler:ThrottlingException:0.1,eventbridge:InternalException:0.1,sfn:ThrottlingException:0.1';

const client = () =>
  withoutSdkLogger(new DynamoDBClient({ endpoint: testEndpoint(), region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 3 }));

afterEach(() => setFaults(undefined));

describe('FAULT_INJECTION', () => {
  it('parses the issue example into one rule per entry, the operation optional', () => {
    const rules = parseFaults(ISSUE_EXAMPLE);
    expect(rules).toHaveLength(6);
    expect(rules[1]).toEqual({ service: 'dynamodb', error: 'TransactionCanceledException', rate: 0.05, operation: 'TransactWriteItems' });
    expect(rules[2]).toEqual({ service: 's3', error: 'InternalError', rate: 0.05 });
    expect(parseFaults('')).toEqual([]);
    expect(parseFaults(undefined)).toEqual([]);
  });

  it.each(['dynamo:ThrottlingException:0.1', 'dynamodb:ThrottlingException:2', 'dynamodb:ThrottlingException:0', 'dynamodb:throttle:0.1', 'dynamodb:ThrottlingException', 'dynamodb:ThrottlingException:0.1:GetItem:extra'])(
    'refuses the malformed entry %s',
    (entry) => {
      expect(() => parseFaults(entry)).toThrow(FaultSpecError);
    },
  );

  it('draws the same faults under the same seed, and others under another', () => {
    const draws = (seed: number) => {
      const f = new FaultInjector(parseFaults('dynamodb:ThrottlingException:0.3'), seed);
      return Array.from({ length: 200 }, () => (f.draw('dynamodb', 'GetItem') ? 1 : 0)).join('');
    };
    expect(draws(7)).toBe(draws(7));
    expect(draws(7)).not.toBe(draws(8));
    const hits = [...draws(7)].filter((c) => c === '1').length;
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(90);
  });

  it('raises the SDK exception classes with their HTTP status, a server fault where the service has no class', () => {
    const throttled = serviceError('dynamodb', 'ProvisionedThroughputExceededException');
    expect(throttled).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((throttled as ProvisionedThroughputExceededException).$metadata.httpStatusCode).toBe(400);
    const s3 = serviceError('s3', 'InternalError') as S3ServiceException;
    expect(s3).toBeInstanceOf(S3ServiceException);
    expect(s3.name).toBe('InternalError');
    expect(s3.$fault).toBe('server');
    expect(s3.$metadata.httpStatusCode).toBe(500);
    expect(serviceError('scheduler', 'ThrottlingException')).toBeInstanceOf(ThrottlingException);
  });
});

describe('the SDK middleware on a client the adapters build', () => {
  it('fails a call after the SDK retried it (attempts in $metadata) and leaves other services alone', async () => {
    installFaultHooks({ spec: 'dynamodb:ProvisionedThroughputExceededException:1:ListTables' });
    const raw = client();
    const err = (await raw.send(new ListTablesCommand({})).catch((e: unknown) => e)) as ProvisionedThroughputExceededException;
    expect(err).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(err.$metadata.attempts).toBe(3);
    expect(toProblem(err)).toMatchObject({ problem: { status: 429 }, headers: { 'retry-after': '1' } });
  });

  it('cancels document-client transactions with one TransactionConflict reason per item, and only those', async () => {
    const tables = await createTestTables();
    installFaultHooks({ spec: 'dynamodb:TransactionCanceledException:1:TransactWriteItems' });
    const doc = DynamoDBDocumentClient.from(client());
    await expect(doc.send(new GetCommand({ TableName: tables.cases, Key: { PK: 'X', SK: 'Y' } }))).resolves.toBeDefined();
    const put = (sk: string) => ({ Put: { TableName: tables.cases, Item: { PK: 'FAULT', SK: sk } } });
    const err = (await doc.send(new TransactWriteCommand({ TransactItems: [put('A'), put('B')] })).catch((e: unknown) => e)) as TransactionCanceledException;
    expect(err).toBeInstanceOf(TransactionCanceledException);
    expect(err.CancellationReasons?.map((r) => r.Code)).toEqual(['TransactionConflict', 'TransactionConflict']);
    expect(toProblem(err)).toMatchObject({ problem: { status: 429 }, headers: { 'retry-after': '1' } });
    // Nothing was written.
    expect((await doc.send(new GetCommand({ TableName: tables.cases, Key: { PK: 'FAULT', SK: 'A' } }))).Item).toBeUndefined();
  });

  it('raises at the stand-ins boundary too, counts what it injected, and stops when switched off', () => {
    const f = installFaultHooks({ spec: 'scheduler:ThrottlingException:1:CreateSchedule,s3:InternalError:1' })!;
    expect(() => atLocalBoundary('scheduler', 'DeleteSchedule')).not.toThrow();
    expect(() => atLocalBoundary('scheduler', 'CreateSchedule')).toThrow(ThrottlingException);
    expect(f.counts.injected).toEqual({ 'scheduler:ThrottlingException': 1 });
    expect(toProblem(serviceError('s3', 'InternalError'))).toMatchObject({ problem: { status: 503 }, headers: { 'retry-after': '1' } });
    f.enable(false);
    expect(() => atLocalBoundary('scheduler', 'CreateSchedule')).not.toThrow();
  });
});

describe('an AWS error wrapped by the idempotency layer', () => {
  it('answers as the AWS error inside: a throttle 429, a 5xx 503, anything else stays 500', () => {
    const wrapped = (cause: Error) => new IdempotencyPersistenceLayerError('Failed to save in progress record to idempotency store', { cause });
    expect(toProblem(wrapped(serviceError('dynamodb', 'ProvisionedThroughputExceededException')))).toMatchObject({ problem: { status: 429 }, headers: { 'retry-after': '1' } });
    expect(toProblem(wrapped(serviceError('dynamodb', 'InternalServerError')))).toMatchObject({ problem: { status: 503 }, headers: { 'retry-after': '1' } });
    expect(toProblem(wrapped(new Error('a bug of ours')))).toMatchObject({ problem: { status: 500 }, internal: true });
  });
});
