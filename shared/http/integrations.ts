// Composition root for the deadline integrations (the case-stream function only): EventBridge Scheduler,
// the EventBridge bus and SNS in AWS; the embedded scheduler and outbox under npm start.
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import type { CheckpointScheduler } from '#ports/checkpoint-scheduler';
import type { EventPublisher } from '#ports/events';
import type { Notifier } from '#ports/notifier';
import { EventBridgeCheckpointScheduler } from '#adapters/aws/scheduler';
import { EventBridgePublisher } from '#adapters/aws/event-bridge';
import { SnsNotifier } from '#adapters/aws/sns-notifier';
import { LocalScheduler } from '#adapters/local/local-scheduler';
import { localOutbox } from '#adapters/local/local-outbox';
import { config, requireSetting } from './config';
import { dynamo } from './container';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

export interface Integrations {
  scheduler: CheckpointScheduler;
  events: EventPublisher;
  notifier: Notifier;
}

let integrations: Integrations | undefined;

/** Scheduler, event bus and notifier: AWS services when deployed, the embedded stand-ins under `npm start`. */
export const deadlineIntegrations = (): Integrations => {
  if (!integrations) {
    const cfg = config();
    if (cfg.INTEGRATIONS === 'local') {
      integrations = { scheduler: new LocalScheduler(dynamo().doc, { tableName: requireSetting('LOCAL_TABLE_NAME') }), events: localOutbox, notifier: localOutbox };
    } else {
      const region = { region: cfg.AWS_REGION };
      integrations = {
        scheduler: new EventBridgeCheckpointScheduler(withoutSdkLogger(new SchedulerClient(region)), {
          groupName: requireSetting('SCHEDULE_GROUP_NAME'),
          targetArn: requireSetting('CHECKPOINT_FUNCTION_ARN'),
          roleArn: requireSetting('SCHEDULER_ROLE_ARN'),
          deadLetterArn: requireSetting('SCHEDULER_DLQ_ARN'),
        }),
        events: new EventBridgePublisher(withoutSdkLogger(new EventBridgeClient(region)), requireSetting('EVENT_BUS_NAME')),
        notifier: new SnsNotifier(withoutSdkLogger(new SNSClient(region)), requireSetting('NOTIFICATION_TOPIC_ARN')),
      };
    }
  }
  return integrations;
};

