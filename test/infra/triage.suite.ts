// Triage in the CDK app: the TRIAGE setting reaches the functions (validated at synth), and only the functions that open
// complaints may invoke the one configured Bedrock model; nothing at all when the chain has no Bedrock.
// Read from the construct tree (each function's role policy, resolved), not a synthesised template.
import { Stack } from 'aws-cdk-lib';
import type { Policy } from 'aws-cdk-lib/aws-iam';
import { routeList } from '#http/routes';
import { TRIAGE_INTAKE } from '../../infra/constructs/api';
import { triageCallsBedrock } from '../../infra/constructs/api-function';
import { type BuiltApp, sharedApp, testApp } from '../support/infra-app';

type Statement = { Action: string | string[]; Resource: unknown };
/** Per function entry, the Bedrock statements of its role's policy. */
const bedrockGrants = (api: BuiltApp['api']) =>
  [...api.api.functions].flatMap(([entry, fn]) => {
    const policy = fn.role.node.tryFindChild('DefaultPolicy') as Policy | undefined;
    const doc = policy ? (Stack.of(fn).resolve(policy.document.toJSON()) as { Statement: Statement[] }) : { Statement: [] };
    return doc.Statement.filter((s) => [s.Action].flat().some((a) => a.startsWith('bedrock:'))).map((s) => ({ entry, ...s }));
  });

describe('complaints:triage', () => {
  it('grants bedrock:InvokeModel on the configured foundation model to the functions that open complaints only', () => {
    const triage = { models: ['bedrock', 'local'], bedrockModelId: 'anthropic.claude-3-haiku-20240307-v1:0', threshold: 0.85 };
    const { api } = testApp({ 'complaints:triage': triage });
    const grants = bedrockGrants(api);
    const intake = [...new Set(routeList().filter((r) => TRIAGE_INTAKE.has(r.id)).map((r) => r.entry))].sort();
    expect(intake).toContain('functions/create-complaint/handler.ts');
    expect(grants.map((g) => g.entry).sort()).toEqual(intake);
    for (const g of grants) {
      expect(g.Action).toBe('bedrock:InvokeModel');
      expect(JSON.stringify(g.Resource)).toContain(':foundation-model/anthropic.claude-3-haiku-20240307-v1:0');
      expect(JSON.stringify(g.Resource)).not.toContain('*');
    }
  });

  it('names the inference profile and its model (any region) for a cross-region profile id', () => {
    const { api } = testApp({ 'complaints:triage': { models: ['bedrock'], bedrockModelId: 'eu.anthropic.claude-3-haiku-20240307-v1:0' } });
    const [grant] = bedrockGrants(api);
    const resources = JSON.stringify(grant!.Resource);
    expect(resources).toContain(':inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0');
    expect(resources).toContain('bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0');
  });

  it('grants nothing in Bedrock with the default (local) chain', () => {
    const { api } = sharedApp();
    expect(bedrockGrants(api)).toEqual([]);
  });

  it('bundles the Bedrock client only when the chain calls Bedrock (the functions read the same TRIAGE setting)', () => {
    expect(triageCallsBedrock({})).toBe(false);
    expect(triageCallsBedrock({ TRIAGE: JSON.stringify({ models: ['local'] }) })).toBe(false);
    expect(triageCallsBedrock({ TRIAGE: JSON.stringify({ models: ['bedrock', 'local'] }) })).toBe(true);
  });

  it('fails synth on an invalid setting, naming it', () => {
    expect(() => testApp({ 'complaints:triage': { threshold: 1.5 } })).toThrow(/TRIAGE/);
    expect(() => testApp({ 'complaints:triage': { models: ['gpt'] } })).toThrow(/TRIAGE/);
  });
});
