// RetentionJob (API stack): once a day an EventBridge rule invokes the retention function, which finds closed cases
// past retention through the table's retention index and redacts their personal data, and tags their evidence and
// bundle objects so the buckets' lifecycle rules remove them once their locks expire (tagging only: no delete).
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { ApiFunction, type FunctionSettings } from './api-function';
import type { DataTable } from './case-table';
import type { DeadLetterQueue } from './dead-letter-queue';
import type { EvidenceStore } from './evidence-vault';
import type { ExportStore } from './export-vault';

export const RETENTION_JOB_ENTRY = 'functions/retention-job/handler.ts';

/** 03:00 UTC: off-peak for the regimes' time zones of Europe and the Americas, and a fixed time for operators to watch. */
export const RETENTION_SCHEDULE = Schedule.cron({ minute: '0', hour: '3' });

export interface RetentionJobProps extends FunctionSettings {
  cases: DataTable;
  evidence: EvidenceStore;
  exports: ExportStore;
  /** Stateful: runs that failed after Lambda's retries (an infrastructure error; a case that fails is counted, not thrown). */
  deadLetters?: DeadLetterQueue;
}

export class RetentionJob extends Construct {
  readonly job: ApiFunction;
  /** The daily rule on the default bus. */
  readonly rule: Rule;
  /** The function by entry, like `Api.functions`. */
  readonly functions: ReadonlyMap<string, ApiFunction>;

  constructor(scope: Construct, id: string, props: RetentionJobProps) {
    super(scope, id);
    this.job = new ApiFunction(this, 'JobFunction', {
      entry: RETENTION_JOB_ENTRY,
      description: 'Daily: redacts the personal data of closed complaints past retention (retention index; legal holds skipped; audit chain kept)',
      environment: props.environment,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      // A run stops taking cases 15 s before this and the next day's run goes on (RETENTION_BATCH bounds a run too).
      timeout: Duration.minutes(5),
    })
      .bindTable(props.cases, 'readWrite')
      .tagRetainedObjects(props.evidence, props.exports);
    // A run is idempotent: Lambda's own retries are safe, and what still fails is kept for a look.
    if (props.deadLetters) this.job.sendFailedInvocationsTo(props.deadLetters);

    this.rule = new Rule(this, 'Daily', {
      description: 'Once a day: the retention job redacts closed complaints past their record-keeping period',
      schedule: RETENTION_SCHEDULE,
      // Delivery failures (throttling) are retried for a few hours; tomorrow's run picks up anything missed.
      targets: [new LambdaFunction(this.job.function, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });

    this.functions = new Map([[RETENTION_JOB_ENTRY, this.job]]);
  }
}
