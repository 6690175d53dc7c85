// The staff console's two stacks: the edge (bucket, CloudFront, headers; deployed first, so the user pool and the API can name its origin) and the site (the built app and its config.json, deployed last).
import { Aws, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConsoleContent, ConsoleEdge, type ConsoleRuntimeConfig } from '../constructs/console-site';
import { lockedBucketNames } from '../constructs/evidence-vault';
import { keepBucketPoliciesWithTheirBuckets } from '../constructs/bucket-policy-lifetime';

export interface ConsoleStackProps extends StackProps {
  namePrefix: string;
  /** The user pool's Hosted UI domain prefix (the same setting the stateful stack uses). */
  cognitoDomainPrefix: string;
}

/**
 * The console's origins its scripts may connect to. The API's exact URL cannot be named here: the API's CORS names
 * this distribution, so the API is created after it (a reference back would be a cycle). The API is therefore
 * allowed as API Gateway in this region; everything else is exact.
 */
export const consoleConnectSrc = (namePrefix: string, cognitoDomainPrefix: string): string[] => [
  `https://*.execute-api.${Aws.REGION}.amazonaws.com`,
  `https://cognito-idp.${Aws.REGION}.amazonaws.com`,
  `https://${cognitoDomainPrefix}.auth.${Aws.REGION}.amazoncognito.com`,
  // Evidence is uploaded straight to the bucket with presigned URLs (virtual-hosted style).
  `https://${lockedBucketNames(namePrefix, 'evidence').bucketName}.s3.${Aws.REGION}.amazonaws.com`,
];

export class ConsoleStack extends Stack {
  readonly edge: ConsoleEdge;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    this.edge = new ConsoleEdge(this, 'Console', { namePrefix: props.namePrefix, connectSrc: consoleConnectSrc(props.namePrefix, props.cognitoDomainPrefix) });
    // The site bucket's (TLS-only, origin access) and the access-log bucket's policies live as long as their buckets.
    keepBucketPoliciesWithTheirBuckets(this);
    new CfnOutput(this, 'ConsoleUrl', { value: this.edge.url, description: 'The staff console (sign in with the Cognito Hosted UI)' });
  }
}

export interface ConsoleSiteStackProps extends StackProps {
  namePrefix: string;
  edge: ConsoleEdge;
  config: ConsoleRuntimeConfig;
  distDir?: string;
}

export class ConsoleSiteStack extends Stack {
  readonly content: ConsoleContent;

  constructor(scope: Construct, id: string, props: ConsoleSiteStackProps) {
    super(scope, id, props);
    this.content = new ConsoleContent(this, 'Content', {
      namePrefix: props.namePrefix,
      distribution: { distributionId: props.edge.distribution.distributionId, domainName: props.edge.distribution.distributionDomainName },
      config: props.config, ...(props.distDir ? { distDir: props.distDir } : {}) });
  }
}
