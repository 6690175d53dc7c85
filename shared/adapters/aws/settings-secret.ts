// Reads the settings secret (shared/http/external-settings.ts) with GetSecretValue; the client is loaded only by a function that has the secret.
export const readSettingsSecret = async (secretId: string): Promise<string> => {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!out.SecretString) throw new Error(`secret ${secretId} holds no settings string`);
  return out.SecretString;
};
