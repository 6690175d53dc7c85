// Observability: alarms on API 5xx and on function errors and throttles, optionally notifying an SNS topic.
import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, TreatMissingData, type IAlarmAction } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { ApiFunction } from './api-function';

export interface ObservabilityProps {
  httpApi: HttpApi;
  functions: ReadonlyMap<string, ApiFunction>;
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
    }
  }
}
