// The local S3 stand-in (s3rver 3.7.1): presigned PUT/GET with fetch, the Object Created events it delivers,
// and what it does (and does not) enforce, pinned so an upgrade that changes it is noticed.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutBucketVersioningCommand, PutObjectCommand, PutObjectRetentionCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startLocalS3, toObjectCreatedEvent, type LocalS3, type ObjectCreatedEvent } from '../../infra/local/s3-local';
import { startTestApi } from '../support/api';
import { fileOf, hashObject, localS3Client, putToPresigned, sha256Base64, sha256Hex } from '../support/s3';
import { machineNowMs } from '../support/clock';

const BUCKET = 'evidence-it';
const NOW = Date.parse('2030-01-02T03:04:05.678Z');

/**
 * Presigns the upload the way the evidence adapter binds it: key, content type, length, SHA-256 and SSE are all signed
 * headers (the presigner never signs content-type unless asked, and real S3 ignores a checksum hoisted into the query).
 */
const SIGNED = new Set(['content-type', 'content-length', 'x-amz-checksum-sha256', 'x-amz-server-side-encryption']);
const presignPut = (client: S3Client, key: string, body: Buffer, opts: { contentType?: string; expiresIn?: number; signingDate?: Date } = {}) =>
  getSignedUrl(
    client,
    new PutObjectCommand({ Bucket: BUCKET, Key: key, ContentType: opts.contentType ?? 'application/pdf', ContentLength: body.length, ChecksumSHA256: sha256Base64(body), ServerSideEncryption: 'aws:kms' }),
    { expiresIn: opts.expiresIn ?? 900, signableHeaders: SIGNED, unhoistableHeaders: SIGNED, ...(opts.signingDate ? { signingDate: opts.signingDate } : {}) },
  );

const headersFor = (body: Buffer, contentType = 'application/pdf') => ({ 'content-type': contentType, 'x-amz-checksum-sha256': sha256Base64(body), 'x-amz-server-side-encryption': 'aws:kms' });

