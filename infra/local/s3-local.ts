// The evidence vault's local S3: s3rver on loopback, plus the S3 → EventBridge "Object Created" delivery it lacks.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '#adapters/aws/s3-evidence-vault';
import S3rver from 's3rver';
import { LocalStackError } from './dynamodb-local';

/**
 * An S3 client configured the way the evidence adapter runs locally (the adapter's own factory): path-style, s3rver's
 * keys, and checksums only when required (with the SDK's default flexible checksums s3rver stores the aws-chunked
 * framing of streamed bodies inside the object).
 */
export const localS3Client = (endpoint: string, region = process.env.AWS_REGION ?? 'us-east-1'): S3Client => s3Client({ region, endpoint });

/** The event S3 sends to EventBridge for a new object (detail-type "Object Created", source aws.s3). */
export interface ObjectCreatedEvent {
  version: '0';
  id: string;
  'detail-type': 'Object Created';
  source: 'aws.s3';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    version: '0';
    bucket: { name: string };
    object: { key: string; size: number; etag?: string; 'version-id'?: string; sequencer: string };
    'request-id': string;
    requester: string;
    'source-ip-address': string;
    reason: 'PutObject' | 'CopyObject' | 'CompleteMultipartUpload';
  };
}

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  /** Where the objects live on disk. */
  dataDir: string;
  /** Resolves once every object-created event queued so far (and any queued meanwhile) has been delivered or given up. */
  idle: () => Promise<void>;
  /** Events whose delivery failed on every attempt (EventBridge would send them to a DLQ). */
  failed: { event: ObjectCreatedEvent; error: unknown }[];
  stop: () => Promise<void>;
}

export interface LocalS3Options {
  /** Persistent data directory (npm start: `.data/s3`); without it a temp dir, removed on stop. */
  dataDir?: string;
  /** Default: an ephemeral port. */
  port?: number;
  bucket: string;
  /** Further buckets to create (no events are delivered for them), e.g. the exports bucket. */
  extraBuckets?: string[];
  /**
   * Origins whose pages may PUT/GET the main bucket with presigned URLs (the staff console uploads evidence straight
   * to storage, as it does to the real bucket, whose CORS rule names the console's origin).
   */
  corsOrigins?: string[];
  /** The event target (locally: the verifier Lambda's handler). Deliveries run one at a time. */
  onObjectCreated: (event: ObjectCreatedEvent) => unknown;
  /** Event time; the local stack passes the local clock. */
  now?: () => number;
  region?: string;
  account?: string;
  log?: (line: string) => void;
  /** Delivery attempts per event (default 3: an async Lambda invocation is tried once and retried twice). */
  attempts?: number;
  /** Delay before retry n is n × retryDelayMs (default 100 ms). */
  retryDelayMs?: number;
}

const REASONS: Record<string, ObjectCreatedEvent['detail']['reason']> = {
  'ObjectCreated:Put': 'PutObject',
  'ObjectCreated:Copy': 'CopyObject',
  // s3rver reports both a browser POST upload and CompleteMultipartUpload as Post; this product only uses the latter (SDK uploads).
  'ObjectCreated:Post': 'CompleteMultipartUpload',
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** S3 sequencers grow per key; a zero-padded hex counter seeded by time keeps them increasing across restarts. */
let lastSequence = 0n;
const nextSequencer = (): string => {
  const fromTime = BigInt(Date.now()) * 1000n;
  lastSequence = fromTime > lastSequence ? fromTime : lastSequence + 1n;
  return lastSequence.toString(16).toUpperCase().padStart(18, '0');
};

/**
 * s3rver 3.7.1's store resolves a PUT when its hashing stream has seen the last byte, not when the
 * file is written: it answers 200 and emits the event while the bytes may still be on their way to
 * disk (measured: right after a 10-byte overwrite of a 50 MB object the file held 0 bytes). And it
 * overwrites in place, so a reader during an overwrite gets a truncated file. S3 does neither. This
 * store writes a temp file and renames it into place once complete: the PUT answers, and the event
 * fires, only when the object is whole, an overwrite is atomic for readers, and an interrupted
 * upload leaves the previous object as it was.
 */
/**
 * S3 conditional writes: a PUT with `If-None-Match: *` to a key that exists is refused with 412 (the presigned
 * evidence PUT signs that header, so evidence is written once). s3rver ignores the header; this guard runs
 * first in its middleware chain. Path-style only (the local client always uses it).
 */
const honourIfNoneMatch = (server: S3rver): void => {
  const guard: S3rver.Middleware = async (ctx, next) => {
    if (ctx.method === 'PUT' && ctx.get('if-none-match').trim() === '*' && ctx.query.partNumber === undefined) {
      const [, bucket, ...rest] = ctx.path.split('/').map((s) => decodeURIComponent(s));
      const key = rest.join('/');
      if (bucket && key && (await server.store.existsObject(bucket, key))) {
        ctx.status = 412;
        ctx.type = 'application/xml';
        ctx.body =
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>';
        return;
      }
    }
    await next();
  };
  // After s3rver's request logger, before its XML encoder and router.
  server.middleware.splice(1, 0, guard);
};

const storeObjectsAtomically = (store: S3rver.FilesystemStore): void => {
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const partial = `${objectPath}.${randomUUID()}.partial`;
    const md5 = createHash('md5');
    let size = 0;
    try {
      if (Buffer.isBuffer(object.content)) {
        md5.update(object.content);
        size = object.content.length;
        await writeFile(partial, object.content);
      } else {
        const count = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            md5.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        });
        await pipeline(object.content, count, createWriteStream(partial));
      }
      await rename(partial, objectPath);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
};

