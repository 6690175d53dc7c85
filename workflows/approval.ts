// Approval workflow (issue 6, control 5): the ordered approval stages of a proposed resolution, one after another.
// Each stage waits for a decision through a task token (stored on the APPROVAL# item by the approval-task function),
// reminds the approver when the heartbeat lapses, raises the approver level when the stage times out, and returns the
// case to its owner on rejection. Built once with CDK constructs; `approvalAsl()` exports the same tree as ASL.
//
// Execution input: `approvalExecutionInput({ caseId, approvalIds, stages })` (#schemas/workflow-steps), the chain of
// stage states `{ caseId, current: { stage, attempt }, next }`, each `next` the following stage's state and the last
// one `{ caseId, outcome: 'approved', approvalIds }` (the output). `stage` = { stage, role, approvalId,
// timeoutSeconds, heartbeatSeconds }; `heartbeatSeconds` is the reminder interval and must be smaller than
// `timeoutSeconds` (the States Language requires it); a level escalates once the reminders add up to `timeoutSeconds`,
// so choose a multiple.
//
// Step Functions bills every state entered. The approved path enters AwaitDecision → NextStage per stage and then
// ApprovalsComplete (1 + 2 × stages): the starter prepares each stage's state, and NextStage moves on by selecting
// `$.next` (InputPath), so no Pass state shapes data on it.
//
// Every Lambda payload carries `action` (the state name), so one function may serve several tasks.
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Choice, Condition, DefinitionBody, IntegrationPattern, JsonPath, Pass, TaskInput, Timeout } from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { APPROVAL_STATES, APPROVAL_ERRORS } from '#schemas/workflow-steps';
import { sideEffectTasks, levelLimit } from './tasks';
import { type AslDefinition, placeholderFunctions, synthesizeAsl } from './asl';

/** The functions the approval tasks invoke; the same function may be passed for several keys. */
export const APPROVAL_FUNCTION_KEYS = ['approvalTask', 'remind', 'escalateApprover', 'returnToOwner', 'approvalsComplete'] as const;
export type ApprovalFunctionKey = (typeof APPROVAL_FUNCTION_KEYS)[number];
export type ApprovalFunctions = Record<ApprovalFunctionKey, IFunction>;



export interface ApprovalWorkflowOptions {
  /** Approver levels a stage may climb through on timeout (level 1 = the stage's own role). Default 3. */
  maxApproverLevel?: number;
  /** Timeout of the side-effect tasks (remind, escalate, return, complete). Default 60 s. */
  sideEffectTimeout?: Duration;
}

const DEFAULT_MAX_APPROVER_LEVEL = 3;

/**
 * Builds the approval states under `scope` (state construct ids = state names, so give each workflow its own scope)
 * and returns the definition body.
 *
 * The stages run as a loop (AwaitDecision → NextStage → AwaitDecision on the next link of the input's chain), not as a
 * Map with MaxConcurrency 1: the local interpreter keeps starting queued Map iterations after one has failed, so a
 * rejected stage 1 would still open stage 2 locally (and a Map enters more states).
 */
