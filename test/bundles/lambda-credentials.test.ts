// A deployed function reads its credentials from the environment Lambda gives it, and only from there: the bundling
// aliases the SDK's default chain to shared/adapters/aws/lambda-credentials.ts (infra/constructs/lambda-bundling.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import * as sdkChain from '@aws-sdk/credential-provider-node';
import * as lambdaChain from '#adapters/aws/lambda-credentials';
import { ESBUILD_SETTINGS, REPO_ROOT } from '../../bench/bundle';
import { LAMBDA_ALIASES } from '../../infra/constructs/lambda-bundling';

const ENV = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example', AWS_SESSION_TOKEN: 'session-example' };

describe('the credential chain of a deployed function', () => {
  it('exports every name the SDK chain exports (an SDK upgrade that adds one fails here, not at deploy)', () => {
    const names = (m: object) => Object.keys(m).filter((k) => k !== 'default').sort(); // 'default': jest's CommonJS interop
    expect(names(lambdaChain)).toEqual(names(sdkChain));
    expect(LAMBDA_ALIASES['@aws-sdk/credential-provider-node']).toBe('./shared/adapters/aws/lambda-credentials.ts');
  });

  it('answers with the environment credentials, and rejects without them as the chain does', async () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, ENV);
      await expect(lambdaChain.defaultProvider()()).resolves.toMatchObject({ accessKeyId: ENV.AWS_ACCESS_KEY_ID, secretAccessKey: ENV.AWS_SECRET_ACCESS_KEY, sessionToken: ENV.AWS_SESSION_TOKEN });
      delete process.env.AWS_ACCESS_KEY_ID;
      await expect(lambdaChain.defaultProvider()()).rejects.toMatchObject({ name: 'CredentialsProviderError' });
    } finally {
      process.env = saved;
    }
  });

  it('judges expiry as the SDK chain does', () => {
    const creds = (expiration?: Date) => ({ accessKeyId: 'a', secretAccessKey: 'b', ...(expiration ? { expiration } : {}) });
    for (const c of [creds(), creds(new Date('2000-01-01T00:00:00Z')), creds(new Date('3000-01-01T00:00:00Z'))]) {
      expect(lambdaChain.credentialsWillNeedRefresh(c)).toBe(sdkChain.credentialsWillNeedRefresh(c));
      expect(lambdaChain.credentialsTreatedAsExpired(c)).toBe(sdkChain.credentialsTreatedAsExpired(c));
    }
  });

  it('a bundled DynamoDB client resolves its credentials from the environment, and has no other source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-credentials-'));
    try {
      writeFileSync(
        join(dir, 'probe.ts'),
        [
          "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
          "const client = new DynamoDBClient({ region: 'eu-west-2' });",
          'client.config.credentials().then((c) => console.log(JSON.stringify({ ok: c.accessKeyId })), (e: Error) => console.log(JSON.stringify({ error: e.name })));',
        ].join('\n'),
      );
      const out = join(dir, 'probe.js');
      await build({ ...ESBUILD_SETTINGS, sourcemap: false, absWorkingDir: REPO_ROOT, entryPoints: [join(dir, 'probe.ts')], outfile: out, logLevel: 'silent', nodePaths: [join(REPO_ROOT, 'node_modules')] });
      const run = (env: NodeJS.ProcessEnv) => JSON.parse(execFileSync(process.execPath, [out], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' })) as { ok?: string; error?: string };
      expect(run(ENV)).toEqual({ ok: ENV.AWS_ACCESS_KEY_ID });
      // A profile file would satisfy the SDK's whole chain; a deployed function does not look for one.
      const home = join(dir, 'home');
      writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = x\n');
      expect(run({ HOME: home, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') })).toEqual({ error: 'CredentialsProviderError' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
