// The page-cursor key of this process: read once (Secrets Manager in AWS, the stack's key file locally) and only when a
// list first seals or opens a cursor, so routes without pages never fetch it.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerKey } from '#adapters/aws/secrets-manager-key';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';
import { localKeyFile } from '#adapters/local/local-key-file';
import { config, requireSetting } from './config';
import { cursorKeyFrom } from './cursor-seal';

let key: Promise<Buffer> | undefined;

const load = async (): Promise<Buffer> => {
  const cfg = config();
  const material = cfg.CURSOR_KEY_SECRET_ARN
    ? await secretsManagerKey(withoutSdkLogger(new SecretsManagerClient({ region: cfg.AWS_REGION })), cfg.CURSOR_KEY_SECRET_ARN)()
    : await localKeyFile(requireSetting('CURSOR_KEY_FILE'))();
  return cursorKeyFrom(material);
};

export const cursorKey = (): Promise<Buffer> => {
  // A failed read is not cached: the next request tries again.
  key ??= load().catch((err: unknown) => {
    key = undefined;
    throw err;
  });
  return key;
};
