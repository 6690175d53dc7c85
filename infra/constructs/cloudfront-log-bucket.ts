// The access-log bucket of a CloudFront distribution (the API edge's, the console's): one definition for both.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * CloudFront standard logs are written with an ACL grant, so the bucket keeps ACLs (bucket owner preferred); SSE-S3
 * because the log delivery cannot use a customer key. `whatLandsHere` completes the reason the bucket does not log
 * itself (cdk-nag AwsSolutions-S1).
 */
export const cloudFrontLogBucket = (scope: Construct, whatLandsHere: string): Bucket => {
  const bucket = new Bucket(scope, 'AccessLogs', {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    lifecycleRules: [{ expiration: Duration.days(365) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: `${whatLandsHere}; it does not log itself.` });
  return bucket;
};
