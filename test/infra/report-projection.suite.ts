// The reporting projection in CDK: its own stream mapping (case items only, batch item failures, bisect, bounded
// retries, a stateful dead-letter queue), read/write on the table only, and the report routes read-only.
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { keys, REPORT_STREAM } from '#adapters/aws/dynamo/table-model';
import { logicalIdOf, resolveIn, resourcesIn, statementsOfRole, type Statement } from '../support/stacks';
import { sharedApp } from '../support/infra-app';

const { stateful, api } = sharedApp();
Template.fromStack(stateful);

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const fn = api.reports.projection;
// The mapping is in the function's stack (the API stack; the report routes are in a nested route stack).
const mapping = () => resourcesIn(fn.function, 'AWS::Lambda::EventSourceMapping').find(([, m]) => same(m.Properties.FunctionName, { Ref: logicalIdOf(fn.function) }))![1].Properties;
const statements = (role: IConstruct): Statement[] => statementsOfRole(role);

describe('report projection', () => {
  it('consumes the cases-table stream: case items only, per-record failures, bisect, bounded retries, dead-lettered', () => {
    expect(mapping()).toMatchObject({
      EventSourceArn: resolveIn(fn.function, stateful.data.cases.table.tableStreamArn),
      StartingPosition: 'TRIM_HORIZON',
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: resolveIn(fn.function, stateful.timers.projectionDeadLetters.queue.queueArn) } },
    });
    expect(mapping().MaximumRetryAttempts).toBeGreaterThan(0);
    // Big batches, so more cases share each transaction (the scale model's assumption, REPORT_STREAM).
    expect(mapping()).toMatchObject({ BatchSize: REPORT_STREAM.batchSize, MaximumBatchingWindowInSeconds: REPORT_STREAM.batchingWindowSeconds });
    expect(REPORT_STREAM).toEqual({ batchSize: 1000, batchingWindowSeconds: 5 });
    const patterns = (mapping().FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((f) => JSON.parse(f.Pattern) as unknown);
    expect(patterns).toEqual([{ dynamodb: { Keys: { SK: { S: [keys.caseSk] } } } }]);
  });

  it('may read and write the table and read the stream; nothing else (no Scheduler, events, notifications, workflows, S3)', () => {
    const actions = statements(fn.role).flatMap((s) => list(s.Action));
    // Besides the table, the stream and the key: tracing, its own log stream, and the dead-letter queue.
    expect(actions.filter((a) => !/^(dynamodb|kms|xray|sqs):/.test(a) && !['logs:CreateLogStream', 'logs:PutLogEvents'].includes(a))).toEqual([]);
    // TransactWriteItems is authorised per action inside it: counters are updates, rows puts and deletes.
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem']));
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it('the report routes are read-only on the table', () => {
    for (const entry of ['functions/report-kpis/handler.ts', 'functions/report-control-score/handler.ts', 'functions/report-control-review/handler.ts', 'functions/report-returns/handler.ts']) {
      const route = api.api.functions.get(entry);
      expect(route).toBeDefined();
      const actions = statements(route!.role).flatMap((s) => list(s.Action));
      expect(actions.filter((a) => /^dynamodb:(Put|Update|Delete|TransactWrite|BatchWrite)/.test(a))).toEqual([]);
      expect(actions).toContain('dynamodb:Query');
    }
  });
});
