// The SNS notifier of the problem composition root, provided by the functions that notify (closing a problem, the daily
// signals job): the other problem routes bundle no SNS client.
import { SNSClient } from '@aws-sdk/client-sns';
import { SnsNotifier } from '#adapters/aws/sns-notifier';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';
import { config, requireSetting } from './config';
import { snsNotifier } from './problems-container';

export const provideSnsNotifier = (): void =>
  snsNotifier.provide(() => new SnsNotifier(withoutSdkLogger(new SNSClient({ region: config().AWS_REGION })), requireSetting('NOTIFICATION_TOPIC_ARN')));