/** Maps one s3rver notification record to the EventBridge event S3 emits for it (undefined for removals). */
export const toObjectCreatedEvent = (
  record: S3rver.S3EventRecord,
  ctx: { now: number; region: string; account: string },
): ObjectCreatedEvent | undefined => {
  const reason = REASONS[record.eventName];
  if (!reason) return undefined;
  const { bucket, object } = record.s3;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: ctx.account,
    // EventBridge times have second precision.
    time: new Date(ctx.now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: ctx.region,
    resources: [`arn:aws:s3:::${bucket.name}`],
    detail: {
      version: '0',
      bucket: { name: bucket.name },
      // s3rver has no versioning: no version-id, as from an unversioned bucket.
      object: { key: object.key, size: object.size ?? 0, ...(object.eTag ? { etag: object.eTag } : {}), sequencer: nextSequencer() },
      'request-id': record.responseElements['x-amz-request-id'],
      requester: ctx.account,
      'source-ip-address': record.requestParameters.sourceIPAddress,
      reason,
    },
  };
};

/** An S3 CORS configuration that lets these origins PUT and GET objects with any request header (presigned requests only). */
const corsXml = (origins: string[]): string =>
  `<CORSConfiguration>${origins
    .map((o) => `<CORSRule>${`<AllowedOrigin>${o}</AllowedOrigin>`}<AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>`)
    .join('')}</CORSConfiguration>`;

export const startLocalS3 = async (opts: LocalS3Options): Promise<LocalS3> => {
  const temporary = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'local-s3-'));
  mkdirSync(dataDir, { recursive: true });
  const region = opts.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const account = opts.account ?? '000000000000';
  const now = opts.now ?? Date.now;
  const attempts = opts.attempts ?? 3;
  const retryDelayMs = opts.retryDelayMs ?? 100;
  const log = opts.log ?? (() => undefined);

  const server = new S3rver({
    address: '127.0.0.1',
    port: opts.port ?? 0,
    silent: true,
    directory: dataDir,
    vhostBuckets: false,
    configureBuckets: [{ name: opts.bucket, ...(opts.corsOrigins?.length ? { configs: [corsXml(opts.corsOrigins)] } : {}) }, ...(opts.extraBuckets ?? []).map((name) => ({ name }))],
  });
  storeObjectsAtomically(server.store);
  honourIfNoneMatch(server);
  let address;
  try {
    address = await server.run();
  } catch (err) {
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
    if ((err as { code?: string }).code === 'EADDRINUSE') {
      throw new LocalStackError(`port ${opts.port} for the local S3 is already in use on 127.0.0.1: stop the other process or choose another S3_PORT (unset = any free port)`);
    }
    throw err;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;

  const failed: LocalS3['failed'] = [];
  const deliver = async (event: ObjectCreatedEvent) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await opts.onObjectCreated(event);
        return;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (attempt >= attempts) {
          failed.push({ event, error });
          return log(`local s3: Object Created ${event.detail.object.key} failed after ${attempt} attempt(s), dropped: ${message}`);
        }
        log(`local s3: Object Created ${event.detail.object.key} failed (attempt ${attempt}/${attempts}), retrying: ${message}`);
        await sleep(retryDelayMs * attempt);
      }
    }
  };

  // One delivery at a time, in the order s3rver stored the objects.
  let tail: Promise<void> = Promise.resolve();
  server.on('event', (notification) => {
    for (const record of notification.Records) {
      if (record.s3.bucket.name !== opts.bucket) continue;
      const event = toObjectCreatedEvent(record, { now: now(), region, account });
      if (event) tail = tail.then(() => deliver(event)).catch((err: unknown) => log(`local s3: delivery crashed: ${String(err)}`));
    }
  });

  const idle = async () => {
    for (;;) {
      const current = tail;
      await current;
      if (current === tail) return;
    }
  };

  let stopped = false;
  return {
    endpoint,
    bucket: opts.bucket,
    dataDir,
    idle,
    failed,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // Deliveries read the object back, so the server stays up until they are done.
      await idle();
      const closing = server.close();
      server.httpServer?.closeAllConnections();
      await closing;
      if (temporary) rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
