// Composition of the triage model chain from configuration (TRIAGE.models): Bedrock in AWS, the local classifier as the
// fallback and under npm start; built once per process.
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { TriageModel } from '#ports/triage-model';
import { BedrockTriageModel, sdkTransport } from '#adapters/aws/bedrock-triage-model';
import { localTriageModel } from '#adapters/local/triage/local-triage-model';
import { config } from './config';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

let models: TriageModel[] | undefined;

export const triageModels = (): TriageModel[] => {
  if (!models) {
    const cfg = config();
    models = cfg.triage.models.map((m): TriageModel => {
      if (m === 'local') return localTriageModel();
      // One attempt: the chain's timeout is the budget, and the fallback is the retry.
      const client = withoutSdkLogger(new BedrockRuntimeClient({ region: cfg.AWS_REGION, maxAttempts: 1, ...(cfg.BEDROCK_ENDPOINT ? { endpoint: cfg.BEDROCK_ENDPOINT } : {}) }));
      return new BedrockTriageModel(cfg.triage.bedrockModelId, sdkTransport(client));
    });
  }
  return models;
};
