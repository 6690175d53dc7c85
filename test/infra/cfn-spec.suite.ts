// Every property of every resource in every synthesized template is one CloudFormation knows (issue 29 item 3), and every public route has its own stage throttle.
import { Stack } from 'aws-cdk-lib';
import { buildApp } from '../../infra/app';
import { routeKey, routeList } from '#http/routes';
import { checkResource, checkTemplate } from '../support/cfn-spec';
import { resourcesIn, templateOf } from '../support/stacks';
import { sharedApp } from '../support/infra-app';

// The default app (stateful, API and its nested route stacks, console, console site) and the app with the optional API
// edge on (its us-east-1 stack, and the cross-region reference it adds to the API stack; the edge needs a region).
const built = sharedApp();
const edged = sharedApp({ 'complaints:edge': 'on', 'complaints:region': 'eu-west-2' });
const { api } = built;
/** Every stack an app synthesizes, nested stacks included. */
const stacksOf = (app: ReturnType<typeof buildApp>) => app.app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
const stacks = [...stacksOf(built).map((s) => [`default: ${s.node.path}`, s] as const), ...stacksOf(edged).map((s) => [`edge on: ${s.node.path}`, s] as const)];

describe('the CloudFormation resource specification', () => {
  it('is checked against every stack either app synthesizes', () => {
    const paths = stacks.map(([name]) => name);
    for (const stack of ['Stateful', 'Api', 'Api/Api/CaseRoutes', 'Api/Api/RecordRoutes', 'Api/Api/OversightRoutes', 'Console', 'ConsoleSite']) {
      expect(paths).toContain(`default: Complaints${stack}`);
      expect(paths).toContain(`edge on: Complaints${stack}`);
    }
    expect(paths).toContain('edge on: ComplaintsEdge');
    expect(stacks).toHaveLength(15);
  });

  it.each(stacks)('knows every resource type and property of %s', (_name, stack) => {
    const template = templateOf(stack).toJSON() as Parameters<typeof checkTemplate>[0];
    expect(Object.keys(template.Resources ?? {}).length).toBeGreaterThan(0);
    expect(checkTemplate(template)).toEqual([]);
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
