// CursorKey: the key material of sealed page cursors, a generated Secrets Manager secret encrypted with the project key
// (stateful: replacing it only makes the cursors clients hold now answer 400; they start again from the first page).
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { GeneratedSecret } from './generated-secret';

export interface CursorSealingKey {
  secret: Secret;
  encryptionKey: IKey;
}

export class CursorKey extends Construct implements CursorSealingKey {
  readonly secret: Secret;
  readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: { encryptionKey: IKey }) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.secret = new GeneratedSecret(this, 'Material', {
      description: 'Complaints: key material of the sealed (AES-256-GCM) page cursors of the list routes',
      encryptionKey: props.encryptionKey,
      // 64 alphanumerics (~380 bits): HKDF-SHA256 turns the secret string into the AES-256 key (shared/http/cursor-seal.ts).
      noRotationReason:
        'The secret seals page cursors, which live only as long as a client pages through a list: replacing it by hand costs nothing but a 400 on the cursors then held (the client starts again from the first page), and a rotation Lambda would be one more function holding it. It never leaves the list functions (GetSecretValue on this secret only, the key only through Secrets Manager).',
    });
  }
}
