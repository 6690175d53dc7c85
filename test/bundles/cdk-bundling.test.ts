// The function construct bundles as bench/bundle.ts measures (infra/constructs/lambda-bundling.ts): a real `cdk synth`
// of one function, with esbuild, checked in the asset it would upload.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ApiFunction } from '../../infra/constructs/api-function';

process.env.CDK_VALIDATION = 'false';

const bundleOf = (environment: Record<string, string>): string => {
  const app = new App();
  const stack = new Stack(app, 'Bundled', { env: { account: '111111111111', region: 'eu-west-2' } });
  new ApiFunction(stack, 'Close', { entry: 'functions/close-complaint/handler.ts', description: 'test', environment, serviceName: 'complaints', metricsNamespace: 'Complaints', logRetention: RetentionDays.ONE_WEEK });
  const assembly = app.synth();
  const bundles = readdirSync(assembly.directory).filter((d) => d.startsWith('asset.') && existsSync(join(assembly.directory, d, 'index.js')));
  expect(bundles).toHaveLength(1);
  return readFileSync(join(assembly.directory, bundles[0]!, 'index.js'), 'utf8');
};

describe('cdk synth bundles a function as the bench measures it', () => {
  it("reads credentials from the environment only, and leaves out the settings-secret client when there is no secret", () => {
    const js = bundleOf({ TABLE_NAME: 'cases' });
    // Booleans, not the strings: a failure would print the whole bundle.
    expect({ fromEnv: js.includes('Unable to find environment variable credentials'), chain: js.includes('Could not load credentials from any providers'), secretsClient: js.includes('SecretsManagerServiceException') }).toEqual({ fromEnv: true, chain: false, secretsClient: false });
  }, 120_000);

  it('keeps the settings-secret client in a function given a settings secret', () => {
    const js = bundleOf({ TABLE_NAME: 'cases', REPORTING: JSON.stringify({ note: 'x' }) });
    expect({ chain: js.includes('Could not load credentials from any providers'), secretsClient: js.includes('SecretsManagerServiceException') }).toEqual({ chain: false, secretsClient: true });
  }, 120_000);
});
