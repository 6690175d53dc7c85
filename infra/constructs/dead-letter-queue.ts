// DeadLetterQueue: an SQS queue that only ever holds what failed elsewhere; encrypted with the project key, TLS only, 14 days.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What fails into this queue; shown in the acknowledgement and used by alarms. */
  holds: string;
  encryptionKey: IKey;
}

/** The longest SQS retention: an investigation after a long weekend still finds every message. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

export class DeadLetterQueue extends Construct {
  readonly queue: Queue;
  readonly encryptionKey: IKey;
  readonly holds: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.holds = props.holds;
    this.queue = new Queue(this, 'Queue', {
      // The messages carry case ids and timer payloads: encrypted with the key that protects the case data.
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
      // Failed work waiting for a redrive outlives a redeploy or a mistaken stack deletion.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue (${props.holds}); a dead-letter queue of a dead-letter queue would only move the same messages again.`,
    });
  }
}
