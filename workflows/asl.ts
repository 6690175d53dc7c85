// The ASL JSON of a workflow, taken from the construct tree CDK deploys: the builder runs inside a throwaway stack,
// the state machine's DefinitionString is resolved, and the few CloudFormation tokens it holds (the partition in
// `arn:${AWS::Partition}:states:::lambda:invoke`, region, account) are replaced by fixed values. Function ARNs are
// deterministic placeholders: the local runner maps Task states by state name, never by ARN.
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnStateMachine, type DefinitionBody, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { AslDefinition } from './asl-document';

export { type AslDefinition, type AslState, type Json, taskStates } from './asl-document';

/** Values the placeholders stand for; nothing in an exported ASL document depends on a real account. */
export const PLACEHOLDER_ENV = { partition: 'aws', region: 'eu-west-1', account: '000000000000', urlSuffix: 'amazonaws.com' } as const;

/** `arn:aws:lambda:eu-west-1:000000000000:function:<workflow>-<key>`: stable across runs and machines. */
export const placeholderFunctionArn = (workflow: string, key: string): string =>
  `arn:${PLACEHOLDER_ENV.partition}:lambda:${PLACEHOLDER_ENV.region}:${PLACEHOLDER_ENV.account}:function:${workflow}-${key}`;

const PSEUDO: Record<string, string> = {
  'AWS::Partition': PLACEHOLDER_ENV.partition,
  'AWS::Region': PLACEHOLDER_ENV.region,
  'AWS::AccountId': PLACEHOLDER_ENV.account,
  'AWS::URLSuffix': PLACEHOLDER_ENV.urlSuffix,
};

/** Renders a resolved CloudFormation string expression (plain string, Fn::Join, pseudo-parameter Ref). */
export const renderCfnString = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    const [key, arg] = entries[0] ?? [];
    if (entries.length === 1 && key === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
      return (arg[1] as unknown[]).map(renderCfnString).join(arg[0]);
    }
    if (entries.length === 1 && key === 'Ref' && typeof arg === 'string' && PSEUDO[arg] !== undefined) return PSEUDO[arg];
  }
  // A token the export cannot stand in for (e.g. a resource attribute) must not leak into a local definition.
  throw new Error(`cannot render CloudFormation expression in an ASL export: ${JSON.stringify(value)}`);
};

/** Imported functions with placeholder ARNs, one per key, for building a workflow outside an app. */
export const placeholderFunctions = <K extends string>(scope: Construct, workflow: string, keys: readonly K[]): Record<K, IFunction> =>
  Object.fromEntries(keys.map((key) => [key, LambdaFunction.fromFunctionArn(scope, `Fn-${key}`, placeholderFunctionArn(workflow, key))])) as Record<K, IFunction>;

/**
 * The ASL document of the definition `build` creates, exactly as CloudFormation would receive it (after the
 * placeholders above). Runs the same builder the CDK construct runs, so there is no second copy to maintain.
 */
export const synthesizeAsl = (build: (scope: Construct) => DefinitionBody): AslDefinition => {
  const app = new App();
  const stack = new Stack(app, 'AslExport');
  const machine = new StateMachine(stack, 'Machine', { definitionBody: build(stack) });
  const cfn = machine.node.defaultChild as CfnStateMachine;
  const rendered = renderCfnString(stack.resolve(cfn.definitionString));
  return JSON.parse(rendered) as AslDefinition;
};