describe('local S3 (s3rver) for the evidence vault', () => {
  let s3: LocalS3;
  let client: S3Client;
  const events: ObjectCreatedEvent[] = [];
  let handler: (event: ObjectCreatedEvent) => Promise<void> = async (event) => {
    events.push(event);
  };

  beforeAll(async () => {
    s3 = await startLocalS3({ bucket: BUCKET, region: 'eu-west-2', now: () => NOW, retryDelayMs: 1, onObjectCreated: (event) => handler(event) });
    client = localS3Client(s3.endpoint, 'eu-west-2');
  });
  afterAll(async () => {
    client.destroy();
    await s3.stop();
  });
  beforeEach(() => {
    events.length = 0;
    handler = async (event) => {
      events.push(event);
    };
  });

  it('serves on loopback with the bucket created', async () => {
    expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s3.bucket).toBe(BUCKET);
    const res = await fetch(`${s3.endpoint}/${BUCKET}`);
    expect(res.status).toBe(200);
  });

  it('a presigned PUT with fetch stores the bytes intact, emits Object Created, and a presigned GET reads them back', async () => {
    const body = fileOf(1024 * 1024 + 7);
    const key = 'cases/01J0000000000000000000000/evidence/01J0000000000000000000001';
    const url = await presignPut(client, key, body);
    const signed = new URL(url).searchParams.get('X-Amz-SignedHeaders');
    expect(signed).toBe('content-length;content-type;host;x-amz-checksum-sha256;x-amz-server-side-encryption');

    const put = await putToPresigned({ url, method: 'PUT', headers: headersFor(body) }, body);
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    await s3.idle();

    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: '000000000000',
      time: '2030-01-02T03:04:05Z',
      region: 'eu-west-2',
      resources: [`arn:aws:s3:::${BUCKET}`],
      detail: {
        version: '0',
        bucket: { name: BUCKET },
        object: { key, size: body.length, etag: put.headers.get('etag')!.replaceAll('"', ''), sequencer: expect.stringMatching(/^[0-9A-F]{18}$/) },
        'request-id': expect.stringMatching(/^[0-9A-F]{16}$/),
        requester: '000000000000',
        'source-ip-address': '127.0.0.1',
        reason: 'PutObject',
      },
    });
    expect(event.detail.object).not.toHaveProperty('version-id');

    expect(await hashObject(s3.endpoint, BUCKET, key)).toEqual({ sha256: sha256Hex(body), size: body.length });
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentType).toBe('application/pdf');
    expect(head.ContentLength).toBe(body.length);

    const getUrl = await getSignedUrl(
      client,
      new GetObjectCommand({ Bucket: BUCKET, Key: key, ResponseContentType: 'application/pdf', ResponseContentDisposition: 'attachment; filename="claim.pdf"' }),
      { expiresIn: 300 },
    );
    const got = await fetch(getUrl);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="claim.pdf"');
    expect(sha256Hex(Buffer.from(await got.arrayBuffer()))).toBe(sha256Hex(body));
  });

  it('answers a PUT, and delivers its event, only once the object is whole on disk (s3rver 3.7.1 alone does both earlier)', async () => {
    const file = join(s3.dataDir, BUCKET, 'flush', 'same._S3rver_object');
    const seen: { onDisk: number; sha256: string; size: number }[] = [];
    handler = async (event) => {
      const onDisk = statSync(file).size; // at once, before any I/O of ours
      seen.push({ onDisk, ...(await hashObject(s3.endpoint, BUCKET, event.detail.object.key)) });
    };
    // Each body overwrites the previous one; unpatched, right after the 10-byte overwrite of 50 MB the file held 0 bytes.
    const bodies = [fileOf(50 * 1024 * 1024), fileOf(10), fileOf(3 * 1024 * 1024), fileOf(20)];
    for (const body of bodies) {
      const url = await presignPut(client, 'flush/same', body);
      expect((await putToPresigned({ url, headers: headersFor(body) }, body)).status).toBe(200);
      expect(statSync(file).size).toBe(body.length);
      await s3.idle();
    }
    expect(seen).toEqual(bodies.map((b) => ({ onDisk: b.length, sha256: sha256Hex(b), size: b.length })));
  });

  it('an overwrite is atomic for a reader already streaming the object (as in S3)', async () => {
    const original = fileOf(20 * 1024 * 1024);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'atomic/a', Body: original }));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'atomic/a' }));
    const chunks = (got.Body as Readable)[Symbol.asyncIterator]();
    const hash = createHash('sha256');
    const first = await chunks.next();
    hash.update(first.value as Buffer);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'atomic/a', Body: 'replaced' }));
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) hash.update(next.value as Buffer);
    expect(hash.digest('hex')).toBe(sha256Hex(original));
    expect(await hashObject(s3.endpoint, BUCKET, 'atomic/a')).toEqual({ sha256: sha256Hex('replaced'), size: 8 });
  });

  it('an interrupted upload leaves the previous object as it was and emits nothing', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'abort/a', Body: 'kept' }));
    await s3.idle();
    events.length = 0;
    const dir = join(s3.dataDir, BUCKET, 'abort');
    const partials = () => readdirSync(dir).filter((f) => f.endsWith('.partial'));
    const until = async (what: () => boolean) => {
      for (const deadline = performance.now() + 5000; !what(); await new Promise((r) => setTimeout(r, 5))) if (performance.now() > deadline) throw new Error('timed out');
    };

    const url = await presignPut(client, 'abort/a', Buffer.alloc(1000));
    const req = request(url, { method: 'PUT', headers: { 'content-length': '1000', 'content-type': 'application/pdf' } });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(10));
    await until(() => partials().length === 1);
    req.destroy();
    await until(() => partials().length === 0);
    await s3.idle();

    expect(events).toEqual([]);
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'abort/a' }));
    expect(await got.Body?.transformToString()).toBe('kept');
  });

  it('delivers one event at a time, in the order stored, with increasing sequencers', async () => {
    let running = 0;
    let maxRunning = 0;
    handler = async (event) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 20));
      events.push(event);
      running--;
    };
    const keys = ['order/a', 'order/b', 'order/c', 'order/d'];
    await Promise.all(keys.map((key) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from(key) }))));
    await s3.idle();
    expect(maxRunning).toBe(1);
    expect(events.map((e) => e.detail.object.key).sort()).toEqual(keys);
    const sequencers = events.map((e) => e.detail.object.sequencer);
    expect([...sequencers].sort()).toEqual(sequencers);
    expect(new Set(sequencers).size).toBe(keys.length);
  });

  it('retries a failing delivery (3 attempts, like an async Lambda invocation) and records it as failed when every attempt fails', async () => {
    let calls = 0;
    handler = async (event) => {
      calls++;
      if (calls < 3) throw new Error(`verifier down (${calls})`);
      events.push(event);
    };
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'retry/ok', Body: 'x' }));
    await s3.idle();
    expect(calls).toBe(3);
    expect(events.map((e) => e.detail.object.key)).toEqual(['retry/ok']);

    calls = 0;
    handler = async () => {
      calls++;
      throw new Error('always down');
    };
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'retry/dead', Body: 'x' }));
    await s3.idle();
    expect(calls).toBe(3);
    expect(s3.failed.map((f) => [f.event.detail.object.key, (f.error as Error).message])).toEqual([['retry/dead', 'always down']]);
  });

  it('SDK PutObject (Buffer body, WHEN_REQUIRED checksums) stores the bytes as sent', async () => {
    const body = fileOf(70_000);
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk/put', Body: body, ContentType: 'image/png' }));
    await s3.idle();
    expect(await hashObject(s3.endpoint, BUCKET, 'sdk/put')).toEqual({ sha256: sha256Hex(body), size: body.length });
    expect(events.map((e) => [e.detail.object.key, e.detail.object.size, e.detail.reason])).toEqual([['sdk/put', body.length, 'PutObject']]);
  });

  describe('what s3rver enforces (the evidence verifier must not rely on the rest locally)', () => {
    it('refuses an expired presigned URL: 403 AccessDenied "Request has expired" (against real time, not the local clock)', async () => {
      const body = fileOf(100);
      const url = await presignPut(client, 'expiry/past', body, { expiresIn: 60, signingDate: new Date(machineNowMs() - 61_000) });
      const res = await putToPresigned({ url, headers: headersFor(body) }, body);
      expect(res.status).toBe(403);
      const text = await res.text();
      expect(text).toContain('<Code>AccessDenied</Code>');
      expect(text).toContain('Request has expired');
      await s3.idle();
      expect(events).toEqual([]);
    });

    it('accepts a URL signed in the future (e.g. with an advanced local clock): expiry is only checked one way', async () => {
      const body = fileOf(100);
      const url = await presignPut(client, 'expiry/future', body, { expiresIn: 60, signingDate: new Date(machineNowMs() + 10 * 86_400_000) });
      expect((await putToPresigned({ url, headers: headersFor(body) }, body)).status).toBe(200);
    });

    it('does not verify SigV4 signatures: different content type, length and checksum than signed, or a forged signature, are all stored', async () => {
      const signedBody = fileOf(1000);
      const url = await presignPut(client, 'sig/mismatch', signedBody);

      const other = fileOf(10);
      const res = await putToPresigned({ url, headers: headersFor(signedBody) }, other, { 'content-type': 'text/html' });
      expect(res.status).toBe(200);
      await s3.idle();
      expect(events.at(-1)?.detail.object).toMatchObject({ key: 'sig/mismatch', size: 10 });
      const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sig/mismatch' }));
      expect(head.ContentType).toBe('text/html');
      expect(head.ContentLength).toBe(10);

      const forged = url.replace(/X-Amz-Signature=[0-9a-f]{64}/, `X-Amz-Signature=${'0'.repeat(64)}`);
      expect((await putToPresigned({ url: forged }, 'forged')).status).toBe(200);
      expect((await fetch(`${s3.endpoint}/${BUCKET}/sig/unsigned`, { method: 'PUT', body: 'no auth at all' })).status).toBe(200);
    });

    it('checks only the access key id (S3RVER)', async () => {
      const url = await presignPut(client, 'sig/key', Buffer.from('x'));
      const res = await putToPresigned({ url: url.replace(/X-Amz-Credential=S3RVER/, 'X-Amz-Credential=local') }, 'x');
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('<Code>InvalidAccessKeyId</Code>');
    });

    it('stores and verifies no checksums: a wrong x-amz-checksum-sha256 is accepted and HeadObject returns none', async () => {
      const body = fileOf(500);
      const res = await putToPresigned({ url: await presignPut(client, 'sum/wrong', body) }, body, { 'content-type': 'application/pdf', 'x-amz-checksum-sha256': sha256Base64('something else') });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-amz-checksum-sha256')).toBeNull();
      const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sum/wrong', ChecksumMode: 'ENABLED' }));
      expect(head.ChecksumSHA256).toBeUndefined();
      expect(head.ChecksumType).toBeUndefined();
    });

    it('has no versioning: no x-amz-version-id, PutBucketVersioning fails, a VersionId on GET is ignored', async () => {
      const body = fileOf(50);
      const res = await putToPresigned({ url: await presignPut(client, 'ver/a', body), headers: headersFor(body) }, body);
      expect(res.headers.get('x-amz-version-id')).toBeNull();
      expect((await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'ver/a' }))).VersionId).toBeUndefined();
      await expect(client.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }))).rejects.toThrow();
      const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'ver/a', VersionId: 'no-such-version' }));
      expect(got.ContentLength).toBe(50);
      await got.Body?.transformToByteArray();
    });

    it('ignores Object Lock: retention is refused (405) and a second PUT overwrites the key', async () => {
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'lock/a', Body: 'first', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(machineNowMs() + 86_400_000) }));
      await expect(client.send(new PutObjectRetentionCommand({ Bucket: BUCKET, Key: 'lock/a', Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(machineNowMs() + 86_400_000) } }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 405 },
      });
      await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'lock/a', Body: 'second' }));
      const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'lock/a' }));
      expect(await got.Body?.transformToString()).toBe('second');
      await s3.idle();
      expect(events.map((e) => e.detail.object.key)).toEqual(['lock/a', 'lock/a']);
    });
  });
});