export const approvalDefinition = (scope: Construct, functions: ApprovalFunctions, options: ApprovalWorkflowOptions = {}): DefinitionBody => {
  const maxLevel = levelLimit('maxApproverLevel', options.maxApproverLevel ?? DEFAULT_MAX_APPROVER_LEVEL);
  const s = APPROVAL_STATES;
  // State while a stage runs (ApprovalStageState): $.current = { stage, attempt: { level, waitedSeconds, reminders } },
  // $.next = the next stage's state, or the output once this was the last stage.
  const stageFields = {
    caseId: JsonPath.stringAt('$.caseId'),
    approvalId: JsonPath.stringAt('$.current.stage.approvalId'),
    stage: JsonPath.stringAt('$.current.stage.stage'),
    role: JsonPath.stringAt('$.current.stage.role'),
  };
  const level = JsonPath.numberAt('$.current.attempt.level');
  const sideEffect = sideEffectTasks(scope, options.sideEffectTimeout);

  const awaitDecision = LambdaInvoke.jsonPath(scope, s.awaitDecision, {
    stateName: s.awaitDecision,
    lambdaFunction: functions.approvalTask,
    integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: TaskInput.fromObject({
      action: s.awaitDecision,
      taskToken: JsonPath.taskToken,
      ...stageFields,
      level,
      reminders: JsonPath.numberAt('$.current.attempt.reminders'),
      timeoutSeconds: JsonPath.numberAt('$.current.stage.timeoutSeconds'),
      heartbeatSeconds: JsonPath.numberAt('$.current.stage.heartbeatSeconds'),
    }),
    // The decision output is not needed further on: NextStage selects the next stage's state.
    resultPath: JsonPath.DISCARD,
    taskTimeout: Timeout.at('$.current.stage.timeoutSeconds'),
    heartbeatTimeout: Timeout.at('$.current.stage.heartbeatSeconds'),
  });
  // Entered once a stage is approved: continues with the next link of the chain (InputPath), a stage or the output.
  const nextStage = Choice.jsonPath(scope, s.nextStage, { stateName: s.nextStage, inputPath: '$.next' });
  const remind = sideEffect(s.remind, functions.remind, { ...stageFields, level, reminders: JsonPath.numberAt('$.current.attempt.reminders') });
  const recordReminder = Pass.jsonPath(scope, s.recordReminder, {
    stateName: s.recordReminder,
    parameters: {
      level,
      waitedSeconds: JsonPath.mathAdd(JsonPath.numberAt('$.current.attempt.waitedSeconds'), JsonPath.numberAt('$.current.stage.heartbeatSeconds')),
      reminders: JsonPath.mathAdd(JsonPath.numberAt('$.current.attempt.reminders'), 1),
    },
    resultPath: '$.current.attempt',
  });
  const levelTimedOut = Choice.jsonPath(scope, s.levelTimedOut, { stateName: s.levelTimedOut });
  const canEscalate = Choice.jsonPath(scope, s.canEscalate, { stateName: s.canEscalate });
  const escalateApprover = sideEffect(s.escalateApprover, functions.escalateApprover, {
    ...stageFields,
    fromLevel: level,
    toLevel: JsonPath.mathAdd(level, 1),
  });
  const raiseApproverLevel = Pass.jsonPath(scope, s.raiseApproverLevel, {
    stateName: s.raiseApproverLevel,
    parameters: { level: JsonPath.mathAdd(level, 1), waitedSeconds: 0, reminders: 0 },
    resultPath: '$.current.attempt',
  });
  const approvalExpired = Pass.jsonPath(scope, s.approvalExpired, {
    stateName: s.approvalExpired,
    parameters: { Error: APPROVAL_ERRORS.expired, Cause: 'no decision at the highest approver level' },
    resultPath: '$.rejection',
  });
  const returnToOwner = sideEffect(s.returnToOwner, functions.returnToOwner, {
    ...stageFields,
    level,
    reason: JsonPath.stringAt('$.rejection.Error'),
    comment: JsonPath.stringAt('$.rejection.Cause'),
  });
  const approvalRejected = Pass.jsonPath(scope, s.approvalRejected, {
    stateName: s.approvalRejected,
    parameters: {
      caseId: JsonPath.stringAt('$.caseId'),
      outcome: 'rejected',
      approvalId: JsonPath.stringAt('$.current.stage.approvalId'),
      level,
      reason: JsonPath.stringAt('$.rejection.Error'),
      comment: JsonPath.stringAt('$.rejection.Cause'),
    },
  });
  // Its input is the chain's last link, { caseId, outcome: 'approved', approvalIds }: passed through, the output.
  const approvalsComplete = sideEffect(s.approvalsComplete, functions.approvalsComplete, {
    caseId: JsonPath.stringAt('$.caseId'),
    approvalIds: JsonPath.listAt('$.approvalIds'),
  });
  // Catchers are tried in order: a lapsed heartbeat also matches States.Timeout in Step Functions, so it comes first.
  awaitDecision.addCatch(recordReminder, { errors: ['States.HeartbeatTimeout'], resultPath: JsonPath.DISCARD });
  awaitDecision.addCatch(canEscalate, { errors: ['States.Timeout'], resultPath: JsonPath.DISCARD });
  awaitDecision.addCatch(returnToOwner, { errors: [APPROVAL_ERRORS.rejected], resultPath: '$.rejection' });
  awaitDecision.next(nextStage.when(Condition.isPresent('$.current'), awaitDecision).otherwise(approvalsComplete));
  // A lapsed heartbeat counts the wait first: at the level's timeout it escalates (no reminder at that instant),
  // otherwise the approvers are reminded and the stage waits again.
  recordReminder.next(
    levelTimedOut
      .when(Condition.numberGreaterThanEqualsJsonPath('$.current.attempt.waitedSeconds', '$.current.stage.timeoutSeconds'), canEscalate)
      .otherwise(remind.next(awaitDecision)),
  );
  canEscalate.when(Condition.numberLessThan('$.current.attempt.level', maxLevel), escalateApprover.next(raiseApproverLevel).next(awaitDecision)).otherwise(approvalExpired);
  approvalExpired.next(returnToOwner).next(approvalRejected);

  return DefinitionBody.fromChainable(awaitDecision);
};

/** The approval workflow as ASL, from the same builder, with placeholder function ARNs. */
export const approvalAsl = (options: ApprovalWorkflowOptions = {}): AslDefinition =>
  synthesizeAsl((stack) => approvalDefinition(new Construct(stack, 'Approval'), placeholderFunctions(stack, 'approval', APPROVAL_FUNCTION_KEYS), options));

export { APPROVAL_STATES, APPROVAL_ERRORS };
