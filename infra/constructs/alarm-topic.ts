// AlarmTopic (stateful): where every alarm pages someone: an SNS topic under the project key (CloudWatch may use the
// key for this topic only), TLS only, with an email subscription from `complaints:alarmEmail`; or the operator's own
// topic (`complaints:alarmTopicArn`), which then receives the alarms instead.
import { Aws } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  encryptionKey: IKey;
  /** Addresses subscribed by email (each confirms once, from the message SNS sends). */
  emails: readonly string[];
  /** An existing topic (e.g. the on-call one): used instead of a new one. */
  existingTopicArn?: string;
}

export class AlarmTopic extends Construct {
  readonly topic: ITopic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (props.existingTopicArn) {
      this.topic = Topic.fromTopicArn(this, 'Existing', props.existingTopicArn);
      return;
    }
    const topic = new Topic(this, 'Topic', { displayName: 'Complaints alarms', masterKey: props.encryptionKey, enforceSSL: true });
    for (const email of props.emails) topic.addSubscription(new EmailSubscription(email));
    // CloudWatch publishes alarm state changes to an encrypted topic only with the key: for this account's alarms.
    props.encryptionKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.topic = topic;
  }
}
