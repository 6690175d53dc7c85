// RetentionJob (API stack): the retention fan-out (issue 29 item 10). Once a day an EventBridge rule invokes the
// retention function, which queues every closed case past retention (retention index) in batches onto the event bus;
// a bus rule puts each batch on the retention work queue, and the same function, at a bounded concurrency, redacts
// their personal data and tags their evidence and bundle objects for the buckets' lifecycle (tagging only: no delete).
// The work queue is the one stateless-stack queue besides the EventBridge targets' dead letters: the dispatcher
// rebuilds it every day from the index, so replacing it loses nothing; what fails for good goes to the stateful DLQ.
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { RETENTION_BATCH_DETAIL_TYPE, RETENTION_BATCH_SOURCE } from '#adapters/aws/event-bridge-retention-queue';
import { Construct } from 'constructs';
import { ApiFunction, type FunctionSettings } from './api-function';
import type { DataTable } from './case-table';
import type { DeadLetterQueue } from './dead-letter-queue';
import type { EvidenceStore } from './evidence-vault';
import type { ExportStore } from './export-vault';

export const RETENTION_JOB_ENTRY = 'functions/retention-job/handler.ts';

/** 03:00 UTC: off-peak for the regimes' time zones of Europe and the Americas, and a fixed time for operators to watch. */
export const RETENTION_SCHEDULE = Schedule.cron({ minute: '0', hour: '3' });

/** Redaction workers at once (the event source mapping's maximum concurrency): the model's 10 x 2 cases/s x 20 h. */
export const RETENTION_WORKER_CONCURRENCY = 10;
/** Function timeout; the work queue hides a message six times as long (AWS's advice for SQS event sources). */
const RETENTION_TIMEOUT = Duration.minutes(5);
/** Receives before a batch is dead-lettered (each retry redoes only what is still due). */
const RETENTION_MAX_RECEIVES = 5;

export interface RetentionJobProps extends FunctionSettings {
  /** The bus the dispatcher puts batches on (the stateful stack's bus). */
  bus: IEventBus;
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
  /** The work queue of due case-id batches, and the rule that fills it from the bus. */
  readonly workQueue: Queue;
  readonly batchRule: Rule;
  /** Fires when the oldest due case is more than a day past its retainUntil (or the dispatcher published nothing for a day). */
  readonly overdueAlarm: Alarm;
  /** The function by entry, like `Api.functions`. */
  readonly functions: ReadonlyMap<string, ApiFunction>;

  constructor(scope: Construct, id: string, props: RetentionJobProps) {
    super(scope, id);
    this.job = new ApiFunction(this, 'JobFunction', {
      entry: RETENTION_JOB_ENTRY,
      description: 'Daily: queues closed complaints past retention; from the queue: redacts their personal data (legal holds skipped; audit chain kept)',
      environment: props.environment,
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logRetention: props.logRetention,
      // A batch stops 15 s before this; its record is then retried from the queue.
      timeout: RETENTION_TIMEOUT,
    })
      .bindTable(props.cases, 'readWrite')
      .tagRetainedObjects(props.evidence, props.exports)
      .allowPublishEvents(props.bus);

    // SQS-managed encryption: EventBridge may only send to a queue under a customer key whose policy names it.
    this.workQueue = new Queue(this, 'WorkQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(RETENTION_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      ...(props.deadLetters ? { deadLetterQueue: { queue: props.deadLetters.queue, maxReceiveCount: RETENTION_MAX_RECEIVES } } : {}),
    });
    this.batchRule = new Rule(this, 'Batches', {
      eventBus: props.bus,
      description: 'Retention batches from the daily dispatcher to the retention work queue',
      eventPattern: { source: [RETENTION_BATCH_SOURCE], detailType: [RETENTION_BATCH_DETAIL_TYPE] },
      // No target dead-letter queue: the stateful DLQ's policy would then name this stack's rule (a cross-stack cycle).
      // An undelivered batch is not lost: its cases stay due in the index and the next day's dispatch queues them again.
      targets: [new SqsQueue(this.workQueue, { retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });
    // One batch per invocation, a bounded number at once: the fan-out cannot starve the API of concurrency.
    this.job.function.addEventSource(new SqsEventSource(this.workQueue, { batchSize: 1, reportBatchItemFailures: true, maxConcurrency: RETENTION_WORKER_CONCURRENCY }));

    this.overdueAlarm = new Alarm(this, 'OldestDueOverdue', {
      alarmDescription: 'Retention is falling behind: the oldest case due for redaction is more than a day past its retention date (or the daily dispatch published nothing)',
      metric: new Metric({ namespace: props.metricsNamespace, metricName: 'RetentionOldestDueAgeSeconds', dimensionsMap: { service: props.serviceName }, statistic: 'Maximum', period: Duration.days(1) }),
      threshold: 86_400,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // The dispatcher publishes once a day: a day without the metric means it did not run.
      treatMissingData: TreatMissingData.BREACHING,
    });
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
