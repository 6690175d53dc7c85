// Infra test support: the stack that holds a construct (the API stack or one of its nested route stacks), its template, logical ids and tokens as that stack sees them.
import { type CfnElement, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

export type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown; DeletionPolicy?: string };
export type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

// One synthesised template per stack: Template.fromStack re-reads the assembly each time.
const templates = new WeakMap<Stack, Template>();

/** The template of a stack, or of the stack that holds a construct. */
export const templateOf = (scope: IConstruct): Template => {
  const stack = Stack.of(scope);
  let template = templates.get(stack);
  if (!template) templates.set(stack, (template = Template.fromStack(stack)));
  return template;
};

/** A construct's logical id in its own stack (its default child's, for an L2 construct). */
export const logicalIdOf = (construct: IConstruct): string => Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);

/**
 * A token resolved as the stack holding `scope` sees it: a reference to a resource of the same stack is a Ref/GetAtt,
 * one to another stack is that stack's output (or the nested stack's parameter).
 */
export const resolveIn = (scope: IConstruct, value: unknown): unknown => Stack.of(scope).resolve(value);

/** A stack and every stack nested in it, the stack first. */
export const stackFamily = (stack: Stack): Stack[] => [stack, ...stack.node.findAll().filter((c): c is NestedStack => NestedStack.isNestedStack(c))];

/** The resources of one type in a stack's own template, by logical id. */
export const resourcesIn = (scope: IConstruct, type: string): [string, Resource][] =>
  Object.entries(templateOf(scope).toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);

/** The resources of one type in a stack and all its nested stacks, each with the stack that holds it. */
export const resourcesInFamily = (stack: Stack, type: string): { stack: Stack; id: string; resource: Resource }[] =>
  stackFamily(stack).flatMap((s) => resourcesIn(s, type).map(([id, resource]) => ({ stack: s, id, resource })));

/** The resource a construct synthesises to, from its own stack's template. */
export const resourceOf = (construct: IConstruct): Resource => {
  const id = logicalIdOf(construct);
  const resource = (templateOf(construct).toJSON().Resources as Record<string, Resource>)[id];
  if (!resource) throw new Error(`no resource ${id} in ${Stack.of(construct).node.path}`);
  return resource;
};

/**
 * The statements of every policy attached to a role, from the role's own stack (api-stack.suite.ts asserts no policy
 * names a role of another stack, so this is all of them).
 */
export const statementsOfRole = <S extends object = Statement>(role: IConstruct): S[] => {
  const ref = JSON.stringify({ Ref: logicalIdOf(role) });
  return resourcesIn(role, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === ref))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: S[] }).Statement);
};

/** One metric an alarm watches, with the alarm's own threshold and comparison (a math alarm yields each of its metrics). */
export type AlarmedMetric = { Namespace?: string; MetricName?: string; Dimensions?: unknown; Statistic?: string; Threshold?: unknown; ComparisonOperator?: unknown; TreatMissingData?: unknown; AlarmActions?: unknown };

/** The metrics an alarm's properties watch: its own metric, or every metric of its math expression. */
export const alarmedMetrics = (props: Record<string, unknown>): AlarmedMetric[] => {
  const { Threshold, ComparisonOperator, TreatMissingData, AlarmActions } = props;
  const common = { Threshold, ComparisonOperator, TreatMissingData, AlarmActions };
  const metrics = props.Metrics as { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: unknown }; Stat: string } }[] | undefined;
  if (!metrics) return [{ ...common, Namespace: props.Namespace as string, MetricName: props.MetricName as string, Dimensions: props.Dimensions, Statistic: (props.Statistic ?? props.ExtendedStatistic) as string }];
  return metrics.flatMap((m) => (m.MetricStat ? [{ ...common, ...m.MetricStat.Metric, Statistic: m.MetricStat.Stat }] : []));
};
