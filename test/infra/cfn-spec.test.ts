// Every property of every resource in every synthesized template is one CloudFormation knows (issue 29 item 3), and every public route has its own stage throttle.
import { buildApp } from '../../infra/app';
import { routeKey, routeList } from '#http/routes';
import { checkResource, checkTemplate } from '../support/cfn-spec';
import { resourcesIn, stackFamily, templateOf } from '../support/stacks';

// CloudFormation's default rules take ~15 s to load under jest; they run once, in cdk-nag.test.ts.
process.env.CDK_VALIDATION = 'false';
const { stateful, api } = buildApp({ context: { 'aws:cdk:bundling-stacks': [] } });
const stacks = [stateful, ...stackFamily(api)];

describe('the CloudFormation resource specification', () => {
  it.each(stacks.map((s) => [s.node.path, s] as const))('knows every resource type and property of %s', (_path, stack) => {
    expect(checkTemplate(templateOf(stack).toJSON() as Parameters<typeof checkTemplate>[0])).toEqual([]);
  });

  it('catches a misspelt property, a lower-case route setting and a missing required property', () => {
    const findings = checkResource('Stage', {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: { ApiId: { Ref: 'Api' }, StageName: '$default', AutoDeplyo: true, RouteSettings: { 'POST /v1/feedback/{token}': { throttlingRateLimit: 5 } } },
    });
    expect(findings.map((f) => f.path).sort()).toEqual(['Stage.AutoDeplyo', 'Stage.RouteSettings[POST /v1/feedback/{token}].throttlingRateLimit']);
    expect(checkResource('Q', { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } }).map((f) => f.problem)).toEqual(['expected a number, got "soon"']);
    expect(checkResource('B', { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: 'b' } }).map((f) => f.path)).toEqual(['B.PolicyDocument']);
  });
});

describe('public routes', () => {
  const publicRoutes = routeList().filter((r) => r.auth.kind === 'public');
  const [[, stage]] = resourcesIn(api, 'AWS::ApiGatewayV2::Stage') as unknown as [[string, { Properties: { RouteSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>; DefaultRouteSettings: { ThrottlingRateLimit: number } } }]];

  it('are feedback, helpdesk, health and the OpenAPI document', () => {
    expect(publicRoutes.map((r) => r.id).sort()).toEqual(['health', 'helpdeskIntake', 'openapi', 'submitFeedback']);
  });

  it.each(publicRoutes.map((r) => [routeKey(r), r] as const))('%s has its own throttle on the stage, below the stage default', (key, route) => {
    expect(route.throttle).toBeDefined();
    expect(stage.Properties.RouteSettings[key]).toEqual({ ThrottlingRateLimit: route.throttle!.rateLimit, ThrottlingBurstLimit: route.throttle!.burstLimit });
    expect(route.throttle!.rateLimit).toBeLessThan(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit);
  });
});
