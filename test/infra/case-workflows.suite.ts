// Approval and escalation workflows (issue 6): two Standard state machines with fixed names, built from the one
// definition in workflows/ (the deployed document is the exported ASL but for the function ARNs), logged in full and
// traced; one function per workflow; each machine may invoke only its own function; task tokens are settled only by
// the routes that decide and by the workflow functions themselves, executions started only by the case-stream function.
import { ArnFormat, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { WORKFLOW_ACCESS } from '../../infra/constructs/api';
import { TASK_TOKEN_ACTIONS, type ApiFunction } from '../../infra/constructs/api-function';
import { APPROVAL_WORKFLOW_ENTRY, ESCALATION_WORKFLOW_ENTRY, VENDED_LOGS_PREFIX, type CaseWorkflow } from '../../infra/constructs/case-workflows';
import { CASE_STREAM_ENTRY } from '../../infra/constructs/checkpoint-scheduler';
import { approvalAsl, escalationAsl, taskStates, type AslDefinition } from '../../workflows';
import { routeList } from '#http/routes';
import { alarmedMetrics, resolveIn, resourceOf, resourcesInFamily, statementsOfRole as roleStatements } from '../support/stacks';
import { sharedApp } from '../support/infra-app';

// Skip esbuild: these tests read templates, not bundles (`npx cdk synth` bundles for real).
const { app, stateful, api } = sharedApp();
// Synthesise first: cross-stack values resolve to their consumer-side form only afterwards.
Template.fromStack(stateful);
const template = Template.fromStack(api);

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[]; DeletionPolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown; Condition?: unknown };
type Document = { Statement: Statement[] };

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const ofType = (type: string) => Object.entries(template.findResources(type) as Record<string, Resource>);
const logicalId = (construct: IConstruct) => api.getLogicalId(construct.node.defaultChild as CfnElement);
/** A role's logical id in its own stack. */
const roleLogicalId = (role: IConstruct) => Stack.of(role).getLogicalId(role.node.defaultChild as CfnElement);
const resolved = (value: unknown) => api.resolve(value);

const prefix = 'complaints';
const workflows = api.workflows;
const machineArnToken = (name: string) => api.formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
const APPROVAL_ARN_TOKEN = machineArnToken(`${prefix}-approval`);
const ESCALATION_ARN_TOKEN = machineArnToken(`${prefix}-escalation`);
// As the API stack sees them (the machines, the workflow and case-stream functions); a route function resolves them in its nested stack.
const APPROVAL_ARN = resolved(APPROVAL_ARN_TOKEN);
const ESCALATION_ARN = resolved(ESCALATION_ARN_TOKEN);

/** The route functions (in nested route stacks), the case-timer, verifier and workflow functions, by entry. */
const allFunctions = new Map<string, ApiFunction>([...api.api.functions, ...api.scheduler.functions, ...api.evidenceVerifier.functions, ...workflows.functions]);
/** A function's resource, from the stack that holds it (route functions are in nested route stacks). */
const fnProps = (fn: ApiFunction) => resourceOf(fn.function).Properties;
const envOf = (fn: ApiFunction) => (fnProps(fn).Environment as { Variables: Record<string, unknown> }).Variables;
/** The statements of the AWS::IAM::Policy resources attached to a role of the API stack itself (the state machine roles). */
const statementsOfRole = (roleId: string): Statement[] =>
  ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as unknown[]).some((r) => same(r, { Ref: roleId })))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as Document).Statement);
/** A function's statements, from its role's own stack. */
const statementsOf = (fn: ApiFunction) => roleStatements<Statement>(fn.role);
const statesStatements = (statements: Statement[]) => statements.filter((s) => list(s.Action).some((a) => a.startsWith('states:')));
const statesActions = (statements: Statement[]) => statesStatements(statements).flatMap((s) => list(s.Action).filter((a) => a.startsWith('states:')));

const byWorkflow: [name: string, workflow: CaseWorkflow, entry: string, asl: () => AslDefinition][] = [
  [`${prefix}-approval`, workflows.approval, APPROVAL_WORKFLOW_ENTRY, approvalAsl],
  [`${prefix}-escalation`, workflows.escalation, ESCALATION_WORKFLOW_ENTRY, escalationAsl],
];
const machineOf = (workflow: CaseWorkflow) => template.findResources('AWS::StepFunctions::StateMachine')[logicalId(workflow.stateMachine)] as Resource;

