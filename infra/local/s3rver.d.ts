// Minimal types for s3rver 3.7.1 (it ships none): what infra/local/s3-local.ts uses.
declare module 's3rver' {
  import { EventEmitter } from 'node:events';
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';

  namespace S3rver {
    interface Options {
      address?: string;
      /** 0 = ephemeral. */
      port?: number;
      silent?: boolean;
      /** Where buckets and objects are stored (one file per object, plus metadata and md5). */
      directory?: string;
      resetOnClose?: boolean;
      vhostBuckets?: boolean;
      serviceEndpoint?: string;
      allowMismatchedSignatures?: boolean;
      /** Created (if missing) by run(), without going through the S3 API. */
      configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
    }

    /** The S3 event-notification record s3rver emits (models/event.js). */
    interface S3EventRecord {
      eventVersion: string;
      eventSource: 'aws:s3';
      awsRegion: string;
      eventTime: string;
      eventName: 'ObjectCreated:Put' | 'ObjectCreated:Post' | 'ObjectCreated:Copy' | 'ObjectRemoved:Delete';
      userIdentity: { principalId: string };
      requestParameters: { sourceIPAddress: string };
      responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
      s3: {
        s3SchemaVersion: string;
        configurationId: string;
        bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
        /** `key` is the decoded key; `eTag` (no quotes) only for Put and Post; `size` not for Delete. */
        object: { key: string; size?: number; eTag?: string; sequencer: string };
      };
    }

    interface S3Event {
      Records: S3EventRecord[];
    }

    /** The object as the controllers hand it to the store (models/object.js). */
    interface StoredObject {
      bucket: string;
      key: string;
      content: Buffer | NodeJS.ReadableStream;
      metadata: Record<string, string>;
    }

    /** The part of stores/filesystem.js that s3-local.ts replaces or calls. */
    interface FilesystemStore {
      getResourcePath(bucket: string, key: string | undefined, resource: string): string;
      putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
      putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
      existsObject(bucket: string, key: string): Promise<boolean>;
    }

    /** The slice of a Koa context the If-None-Match guard reads and writes. */
    interface Context {
      method: string;
      path: string;
      query: Record<string, unknown>;
      get(header: string): string;
      status: number;
      type: string;
      body: unknown;
    }
    type Middleware = (ctx: Context, next: () => Promise<void>) => Promise<void>;
  }

  class S3rver extends EventEmitter {
    constructor(options?: S3rver.Options);
    /** Creates the configured buckets and listens; resolves with the bound address. */
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    httpServer?: Server;
    store: S3rver.FilesystemStore;
    /** Koa's middleware list (S3rver extends Koa); composed when the server starts listening. */
    middleware: S3rver.Middleware[];
    on(event: 'event', listener: (event: S3rver.S3Event) => void): this;
    on(event: string | symbol, listener: (...args: unknown[]) => void): this;
  }

  export = S3rver;
}
