// CaseWorkflows (API stack): the approval and escalation workflows of issue 6 as Standard state machines, each built
// from its one definition in workflows/ (the same builder the local runner and the tests export as ASL), and the one
// Lambda function per workflow that serves every task of it (it dispatches on `action` = the state name).
//
// The machines have fixed names, so every ARN is computed from the name (Stack.formatArn) instead of referenced: the
// workflow functions are told their own machine's ARN (to resume a task whose decision was recorded before its token
// was stored) without the cycle function environment → machine → function.
import { ArnFormat, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  APPROVAL_FUNCTION_KEYS,
  ESCALATION_FUNCTION_KEYS,
  approvalDefinition,
  escalationDefinition,
} from '../../workflows';
import { ApiFunction, type WorkflowMachine, type FunctionSettings } from './api-function';
import type { DataTable } from './case-table';

export const APPROVAL_WORKFLOW_ENTRY = 'functions/approval-workflow/handler.ts';
export const ESCALATION_WORKFLOW_ENTRY = 'functions/escalation-workflow/handler.ts';

/** Vended logs (Step Functions → CloudWatch Logs) go to groups under this prefix, as AWS recommends for vended logs. */
export const VENDED_LOGS_PREFIX = '/aws/vendedlogs/states/';

const ENV_VAR = { approval: 'APPROVAL_STATE_MACHINE_ARN', escalation: 'ESCALATION_STATE_MACHINE_ARN' } as const;

/** The approval or escalation state machine of a deployment: `<prefix>-approval`, `<prefix>-escalation`. */
export const workflowMachine = (scope: Construct, namePrefix: string, workflow: WorkflowMachine['workflow']): WorkflowMachine => {
  const stateMachineName = `${namePrefix}-${workflow}`;
  const stateMachineArn = Stack.of(scope).formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  return { workflow, stateMachineName, stateMachineArn, envVar: ENV_VAR[workflow] };
};

/** One function for every task key of a workflow: it dispatches on the payload's `action` (the state name). */
const servingEvery = <K extends string>(keys: readonly K[], fn: IFunction): Record<K, IFunction> =>
  Object.fromEntries(keys.map((key) => [key, fn])) as Record<K, IFunction>;

/**
 * What a state machine's role needs besides invoking its function; none of these actions supports resource-level
 * permissions, so each is on "*":
 * - CloudWatch Logs vended-log delivery, which Step Functions checks on the role when logging is configured (Step
 *   Functions developer guide, "IAM policies for logging to CloudWatch Logs");
 * - X-Ray, for `tracingEnabled` (the X-Ray actions have no resource types in the Service Authorization Reference).
 */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];
const TRACING_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'];

export interface CaseWorkflowsProps extends FunctionSettings {
  /** Lower-case deployment prefix: the machines are `<prefix>-approval` and `<prefix>-escalation`. */
  namePrefix: string;
  cases: DataTable;
}

/** One workflow: its state machine, the role it runs as, its log group and the function serving its tasks. */
export interface CaseWorkflow extends WorkflowMachine {
  readonly stateMachine: StateMachine;
  readonly role: Role;
  /** The role's only policy: invoke the workflow function, deliver logs, send traces. */
  readonly policy: Policy;
  readonly logGroup: LogGroup;
  readonly function: ApiFunction;
}

export class CaseWorkflows extends Construct {
  readonly approval: CaseWorkflow;
  readonly escalation: CaseWorkflow;
  /** Both workflow functions by entry, like `Api.functions`. */
  readonly functions: ReadonlyMap<string, ApiFunction>;
  /** Both state machines by name, for alarms. */
  readonly stateMachines: ReadonlyMap<string, StateMachine>;

