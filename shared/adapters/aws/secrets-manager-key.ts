// The feedback-link signing key from Secrets Manager (a generated secret encrypted with the project key): at least
// 32 characters of secret string, used as the HMAC key bytes.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export const secretsManagerKey = (client: SecretsManagerClient, secretId: string) => async (): Promise<Buffer> => {
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const value = out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString('utf8') : undefined);
  if (!value || value.length < 32) throw new Error(`secret ${secretId} holds no signing key of at least 32 characters`);
  return Buffer.from(value, 'utf8');
};