/** Renders the deployed DefinitionString: the partition as in the ASL export, each function ARN as `<fn:LogicalId>`. */
const FN = (id: string) => `<fn:${id}>`;
const renderDefinition = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(renderDefinition).join(sep);
  }
  if (same(v, { Ref: 'AWS::Partition' })) return 'aws';
  const getAtt = v['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt?.[1] === 'Arn') return FN(getAtt[0]);
  throw new Error(`unexpected token in the definition: ${JSON.stringify(value)}`);
};
const deployedDefinition = (workflow: CaseWorkflow) => JSON.parse(renderDefinition(machineOf(workflow).Properties.DefinitionString)) as AslDefinition;
/** The function ARN a Task state invokes (`Parameters.FunctionName` of a lambda:invoke integration). */
const functionNameOf = (state: AslDefinition['States'][string]) => (state.Parameters as { FunctionName: string }).FunctionName;

describe('the workflow state machines', () => {
  it('are exactly two, Standard, with the fixed names <prefix>-approval and <prefix>-escalation', () => {
    const machines = ofType('AWS::StepFunctions::StateMachine');
    expect(machines.map(([, m]) => m.Properties.StateMachineName).sort()).toEqual([`${prefix}-approval`, `${prefix}-escalation`]);
    for (const [, m] of machines) expect(m.Properties.StateMachineType).toBe('STANDARD');
  });

  it.each(byWorkflow)('%s: its ARN, computed from the name, is the ARN the functions are told', (name, workflow) => {
    expect(resolved(workflow.stateMachineArn)).toEqual(resolved(machineArnToken(name)));
    expect(JSON.stringify(resolved(workflow.stateMachineArn))).toContain(`:stateMachine:${name}"`);
    // The computed form names no resource: no function depends on a machine, so no cycle through the environment.
    expect(JSON.stringify(resolved(workflow.stateMachineArn))).not.toMatch(/Ref":"Workflows|GetAtt/);
  });

  it.each(byWorkflow)('%s: logs every event with execution data to its own vended-logs group, and is traced', (name, workflow) => {
    const props = machineOf(workflow).Properties;
    expect(props.LoggingConfiguration).toEqual({
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logicalId(workflow.logGroup), 'Arn'] } } }],
      IncludeExecutionData: true,
      Level: 'ALL',
    });
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    const group = template.findResources('AWS::Logs::LogGroup')[logicalId(workflow.logGroup)] as Resource;
    expect(JSON.stringify(group.Properties.LogGroupName)).toContain(`"${VENDED_LOGS_PREFIX}${name}-"`);
    expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    expect(group.DeletionPolicy).toBe('Retain');
  });

  it.each(byWorkflow)('%s: is created after its role’s policy (Step Functions checks the logging permissions at creation)', (_name, workflow) => {
    const policies = ofType('AWS::IAM::Policy').filter(([, p]) => (p.Properties.Roles as unknown[]).some((r) => same(r, { Ref: logicalId(workflow.role) })));
    expect(policies).toHaveLength(1);
    expect(machineOf(workflow).DependsOn).toEqual(expect.arrayContaining([policies[0]![0], logicalId(workflow.role)]));
  });
});

describe('one definition: the deployed document is the exported ASL', () => {
  it.each(byWorkflow)('%s: every Task invokes the one workflow function; with the placeholders back, the States are the export’s', (_name, workflow, _entry, asl) => {
    const expected = asl();
    const deployed = deployedDefinition(workflow);
    const fnArn = FN(logicalId(workflow.function.function));
    const tasks = taskStates(deployed);
    expect(tasks.length).toBeGreaterThan(0);
    for (const [state, task] of tasks) {
      expect([state, functionNameOf(task)]).toEqual([state, fnArn]);
      // The placeholder of the same state in the export (`arn:aws:lambda:…:function:<workflow>-<key>`).
      (task.Parameters as { FunctionName: string }).FunctionName = functionNameOf(expected.States[state]!);
    }
    expect(deployed.StartAt).toBe(expected.StartAt);
    expect(deployed.States).toEqual(expected.States);
    expect(Object.keys(deployed).sort()).toEqual(Object.keys(expected).sort());
  });
});