describe('startLocalS3 data directory', () => {
  it('keeps objects across restarts in a given dataDir and reuses the existing bucket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's3-persist-'));
    try {
      const first = await startLocalS3({ dataDir: dir, bucket: 'persist', onObjectCreated: () => undefined });
      const c1 = localS3Client(first.endpoint);
      await c1.send(new PutObjectCommand({ Bucket: 'persist', Key: 'k', Body: 'kept' }));
      c1.destroy();
      await first.stop();
      expect(existsSync(dir)).toBe(true);

      const second = await startLocalS3({ dataDir: dir, bucket: 'persist', onObjectCreated: () => undefined });
      const c2 = localS3Client(second.endpoint);
      const got = await c2.send(new GetObjectCommand({ Bucket: 'persist', Key: 'k' }));
      expect(await got.Body?.transformToString()).toBe('kept');
      c2.destroy();
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses a temp dir without one, removed on stop', async () => {
    const s3 = await startLocalS3({ bucket: 'tmp', onObjectCreated: () => undefined });
    expect(existsSync(s3.dataDir)).toBe(true);
    await s3.stop();
    expect(existsSync(s3.dataDir)).toBe(false);
  });
});

describe('toObjectCreatedEvent', () => {
  const record = (eventName: string) =>
    ({
      eventVersion: '2.0',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2030-01-01T00:00:00.000Z',
      eventName,
      userIdentity: { principalId: 'AWS:X' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'ABCDEF0123456789', 'x-amz-id-2': 'id2' },
      s3: { s3SchemaVersion: '1.0', configurationId: 'c', bucket: { name: 'b', ownerIdentity: { principalId: 'P' }, arn: 'arn:aws:s3: : :b' }, object: { key: 'a b/c+d', size: 3, eTag: 'e', sequencer: '1' } },
    }) as Parameters<typeof toObjectCreatedEvent>[0];
  const ctx = { now: NOW, region: 'eu-west-2', account: '111122223333' };

  it('maps the reason and keeps the key as stored (not URL-encoded)', () => {
    expect(toObjectCreatedEvent(record('ObjectCreated:Put'), ctx)?.detail).toMatchObject({ reason: 'PutObject', object: { key: 'a b/c+d', size: 3, etag: 'e' }, requester: '111122223333' });
    expect(toObjectCreatedEvent(record('ObjectCreated:Copy'), ctx)?.detail.reason).toBe('CopyObject');
    expect(toObjectCreatedEvent(record('ObjectCreated:Post'), ctx)?.detail.reason).toBe('CompleteMultipartUpload');
  });

  it('ignores removals', () => {
    expect(toObjectCreatedEvent(record('ObjectRemoved:Delete'), ctx)).toBeUndefined();
  });
});

describe('the local stack with its S3', () => {
  it('sets S3_ENDPOINT and EVIDENCE_BUCKET for the handlers and sends Object Created to functions/evidence-verifier/handler.ts', async () => {
    const api = await startTestApi();
    try {
      expect(api.s3.bucket).toMatch(/^complaints-evidence-[0-9a-f]{8}$/);
      expect(process.env.S3_ENDPOINT).toBe(api.s3.endpoint);
      expect(process.env.EVIDENCE_BUCKET).toBe(api.s3.bucket);
      const s3 = localS3Client(api.s3.endpoint);
      await s3.send(new PutObjectCommand({ Bucket: api.s3.bucket, Key: 'probe/unregistered', Body: 'x' }));
      s3.destroy();
      await api.s3Idle();
      // Until the verifier exists the stack still runs; the delivery fails on loading it (and is retried, then dropped).
      if (!existsSync(join(__dirname, '..', '..', 'functions', 'evidence-verifier', 'handler.ts'))) {
        expect(api.stack.s3.failed.map((f) => String(f.error))).toEqual([expect.stringContaining('functions/evidence-verifier/handler.ts')]);
      }
    } finally {
      await api.close();
    }
  });
});
