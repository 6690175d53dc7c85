// Console stacks: a private bucket read only through CloudFront's origin access control, strict security headers, the Hosted UI client on the console's URL, CORS for the console's origin only, the URL as an output, cdk-nag clean.
import { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS } from '../../infra/constructs/api';
import { logicalIdOf, resolveIn, templateOf } from '../support/stacks';
import { sharedApp, testApp } from '../support/infra-app';

const built = sharedApp();
const consoleStack = built.console!;
const site = built.consoleSite!;
const edge = consoleStack.edge;
const template = templateOf(consoleStack);

type Resource = { Properties: Record<string, unknown> };
const only = (type: string, stack: Stack = consoleStack): Resource[] => Object.values(templateOf(stack).findResources(type) as Record<string, Resource>);
const distribution = () => only('AWS::CloudFront::Distribution')[0]!.Properties.DistributionConfig as Record<string, unknown>;
const securityHeaders = () => (only('AWS::CloudFront::ResponseHeadersPolicy')[0]!.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, Record<string, unknown>> }).SecurityHeadersConfig;
/** The CSP text as deployed, pseudo parameters left as ${AWS::Region} etc. */
const csp = (): string => {
  const value = securityHeaders().ContentSecurityPolicy!.ContentSecurityPolicy;
  if (typeof value === 'string') return value;
  const [, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((p) => (typeof p === 'string' ? p : `\${${JSON.stringify(p)}}`)).join('');
};
const directive = (name: string) => csp().split(';').map((d) => d.trim()).find((d) => d.split(' ')[0] === name)?.split(' ').slice(1);

describe('console bucket', () => {
  it('is private: every public access blocked, TLS only, encrypted, bucket-owner objects', () => {
    const props = template.findResources('AWS::S3::Bucket')[logicalIdOf(edge.bucket)]!.Properties as Record<string, unknown>;
    expect(props.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(props.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(props.LoggingConfiguration).toMatchObject({ DestinationBucketName: { Ref: logicalIdOf(edge.logs) } });
    expect(props).not.toHaveProperty('WebsiteConfiguration');
  });

  it('lets only this distribution read, through the CloudFront service principal, and refuses plain HTTP', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy') as Record<string, Resource>).filter(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: logicalIdOf(edge.bucket) }),
    );
    const statements = policies.flatMap((p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement);
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' });
    expect(JSON.stringify(allows[0]!.Condition)).toContain(logicalIdOf(edge.distribution));
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });
});

describe('console distribution', () => {
  it('reads the bucket with origin access control (no origin access identity) and redirects HTTP to HTTPS', () => {
    const oac = only('AWS::CloudFront::OriginAccessControl');
    expect(oac).toHaveLength(1);
    expect(oac[0]!.Properties.OriginAccessControlConfig).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' });
    const [origin] = distribution().Origins as Record<string, unknown>[];
    expect(origin!.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Id'] });
    expect(origin!.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(only('AWS::CloudFront::CloudFrontOriginAccessIdentity')).toHaveLength(0);
    expect(distribution().DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    expect(distribution().Logging).toMatchObject({ Bucket: { 'Fn::GetAtt': [logicalIdOf(edge.logs), 'RegionalDomainName'] } });
  });

  it('answers client-side routes with the app (index.html under /console/)', () => {
    expect(distribution().CustomErrorResponses).toEqual(
      [403, 404].map((code) => ({ ErrorCode: code, ResponseCode: 200, ResponsePagePath: '/console/index.html', ErrorCachingMinTTL: 10 })),
    );
  });

  it('sets a strict Content-Security-Policy: scripts from itself only, no inline script, nothing frames it', () => {
    expect(securityHeaders().ContentSecurityPolicy!.Override).toBe(true);
    expect(directive('script-src')).toEqual(["'self'"]);
    expect(directive('default-src')).toEqual(["'self'"]);
    expect(directive('frame-ancestors')).toEqual(["'none'"]);
    expect(directive('object-src')).toEqual(["'none'"]);
    expect(csp()).not.toContain('unsafe-eval');
    // 'unsafe-inline' is allowed for styles only (Cloudscape sets element styles), never in script-src or default-src.
    expect(csp().split(';').filter((d) => d.includes("'unsafe-inline'")).map((d) => d.trim().split(' ')[0])).toEqual(['style-src']);
  });

  it('lets scripts connect only to itself, the API, Cognito and the evidence bucket', () => {
    expect(directive('connect-src')).toEqual([
      "'self'",
      'https://*.execute-api.${{"Ref":"AWS::Region"}}.amazonaws.com',
      'https://cognito-idp.${{"Ref":"AWS::Region"}}.amazonaws.com',
      'https://${{"Fn::Join":["-",["complaints",{"Ref":"AWS::AccountId"}]]}}.auth.${{"Ref":"AWS::Region"}}.amazoncognito.com',
      'https://complaints-evidence-${{"Ref":"AWS::AccountId"}}-${{"Ref":"AWS::Region"}}-an.s3.${{"Ref":"AWS::Region"}}.amazonaws.com',
    ]);
  });

  it('sets HSTS for two years with subdomains, X-Frame-Options DENY, nosniff and a same-origin referrer', () => {
    const h = securityHeaders();
    expect(h.StrictTransportSecurity).toEqual({ AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Preload: true, Override: true });
    expect(h.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(h.ContentTypeOptions).toEqual({ Override: true });
    expect(h.ReferrerPolicy).toEqual({ ReferrerPolicy: 'same-origin', Override: true });
    expect(distribution().DefaultCacheBehavior).toMatchObject({ ResponseHeadersPolicyId: { Ref: expect.any(String) } });
  });

  it('publishes the console URL as a stack output', () => {
    const outputs = template.findOutputs('ConsoleUrl');
    expect(Object.values(outputs)[0]!.Value).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalIdOf(edge.distribution), 'DomainName'] }, '/console/']] });
  });
});

