// ProblemSignals (API stack, #32): the daily job that tests yesterday's complaint volume per product and category for
// spikes (from the reporting projection's day counters) and suggests problems from similar complaints, publishing
// ComplaintSpikeDetected on the bus and alerting supervisors; and the function that records CodeDeploy and
// CodePipeline state changes (an EventBridge rule on the default bus) as changes for spike correlation.
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { CHANGE_SOURCES } from '#domain/problems/pipeline-events';
import { ApiFunction, type FunctionSettings } from './api-function';
import type { CaseEvents } from './case-events';
import type { DataTable } from './case-table';
import type { DeadLetterQueue } from './dead-letter-queue';

export const PROBLEM_SIGNALS_ENTRY = 'functions/problem-signals/handler.ts';
export const CHANGE_EVENTS_ENTRY = 'functions/change-events/handler.ts';

/** 04:00 UTC: after the day has ended in the regimes' European time zones, and after the 03:00 retention run. */
export const PROBLEM_SIGNALS_SCHEDULE = Schedule.cron({ minute: '0', hour: '4' });

export interface ProblemSignalsProps extends FunctionSettings {
  cases: DataTable;
  events: Pick<CaseEvents, 'bus' | 'notifications' | 'encryptionKey'>;
  /** Runs that failed after Lambda's retries. */
  deadLetters?: DeadLetterQueue;
}

export class ProblemSignals extends Construct {
  readonly job: ApiFunction;
  readonly changes: ApiFunction;
  readonly dailyRule: Rule;
  readonly changeRule: Rule;
  readonly functions: ReadonlyMap<string, ApiFunction>;

  constructor(scope: Construct, id: string, private readonly props: ProblemSignalsProps) {
    super(scope, id);
    const common = { environment: props.environment, serviceName: props.serviceName, metricsNamespace: props.metricsNamespace, logRetention: props.logRetention };
    this.job = new ApiFunction(this, 'ProblemSignalsFunction', {
      ...common,
      entry: PROBLEM_SIGNALS_ENTRY,
      description: 'Daily: complaint volume spikes per product and category (projection day counters) and problem suggestions from similar complaints',
      timeout: Duration.minutes(5),
    })
      // Writes spikes and suggestions; reads the day counters, open problems and open complaints.
      .bindTable(props.cases, 'readWrite')
      .allowPublishEvents(props.events.bus)
      .allowNotify(props.events.notifications, props.events.encryptionKey);
    if (props.deadLetters) this.job.sendFailedInvocationsTo(props.deadLetters);
    this.dailyRule = new Rule(this, 'Daily', {
      description: 'Once a day: complaint spike detection and problem suggestions',
      schedule: PROBLEM_SIGNALS_SCHEDULE,
      targets: [new LambdaFunction(this.job.function, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });

    this.changes = new ApiFunction(this, 'PipelineChangesFunction', {
      ...common,
      entry: CHANGE_EVENTS_ENTRY,
      description: 'CodeDeploy and CodePipeline state changes (EventBridge) recorded as changes for spike correlation',
    }).bindTable(props.cases, 'readWrite');
    if (props.deadLetters) this.changes.sendFailedInvocationsTo(props.deadLetters);
    this.changeRule = new Rule(this, 'PipelineChanges', {
      description: 'Succeeded deployments and pipeline executions, recorded as changes before complaint spikes',
      eventPattern: {
        source: [CHANGE_SOURCES.codedeploy, CHANGE_SOURCES.codepipeline],
        detailType: ['CodeDeploy Deployment State-change Notification', 'CodePipeline Pipeline Execution State Change'],
        detail: { state: ['SUCCESS', 'SUCCEEDED'] },
      },
      targets: [new LambdaFunction(this.changes.function, { retryAttempts: 8, maxEventAge: Duration.hours(24) })],
    });

    this.functions = new Map([
      [PROBLEM_SIGNALS_ENTRY, this.job],
      [CHANGE_EVENTS_ENTRY, this.changes],
    ]);
  }

  /** The close route tells the owners of linked open complaints: Publish on the notification topic only. */
  notifyFrom(fn: ApiFunction): void {
    fn.allowNotify(this.props.events.notifications, this.props.events.encryptionKey);
  }
}
