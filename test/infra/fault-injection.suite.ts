// Fault injection never reaches AWS: FAULT_INJECTION set while synthesising does not appear in any deployed function's
// environment, no deployed code path installs the injector, and a client built without the local stack's hook has no
// fault middleware. Every function instead carries the retry policy its own timeout bounds.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sdkMaxAttempts } from '#adapters/aws/retry-policy';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';
import { testApp } from '../support/infra-app';
import { resourcesInFamily } from '../support/stacks';

const ROOT = resolve(__dirname, '..', '..');

describe('fault injection in a deployment', () => {
  const saved = { FAULT_INJECTION: process.env.FAULT_INJECTION, FAULT_SEED: process.env.FAULT_SEED };
  afterAll(() => Object.assign(process.env, saved));

  it('cannot reach a deployed function, even when set in the environment cdk synth runs in', () => {
    process.env.FAULT_INJECTION = 'dynamodb:ThrottlingException:1';
    process.env.FAULT_SEED = '7';
    const { api, stateful } = testApp();
    const functions = [...resourcesInFamily(api, 'AWS::Lambda::Function'), ...resourcesInFamily(stateful, 'AWS::Lambda::Function')];
    expect(functions.length).toBeGreaterThan(10);
    for (const { id, resource } of functions) {
      const vars = ((resource.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
      expect({ id, faultSettings: Object.keys(vars).filter((k) => k.startsWith('FAULT_')) }).toEqual({ id, faultSettings: [] });
      // Our functions (not CDK's own helpers) run with the retry policy their timeout bounds.
      if (vars.TABLE_NAME !== undefined) {
        expect(vars).toMatchObject({ AWS_RETRY_MODE: 'standard', AWS_MAX_ATTEMPTS: String(sdkMaxAttempts(Number(resource.Properties.Timeout ?? 3))) });
      }
    }
  });

  it('is installed only by the local stack: no handler or shared module imports the injector or sets its hooks', () => {
    const hits = execFileSync('git', ['grep', '--untracked', '-l', '-E', "infra/local/faults|setSdkClientHook\\(|setLocalBoundaryHook\\(", '--', 'functions', 'shared', 'workflows', 'infra/constructs', 'infra/stacks', 'infra/app.ts'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
    // Only the two modules that declare the hooks name them.
    expect(hits.sort()).toEqual(['shared/adapters/aws/sdk-client.ts', 'shared/adapters/local/local-boundary.ts']);
  });

  it('leaves a client without the local hook free of fault middleware', () => {
    const client = withoutSdkLogger(new DynamoDBClient({ region: 'eu-west-2' }));
    expect(client.middlewareStack.identify().some((m) => m.startsWith('faultInjection'))).toBe(false);
  });
});