describe('console sign-in and API access', () => {
  const consoleOrigin = (stack: Stack) => resolveIn(stack, edge.origin);

  it('has its own Hosted UI client: authorization code only, no secret, callback and logout only on the console URL', () => {
    const client = built.stateful.identity.consoleClient!;
    const props = templateOf(built.stateful).findResources('AWS::Cognito::UserPoolClient')[logicalIdOf(client)]!.Properties as Record<string, unknown>;
    expect(props.GenerateSecret).toBe(false);
    expect(props.AllowedOAuthFlows).toEqual(['code']);
    expect(props.AllowedOAuthFlowsUserPoolClient).toBe(true);
    const url = resolveIn(built.stateful, edge.url);
    expect(props.CallbackURLs).toEqual([url]);
    expect(props.LogoutURLs).toEqual([url]);
    expect(props.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
  });

  it('lets the console, and only it, upload evidence from the browser to presigned URLs', () => {
    const bucket = templateOf(built.stateful).findResources('AWS::S3::Bucket')[logicalIdOf(built.stateful.evidence.bucket)]!.Properties as Record<string, unknown>;
    const rules = (bucket.CorsConfiguration as { CorsRules: Record<string, unknown>[] }).CorsRules;
    expect(rules).toHaveLength(1);
    expect(rules[0]!.AllowedOrigins).toEqual([resolveIn(built.stateful, edge.origin)]);
    expect(rules[0]!.AllowedMethods).toEqual(['PUT', 'GET']);
  });

  it('is one of the clients whose tokens the API accepts', () => {
    expect(built.stateful.identity.clients).toContain(built.stateful.identity.consoleClient);
  });

  it('allows exactly the console origin in the API CORS, with the headers the API needs and exposes', () => {
    const apis = only('AWS::ApiGatewayV2::Api', built.api);
    expect(apis).toHaveLength(1);
    const cors = apis[0]!.Properties.CorsConfiguration as Record<string, unknown>;
    expect(cors.AllowOrigins).toEqual([consoleOrigin(built.api)]);
    expect(JSON.stringify(cors.AllowOrigins)).not.toContain('*');
    expect(cors.AllowHeaders).toEqual([...CORS_ALLOW_HEADERS]);
    expect(cors.ExposeHeaders).toEqual([...CORS_EXPOSE_HEADERS]);
    expect(cors.AllowCredentials).toBeUndefined();
  });

  it('deploys config.json naming the API, the pool issuer, the console client and its redirect URL', () => {
    const deployments = only('Custom::CDKBucketDeployment', site);
    expect(deployments).toHaveLength(1);
    expect(deployments[0]!.Properties).toMatchObject({ DestinationBucketKeyPrefix: 'console/', DistributionPaths: ['/console/*'] });
    // Source.jsonData turns each token of config.json into a marker the handler replaces at deploy time.
    const markers = Object.values((deployments[0]!.Properties.SourceMarkers as Record<string, unknown>[])[1]!).map((v) => JSON.stringify(v));
    expect(markers).toEqual(
      expect.arrayContaining([
        JSON.stringify(resolveIn(site, built.api.api.httpApi.apiEndpoint)),
        JSON.stringify(resolveIn(site, built.stateful.identity.consoleClient!.userPoolClientId)),
        JSON.stringify(resolveIn(site, built.stateful.identity.userPool.userPoolId)),
        JSON.stringify(resolveIn(site, edge.distribution.distributionDomainName)),
      ]),
    );
  });
});

describe('the console switched off', () => {
  it('builds no console stack, no console client and no CORS', () => {
    const off = testApp({ 'complaints:console': 'off' });
    expect(off.console).toBeUndefined();
    expect(off.consoleSite).toBeUndefined();
    expect(off.stateful.identity.consoleClient).toBeUndefined();
    expect(only('AWS::ApiGatewayV2::Api', off.api)[0]!.Properties.CorsConfiguration).toBeUndefined();
  });
});

describe('cdk-nag AwsSolutions on the console stacks', () => {
  it('reports no unacknowledged error or warning', () => {
    const findings = [consoleStack, site].flatMap((stack) =>
      new AwsSolutionsChecks().validateScope(stack).violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
    );
    expect(findings).toEqual([]);
  });
});
