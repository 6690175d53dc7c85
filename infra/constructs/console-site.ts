// The staff console's hosting: a private bucket behind CloudFront (origin access control, HTTPS only, strict security headers) and the deploy of the built app with its runtime config.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { consoleContentSecurityPolicy } from '#http/console-headers';
import { REPO_ROOT } from './api-function';
import { cloudFrontLogBucket } from './cloudfront-log-bucket';

/** Where the console lives on its distribution (Vite's base): /console/ → s3://<bucket>/console/. */
export const CONSOLE_BASE_PATH = '/console/';
/** The Vite build the deploy uploads (npm run -w console build). */
export const CONSOLE_DIST_DIR = path.join(REPO_ROOT, 'console', 'dist');

/**
 * The site bucket's name, from the deployment prefix and the unscoped pseudo parameters: the site stack names it without
 * a cross-stack reference, so the deploy's grant (and its cdk-nag acknowledgement) is the same string everywhere.
 */
export const consoleBucketName = (namePrefix: string): string => `${namePrefix}-console-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

export interface ConsoleEdgeProps {
  namePrefix: string;
  /**
   * Origins the console's scripts may connect to besides itself: the HTTP API, Cognito's issuer and Hosted UI, the
   * evidence bucket (presigned uploads). Known before the API stack exists, because the API's CORS names this
   * distribution's origin (see ConsoleStack).
   */
  connectSrc: string[];
}

/** Bucket, distribution and headers: everything with no reference to the API or the user pool. */
export class ConsoleEdge extends Construct {
  readonly bucket: Bucket;
  readonly logs: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** https://<distribution domain>: the only origin the API's CORS and the app client's callback URLs accept. */
  readonly origin: string;
  /** https://<distribution domain>/console/ */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleEdgeProps) {
    super(scope, id);

    this.logs = cloudFrontLogBucket(this, 'This is the console access-log bucket itself (CloudFront and S3 server access logs land here)');

    this.bucket = new Bucket(this, 'Site', {
      bucketName: consoleBucketName(props.namePrefix),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.logs,
      serverAccessLogsPrefix: 's3/',
      // Only built files live here; a redeploy recreates them, but nothing deletes them behind the deploy's back. The
      // name is fixed (the site stack names it without a cross-stack reference), so the bucket goes when the stack's
      // first create rolls back (it is empty then) and a retry can recreate it; afterwards it is kept on delete and on
      // replacement, and so is its policy (keepBucketPoliciesWithTheirBuckets in ConsoleStack).
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    this.headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Staff console: strict CSP (no inline scripts), HSTS, no framing, nosniff, same-origin referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy(props.connectSrc), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: true, override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Complaints staff console',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
      defaultRootObject: 'console/index.html',
      // Client-side routes (/console/cases/…) are not objects: the app's index.html answers them.
      errorResponses: [403, 404].map((httpStatus) => ({ httpStatus, responseHttpStatus: 200, responsePagePath: `${CONSOLE_BASE_PATH}index.html`, ttl: Duration.seconds(10) })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: 'The distribution uses its default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; a custom domain with TLSv1.2_2021 needs an ACM certificate the deployer owns.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'Staff of the deploying organisation sign in from wherever they work; access is enforced by Cognito sign-in with MFA, not by country.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: 'The distribution serves only static, public build files (no data, no forms); every data request goes to the API, which is throttled and authorised.',
    });

    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.url = `${this.origin}${CONSOLE_BASE_PATH}`;
  }
}

/** The runtime config the app reads from /console/config.json in deployed mode (console/src/config.ts, CognitoConfig). */
export interface ConsoleRuntimeConfig {
  mode: 'cognito';
  apiUrl: string;
  authority: string;
  clientId: string;
  redirectUri: string;
  hostedUiDomain: string;
  scope: string;
}

export interface ConsoleContentProps {
  namePrefix: string;
  /** The edge's distribution (id and domain) for the invalidation after each deploy. */
  distribution: { distributionId: string; domainName: string };
  config: ConsoleRuntimeConfig;
  /** The built app (default console/dist); when it is absent (tests, a clone that never built the console) a page saying so is deployed. */
  distDir?: string;
}

/** Uploads the built console and its config.json, and invalidates the distribution's copy. */
export class ConsoleContent extends Construct {
  /** False when console/dist was missing at synth and the placeholder page was deployed instead. */
  readonly built: boolean;
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleContentProps) {
    super(scope, id);
    const dist = props.distDir ?? CONSOLE_DIST_DIR;
    this.built = existsSync(path.join(dist, 'index.html'));
    const app = this.built
      ? Source.asset(dist, { exclude: ['.source-hash', '.vite', '**/*.map'] })
      : Source.data('index.html', '<!doctype html><title>Complaints console</title><p>The console was not built when these stacks were synthesized: run <code>npm run -w console build</code>, then deploy again.</p>');

    this.deployment = new BucketDeployment(this, 'Deploy', {
      sources: [app, Source.jsonData('config.json', props.config)],
      destinationBucket: Bucket.fromBucketName(this, 'Site', consoleBucketName(props.namePrefix)),
      destinationKeyPrefix: CONSOLE_BASE_PATH.slice(1),
      distribution: Distribution.fromDistributionAttributes(this, 'Distribution', props.distribution),
      distributionPaths: [`${CONSOLE_BASE_PATH}*`],
      memoryLimit: 512,
    });

    // The deploy's handler is CDK's singleton (one per stack, outside this construct): its grants and runtime are CDK's.
    const handler = Stack.of(this).node.children.find((c): c is LambdaFunction => c instanceof LambdaFunction && c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment created no handler function');
    Validations.of(handler.node.defaultChild ?? handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'CDK BucketDeployment handler: its Python runtime is pinned by aws-cdk-lib (it runs only while deploying) and moves with CDK upgrades.',
    });
    if (handler.role) {
      Validations.of(handler.role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'CDK BucketDeployment handler (deploy time only): the managed basic execution role only lets it write its own CloudWatch logs.',
      });
      const policy = handler.role.node.tryFindChild('DefaultPolicy');
      const reason = (what: string) => `CDK BucketDeployment handler (deploy time only): ${what}.`;
      // cdk-nag names a resource as the template has it: a pseudo parameter while the stack is environment-agnostic, the
      // literal once complaints:account / complaints:region pin it (the bucket name's own pseudo parameters stay).
      const stack = Stack.of(this);
      const literal = (value: string, pseudo: string) => (Token.isUnresolved(value) ? pseudo : value);
      const arn = { partition: literal(stack.partition, '<AWS::Partition>'), account: literal(stack.account, '<AWS::AccountId>'), region: literal(stack.region, '<AWS::Region>') };
      const grants: [string, string][] = [
        ...['s3:GetBucket*', 's3:GetObject*', 's3:List*'].map((a): [string, string] => [`Action::${a}`, reason(`${a} reads the CDK asset objects and lists the console bucket to prune old files`)]),
        ...['s3:Abort*', 's3:DeleteObject*'].map((a): [string, string] => [`Action::${a}`, reason(`${a} replaces the previous build's objects in the console bucket only`)]),
        [`Resource::arn:${arn.partition}:s3:::cdk-hnb659fds-assets-${arn.account}-${arn.region}/*`, reason('it reads the uploaded build from the CDK bootstrap asset bucket, whose object keys are content hashes')],
        [`Resource::arn:${arn.partition}:s3:::${props.namePrefix}-console-<AWS::AccountId>-<AWS::Region>/*`, reason('it writes the build to the console bucket only, under keys known only at deploy time')],
        ['Resource::*', reason('cloudfront:CreateInvalidation and GetInvalidation support no resource-level permission')],
      ];
      for (const [finding, why] of grants) if (policy) Validations.of(policy).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason: why });
    }
  }
}
