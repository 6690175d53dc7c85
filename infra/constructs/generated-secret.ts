// GeneratedSecret: a Secrets Manager secret of 64 generated alphanumerics, encrypted with the project key and retained,
// with no automatic rotation (the reason is the caller's): the key material of cursor sealing and feedback-link signing.
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

export interface GeneratedSecretProps {
  description: string;
  encryptionKey: IKey;
  /** Why the secret is not rotated automatically (acknowledges cdk-nag AwsSolutions-SMG4 with it). */
  noRotationReason: string;
}

/** A Secret subclass, not a wrapper construct, so each secret keeps the logical ID it had before the two shared this. */
export class GeneratedSecret extends Secret {
  constructor(scope: Construct, id: string, props: GeneratedSecretProps) {
    super(scope, id, {
      description: props.description,
      encryptionKey: props.encryptionKey,
      // 64 alphanumerics (~380 bits): enough for an HMAC key as-is and for HKDF to derive an AES-256 key from.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this).acknowledge({ id: 'AwsSolutions-SMG4', reason: props.noRotationReason });
  }
}
