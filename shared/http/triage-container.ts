// Composition of the triage model chain from configuration (TRIAGE.models): Bedrock in AWS, the local classifier as the
// fallback and under npm start; built once per process. The Bedrock client is imported on the chain's first call to it,
// and a function deployed without Bedrock in its chain is bundled with TRIAGE_BEDROCK_CLIENT "omitted"
// (infra/constructs/lambda-bundling.ts): the import is then in a dead branch and the client is not in its bundle.
import type { TriageModel } from '#ports/triage-model';
import { BedrockTriageModel, sdkTransport, type BedrockSdk } from '#adapters/aws/bedrock-triage-model';
import { localTriageModel } from '#adapters/local/triage/local-triage-model';
import { config, ConfigError, type Config } from './config';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

let models: TriageModel[] | undefined;

// A conditional expression, not an `if` with a throw: esbuild drops the branch the define makes dead only in this form.
const bedrockClientModule = () =>
  process.env.TRIAGE_BEDROCK_CLIENT === 'omitted'
    ? Promise.reject(new ConfigError('this function was bundled without the Bedrock client (TRIAGE.models had no bedrock at deploy): deploy again with the new setting'))
    : import('@aws-sdk/client-bedrock-runtime');

const bedrockSdk = async (cfg: Config): Promise<BedrockSdk> => {
  const { BedrockRuntimeClient, ConverseCommand } = await bedrockClientModule();
  // One attempt: the chain's timeout is the budget, and the fallback is the retry.
  const client = withoutSdkLogger(new BedrockRuntimeClient({ region: cfg.AWS_REGION, maxAttempts: 1, ...(cfg.BEDROCK_ENDPOINT ? { endpoint: cfg.BEDROCK_ENDPOINT } : {}) }));
  return { send: (input, signal) => client.send(new ConverseCommand(input), { abortSignal: signal }) };
};

export const triageModels = (): TriageModel[] => {
  if (!models) {
    const cfg = config();
    models = cfg.triage.models.map((m): TriageModel => (m === 'local' ? localTriageModel() : new BedrockTriageModel(cfg.triage.bedrockModelId, sdkTransport(() => bedrockSdk(cfg)))));
  }
  return models;
};
