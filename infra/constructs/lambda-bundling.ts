// What the function bundling changes beyond esbuild's defaults: one definition, used by the CDK function construct
// (api-function.ts) and by the bundle measurements and tests (bench/bundle.ts), so what is measured is what deploys.
// Free of aws-cdk-lib, so the bench and the tests load it without the CDK.

/**
 * Modules replaced at bundling (esbuild `alias`, paths relative to the repository root where bundling runs):
 * the SDK's default credential chain becomes its environment link only (shared/adapters/aws/lambda-credentials.ts).
 */
export const LAMBDA_ALIASES = {
  '@aws-sdk/credential-provider-node': './shared/adapters/aws/lambda-credentials.ts',
} as const;

/**
 * Replaced at bundling (esbuild `define`): whether the function has settings kept in the settings secret. A function
 * without them is bundled with the Secrets Manager client's import in a dead branch, so the client stays out of its
 * bundle (shared/adapters/aws/settings-secret.ts).
 */
export const SETTINGS_SECRET_CLIENT = 'process.env.SETTINGS_SECRET_CLIENT';

/**
 * Replaced at bundling: whether the triage model chain (TRIAGE.models) names Bedrock. Without it the Bedrock client's
 * import is in a dead branch (shared/http/triage-container.ts), so it is in no bundle (the default chain is local only).
 */
export const TRIAGE_BEDROCK_CLIENT = 'process.env.TRIAGE_BEDROCK_CLIENT';

export interface BundledClients {
  /** The function has settings in the settings secret. */
  settingsSecret: boolean;
  /** The deployment's triage chain calls Bedrock. */
  bedrock: boolean;
}

export const lambdaDefines = (clients: BundledClients): Record<string, string> => ({
  [SETTINGS_SECRET_CLIENT]: JSON.stringify(clients.settingsSecret ? 'bundled' : 'omitted'),
  [TRIAGE_BEDROCK_CLIENT]: JSON.stringify(clients.bedrock ? 'bundled' : 'omitted'),
});

/** The same, as esbuild command-line arguments (the CDK construct passes aliases as `esbuildArgs`). */
export const aliasArgs = (): Record<string, string> =>
  Object.fromEntries(Object.entries(LAMBDA_ALIASES).map(([from, to]) => [`--alias:${from}`, to]));
