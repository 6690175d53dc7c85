// Reads the settings secret (shared/http/external-settings.ts) with GetSecretValue; the client is loaded only by a
// function that has the secret. A function deployed without one is bundled with SETTINGS_SECRET_CLIENT "omitted"
// (infra/constructs/lambda-bundling.ts): the import below is then in a dead branch and the client is not in its bundle.
const secretsManager = () =>
  process.env.SETTINGS_SECRET_CLIENT === 'omitted'
    ? Promise.reject(new Error('this function was bundled without the settings secret client (it has no settings secret)'))
    : import('@aws-sdk/client-secrets-manager');

export const readSettingsSecret = async (secretId: string): Promise<string> => {
  const { SecretsManagerClient, GetSecretValueCommand } = await secretsManager();
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!out.SecretString) throw new Error(`secret ${secretId} holds no settings string`);
  return out.SecretString;
};
