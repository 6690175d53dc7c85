// ExportVault: where compliance bundles are kept (stateful stack). A locked bucket like the evidence vault's (Object
// Lock COMPLIANCE, versioned, SSE-KMS, TLS-only, no deletes, lifecycle after the lock), the KMS asymmetric key that
// signs bundle manifests (ECC_NIST_P256, SIGN_VERIFY: the private key never leaves KMS), and the dead-letter queue of
// the export builder's stream mapping.
import { RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';
import { createLockedBucket, lockedBucketNames } from './evidence-vault';
import { AUDIT_PREFIX } from '#adapters/aws/s3-audit-anchors';

/** Everything other stacks need to use the exports; names and ARNs are deterministic, never cross-stack references. */
export interface ExportStore {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** `arn:…:s3:::<bucket>/cases/*`: the bundles. */
  readonly caseObjectsArn: string;
  /** `arn:…:s3:::<bucket>/audit/*`: the audit digests and case anchors (written by the digest job and the export builder only). */
  readonly auditObjectsArn: string;
  /** The project key the bundles are encrypted with (usable only through S3). */
  readonly encryptionKey: IKey;
  /** Signs manifests (kms:Sign, kms:GetPublicKey only). */
  readonly signingKey: IKey;
  /** Compliance-mode retention of a bundle, days. */
  readonly retentionDays: number;
  /** Stream batches the export builder failed after every retry. */
  readonly builderDeadLetters: DeadLetterQueue;
}

export interface ExportVaultProps {
  namePrefix: string;
  encryptionKey: IKey;
  retentionDays: number;
  /** The access-log bucket the evidence vault writes to; exports log under `exports/`. */
  accessLogs: Bucket;
}

export class ExportVault extends Construct implements ExportStore {
  readonly bucket: Bucket;
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly caseObjectsArn: string;
  readonly auditObjectsArn: string;
  readonly encryptionKey: IKey;
  readonly signingKey: Key;
  readonly retentionDays: number;
  readonly builderDeadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ExportVaultProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.retentionDays = props.retentionDays;
    const names = lockedBucketNames(props.namePrefix, 'exports');
    this.bucketName = names.bucketName;
    this.bucketArn = names.bucketArn;
    this.caseObjectsArn = names.caseObjectsArn;
    this.auditObjectsArn = `${names.bucketArn}/${AUDIT_PREFIX}*`;
    this.bucket = createLockedBucket(this, 'Bucket', {
      namePrefix: props.namePrefix,
      purpose: 'exports',
      encryptionKey: props.encryptionKey,
      retentionDays: props.retentionDays,
      accessLogs: props.accessLogs,
      // Bundles stream in by multipart upload (hundreds of MB).
      multipartUploads: true,
    });
    // Asymmetric keys cannot rotate automatically; a new key would make every earlier bundle verifiable only with
    // the old public key, so it is kept (RETAIN) and published by keyId.
    this.signingKey = new Key(this, 'SigningKey', {
      description: 'Complaints: signs compliance export manifests (ECDSA P-256, SHA-256)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.builderDeadLetters = new DeadLetterQueue(this, 'BuilderDeadLetters', {
      holds: 'cases-table stream records of export requests the export builder failed after every retry',
      encryptionKey: props.encryptionKey,
    });
  }
}
