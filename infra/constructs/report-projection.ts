// ReportProjection: the reporting projection (control 6) as its own consumer of the cases-table stream. It reads
// case items only (a filter on the mapping), writes counter items, review rows and per-case markers to the same
// table, and never touches anything else. Its failures land in their own dead-letter queue (stateful stack).
import { Duration } from 'aws-cdk-lib';
import { FilterCriteria, FilterRule } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { keys, REPORT_STREAM } from '#adapters/aws/dynamo/table-model';
import { ApiFunction, DELETABLE, type FunctionSettings } from './api-function';
import type { DataTable } from './case-table';
import type { DeadLetterQueue } from './dead-letter-queue';

export const REPORT_PROJECTION_ENTRY = 'functions/report-projection/handler.ts';

/** `FilterRule.isEqual` is typed `any`; it returns the one-value list of an equality pattern. */
const isEqual = (value: string): string[] => FilterRule.isEqual(value) as string[];

/** Only case items carry what reports count (the projection is a function of the case item alone). */
export const REPORT_STREAM_FILTERS = [FilterCriteria.filter({ dynamodb: { Keys: { SK: { S: isEqual(keys.caseSk) } } } })];

export interface ReportProjectionProps extends FunctionSettings {
  cases: DataTable;
  /** Stateful (it outlives the API stack): batches the projection failed after every retry. */
  deadLetters: DeadLetterQueue;
}

export class ReportProjection extends Construct {
  readonly projection: ApiFunction;
  readonly functions: ReadonlyMap<string, ApiFunction>;

  constructor(scope: Construct, id: string, props: ReportProjectionProps) {
    super(scope, id);
    this.projection = new ApiFunction(this, 'ProjectionFunction', {
      environment: props.environment,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      entry: REPORT_PROJECTION_ENTRY,
      description: 'Cases-table stream: keeps the reporting counters, the open-case board, the returns and the control-review rows in step with each case',
      timeout: Duration.seconds(60),
    })
      .bindTable(props.cases, 'readWrite', { deletes: DELETABLE.reportRows })
      // In order per shard (a late version would be ignored anyway), batch failures reported, bisected on error; big
      // batches (REPORT_STREAM: up to 1,000 records, waiting up to 5 s) so more cases share each transaction.
      .consumeStream(props.cases, props.deadLetters, {
        filters: REPORT_STREAM_FILTERS,
        batchSize: REPORT_STREAM.batchSize,
        maxBatchingWindow: Duration.seconds(REPORT_STREAM.batchingWindowSeconds),
      });
    this.functions = new Map([[REPORT_PROJECTION_ENTRY, this.projection]]);
  }
}
