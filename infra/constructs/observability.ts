// Observability: alarms on API 5xx, on function errors and throttles, on dead-letter queues, on EventBridge rule
// deliveries, on case-timer delivery and on failed or timed-out workflow executions, optionally notifying an SNS topic.
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IRule } from 'aws-cdk-lib/aws-events';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ApiFunction } from './api-function';
import type { DeadLetterQueue } from './dead-letter-queue';

export interface ObservabilityProps {
  httpApi: HttpApi;
  functions: ReadonlyMap<string, ApiFunction>;
  /** Queues that hold failed work: any visible message is an alarm. */
  deadLetterQueues?: ReadonlyMap<string, Pick<DeadLetterQueue, 'queue' | 'holds'>>;
  /** EventBridge rules on the default bus whose failed deliveries (after every retry) must not go unnoticed. */
  eventRules?: ReadonlyMap<string, IRule>;
  /** The case-timer schedule group: Scheduler failing to dead-letter a delivery means a timer is lost. */
  scheduleGroupName?: string;
  /**
   * Workflow state machines by name: a failed or timed-out execution means an approval or escalation stopped without
   * reaching its end (the workflows end in their own states on rejection, expiry or waiver, so neither is routine).
   */
  stateMachines?: ReadonlyMap<string, IStateMachine>;
  /** How far a stream consumer may fall behind before its timers and events are late. */
  maxIteratorAge?: Duration;
  /** Existing SNS topic (e.g. the on-call one) to notify; without it the alarms only show in CloudWatch. */
  alarmTopicArn?: string;
}

const PERIOD = Duration.minutes(5);

export class Observability extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const action: IAlarmAction | undefined = props.alarmTopicArn
      ? new SnsAction(Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn))
      : undefined;
    const add = (alarm: Alarm) => {
      if (action) alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    };

    // Handlers turn every domain error into a 4xx; a 5xx means a defect or an AWS failure.
    add(
      new Alarm(this, 'Api5xx', {
        alarmDescription: 'The complaints API answered 5xx',
        metric: props.httpApi.metricServerError({ period: PERIOD, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );

    for (const [entry, fn] of props.functions) {
      const name = fn.node.id.replace(/Function$/, '');
      add(
        new Alarm(this, `${name}Errors`, {
          alarmDescription: `${entry}: invocation errors (crash, timeout, out of memory)`,
          metric: fn.function.metricErrors({ period: PERIOD, statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
      add(
        new Alarm(this, `${name}Throttles`, {
          alarmDescription: `${entry}: invocations throttled by Lambda concurrency`,
          metric: fn.function.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
      if (fn.eventSourceMappings.length) {
        const maxAge = props.maxIteratorAge ?? Duration.minutes(5);
        add(
          new Alarm(this, `${name}IteratorAge`, {
            alarmDescription: `${entry}: the stream consumer is more than ${maxAge.toHumanString()} behind (timers, events and notifications are late)`,
            metric: fn.function.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum' }),
            threshold: maxAge.toMilliseconds(),
            evaluationPeriods: 1,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
        );
      }
    }

    for (const [name, dlq] of props.deadLetterQueues ?? []) {
      add(
        new Alarm(this, `${name}Visible`, {
          alarmDescription: `Dead-letter queue not empty: ${dlq.holds}`,
          metric: dlq.queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
          threshold: 0,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    for (const [name, rule] of props.eventRules ?? []) {
      add(
        new Alarm(this, `${name}FailedInvocations`, {
          alarmDescription: `EventBridge rule ${name} could not deliver an event to its target after every retry: the event is lost`,
          metric: new Metric({ namespace: 'AWS/Events', metricName: 'FailedInvocations', dimensionsMap: { RuleName: rule.ruleName }, period: PERIOD, statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    for (const [name, machine] of props.stateMachines ?? []) {
      const id = name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
      add(
        new Alarm(this, `${id}ExecutionsFailed`, {
          alarmDescription: `Workflow ${name}: an execution failed (a task kept failing or a state could not run); the case waits on a workflow that no longer runs`,
          metric: machine.metricFailed({ period: PERIOD, statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
      add(
        new Alarm(this, `${id}ExecutionsTimedOut`, {
          alarmDescription: `Workflow ${name}: an execution timed out; the case waits on a workflow that no longer runs`,
          metric: machine.metricTimedOut({ period: PERIOD, statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    if (props.scheduleGroupName) {
      add(
        new Alarm(this, 'CaseTimersFailedToDeadLetter', {
          alarmDescription: `Scheduler could neither deliver a case timer in ${props.scheduleGroupName} nor dead-letter it: the timer is lost`,
          metric: new Metric({
            namespace: 'AWS/Scheduler',
            metricName: 'InvocationsFailedToBeSentToDeadLetterCount',
            dimensionsMap: { ScheduleGroup: props.scheduleGroupName },
            period: PERIOD,
            statistic: 'Sum',
          }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
  }
}
