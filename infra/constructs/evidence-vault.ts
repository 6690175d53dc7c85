// EvidenceVault: the write-once evidence store (stateful stack). An S3 bucket with Object Lock in COMPLIANCE mode,
// versioned, SSE-KMS with the project key, private, TLS-only, uploads only with the project key, deletes denied to
// every principal, server access logs in a separate bucket, and Object Created events on the default EventBridge bus.
// Nothing here, and no grant anywhere, allows an object to be deleted, overwritten in place or unlocked.
import { Aws, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  BucketNamespace,
  HttpMethods,
  ObjectLockRetention,
  ObjectOwnership,
  PartitionDateSource,
  TargetObjectKeyFormat,
  type CfnBucket,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CASE_OBJECTS_ROOT, RETENTION_ENDED_TAG, evidenceKey } from '#domain/evidence';
import { DEFAULT_EVIDENCE_RETENTION_DAYS } from '#schemas/evidence';
import { DeadLetterQueue } from './dead-letter-queue';

/** Every object of a case lives under `cases/<caseId>/` (evidence, later exports); no grant reaches beyond it. */
export const CASE_OBJECTS_PREFIX = CASE_OBJECTS_ROOT;
/** The evidence objects the verifier is told about: `cases/<caseId>/evidence/<evidenceId>` (the domain's key layout). */
export const EVIDENCE_KEY_PATTERN = evidenceKey('*', '*');
export { DEFAULT_EVIDENCE_RETENTION_DAYS };
/** How long the server access logs are kept (a little over a year: a full audit cycle). */
export const ACCESS_LOG_RETENTION = Duration.days(400);

/** Everything other stacks need to use the vault; names and ARNs are deterministic, never cross-stack references. */
export interface EvidenceStore {
  /** `<prefix>-evidence-<account>-<region>-an`, in the account's own regional namespace: no other account can create it. */
  readonly bucketName: string;
  readonly bucketArn: string;
  /** `arn:…:s3:::<bucket>/cases/*`: the only objects any function may touch. */
  readonly caseObjectsArn: string;
  /** The project key the objects are encrypted with (usable only through S3). */
  readonly encryptionKey: IKey;
  /** Object Created events the verifier failed after every retry. */
  readonly verificationDeadLetters: DeadLetterQueue;
}

export interface EvidenceVaultProps {
  /** Lower-case deployment prefix: the bucket is `<prefix>-evidence-<account>-<region>-an`. */
  namePrefix: string;
  encryptionKey: IKey;
  /** Default COMPLIANCE-mode retention of every object version, in days (default 2557, seven years). */
  retentionDays?: number;
  /** Browser origins that upload evidence straight to presigned URLs (the staff console's); none: no CORS. */
  corsOrigins?: string[];
}

// Bucket names are at most 63 characters; the account-regional suffix is `-<12-digit account>-<region>-an`.
const MAX_BUCKET_NAME = 63;
const LONGEST_REGION = 'ap-southeast-5'.length;

/** What a locked bucket holds: its name is `<prefix>-<purpose>-<account>-<region>-an`. */
export type LockedBucketPurpose = 'evidence' | 'exports';

/** The bucket-name prefix for a deployment prefix and purpose, checked against the 63-character limit. */
export const lockedBucketPrefix = (namePrefix: string, purpose: LockedBucketPurpose, region?: string): string => {
  const prefix = `${namePrefix}-${purpose}`;
  if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(prefix)) throw new Error(`${purpose} bucket prefix "${prefix}" must be lower-case letters, digits and hyphens`);
  const regionLength = region && !Token.isUnresolved(region) ? region.length : LONGEST_REGION;
  const length = prefix.length + `-123456789012--an`.length + regionLength;
  if (length > MAX_BUCKET_NAME) {
    throw new Error(`${purpose} bucket name would be ${length} characters (at most ${MAX_BUCKET_NAME}): shorten the stack prefix "${namePrefix}"`);
  }
  return prefix;
};
export const evidenceBucketPrefix = (namePrefix: string, region?: string): string => lockedBucketPrefix(namePrefix, 'evidence', region);

/**
 * A locked bucket's name and ARNs, from the deployment prefix alone. Built from the unscoped pseudo parameters, so
 * they resolve in whichever stack uses them: the API stack names the bucket without a cross-stack reference, and IAM
 * and the cdk-nag acknowledgement see the same string before and after synthesis.
 */
export const lockedBucketNames = (namePrefix: string, purpose: LockedBucketPurpose) => {
  const bucketName = `${lockedBucketPrefix(namePrefix, purpose)}-${Aws.ACCOUNT_ID}-${Aws.REGION}-an`;
  const bucketArn = `arn:${Aws.PARTITION}:s3:::${bucketName}`;
  return { bucketName, bucketArn, caseObjectsArn: `${bucketArn}/${CASE_OBJECTS_PREFIX}*` };
};
export const evidenceBucketNames = (namePrefix: string) => lockedBucketNames(namePrefix, 'evidence');

export interface LockedBucketProps {
  namePrefix: string;
  purpose: LockedBucketPurpose;
  encryptionKey: IKey;
  retentionDays: number;
  accessLogs: Bucket;
  /**
   * Whether uploads may arrive in parts (CreateMultipartUpload / UploadPart carry no SSE headers, so the SSE
   * conditions then apply only where the headers are present; the bucket's default encryption covers the rest).
   */
  multipartUploads: boolean;
}

/**
 * A bucket where nothing can be deleted, overwritten in place or unlocked: Object Lock in COMPLIANCE mode (which
 * nobody, root included, can shorten or remove), versioned, SSE-KMS with the project key (bucket key on), private,
 * TLS ≥ 1.2 only, server access logs, deletes and governance bypass denied to every principal. Versions leave only
 * by the lifecycle rule, the day after their lock has expired (S3 never expires a locked version).
 */
