// Observability: a few consolidated alarms that page someone (the alarm topic, an email subscription from context) and
// one dashboard. Every alarm metric costs $0.10 a month whether anything happens or not, so each concern is one alarm:
// account-level Lambda metrics instead of one alarm per function, metric math over the queues, rules, workflows and
// table indexes (at most 10 metrics each, CloudWatch's limit), and the fixed cost is computed by `npm run cost:fixed`.
import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IRule } from 'aws-cdk-lib/aws-events';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { CfnStateMachine, type IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ApiFunction } from './api-function';
import type { DeadLetterQueue } from './dead-letter-queue';
import type { DataTable } from './case-table';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';

export interface ObservabilityProps {
  httpApi: HttpApi;
  /** The stage's access log group: 429s (stage or route throttling) are counted from it. */
  accessLogs: ILogGroup;
  functions: ReadonlyMap<string, ApiFunction>;
  /** Queues that hold failed work: any visible message is an alarm. */
  deadLetterQueues?: ReadonlyMap<string, Pick<DeadLetterQueue, 'queue' | 'holds'>>;
  /** EventBridge rules whose failed deliveries (after every retry) must not go unnoticed. */
  eventRules?: ReadonlyMap<string, IRule>;
  /** The case-timer schedule group: Scheduler failing to dead-letter a delivery means a timer is lost. */
  scheduleGroupName?: string;
  /** Workflow state machines by name: a failed or timed-out execution means a case waits on a workflow that stopped. */
  stateMachines?: ReadonlyMap<string, IStateMachine>;
  /** Tables whose throttled reads and writes (table and every index) are an alarm. */
  tables?: readonly Pick<DataTable, 'table' | 'indexNames'>[];
  /** The webhook delivery queue: its oldest message's age is how late subscribers are. */
  webhookQueue?: IQueue;
  /** How far a stream consumer may fall behind before its timers and events are late. */
  maxIteratorAge?: Duration;
  /** The account's Lambda concurrency quota (default 1,000): the alarm fires at 80 %. */
  accountConcurrency?: number;
  /** Where every alarm and its recovery goes (the stateful stack's alarm topic, or the operator's own). */
  alarmTopic: ITopic;
  /** Extra alarms other constructs built (the retention backlog), given the same action. */
  extraAlarms?: readonly Alarm[];
}

const PERIOD = Duration.minutes(5);
/** CloudWatch's limit on metrics in one alarm's math expression. */
export const MAX_METRICS_PER_ALARM = 10;
/** Scheduler's account-level failure metrics: target errors, target throttling and Scheduler's own invocation throttling. */
export const SCHEDULER_ACCOUNT_METRICS = ['TargetErrorCount', 'TargetErrorThrottledCount', 'InvocationThrottleCount'] as const;
/** A function whose p99 duration passes this share of its timeout is about to time out. */
const NEAR_TIMEOUT = 0.8;

/**
 * Whether a state machine sets an execution timeout (a top-level TimeoutSeconds in its definition); the references in the
 * definition (ARNs, inside strings) are read as placeholders. A machine whose definition cannot be read counts as having one.
 */
