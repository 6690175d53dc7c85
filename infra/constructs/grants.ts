// Named-action grants shared by the constructs: the project key only through the service that stores the data, and
// queue sends without the key wildcards (`kms:GenerateDataKey*`, `kms:ReEncrypt*`) that the CDK grant helpers add.
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';

/** What a reader of encrypted data needs from the key. */
export const KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
/** What a producer into an SSE-KMS queue or topic needs: a data key, and Decrypt to reuse a cached one. */
export const KEY_PRODUCE = ['kms:GenerateDataKey', 'kms:Decrypt'];

export type KeyService = 'dynamodb' | 'sqs' | 'sns' | 's3' | 'secretsmanager';

/** `actions` on `key`, usable only through `service` in this stack's region, never for direct encrypt/decrypt calls. */
export const keyThrough = (scope: IConstruct, key: IKey, service: KeyService, actions: readonly string[]): PolicyStatement =>
  new PolicyStatement({
    actions: [...actions],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(scope).region}.amazonaws.com` } },
  });

/** SendMessage to an SSE-KMS queue: the queue action, and the key through SQS. */
export const sendMessageTo = (scope: IConstruct, queue: IQueue, key: IKey): PolicyStatement[] => [
  new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  keyThrough(scope, key, 'sqs', KEY_PRODUCE),
];
