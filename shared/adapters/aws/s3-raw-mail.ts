// The inbound mail bucket SES receiving writes raw messages to: its size (HeadObject) before anything is read, then the bytes.
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { RawMailMissingError, type RawMailStore } from '#ports/raw-mail';
import { s3Client } from './s3-evidence-vault';

/** HeadObject answers a bare 404 (`NotFound`), GetObject `NoSuchKey`: both mean the message is not there. */
const missing =
  (key: string) =>
  (err: unknown): never => {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404) throw new RawMailMissingError(key);
    throw err;
  };

export class S3RawMailStore implements RawMailStore {
  private readonly client: S3Client;

  constructor(private readonly opts: { bucket: string; region: string; endpoint?: string }) {
    this.client = s3Client(opts);
  }

  get bucket(): string {
    return this.opts.bucket;
  }

  async size(key: string): Promise<number> {
    const head = await this.client.send(new HeadObjectCommand({ Bucket: this.opts.bucket, Key: key })).catch(missing(key));
    return Number(head.ContentLength ?? 0);
  }

  /** Reads at most `limit` bytes (the size was checked first; a longer body is cut rather than buffered). */
  async read(key: string, limit: number): Promise<Buffer> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key })).catch(missing(key));
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of out.Body as Readable) {
      size += (chunk as Buffer).length;
      if (size > limit) break;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** Local mode only: what SES receiving does in AWS (the raw message lands in the bucket). */
  async put(key: string, body: Buffer): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.opts.bucket, Key: key, Body: body, ContentType: 'message/rfc822', ContentLength: body.length }));
  }
}
