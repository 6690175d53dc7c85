// Test access to the local S3 (s3rver): the adapter-shaped client, hashing, and a client-side presigned upload.
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { localS3Client } from '../../infra/local/s3-local';

export { localS3Client };

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
export const sha256Base64 = (data: Buffer | string): string => createHash('sha256').update(data).digest('base64');

/** Random bytes, as a file a customer would upload. */
export const fileOf = (bytes: number): Buffer => randomBytes(bytes);

/**
 * PUTs the bytes to a presigned upload the way a browser or curl would: the URL, the headers the API
 * said to send (content-length is left to fetch, which derives it from the body), and any overrides.
 */
export const putToPresigned = (upload: { url: string; method?: string; headers?: Record<string, string> }, body: Buffer | string, override: Record<string, string> = {}): Promise<Response> => {
  const headers = Object.fromEntries(Object.entries({ ...upload.headers, ...override }).filter(([name]) => name.toLowerCase() !== 'content-length'));
  return fetch(upload.url, { method: upload.method ?? 'PUT', headers, body });
};

/** SHA-256 (hex) and size of a stored object, read by streaming (s3rver stores no checksums). */
export const hashObject = async (endpoint: string, bucket: string, key: string): Promise<{ sha256: string; size: number }> => {
  const client = localS3Client(endpoint);
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of out.Body as Readable) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    client.destroy();
  }
};
