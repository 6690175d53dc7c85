// The API edge (complaints:edge): off, nothing; on, CloudFront (HTTPS only, no caching, every method and viewer header) with a CLOUDFRONT-scope WAF web ACL in us-east-1 (three managed groups, a per-IP and a public-routes rate rule), its URL as the API URL, cdk-nag clean, its cost counted.
import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { fixedMonthlyCost, PRICES, type TemplateJson } from '../../infra/cost/fixed-cost';
import { EDGE_MANAGED_RULE_GROUPS, publicRoutePrefixes } from '../../infra/stacks/edge-stack';
import { logicalIdOf, templateOf } from '../support/stacks';
import { type BuiltApp, NO_BUNDLING, sharedApp, testApp } from '../support/infra-app';

type Rule = { Name: string; Priority: number; Action?: unknown; OverrideAction?: unknown; Statement: Record<string, Record<string, unknown>> };

describe('edge off (the default)', () => {
  const built = sharedApp();

  it('creates no web ACL, no API distribution and no edge stack; the API stack publishes the execute-api URL', () => {
    expect(built.edge).toBeUndefined();
    for (const stack of built.app.node.children.filter((c) => Stack.isStack(c))) {
      expect(Object.keys(templateOf(stack).findResources('AWS::WAFv2::WebACL'))).toEqual([]);
    }
    expect(Object.keys(templateOf(built.api).findResources('AWS::CloudFront::Distribution'))).toEqual([]);
    expect(Object.keys(templateOf(built.api).findOutputs('ApiUrl'))).toEqual(['ApiUrl']);
  });

  it('refuses the edge without an explicit region (the cross-region reference needs one)', () => {
    expect(() => testApp({ 'complaints:edge': 'on' })).toThrow(/edge: needs complaints:region/);
  });
});

// The console is off here (fewer stacks to synthesize): this file checks the edge. The console with the edge and a pinned
// region is checked in cdk-nag.test.ts and first-day-deploy.suite.ts.
const ON = { ...NO_BUNDLING, 'complaints:edge': 'on', 'complaints:region': 'eu-west-2', 'complaints:console': 'off' };