describe('the state machine roles', () => {
  it.each(byWorkflow)('%s: assumed only by Step Functions, no managed policy, and invoke only its workflow function (unqualified)', (_name, workflow) => {
    const role = template.findResources('AWS::IAM::Role')[logicalId(workflow.role)] as Resource;
    expect((role.Properties.AssumeRolePolicyDocument as Document).Statement).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'states.amazonaws.com' } },
    ]);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    const statements = statementsOfRole(logicalId(workflow.role));
    const invoke = statements.filter((s) => list(s.Action).some((a) => a.startsWith('lambda:')));
    expect(invoke).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [logicalId(workflow.function.function), 'Arn'] } }]);
  });

  it.each(byWorkflow)('%s: everything else is log delivery and X-Ray (no resource-level permissions), nothing of states, DynamoDB or KMS', (_name, workflow) => {
    const others = statementsOfRole(logicalId(workflow.role)).filter((s) => !list(s.Action).some((a) => a.startsWith('lambda:')));
    for (const s of others) {
      expect(s.Resource).toBe('*');
      for (const action of list(s.Action)) expect(action).toMatch(/^(logs:(Create|Get|Update|Delete|List)LogDeliver(y|ies)|logs:PutResourcePolicy|logs:DescribeResourcePolicies|logs:DescribeLogGroups|xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets))$/);
    }
  });

  it('are the only principals that may invoke the workflow functions', () => {
    // Every policy of the API stack and its nested route stacks, the function ARNs as the policy's own stack sees them.
    const invokers = resourcesInFamily(api, 'AWS::IAM::Policy').filter(({ stack, resource: p }) => {
      const workflowFns = byWorkflow.map(([, w]) => stack.resolve(w.function.function.functionArn));
      return (p.Properties.PolicyDocument as Document).Statement.some((s) => list(s.Action).includes('lambda:InvokeFunction') && list(s.Resource).some((r) => workflowFns.some((f) => same(f, r))));
    });
    expect(byWorkflow.map(([, w]) => resolved(w.function.function.functionArn))).toEqual(byWorkflow.map(([, w]) => ({ 'Fn::GetAtt': [logicalId(w.function.function), 'Arn'] })));
    expect(invokers.flatMap(({ stack, resource: p }) => (p.Properties.Roles as { Ref: string }[]).map((r) => `${stack.node.path} ${r.Ref}`)).sort()).toEqual(
      byWorkflow.map(([, w]) => `${api.node.path} ${logicalId(w.role)}`).sort(),
    );
    // No resource policy either: nothing else (API Gateway, EventBridge, Scheduler) can invoke them.
    const fnIds = byWorkflow.map(([, w]) => logicalId(w.function.function));
    expect(ofType('AWS::Lambda::Permission').filter(([, p]) => fnIds.some((id) => JSON.stringify(p.Properties.FunctionName).includes(`"${id}"`)))).toEqual([]);
  });
});

