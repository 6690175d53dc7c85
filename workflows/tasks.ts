// Building blocks both workflows share: fire-and-forget Lambda tasks (remind, notify, record, close…).
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { JsonPath, TaskInput, Timeout } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

/** Default timeout of a side-effect task (every Task needs one: locally an unset timeout is 60 s anyway). */
export const DEFAULT_SIDE_EFFECT_TIMEOUT = Duration.seconds(60);

/** A level limit from the options: a positive integer. */
export const levelLimit = (name: string, value: number): number => {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
};

/**
 * A factory of side-effect tasks under `scope`: the state is named `id`, the payload carries `action: id` (so one
 * function may serve several states), the result is discarded and the task times out after `timeout`.
 */
export const sideEffectTasks =
  (scope: Construct, timeout: Duration = DEFAULT_SIDE_EFFECT_TIMEOUT) =>
  (id: string, lambdaFunction: IFunction, payload: Record<string, unknown>): LambdaInvoke =>
    LambdaInvoke.jsonPath(scope, id, {
      stateName: id,
      lambdaFunction,
      payload: TaskInput.fromObject({ action: id, ...payload }),
      resultPath: JsonPath.DISCARD,
      taskTimeout: Timeout.duration(timeout),
    });
