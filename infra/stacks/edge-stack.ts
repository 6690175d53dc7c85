// The optional API edge (complaints:edge): CloudFront with an AWS WAF web ACL (managed rule groups, a per-IP rate rule and a tighter one on the public routes) in front of the HTTP API; in us-east-1, where CLOUDFRONT-scope web ACLs live.
import { CfnOutput, Fn, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { routeList } from '#http/routes';
import { cloudFrontLogBucket } from '../constructs/cloudfront-log-bucket';
import { keepBucketPoliciesWithTheirBuckets } from '../constructs/bucket-policy-lifetime';

/** The AWS managed rule groups the web ACL runs, in priority order (each is one WAF rule for pricing). */
export const EDGE_MANAGED_RULE_GROUPS = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;

/**
 * Path prefixes of the public writing routes (the feedback link, the helpdesk webhook), from the route table: each path
 * up to its first parameter. Anyone on the internet can post to them and each post runs a function, so they get the
 * tighter rate rule; health and the OpenAPI document (public reads) stay under the API-wide one.
 */
export const publicRoutePrefixes = (): string[] =>
  [
    ...new Set(
      routeList()
        .filter((r) => r.auth.kind === 'public' && r.method !== 'GET')
        .map((r) => (r.path.includes('{') ? r.path.slice(0, r.path.indexOf('{')) : r.path)),
    ),
  ].sort();

export interface EdgeStackProps extends StackProps {
  namePrefix: string;
  /** The HTTP API's endpoint (`https://<id>.execute-api.<region>.amazonaws.com`), from the API stack. */
  apiEndpoint: string;
  /** Requests per IP per 5 minutes across the whole API (WAF's default evaluation window). */
  rateLimitPerIp: number;
  /** Requests per IP per 5 minutes on the public routes only. */
  publicRateLimitPerIp: number;
}

const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;
  readonly distribution: Distribution;
  readonly logs: Bucket;
  /** https://<distribution domain>: the API URL clients use when the edge is on. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const metric = (name: string) => `${props.namePrefix}-api-${name}`;

    const managed: CfnWebACL.RuleProperty[] = EDGE_MANAGED_RULE_GROUPS.map((name, priority) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name,
          // The common rule set blocks bodies over 8 KB; the API has its own body limit (MAX_BODY_BYTES, 413), and a
          // complaint narrative or a helpdesk ticket can be longer. Counted, not blocked.
          ...(name === 'AWSManagedRulesCommonRuleSet' ? { ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] } : {}),
        },
      },
      visibilityConfig: visibility(metric(name)),
    }));
    const prefixes = publicRoutePrefixes();
    const startsWith = (prefix: string): CfnWebACL.StatementProperty => ({
      byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: prefix, textTransformations: [{ priority: 0, type: 'NONE' }] },
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `${props.namePrefix}-api-edge`,
      description: 'Complaints API edge: AWS managed rules, a per-IP rate limit, a tighter one on the public routes',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(metric('edge')),
      rules: [
        ...managed,
        {
          name: 'RateLimitPerIp',
          priority: managed.length,
          action: { block: {} },
          statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: props.rateLimitPerIp, evaluationWindowSec: 300 } },
          visibilityConfig: visibility(metric('rate-per-ip')),
        },
        {
          name: 'PublicRoutesRateLimitPerIp',
          priority: managed.length + 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: props.publicRateLimitPerIp,
              evaluationWindowSec: 300,
              scopeDownStatement: prefixes.length === 1 ? startsWith(prefixes[0]!) : { orStatement: { statements: prefixes.map(startsWith) } },
            },
          },
          visibilityConfig: visibility(metric('public-rate-per-ip')),
        },
      ],
    });

    this.logs = cloudFrontLogBucket(this, 'This is the API edge access-log bucket itself (CloudFront standard logs land here)');
    // Its TLS-only policy lives as long as the (retained) bucket.
    keepBucketPoliciesWithTheirBuckets(this);

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Complaints API edge (AWS WAF in front of the HTTP API)',
      defaultBehavior: {
        origin: new HttpOrigin(Fn.select(2, Fn.split('/', props.apiEndpoint)), { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
        // HTTPS only, not a redirect: a redirected POST loses its body, and a client that sent a token over HTTP should fail.
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // Every viewer header (Authorization, If-Match, Idempotency-Key, the webhook signatures), query and cookie, but
        // not Host: API Gateway routes on its own host name.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
      webAclId: this.webAcl.attrArn,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'api/',
    });
    Validations.of(this.distribution).acknowledge({ id: 'AwsSolutions-CFR1', reason: 'No geo restriction: complainants and helpdesks may be anywhere; abuse is limited by the WAF rate rules instead.' });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: 'The default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; a custom domain with TLSv1.2_2021 needs an ACM certificate the deployer owns.',
    });
    this.url = `https://${this.distribution.distributionDomainName}`;
    new CfnOutput(this, 'ApiUrl', { value: this.url, description: 'The API URL clients use: CloudFront with AWS WAF in front of the HTTP API' });
  }
}