describe('edge on', () => {
  const built = sharedApp(ON);
  const edge = built.edge!;
  const template = templateOf(edge);
  const acl = () => Object.values(template.findResources('AWS::WAFv2::WebACL'))[0]!.Properties as { Scope: string; DefaultAction: unknown; Rules: Rule[] };
  const distribution = () => Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig as Record<string, Record<string, unknown>>;

  it('lives in us-east-1, where CLOUDFRONT-scope web ACLs must be', () => {
    expect(edge.region).toBe('us-east-1');
    expect(Object.keys(template.findResources('AWS::WAFv2::WebACL'))).toHaveLength(1);
    expect(acl().Scope).toBe('CLOUDFRONT');
    expect(acl().DefaultAction).toEqual({ Allow: {} });
  });

  it('runs the three AWS managed rule groups', () => {
    const groups = acl().Rules.filter((r) => r.Statement.ManagedRuleGroupStatement);
    expect(groups.map((r) => r.Statement.ManagedRuleGroupStatement!.Name).sort()).toEqual(
      ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'].sort(),
    );
    expect([...EDGE_MANAGED_RULE_GROUPS].sort()).toEqual(groups.map((r) => r.Name).sort());
    for (const g of groups) {
      expect(g.Statement.ManagedRuleGroupStatement!.VendorName).toBe('AWS');
      expect(g.OverrideAction).toEqual({ None: {} });
    }
  });

  it('blocks an IP above the API-wide rate, and above a tighter rate on the public routes only', () => {
    const rate = acl().Rules.filter((r) => r.Statement.RateBasedStatement);
    expect(rate).toHaveLength(2);
    const wide = rate.find((r) => r.Name === 'RateLimitPerIp')!;
    const pub = rate.find((r) => r.Name === 'PublicRoutesRateLimitPerIp')!;
    expect(wide.Action).toEqual({ Block: {} });
    expect(wide.Statement.RateBasedStatement).toEqual({ AggregateKeyType: 'IP', Limit: 2000, EvaluationWindowSec: 300 });
    expect(pub.Action).toEqual({ Block: {} });
    expect(pub.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'IP', Limit: 100, EvaluationWindowSec: 300 });
    const scoped = (pub.Statement.RateBasedStatement!.ScopeDownStatement as { OrStatement: { Statements: { ByteMatchStatement: Record<string, unknown> }[] } }).OrStatement.Statements;
    expect(scoped.map((s) => [s.ByteMatchStatement.SearchString, s.ByteMatchStatement.PositionalConstraint, s.ByteMatchStatement.FieldToMatch])).toEqual([
      ['/v1/feedback/', 'STARTS_WITH', { UriPath: {} }],
      ['/v1/intake/helpdesk/', 'STARTS_WITH', { UriPath: {} }],
    ]);
    expect(publicRoutePrefixes()).toEqual(['/v1/feedback/', '/v1/intake/helpdesk/']);
    // Distinct priorities: WAF refuses a web ACL with two rules at one priority.
    expect(new Set(acl().Rules.map((r) => r.Priority)).size).toBe(acl().Rules.length);
  });

  it('takes the rate limits from the settings', () => {
    const tuned = testApp({ ...ON, 'complaints:edge': 'true', 'complaints:edgeRateLimit': '500', 'complaints:edgePublicRateLimit': '20' });
    const rules = (Object.values(templateOf(tuned.edge!).findResources('AWS::WAFv2::WebACL'))[0]!.Properties as { Rules: Rule[] }).Rules;
    expect(rules.find((r) => r.Name === 'RateLimitPerIp')!.Statement.RateBasedStatement).toMatchObject({ Limit: 500 });
    expect(rules.find((r) => r.Name === 'PublicRoutesRateLimitPerIp')!.Statement.RateBasedStatement).toMatchObject({ Limit: 20 });
  });

  it('puts the web ACL on a distribution that is HTTPS only, caches nothing, passes every method and viewer header but Host, to the HTTP API over HTTPS', () => {
    const d = distribution();
    expect(d.WebACLId).toEqual({ 'Fn::GetAtt': [logicalIdOf(edge.webAcl), 'Arn'] });
    expect(d.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
    });
    const [origin] = d.Origins as unknown as Record<string, unknown>[];
    expect(origin!.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only' });
    // The API's host, read across regions from the API stack (not a literal).
    expect(JSON.stringify(origin!.DomainName)).toContain('Fn::Select');
    expect(d.Logging).toMatchObject({ Bucket: { 'Fn::GetAtt': [logicalIdOf(edge.logs), 'RegionalDomainName'] } });
  });

  it('makes the distribution the API URL; the API stack names its own URL the origin', () => {
    expect(Object.values(template.findOutputs('ApiUrl'))[0]!.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(edge.distribution), 'DomainName'] }]] });
    expect(Object.keys(templateOf(built.api).findOutputs('ApiUrl'))).toEqual([]);
    expect(Object.keys(templateOf(built.api).findOutputs('ApiOriginUrl'))).toEqual(['ApiOriginUrl']);
  });

  it('is cdk-nag AwsSolutions clean, each acknowledgement with a reason', () => {
    const report = new AwsSolutionsChecks().validateScope(built.app);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    const acks = edge.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.values(m.data as Record<string, string>));
    expect(acks.length).toBeGreaterThan(0);
    for (const reason of acks) expect(reason.length).toBeGreaterThan(40);
  });

  it('adds the web ACL and its five rules to the fixed monthly cost, only when on', () => {
    const costOf = (b: BuiltApp) => {
      const templates = b.app.synth().stacks.map((s) => s.template as TemplateJson);
      return fixedMonthlyCost(templates).lines.find((l) => l.item.startsWith('AWS WAF'))!;
    };
    expect(costOf(built)).toEqual({ item: 'AWS WAF web ACLs and rules', count: 1, monthly: PRICES.webAcl + 5 * PRICES.webAclRule });
    expect(costOf(sharedApp()).monthly).toBe(0);
  });
});