export const createLockedBucket = (scope: Construct, id: string, props: LockedBucketProps): Bucket => {
  const bucket = new Bucket(scope, id, {
    bucketNamespace: BucketNamespace.ACCOUNT_REGIONAL,
    bucketNamePrefix: lockedBucketPrefix(props.namePrefix, props.purpose, Stack.of(scope).region),
    objectLockEnabled: true,
    objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(props.retentionDays)),
    versioned: true,
    encryption: BucketEncryption.KMS,
    encryptionKey: props.encryptionKey,
    // One KMS data key per bucket and period instead of one KMS call per object.
    bucketKeyEnabled: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    serverAccessLogsBucket: props.accessLogs,
    serverAccessLogsPrefix: `${props.purpose}/`,
    targetObjectKeyFormat: TargetObjectKeyFormat.partitionedPrefix(PartitionDateSource.EVENT_TIME),
    lifecycleRules: [
      {
        id: 'LeaveAfterRetention',
        // Only objects of cases whose record-keeping period has ended (the retention job tags them): they get a
        // delete marker, and the version itself goes a day later, and only once its lock (and any legal hold) has
        // gone: S3 never expires a locked version. The bucket's lock counts from upload, the case's retention from
        // closure, so nothing leaves on the lock's date alone.
        tagFilters: { [RETENTION_ENDED_TAG.key]: RETENTION_ENDED_TAG.value },
        expiration: Duration.days(1),
        noncurrentVersionExpiration: Duration.days(1),
      },
      { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ],
    // Never autoDeleteObjects: it grants s3:DeleteObject* to a custom resource. The name is fixed (the prefix, account
    // and region), so the bucket goes when the stack's first create rolls back (it is empty then) and a retry can
    // recreate it; once created it is kept on delete and on replacement, and so is its policy (StatefulStack).
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
  const objects = bucket.arnForObjects('*');
  const sse = props.multipartUploads ? 'StringNotEqualsIfExists' : 'StringNotEquals';
  // Uploads must ask for SSE-KMS with the project key by name: a request with `aws:kms` but no key id would be
  // encrypted with the AWS managed key (aws/s3) instead.
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'DenyUploadsWithoutSseKms',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [objects],
      conditions: { [sse]: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    }),
  );
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'DenyUploadsWithAnotherKey',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [objects],
      conditions: { [sse]: { 's3:x-amz-server-side-encryption-aws-kms-key-id': props.encryptionKey.keyArn } },
    }),
  );
  if (props.multipartUploads) {
    // The IfExists conditions let part uploads through; an upload that asks for SSE-KMS must still name the key
    // (`aws:kms` without a key id would be encrypted with the AWS managed key).
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyKmsUploadsWithoutKeyId',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [objects],
        conditions: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' }, Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' } },
      }),
    );
  }
  // Object Lock already refuses to delete a locked version; this also refuses delete markers (which would hide the
  // current version) and governance bypass, to every principal, whatever its identity policy says.
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: `DenyDeleting${props.purpose === 'evidence' ? 'Evidence' : 'Exports'}`,
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention'],
      resources: [objects],
    }),
  );
  return bucket;
};

export class EvidenceVault extends Construct implements EvidenceStore {
  readonly bucket: Bucket;
  /** Server access logs of the evidence bucket (SSE-S3: S3 log delivery cannot write SSE-KMS). */
  readonly accessLogs: Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly caseObjectsArn: string;
  readonly encryptionKey: IKey;
  readonly verificationDeadLetters: DeadLetterQueue;
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: EvidenceVaultProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.retentionDays = props.retentionDays ?? DEFAULT_EVIDENCE_RETENTION_DAYS;
    const names = lockedBucketNames(props.namePrefix, 'evidence');
    this.bucketName = names.bucketName;
    this.bucketArn = names.bucketArn;
    this.caseObjectsArn = names.caseObjectsArn;

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // S3 server access logging delivers only to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [
        {
          id: 'ExpireAccessLogs',
          expiration: ACCESS_LOG_RETENTION,
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      // Who read or wrote which evidence object: kept even if the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is itself the server access log target of the evidence and exports buckets; logging its own writes would log the log delivery, and the bucket accesses are already recorded here.',
    });

    this.bucket = createLockedBucket(this, 'Bucket', {
      namePrefix: props.namePrefix,
      purpose: 'evidence',
      encryptionKey: props.encryptionKey,
      retentionDays: this.retentionDays,
      accessLogs: this.accessLogs,
      // Evidence arrives by one presigned PUT per file.
      multipartUploads: false,
    });
    // The staff console PUTs evidence from the browser (SHA-256 computed there) to the presigned URL: its origin only.
    if (props.corsOrigins?.length) {
      this.bucket.addCorsRule({
        allowedOrigins: props.corsOrigins,
        allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
        allowedHeaders: ['content-type', 'content-md5', 'if-none-match', 'x-amz-*'],
        exposedHeaders: ['ETag'],
        maxAge: 3600,
      });
    }
    // Object Created events on the default bus, set on the bucket itself: `eventBridgeEnabled` would add a
    // custom resource (a Lambda function allowed s3:PutBucketNotification on "*") to do the same.
    (this.bucket.node.defaultChild as CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    // Write-once keys: every upload must be a conditional write (If-None-Match: *), so S3 itself refuses a second
    // PUT to an existing key (412) instead of stacking a new version on top of verified evidence.
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyOverwritingUploads',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );

    this.verificationDeadLetters = new DeadLetterQueue(this, 'VerificationDeadLetters', {
      holds: 'evidence Object Created events the verifier function failed after every Lambda retry',
      encryptionKey: props.encryptionKey,
    });
  }
}