describe('the workflow functions', () => {
  it.each(byWorkflow)('%s: one function for every task, arm64, Node.js 22+, active tracing, JSON logs, below the 60 s task timeout', (_name, workflow, entry) => {
    expect(workflows.functions.get(entry)).toBe(workflow.function);
    const props = fnProps(workflow.function);
    expect(props.Architectures).toEqual(['arm64']);
    expect(Number((/^nodejs(\d+)\.x$/.exec(String(props.Runtime)) ?? [])[1])).toBeGreaterThanOrEqual(22);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect((props.LoggingConfig as { LogFormat: string }).LogFormat).toBe('JSON');
    expect(props.Timeout).toBeLessThan(60);
  });

  it('approval: reads and writes the cases table, settles its own machine’s tasks, and is told only the approval machine', () => {
    const fn = workflows.approval.function;
    expect(envOf(fn)).toMatchObject({ APPROVAL_STATE_MACHINE_ARN: APPROVAL_ARN, TABLE_NAME: resolved(stateful.data.cases.table.tableName) });
    expect(envOf(fn).ESCALATION_STATE_MACHINE_ARN).toBeUndefined();
    expect(statesActions(statementsOf(fn)).sort()).toEqual([...TASK_TOKEN_ACTIONS].sort());
  });

  it('escalation: reads and writes the cases table, settles its own machine’s tasks, and is told only the escalation machine', () => {
    const fn = workflows.escalation.function;
    expect(envOf(fn)).toMatchObject({ ESCALATION_STATE_MACHINE_ARN: ESCALATION_ARN, TABLE_NAME: resolved(stateful.data.cases.table.tableName) });
    expect(envOf(fn).APPROVAL_STATE_MACHINE_ARN).toBeUndefined();
    expect(statesActions(statementsOf(fn)).sort()).toEqual([...TASK_TOKEN_ACTIONS].sort());
  });

  it.each(byWorkflow)('%s: the cases table read and write, its key only through DynamoDB', (_name, workflow) => {
    const statements = statementsOf(workflow.function);
    const onTable = statements.filter((s) => list(s.Resource).some((r) => same(r, resolved(stateful.data.cases.table.tableArn)))).flatMap((s) => list(s.Action));
    expect(onTable).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem']));
    for (const s of statements.filter((x) => list(x.Action).some((a) => a.startsWith('kms:')))) expect(JSON.stringify(s.Condition)).toContain('"dynamodb."');
  });
});

