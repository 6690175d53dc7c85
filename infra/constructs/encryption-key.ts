// EncryptionKey: the customer-managed KMS key that encrypts the case data at rest.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Key, type IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface EncryptionKeyProps {
  /** What the key protects; shown in the KMS console. */
  description: string;
}

export class EncryptionKey extends Construct {
  readonly key: IKey;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      // Deleting the key would make every backup and PITR snapshot unreadable: keep it, and give a
      // mistaken deletion the longest window in which it can still be cancelled.
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
  }
}
