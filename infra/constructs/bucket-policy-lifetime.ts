// Bucket policies live as long as their buckets: one rule for every stack that holds a retained bucket (stateful, console, edge).
import { Aspects } from 'aws-cdk-lib';
import { CfnBucket, CfnBucketPolicy } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';

/**
 * A bucket policy is a resource of its own, deleted by default: `cdk destroy` would leave a retained bucket without its
 * deny-delete, TLS-only, key-required or origin-access statements. Every bucket policy under `scope` gets its bucket's
 * deletion and update-replace policies, so it is kept exactly as long as the bucket (and removed with it when a first
 * create rolls back a RetainExceptOnCreate bucket).
 */
export const keepBucketPoliciesWithTheirBuckets = (scope: IConstruct): void => {
  Aspects.of(scope).add({
    visit: (node: IConstruct) => {
      if (!(node instanceof CfnBucketPolicy)) return;
      // <Bucket>/Policy/Resource: the policy construct's scope is the bucket.
      const bucket = node.node.scope?.node.scope?.node.defaultChild;
      if (!(bucket instanceof CfnBucket)) return;
      if (bucket.cfnOptions.deletionPolicy) node.cfnOptions.deletionPolicy = bucket.cfnOptions.deletionPolicy;
      if (bucket.cfnOptions.updateReplacePolicy) node.cfnOptions.updateReplacePolicy = bucket.cfnOptions.updateReplacePolicy;
    },
  });
};