  constructor(scope: Construct, id: string, props: CaseWorkflowsProps) {
    super(scope, id);
    const approvalMachine = workflowMachine(this, props.namePrefix, 'approval');
    this.approval = this.workflow(
      approvalMachine,
      APPROVAL_WORKFLOW_ENTRY,
      `Approval workflow steps (${approvalMachine.stateMachineName}): store the decision task token, remind, raise the approver level, return to owner, complete`,
      props,
      (definitionScope, fn) => approvalDefinition(definitionScope, servingEvery(APPROVAL_FUNCTION_KEYS, fn)),
    );
    const escalationMachine = workflowMachine(this, props.namePrefix, 'escalation');
    this.escalation = this.workflow(
      escalationMachine,
      ESCALATION_WORKFLOW_ENTRY,
      `Escalation workflow steps (${escalationMachine.stateMachineName}): record, notify the level, store the acknowledgement task token, raise the level, close`,
      props,
      (definitionScope, fn) => escalationDefinition(definitionScope, servingEvery(ESCALATION_FUNCTION_KEYS, fn)),
    );

    // Step Functions invokes the functions synchronously (lambda:invoke, with the task's Retry for Lambda service
    // errors): a failure fails the task and is in the execution history, so there is no asynchronous-invocation queue.
    this.functions = new Map([
      [APPROVAL_WORKFLOW_ENTRY, this.approval.function],
      [ESCALATION_WORKFLOW_ENTRY, this.escalation.function],
    ]);
    this.stateMachines = new Map([
      [approvalMachine.stateMachineName, this.approval.stateMachine],
      [escalationMachine.stateMachineName, this.escalation.stateMachine],
    ]);
  }

  private workflow(machine: WorkflowMachine, entry: string, description: string, props: CaseWorkflowsProps, define: (scope: Construct, fn: IFunction) => DefinitionBody): CaseWorkflow {
    const id = machine.workflow === 'approval' ? 'Approval' : 'Escalation';
    const stack = Stack.of(this);
    const { environment, serviceName, metricsNamespace, logRetention } = props;
    const fn = new ApiFunction(this, `${id}WorkflowFunction`, {
      environment,
      serviceName,
      metricsNamespace,
      logRetention,
      entry,
      description,
      // Below the workflow's 60 s side-effect task timeout, so a slow step fails the invocation before the task times out.
      timeout: Duration.seconds(30),
    })
      .bindTable(props.cases, 'readWrite')
      // Self-resume: a decision, acknowledgement or waiver recorded before the token was stored settles the task as
      // soon as the token is.
      .settleWorkflowTasks(machine);

    // The stack's id makes the name unique per stack instance: a retained group never blocks recreating the stack.
    const logGroup = new LogGroup(this, `${id}Logs`, {
      logGroupName: `${VENDED_LOGS_PREFIX}${machine.stateMachineName}-${Fn.select(2, Fn.split('/', stack.stackId))}`,
      retention: props.logRetention,
      // Like the function logs: execution history outlives a stateless redeploy, retention bounds its cost.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // An own role whose only policy is written here: the CDK task and logging grants would add `lambda:InvokeFunction`
    // on every version (`<function>:*`), which unqualified invocations never need.
    const role = new Role(this, `${id}Role`, {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `Step Functions ${machine.stateMachineName}: invokes its workflow function, delivers its logs and traces`,
    });
    const policy = new Policy(this, `${id}Policy`, {
      roles: [role],
      statements: [
        // The definition invokes the unqualified function ARN only.
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.function.functionArn] }),
        new PolicyStatement({ actions: LOG_DELIVERY_ACTIONS, resources: ['*'] }),
        new PolicyStatement({ actions: TRACING_ACTIONS, resources: ['*'] }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions logging and tracing: the CloudWatch Logs vended-log delivery actions (CreateLogDelivery, …, DescribeLogGroups) and the X-Ray actions support no resource-level permissions, so AWS requires Resource "*"; the only resource-scoped action, lambda:InvokeFunction, names the workflow function.',
    });

    const stateMachine = new StateMachine(this, `${id}StateMachine`, {
      stateMachineName: machine.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      // State construct ids are the state names: each workflow builds under its own scope.
      definitionBody: define(new Construct(this, `${id}Definition`), fn.function),
      // Immutable: the policy above is the role's whole policy (the CDK would otherwise add its own grants to it).
      role: role.withoutPolicyUpdates(),
      // Execution data (inputs, outputs, task payloads) is logged in full: by design the payloads carry identifiers and
      // numbers only (shared/schemas/workflow-steps.ts); free text such as rejection comments and waiver
      // justifications stays in the cases table.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // Step Functions checks the role's logging permissions when the machine is created: the policy comes first.
    stateMachine.node.addDependency(role, policy);

    return { ...machine, stateMachine, role, policy, logGroup, function: fn };
  }
}
