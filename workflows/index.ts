// Step Functions workflows of issue 6, defined once with CDK constructs. CDK (infra/) calls the `…Definition`
// builders with real functions; the local runner and the tests use the `…Asl()` exports of the same builders.
export { type AslDefinition, type AslState, type Json, placeholderFunctionArn, synthesizeAsl, taskStates } from './asl';
export {
  APPROVAL_ERRORS,
  APPROVAL_FUNCTION_KEYS,
  APPROVAL_STATES,
  type ApprovalFunctionKey,
  type ApprovalFunctions,
  type ApprovalWorkflowOptions,
  approvalAsl,
  approvalDefinition,
} from './approval';
export {
  ESCALATION_ERRORS,
  ESCALATION_FUNCTION_KEYS,
  ESCALATION_STATES,
  type EscalationFunctionKey,
  type EscalationFunctions,
  type EscalationWorkflowOptions,
  escalationAsl,
  escalationDefinition,
} from './escalation';
