// The embedded stack's own parts: tables from the shared model, the local JWT issuer, and port clashes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { decodeJwt } from 'jose';
import { TABLES } from '#adapters/aws/dynamo/table-model';
import { principalFromClaims } from '#http/claims';
import { createTableInput, ensureTables, localDynamoClient } from '../../infra/local/dynamodb-local';
import { AUDIENCE, ISSUER, TokenIssuer } from '../../infra/local/token-issuer';
import { startLocalApi } from '../../infra/local/server';
import { testEndpoint } from '../support/dynamo';
import { clockNowMs } from '../support/clock';

const REPO_ROOT = resolve(__dirname, '..', '..');

describe('createTableInput', () => {
  it('builds the cases table from TABLES: PK/SK, one GSI per access pattern, stream, on-demand', () => {
    const input = createTableInput('cases-x', TABLES.cases);
    expect(input.TableName).toBe('cases-x');
    expect(input.BillingMode).toBe('PAY_PER_REQUEST');
    expect(input.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(input.GlobalSecondaryIndexes).toEqual(
      TABLES.cases.indexes.map((i) => ({
        IndexName: i.indexName,
        KeySchema: [
          { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
        ],
        // Each index projects what its reads need (issue 28): INCLUDE, or KEYS_ONLY for an empty list.
        Projection: i.include.length ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...i.include] } : { ProjectionType: 'KEYS_ONLY' },
      })),
    );
    expect(input.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['GSI1v2', 'GSI2v2', 'GSI3v2', 'GSI4v2', 'GSI5v2']);
    expect(input.GlobalSecondaryIndexes?.map((g) => g.Projection?.ProjectionType)).toEqual(['INCLUDE', 'INCLUDE', 'INCLUDE', 'KEYS_ONLY', 'INCLUDE']);
    const attrs = input.AttributeDefinitions ?? [];
    expect(attrs.map((a) => a.AttributeName).sort()).toEqual(['GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'GSI4PK', 'GSI4SK', 'GSI5PK', 'GSI5SK', 'PK', 'SK']);
    expect(new Set(attrs.map((a) => a.AttributeName)).size).toBe(attrs.length);
    expect(attrs.every((a) => a.AttributeType === 'S')).toBe(true);
    expect(input.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('builds the idempotency table with a single hash key, no indexes, no stream', () => {
    const input = createTableInput('idem-x', TABLES.idempotency);
    expect(input.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(input.AttributeDefinitions).toEqual([{ AttributeName: 'id', AttributeType: 'S' }]);
    expect(input).not.toHaveProperty('GlobalSecondaryIndexes');
    expect(input).not.toHaveProperty('StreamSpecification');
  });
});

describe('ensureTables', () => {
  it('creates the tables as modelled and a second call is harmless', async () => {
    const suffix = Math.random().toString(36).slice(2, 10);
    const tables = [
      { name: `ensure-cases-${suffix}`, def: TABLES.cases },
      { name: `ensure-idem-${suffix}`, def: TABLES.idempotency },
    ];
    await ensureTables(testEndpoint(), tables);
    await expect(ensureTables(testEndpoint(), tables)).resolves.toBeUndefined();
    const client = localDynamoClient(testEndpoint());
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tables[0]!.name }));
      expect(Table?.KeySchema).toEqual(createTableInput('x', TABLES.cases).KeySchema);
      expect(Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(['GSI1v2', 'GSI2v2', 'GSI3v2', 'GSI4v2', 'GSI5v2']);
      expect(Table?.StreamSpecification).toMatchObject({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tables[0]!.name }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
      const idemTtl = await client.send(new DescribeTimeToLiveCommand({ TableName: tables[1]!.name }));
      expect(idemTtl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiration' });
    } finally {
      client.destroy();
    }
  });
});

describe('TokenIssuer', () => {
  const clock = () => {
    let now = Date.parse('2026-06-01T00:00:00.000Z');
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('round-trips a token whose claims map to the same principal as Cognito claims', async () => {
    const c = clock();
    const issuer = await TokenIssuer.create({ now: c.now });
    const { token, expiresAt, tokenType } = await issuer.issue({ sub: 'alice', groups: ['handler', 'supervisor'], scope: 'complaints/intake', expiresInSeconds: 600 });
    expect(tokenType).toBe('Bearer');
    expect(expiresAt).toBe('2026-06-01T00:10:00.000Z');
    const payload = await issuer.verify(token);
    expect(payload).toMatchObject({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, 'cognito:groups': ['handler', 'supervisor'], scope: 'complaints/intake', token_use: 'access' });
    expect(principalFromClaims(payload as Record<string, string>)).toEqual({ sub: 'alice', roles: ['handler', 'supervisor'], scopes: ['complaints/intake'] });
  });

  it('refuses tampered tokens and tokens from another key', async () => {
    const issuer = await TokenIssuer.create({ now: clock().now });
    const { token } = await issuer.issue({ sub: 'bob', groups: ['handler'] });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const escalated = Buffer.from(JSON.stringify({ ...decodeJwt(token), 'cognito:groups': ['admin'] })).toString('base64url');
    await expect(issuer.verify(`${header}.${escalated}.${signature}`)).rejects.toThrow();
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(issuer.verify(`${header}.${payload}.${flipped}`)).rejects.toThrow();
    await expect(issuer.verify(`${header}.${payload}.`)).rejects.toThrow();
    await expect(issuer.verify('not.a.jwt')).rejects.toThrow();
    const other = await TokenIssuer.create({ now: clock().now });
    await expect(other.verify(token)).rejects.toThrow();
  });

  it('judges expiry on its (controllable) clock', async () => {
    const c = clock();
    const issuer = await TokenIssuer.create({ now: c.now });
    const { token } = await issuer.issue({ sub: 'carol', groups: [], expiresInSeconds: 60 });
    c.advance(59_000);
    await expect(issuer.verify(token)).resolves.toMatchObject({ sub: 'carol' });
    c.advance(2_000);
    await expect(issuer.verify(token)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('validates the token request', async () => {
    const issuer = await TokenIssuer.create({ now: clock().now });
    await expect(issuer.issue({ sub: 'x', groups: ['root' as 'admin'] })).rejects.toThrow();
    await expect(issuer.issue({ sub: '', groups: [] })).rejects.toThrow();
    await expect(issuer.issue({ sub: 'x', expiresInSeconds: 0 })).rejects.toThrow();
  });

  it('keeps its key in keyFile, so tokens survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'issuer-'));
    try {
      const keyFile = join(dir, 'nested', 'key.json');
      const first = await TokenIssuer.create({ keyFile, now: clock().now });
      const { token } = await first.issue({ sub: 'dave', groups: ['legal'] });
      const second = await TokenIssuer.create({ keyFile, now: clock().now });
      await expect(second.verify(token)).resolves.toMatchObject({ sub: 'dave' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('port already in use', () => {
  it('startLocalApi on a taken port fails with EADDRINUSE and the first server keeps serving', async () => {
    const issuer = await TokenIssuer.create({ now: () => clockNowMs() });
    const first = await startLocalApi({ issuer });
    try {
      await expect(startLocalApi({ issuer, port: first.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      const res = await fetch(`${first.url}/local/clock`);
      expect(res.status).toBe(200);
    } finally {
      await first.close();
    }
  });

  it('npm start says so in one line, without a stack trace, and exits 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    try {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'infra/local/main.ts'], {
        cwd: REPO_ROOT,
        env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toEqual([`✗ port ${port} is already in use on 127.0.0.1: stop the other process or run PORT=${port + 1} npm start`]);
      expect(stdout).toBe('');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});