const hasExecutionTimeout = (m: IStateMachine): boolean => {
  const cfn = m.node.defaultChild;
  if (!(cfn instanceof CfnStateMachine)) return true;
  const body: unknown = Stack.of(m).resolve(cfn.definitionString);
  const join = (body as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  const text = typeof body === 'string' ? body : join ? join[1].map((p) => (typeof p === 'string' ? p : 'ref')).join(join[0]) : undefined;
  if (text === undefined) return true;
  try {
    const top = JSON.parse(text) as Record<string, unknown>;
    return 'TimeoutSeconds' in top || 'TimeoutSecondsPath' in top;
  } catch {
    return true;
  }
};

const sum = (namespace: string, metricName: string, dimensionsMap?: Record<string, string>) => new Metric({ namespace, metricName, ...(dimensionsMap ? { dimensionsMap } : {}), period: PERIOD, statistic: 'Sum' });

/** Metric math over up to ten metrics: `fn` of them (SUM or MAX), labelled. */
const combine = (label: string, fn: 'SUM' | 'MAX', metrics: IMetric[]): MathExpression => {
  if (metrics.length > MAX_METRICS_PER_ALARM) throw new Error(`${label}: ${metrics.length} metrics, CloudWatch allows ${MAX_METRICS_PER_ALARM} in one alarm`);
  const usingMetrics = Object.fromEntries(metrics.map((m, i) => [`m${i}`, m]));
  return new MathExpression({ expression: `${fn}([${Object.keys(usingMetrics).join(',')}])`, usingMetrics, label, period: PERIOD });
};

export class Observability extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const action = new SnsAction(props.alarmTopic);
    const add = (alarmId: string, description: string, metric: IMetric, threshold: number, comparison = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD): Alarm => {
      const alarm = new Alarm(this, alarmId, { alarmDescription: description, metric, threshold, evaluationPeriods: 1, comparisonOperator: comparison, treatMissingData: TreatMissingData.NOT_BREACHING });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
      return alarm;
    };
    const functions = [...props.functions.values()];

    // The API: handlers turn every domain error into a 4xx, so a 5xx is a defect or an AWS failure.
    add('Api5xx', 'The complaints API answered 5xx', props.httpApi.metricServerError({ period: PERIOD, statistic: 'Sum' }), 1);
    add('ApiLatencyP99', 'The complaints API p99 latency is above 3 s', props.httpApi.metricLatency({ period: PERIOD, statistic: 'p99' }), 3000, ComparisonOperator.GREATER_THAN_THRESHOLD);
    // HTTP APIs publish no 429 metric: count the stage's throttled answers from its access log.
    const throttled = new MetricFilter(this, 'Api429Filter', {
      logGroup: props.accessLogs,
      filterPattern: FilterPattern.numberValue('$.status', '=', 429),
      metricNamespace: 'Complaints/Api',
      metricName: 'Throttled429',
      metricValue: '1',
      defaultValue: 0,
    });
    add('Api429', 'The complaints API throttled more than 50 requests in 5 minutes (stage or public-route limits): staff may be locked out', throttled.metric({ period: PERIOD, statistic: 'Sum' }), 50, ComparisonOperator.GREATER_THAN_THRESHOLD);

    // Lambda, account-level: one metric for every function (a deployment in its own account, as AWS recommends, sees
    // only its own functions; the dashboard shows which function it was).
    add('FunctionErrors', `Lambda invocation errors (crash, timeout, out of memory) in this account and region; ${functions.length} complaints functions`, sum('AWS/Lambda', 'Errors'), 1);
    // No separate throttles alarm: a throttled API invocation answers 5xx (Api5xx), a throttled asynchronous or stream
    // invocation is retried and ends in a dead-letter queue (DeadLetters) if it never runs, and the concurrency alarm
    // below fires at 80 % of the quota, before Lambda throttles for concurrency.
    const concurrency = props.accountConcurrency ?? 1000;
    add('AccountConcurrency', `Lambda concurrent executions above 80 % of the account's ${concurrency}`, new Metric({ namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', period: PERIOD, statistic: 'Maximum' }), Math.floor(concurrency * 0.8), ComparisonOperator.GREATER_THAN_THRESHOLD);

    // Duration near the timeout, for the workers of 5 minutes or more (a timeout is an error anyway; a route function's
    // latency is the API p99 above).
    const workers = functions.filter((f) => (f.function.timeout ?? Duration.seconds(3)).toSeconds() >= 300);
    for (let i = 0; i < workers.length; i += MAX_METRICS_PER_ALARM) {
      const group = workers.slice(i, i + MAX_METRICS_PER_ALARM);
      const usingMetrics = Object.fromEntries(group.map((f, j) => [`d${j}`, f.function.metricDuration({ period: PERIOD, statistic: 'Maximum' })]));
      const expression = `MAX([${group.map((f, j) => `d${j} / ${(f.function.timeout ?? Duration.seconds(3)).toMilliseconds()}`).join(',')}])`;
      add(`NearTimeout${i / MAX_METRICS_PER_ALARM + 1}`, `A worker's longest run passed ${NEAR_TIMEOUT * 100} % of its timeout: ${group.map((f) => f.node.id).join(', ')}`, new MathExpression({ expression, usingMetrics, label: 'duration / timeout', period: PERIOD }), NEAR_TIMEOUT, ComparisonOperator.GREATER_THAN_THRESHOLD);
    }

    // Stream consumers (the functions with a table-stream mapping), account-level like the errors alarm: Lambda publishes
    // IteratorAge across all functions too, and only stream consumers emit it, so one metric watches them all (the
    // dashboard says which).
    const consumers = functions.filter((f) => f.eventSourceMappings.length);
    if (consumers.length) {
      const maxAge = props.maxIteratorAge ?? Duration.minutes(5);
      add('StreamConsumersBehind', `A stream consumer is more than ${maxAge.toHumanString()} behind (timers, events and notifications are late): ${consumers.map((f) => f.node.id).join(', ')}`, new Metric({ namespace: 'AWS/Lambda', metricName: 'IteratorAge', period: PERIOD, statistic: 'Maximum' }), maxAge.toMilliseconds(), ComparisonOperator.GREATER_THAN_THRESHOLD);
    }

    const dlqs = [...(props.deadLetterQueues?.values() ?? [])];
    if (dlqs.length) {
      add('DeadLetters', `A dead-letter queue is not empty: ${dlqs.map((d) => d.holds).join('; ')}`, combine('dead letters', 'SUM', dlqs.map((d) => d.queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }))), 0, ComparisonOperator.GREATER_THAN_THRESHOLD);
    }

    const rules = [...(props.eventRules?.entries() ?? [])];
    if (rules.length) {
      add('EventDeliveriesFailed', `An EventBridge rule could not deliver an event after every retry (${rules.map(([n]) => n).join(', ')})`, combine('failed invocations', 'SUM', rules.map(([, r]) => sum('AWS/Events', 'FailedInvocations', { RuleName: r.ruleName }))), 1);
    }

    const machines = [...(props.stateMachines?.entries() ?? [])];
    if (machines.length) {
      // ExecutionsTimedOut only where the machine sets an execution timeout: without one (the case workflows, whose
      // waits end in task timeouts they catch) an execution can time out only at Step Functions' one-year limit.
      const stopped = machines.flatMap(([, m]) => [m.metricFailed({ period: PERIOD, statistic: 'Sum' }), ...(hasExecutionTimeout(m) ? [m.metricTimedOut({ period: PERIOD, statistic: 'Sum' })] : [])]);
      add('WorkflowsStopped', `A workflow execution failed or timed out (${machines.map(([n]) => n).join(', ')}): its case waits on a workflow that no longer runs`, combine('failed or timed-out executions', 'SUM', stopped), 1);
    }

    if (props.scheduleGroupName) {
      // Scheduler's metrics (AWS/Scheduler, EventBridge Scheduler User Guide, "Monitoring ... with Amazon CloudWatch"):
      // a timer neither delivered nor dead-lettered; a target error (TargetErrorCount), a target invocation the target's
      // API throttled (TargetErrorThrottledCount: Lambda refusing the Invoke); and an invocation Scheduler itself
      // throttled because it exceeds the account's invocation quota (InvocationThrottleCount): timers fire late. The last
      // three are account-level: every schedule of the app (case timers, the audit digest) in its own account.
      add(
        'CaseTimersLost',
        `Scheduler could neither deliver a case timer in ${props.scheduleGroupName} nor dead-letter it, or a schedule's target failed or was throttled, or Scheduler throttled invocations (its invocation quota): timers are late or lost`,
        combine('scheduler failures and throttles', 'SUM', [
          sum('AWS/Scheduler', 'InvocationsFailedToBeSentToDeadLetterCount', { ScheduleGroup: props.scheduleGroupName }),
          ...SCHEDULER_ACCOUNT_METRICS.map((m) => sum('AWS/Scheduler', m)),
        ]),
        1,
      );
    }

    // The cases table: its reads and writes, and each index's writes (WriteThrottleEvents per index: the TableName
    // dimension alone leaves the indexes out) and reads. An index is only ever read by Query here (no Scan on any path),
    // and DynamoDB counts a Query throttled on the table or on any index once in ThrottledRequests (Operation=Query), so
    // one metric pages on every index's read throttles; per-index ReadThrottleEvents would cost an alarm metric each
    // ($0.10 a month) for what the dashboard shows for nothing: which index it was.
    // The idempotency table is written only by the API's POST handlers: a write throttled past the SDK's retries fails
    // the request with a 5xx, which Api5xx already pages on, so only the cases table (first) is watched here.
    const watchedTables = (props.tables ?? []).slice(0, 1);
    const throttleMetrics = watchedTables.flatMap(({ table, indexNames }) => [
      sum('AWS/DynamoDB', 'ReadThrottleEvents', { TableName: table.tableName }),
      sum('AWS/DynamoDB', 'WriteThrottleEvents', { TableName: table.tableName }),
      ...indexNames.map((i) => sum('AWS/DynamoDB', 'WriteThrottleEvents', { TableName: table.tableName, GlobalSecondaryIndexName: i })),
      sum('AWS/DynamoDB', 'ThrottledRequests', { TableName: table.tableName, Operation: 'Query' }),
    ]);
    for (let i = 0; i < throttleMetrics.length; i += MAX_METRICS_PER_ALARM) {
      add(`TableThrottles${i / MAX_METRICS_PER_ALARM + 1}`, 'DynamoDB throttled reads or writes on the cases table or an index, or a Query on any index (a hot partition: see docs/scale-model.md; the dashboard shows which index)', combine('throttle events', 'SUM', throttleMetrics.slice(i, i + MAX_METRICS_PER_ALARM)), 1);
    }
    const indexReadThrottles = watchedTables.flatMap(({ table, indexNames }) => indexNames.map((i) => sum('AWS/DynamoDB', 'ReadThrottleEvents', { TableName: table.tableName, GlobalSecondaryIndexName: i })));

    if (props.webhookQueue) {
      add('WebhooksLate', 'The oldest subscriber-webhook message is more than 15 minutes old', props.webhookQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' }), 15 * 60, ComparisonOperator.GREATER_THAN_THRESHOLD);
    }

    for (const alarm of props.extraAlarms ?? []) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    }

    // One dashboard: the alarms, then the per-resource detail the account-level alarms leave out.
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 }));
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'API requests, 4xx, 5xx', left: [props.httpApi.metricCount({ period: PERIOD }), props.httpApi.metricClientError({ period: PERIOD }), props.httpApi.metricServerError({ period: PERIOD })], width: 12 }),
      new GraphWidget({ title: 'API latency p50 / p99 (ms)', left: [props.httpApi.metricLatency({ period: PERIOD, statistic: 'p50' }), props.httpApi.metricLatency({ period: PERIOD, statistic: 'p99' })], width: 12 }),
    );
    this.dashboard.addWidgets(new GraphWidget({ title: 'Concurrency and throttles (account)', left: [new Metric({ namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions', period: PERIOD, statistic: 'Maximum' })], right: [sum('AWS/Lambda', 'Throttles')], width: 24 }));
    // Which stream consumer is behind (the alarm watches the account-level maximum).
    if (consumers.length) this.dashboard.addWidgets(new GraphWidget({ title: 'Stream consumers: iterator age (ms)', left: consumers.map((f) => f.function.metric('IteratorAge', { period: PERIOD, statistic: 'Maximum', label: f.node.id })), width: 12 }));
    if (props.scheduleGroupName) this.dashboard.addWidgets(new GraphWidget({ title: 'Scheduler: target errors and throttles', left: SCHEDULER_ACCOUNT_METRICS.map((m) => sum('AWS/Scheduler', m)), width: 12 }));
    // Which function the account-level errors alarm saw: every function's errors, 25 to a graph.
    for (let i = 0; i < functions.length; i += 25) {
      const group = functions.slice(i, i + 25);
      this.dashboard.addWidgets(new GraphWidget({ title: `Function errors (${i + 1}–${i + group.length} of ${functions.length})`, left: group.map((f) => f.function.metricErrors({ period: PERIOD, statistic: 'Sum', label: f.node.id })), width: 24 }));
    }
    if (throttleMetrics.length) this.dashboard.addWidgets(new GraphWidget({ title: 'DynamoDB throttle events (table, index writes; index reads on the right)', left: throttleMetrics, right: indexReadThrottles, width: 24 }));
  }
}