describe('Step Functions access of every other function', () => {
  const routes = routeList();
  const settlingEntries = new Map<string, Set<'approval' | 'escalation'>>();
  for (const r of routes) {
    const workflow = WORKFLOW_ACCESS[r.id];
    if (workflow) settlingEntries.set(r.entry, new Set([...(settlingEntries.get(r.entry) ?? []), workflow]));
  }
  const ARN_TOKEN_OF = { approval: APPROVAL_ARN_TOKEN, escalation: ESCALATION_ARN_TOKEN } as const;
  const VAR_OF = { approval: 'APPROVAL_STATE_MACHINE_ARN', escalation: 'ESCALATION_STATE_MACHINE_ARN' } as const;

  it('settles tokens from exactly decide-approval (approval), acknowledge-escalation and waive-escalation (escalation)', () => {
    expect(Object.fromEntries([...settlingEntries].map(([e, w]) => [e, [...w]]))).toEqual({
      'functions/decide-approval/handler.ts': ['approval'],
      'functions/acknowledge-escalation/handler.ts': ['escalation'],
      'functions/waive-escalation/handler.ts': ['escalation'],
    });
  });

  it.each([...settlingEntries].map(([entry, w]) => [entry, [...w][0]!] as const))('%s: SendTaskSuccess and SendTaskFailure only (no heartbeat, no start), told only the %s machine', (entry, workflow) => {
    const fn = api.api.functions.get(entry)!;
    const statements = statesStatements(statementsOf(fn));
    expect(statesActions(statements).sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess']);
    // No resource-level permissions for these actions (TASK_TOKEN_ACTIONS): "*", acknowledged with that reason.
    for (const s of statements) expect(s.Resource).toBe('*');
    const vars = envOf(fn);
    expect(vars[VAR_OF[workflow]]).toEqual(resolveIn(fn.function, ARN_TOKEN_OF[workflow]));
    const other = workflow === 'approval' ? 'escalation' : 'approval';
    expect(vars[VAR_OF[other]]).toBeUndefined();
  });

  it('the case-stream function starts executions of both machines, named by ARN, and settles the waits a committed change made moot', () => {
    const fn = api.scheduler.caseStream;
    const statements = statesStatements(statementsOf(fn));
    // Superseded stages of a re-planned proposal and escalations resolved with the case end their waiting step.
    expect(statesActions(statements).sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess', 'states:StartExecution']);
    expect(statements.filter((x) => list(x.Action).includes('states:StartExecution'))).toEqual([{ Effect: 'Allow', Action: 'states:StartExecution', Resource: [APPROVAL_ARN, ESCALATION_ARN] }]);
    // The task-token actions admit no resource-level permission (TASK_TOKEN_ACTIONS): "*", as for the deciding routes.
    for (const x of statements.filter((y) => list(y.Action).some((a) => a.startsWith('states:SendTask')))) expect(x.Resource).toBe('*');
    expect(envOf(fn)).toMatchObject({ APPROVAL_STATE_MACHINE_ARN: APPROVAL_ARN, ESCALATION_STATE_MACHINE_ARN: ESCALATION_ARN });
  });

  it('no other function has any states: action or names a state machine (propose-resolution starts nothing)', () => {
    const allowed = new Set([...settlingEntries.keys(), CASE_STREAM_ENTRY, APPROVAL_WORKFLOW_ENTRY, ESCALATION_WORKFLOW_ENTRY]);
    expect(allowed.has('functions/propose-resolution/handler.ts')).toBe(false);
    const others = [...allFunctions].filter(([entry]) => !allowed.has(entry));
    expect(others.length).toBeGreaterThan(20);
    for (const [entry, fn] of others) {
      expect([entry, statesActions(statementsOf(fn))]).toEqual([entry, []]);
      expect([entry, envOf(fn).APPROVAL_STATE_MACHINE_ARN, envOf(fn).ESCALATION_STATE_MACHINE_ARN]).toEqual([entry, undefined, undefined]);
    }
  });

  it('no principal anywhere gets states:* , SendTaskHeartbeat or StartExecution beyond the above; Step Functions actions go only to function roles', () => {
    // Roles named by stack path and logical id (logical ids are unique per template only); policies of every stack.
    const roleKey = (role: IConstruct) => `${Stack.of(role).node.path} ${roleLogicalId(role)}`;
    const functionRoles = new Set([...allFunctions.values()].map((fn) => roleKey(fn.role)));
    const policies = resourcesInFamily(api, 'AWS::IAM::Policy');
    expect(policies.length).toBeGreaterThan(allFunctions.size);
    for (const { stack, resource: p } of policies) {
      const actions = statesActions((p.Properties.PolicyDocument as Document).Statement);
      if (!actions.length) continue;
      expect(actions).not.toContain('states:*');
      expect(actions).not.toContain('states:SendTaskHeartbeat');
      for (const r of p.Properties.Roles as { Ref: string }[]) expect(functionRoles.has(`${stack.node.path} ${r.Ref}`)).toBe(true);
    }
    const starters = policies.filter(({ resource: p }) => statesActions((p.Properties.PolicyDocument as Document).Statement).includes('states:StartExecution'));
    expect(starters.flatMap(({ stack, resource: p }) => (p.Properties.Roles as { Ref: string }[]).map((r) => `${stack.node.path} ${r.Ref}`))).toEqual([roleKey(api.scheduler.caseStream.role)]);
  });
});

describe('alarms on the workflows', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').flatMap(([, a]) => alarmedMetrics(a.Properties));

  // Timed-out executions are watched only where a machine sets an execution timeout: neither case workflow does (they can
  // time out only at Step Functions' one-year limit), so that alarm metric would cost without ever firing (#29, ≤ $10).
  it.each(byWorkflow)('%s: alarms on any failed execution', (_name, workflow) => {
    const dims = [{ Name: 'StateMachineArn', Value: { Ref: logicalId(workflow.stateMachine) } }];
    for (const metric of ['ExecutionsFailed']) {
      const found = alarms().filter((a) => a.Namespace === 'AWS/States' && a.MetricName === metric && same(a.Dimensions, dims));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Sum', TreatMissingData: 'notBreaching' });
      expect(found[0]!.AlarmActions).toHaveLength(1);
    }
  });

  // Throttles are not alarmed on their own (#29): a throttled API call answers 5xx (Api5xx pages), an async one is retried
  // into a watched dead-letter queue, and the concurrency alarm fires at 80 %.
  it.each(byWorkflow)('%s: its function is monitored like every other (the account-level errors alarm)', () => {
    for (const metric of ['Errors']) expect(alarms().filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === metric && a.Dimensions === undefined)).toHaveLength(1);
  });
});

describe('cdk-nag AwsSolutions on the workflows', () => {
  it('reports nothing unacknowledged (SF1 logging ALL, SF2 X-Ray, IAM5 wildcards acknowledged with their reason)', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName}: ${r.constructPath}`));
    expect(findings).toEqual([]);
    expect(Stack.of(workflows).stackName).toBe(api.stackName);
  });
});
