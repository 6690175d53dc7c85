// FeedbackLinks: the HMAC key that signs customers' satisfaction-feedback links, a generated Secrets Manager secret
// encrypted with the project key (stateful: rotating or losing it invalidates every link still out).
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { GeneratedSecret } from './generated-secret';

export interface FeedbackSigningKey {
  secret: Secret;
  encryptionKey: IKey;
}

export class FeedbackLinks extends Construct implements FeedbackSigningKey {
  readonly secret: Secret;
  readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: { encryptionKey: IKey }) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.secret = new GeneratedSecret(this, 'SigningKey', {
      description: 'Complaints: HMAC-SHA256 key of the single-use customer feedback links',
      encryptionKey: props.encryptionKey,
      // 64 alphanumerics (~380 bits): the key bytes are the secret string itself.
      noRotationReason:
        'The secret is an HMAC key for feedback links that stay valid for FEEDBACK_LINK_DAYS (30 by default); an automatic rotation would invalidate every link customers still hold. Rotate by hand between follow-up waves; it never leaves the functions that sign and verify links (GetSecretValue on this secret only, the key only through Secrets Manager).',
    });
  }
}
