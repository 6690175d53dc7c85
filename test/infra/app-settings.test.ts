// Deployment settings (`complaints:*` context): validated at synth with the handlers' own config schema.
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { buildApp } from '../../infra/app';

// CloudFormation's default rules take ~15 s to load under jest; they run once, in cdk-nag.test.ts.
process.env.CDK_VALIDATION = 'false';
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const build = (settings: Record<string, unknown>) => buildApp({ context: { ...NO_BUNDLING, ...settings } });

describe('complaints:* settings', () => {
  it('reach every function as the environment the handlers read', () => {
    const rules = { teams: { retail: ['u-1', 'u-2'] }, defaultTeam: 'retail', rules: [] };
    const { api } = build({ 'complaints:listShards': 8, 'complaints:internalStandardDays': 10, 'complaints:assignmentRules': rules });
    const functions = Template.fromStack(api).findResources('AWS::Lambda::Function') as Record<string, { Properties: { Environment: { Variables: Record<string, string> } } }>;
    for (const fn of api.api.functions.values()) {
      const vars = functions[api.getLogicalId(fn.function.node.defaultChild as CfnFunction)]!.Properties.Environment.Variables;
      expect(vars).toMatchObject({ LIST_SHARDS: '8', INTERNAL_STANDARD_DAYS: '10' });
      expect(JSON.parse(vars.ASSIGNMENT_RULES!)).toEqual(rules);
    }
  });

  it('fail synth with the setting named when the handlers would reject them at cold start', () => {
    expect(() => build({ 'complaints:assignmentRules': { teams: { retail: ['u-1'] }, defaultTeam: 'nobody' } })).toThrow(/ASSIGNMENT_RULES/);
    expect(() => build({ 'complaints:listShards': 0 })).toThrow(/LIST_SHARDS/);
  });

  it('accept only a CloudWatch Logs retention period', () => {
    expect(() => build({ 'complaints:logRetentionDays': 45 })).toThrow(/logRetentionDays/);
  });

  it('pin the stacks to an account and region only when configured', () => {
    const { stateful, api } = build({ 'complaints:account': '123456789012', 'complaints:region': 'eu-west-2' });
    for (const stack of [stateful, api]) expect(stack.environment).toBe('aws://123456789012/eu-west-2');
  });
});
