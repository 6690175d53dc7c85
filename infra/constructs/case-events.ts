// CaseEvents: where a case's domain events and notifications leave the service: a custom EventBridge bus and an SNS topic.
import { RemovalPolicy } from 'aws-cdk-lib';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface CaseEventsProps {
  /** Lower-case deployment prefix: the bus is `<prefix>-events`. */
  namePrefix: string;
  encryptionKey: IKey;
}

export class CaseEvents extends Construct {
  /** Domain events (`complaints.*` detail types); other systems subscribe with rules on this bus. */
  readonly bus: IEventBus;
  readonly busName: string;
  /** Notifications for people (owners, supervisors); subscribers filter on the `recipient` / `role` / `team` attributes. */
  readonly notifications: ITopic;
  /** The key the topic is encrypted with: a publisher needs it through SNS. */
  readonly encryptionKey: IKey;

  constructor(scope: Construct, id: string, props: CaseEventsProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.busName = `${props.namePrefix}-events`;

    // Subscribers' rules hang off the bus and the topic: both outlive a redeploy, like the data. The bus has a fixed
    // name, so it is removed when the stack's first create rolls back (nobody subscribed yet): a retry can recreate it.
    const bus = new EventBus(this, 'Bus', { eventBusName: this.busName, description: 'Complaints: case domain events' });
    bus.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    this.bus = bus;

    const topic = new Topic(this, 'Notifications', {
      displayName: 'Complaints notifications',
      // Notifications name complainants' cases: encrypted at rest with the case-data key, TLS only in transit.
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    topic.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.notifications = topic;
  }
}
