// What the daily problem-signals job provides to the signal composition root (signals-container.ts): the bus
// (EventBridge), the spike test (jstat), the triage tokeniser and the SNS notifier. Only that job bundles them.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { testSpike } from '#domain/problems/spike-stats';
import { EventBridgePublisher } from '#adapters/aws/event-bridge';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';
import { featureTokens } from '#adapters/local/triage/text-model';
import { config, requireSetting } from './config';
import { provideSnsNotifier } from './problem-notifier';
import { busPublisher, spikeTest, suggestionTokens } from './signals-container';

export const provideSignalJob = (): void => {
  provideSnsNotifier();
  busPublisher.provide(() => new EventBridgePublisher(withoutSdkLogger(new EventBridgeClient({ region: config().AWS_REGION })), requireSetting('EVENT_BUS_NAME')));
  spikeTest.provide(() => testSpike);
  suggestionTokens.provide(() => featureTokens);
};
