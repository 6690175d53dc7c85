// Escalation workflow (issue 6, control 3): record the escalation, notify the supervisor of the current level, wait
// for an acknowledgement through a task token with a timeout, and on timeout escalate to the next level, up to a
// maximum level; then close. Built once with CDK constructs; `escalationAsl()` exports the same tree as ASL.
//
// Execution input: { caseId, escalationId, trigger, level, ackTimeoutSeconds }  (level: the level it starts at, ≥ 1)
// The acknowledgement task ends with `SendTaskSuccess(output)` (acknowledged), `SendTaskFailure(error: 'Waived')`
// (a waiver stops the escalation) or the timeout; EscalationClosed receives which as `acknowledgement`
// (the success output, or `{ Error, Cause }`).
//
// Every Lambda payload carries `action` (the state name), so one function may serve several tasks.
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Choice, Condition, DefinitionBody, IntegrationPattern, JsonPath, Pass, TaskInput, Timeout } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ESCALATION_STATES, ESCALATION_ERRORS } from '#schemas/workflow-steps';
import { ESCALATION_LADDER } from '#schemas/escalation';
import { sideEffectTasks, levelLimit } from './tasks';
import { type AslDefinition, placeholderFunctions, synthesizeAsl } from './asl';

export const ESCALATION_FUNCTION_KEYS = ['recordEscalation', 'notifySupervisor', 'acknowledgementTask', 'escalateNextLevel', 'escalationClosed'] as const;
export type EscalationFunctionKey = (typeof ESCALATION_FUNCTION_KEYS)[number];
export type EscalationFunctions = Record<EscalationFunctionKey, IFunction>;



export interface EscalationWorkflowOptions {
  /** Highest escalation level; a timeout at this level closes the escalation unacknowledged. Default 3. */
  maxLevel?: number;
  /** Timeout of the side-effect tasks (record, notify, escalate, close). Default 60 s. */
  sideEffectTimeout?: Duration;
}

/** One level per rung of the escalation ladder (team supervisors, head of complaints, compliance). */
const DEFAULT_MAX_LEVEL = ESCALATION_LADDER.length;

/** Builds the escalation states under `scope` (state construct ids = state names) and returns the definition body. */
export const escalationDefinition = (scope: Construct, functions: EscalationFunctions, options: EscalationWorkflowOptions = {}): DefinitionBody => {
  const maxLevel = levelLimit('maxLevel', options.maxLevel ?? DEFAULT_MAX_LEVEL);
  const s = ESCALATION_STATES;
  const escalation = { caseId: JsonPath.stringAt('$.caseId'), escalationId: JsonPath.stringAt('$.escalationId') };
  const sideEffect = sideEffectTasks(scope, options.sideEffectTimeout);

  const recordEscalation = sideEffect(s.recordEscalation, functions.recordEscalation, {
    ...escalation,
    trigger: JsonPath.objectAt('$.trigger'),
    level: JsonPath.numberAt('$.level'),
  });
  const notifySupervisor = sideEffect(s.notifySupervisor, functions.notifySupervisor, { ...escalation, level: JsonPath.numberAt('$.level') });
  const awaitAcknowledgement = LambdaInvoke.jsonPath(scope, s.awaitAcknowledgement, {
    stateName: s.awaitAcknowledgement,
    lambdaFunction: functions.acknowledgementTask,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: TaskInput.fromObject({
      action: s.awaitAcknowledgement,
      taskToken: JsonPath.taskToken,
      ...escalation,
      level: JsonPath.numberAt('$.level'),
      ackTimeoutSeconds: JsonPath.numberAt('$.ackTimeoutSeconds'),
    }),
    resultPath: '$.acknowledgement',
    taskTimeout: Timeout.at('$.ackTimeoutSeconds'),
  });
  const canEscalateFurther = Choice.jsonPath(scope, s.canEscalateFurther, { stateName: s.canEscalateFurther });
  const escalateNextLevel = sideEffect(s.escalateNextLevel, functions.escalateNextLevel, {
    ...escalation,
    fromLevel: JsonPath.numberAt('$.level'),
    toLevel: JsonPath.mathAdd(JsonPath.numberAt('$.level'), 1),
  });
  const raiseEscalationLevel = Pass.jsonPath(scope, s.raiseEscalationLevel, {
    stateName: s.raiseEscalationLevel,
    parameters: {
      ...escalation,
      trigger: JsonPath.objectAt('$.trigger'),
      ackTimeoutSeconds: JsonPath.numberAt('$.ackTimeoutSeconds'),
      level: JsonPath.mathAdd(JsonPath.numberAt('$.level'), 1),
    },
  });
  const escalationClosed = sideEffect(s.escalationClosed, functions.escalationClosed, {
    ...escalation,
    level: JsonPath.numberAt('$.level'),
    acknowledgement: JsonPath.objectAt('$.acknowledgement'),
  });

  awaitAcknowledgement.addCatch(canEscalateFurther, { errors: ['States.Timeout'], resultPath: '$.acknowledgement' });
  awaitAcknowledgement.addCatch(escalationClosed, { errors: [ESCALATION_ERRORS.waived], resultPath: '$.acknowledgement' });
  canEscalateFurther
    .when(Condition.numberLessThan('$.level', maxLevel), escalateNextLevel.next(raiseEscalationLevel).next(notifySupervisor))
    .otherwise(escalationClosed);

  return DefinitionBody.fromChainable(recordEscalation.next(notifySupervisor).next(awaitAcknowledgement).next(escalationClosed));
};

/** The escalation workflow as ASL, from the same builder, with placeholder function ARNs. */
export const escalationAsl = (options: EscalationWorkflowOptions = {}): AslDefinition =>
  synthesizeAsl((stack) =>
    escalationDefinition(new Construct(stack, 'Escalation'), placeholderFunctions(stack, 'escalation', ESCALATION_FUNCTION_KEYS), options),
  );

export { ESCALATION_STATES, ESCALATION_ERRORS };
