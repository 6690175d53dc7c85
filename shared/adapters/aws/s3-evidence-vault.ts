// EvidenceVault on S3 (Object Lock bucket): presigned PUT/GET, HeadObject with the stored SHA-256 checksum, legal hold.
// No delete or overwrite operation exists here, by design.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand, PutObjectLegalHoldCommand, type PutObjectCommandInput, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { EvidenceVault, LetterArchive, PresignedUpload, StoredObject } from '#ports/evidence-vault';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

export interface S3VaultOptions {
  bucket: string;
  region: string;
  /** An S3-protocol server (the local stand-in): path-style, its own credentials, checksums only when required. */
  endpoint?: string;
  /** The KMS key the bucket policy requires uploads to name (AWS only). */
  kmsKeyArn?: string;
}

export const hexToBase64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');
export const base64ToHex = (b64: string): string => Buffer.from(b64, 'base64').toString('hex');

/**
 * The headers a presigned PUT binds: a different type, length, checksum or encryption fails the signature, and
 * `If-None-Match: *` makes storage refuse a second write to the key (write-once, on top of Object Lock).
 */
const SIGNED_UPLOAD_HEADERS = new Set(['content-type', 'content-length', 'x-amz-checksum-sha256', 'x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id', 'if-none-match']);

/** The S3 stand-in (s3rver) accepts only its built-in key pair. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** With an endpoint: the local stand-in, path-style with its keys. */
export const s3Client = (o: Pick<S3VaultOptions, 'region' | 'endpoint'> & Partial<S3VaultOptions>): S3Client =>
  withoutSdkLogger(
    new S3Client({
      region: o.region,
      // Only what a request requires: the presigned PUT carries our SHA-256, not an SDK-chosen CRC.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(o.endpoint ? { endpoint: o.endpoint, forcePathStyle: true, credentials: LOCAL_S3_CREDENTIALS } : {}),
    }),
  );

const isNotFound = (err: unknown) => err instanceof NotFound || (err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NoSuchKey' || err.name === 'NoSuchVersion'));

const contentDisposition = (fileName: string) => `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

export class S3EvidenceVault implements EvidenceVault, LetterArchive {
  private readonly client: S3Client;

  constructor(private readonly opts: S3VaultOptions) {
    this.client = s3Client(opts);
  }

  async presignUpload(o: { key: string; contentType: string; sizeBytes: number; sha256: string; expiresInSeconds: number }): Promise<PresignedUpload> {
    const checksum = hexToBase64(o.sha256);
    const cmd = new PutObjectCommand({
      Bucket: this.opts.bucket,
      Key: o.key,
      ContentType: o.contentType,
      ContentLength: o.sizeBytes,
      ChecksumSHA256: checksum,
      // The bucket policy refuses a PutObject without SSE-KMS under the project key.
      ServerSideEncryption: 'aws:kms',
      ...(this.opts.kmsKeyArn ? { SSEKMSKeyId: this.opts.kmsKeyArn } : {}),
      IfNoneMatch: '*',
    });
    const url = await getSignedUrl(this.client, cmd, { expiresIn: o.expiresInSeconds, signableHeaders: SIGNED_UPLOAD_HEADERS, unhoistableHeaders: SIGNED_UPLOAD_HEADERS });
    return {
      url,
      // content-length is signed too; HTTP clients send it themselves (the declared size must match).
      headers: {
        'content-type': o.contentType,
        'x-amz-checksum-sha256': checksum,
        'x-amz-server-side-encryption': 'aws:kms',
        ...(this.opts.kmsKeyArn ? { 'x-amz-server-side-encryption-aws-kms-key-id': this.opts.kmsKeyArn } : {}),
        'if-none-match': '*',
      },
      expiresAt: new Date(Date.now() + o.expiresInSeconds * 1000).toISOString(),
    };
  }

  /** The same guarantees as the presigned PUT: SHA-256 checked by S3, SSE-KMS under the project key, never an overwrite. */
  async store(o: { key: string; contentType: string; body: Uint8Array; sha256: string }): Promise<void> {
    await this.putOnce(o, {});
  }

  async writeLetter(o: { key: string; body: Uint8Array; contentType: string; sha256: string; legalHold: boolean }): Promise<{ versionId?: string }> {
    const out = await this.putOnce(o, o.legalHold ? { ObjectLockLegalHoldStatus: 'ON' } : {});
    return out.VersionId && out.VersionId !== 'null' ? { versionId: out.VersionId } : {};
  }

  /** Writes bytes the service holds itself: S3 recomputes the SHA-256 and refuses a mismatch; SSE-KMS; never an overwrite. */
  private putOnce(o: { key: string; contentType: string; body: Uint8Array; sha256: string }, extra: Pick<PutObjectCommandInput, 'ObjectLockLegalHoldStatus'>) {
    return this.client.send(
      new PutObjectCommand({
        Bucket: this.opts.bucket,
        Key: o.key,
        Body: o.body,
        ContentType: o.contentType,
        ContentLength: o.body.byteLength,
        ChecksumSHA256: hexToBase64(o.sha256),
        ServerSideEncryption: 'aws:kms',
        ...(this.opts.kmsKeyArn ? { SSEKMSKeyId: this.opts.kmsKeyArn } : {}),
        ...extra,
        IfNoneMatch: '*',
      }),
    );
  }

  async presignDownload(o: { key: string; versionId?: string; fileName: string; contentType: string; expiresInSeconds: number }): Promise<{ url: string; expiresAt: string }> {
    const cmd = new GetObjectCommand({
      Bucket: this.opts.bucket,
      Key: o.key,
      ...(o.versionId ? { VersionId: o.versionId } : {}),
      ResponseContentType: o.contentType,
      ResponseContentDisposition: contentDisposition(o.fileName),
    });
    const url = await getSignedUrl(this.client, cmd, { expiresIn: o.expiresInSeconds });
    return { url, expiresAt: new Date(Date.now() + o.expiresInSeconds * 1000).toISOString() };
  }

  async inspect(key: string, versionId?: string): Promise<StoredObject | undefined> {
    let head;
    try {
      head = await this.client.send(new HeadObjectCommand({ Bucket: this.opts.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}), ChecksumMode: 'ENABLED' }));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const stored = head.ChecksumSHA256 && !head.ChecksumSHA256.includes('-') ? base64ToHex(head.ChecksumSHA256) : undefined;
    // S3 keeps the SHA-256 the presigned PUT carried; a store without checksums is hashed by streaming (never buffered).
    const sha256 = stored ?? (await this.streamSha256(key, head.VersionId ?? versionId));
    return {
      sizeBytes: Number(head.ContentLength ?? 0),
      ...(sha256 ? { sha256 } : {}),
      ...(head.VersionId && head.VersionId !== 'null' ? { versionId: head.VersionId } : {}),
      ...(head.ObjectLockRetainUntilDate ? { retainUntil: head.ObjectLockRetainUntilDate.toISOString() } : {}),
      legalHold: head.ObjectLockLegalHoldStatus === 'ON',
      ...(head.LastModified ? { lastModified: head.LastModified.toISOString() } : {}),
    };
  }

  /** SHA-256 of the object's bytes, read as a stream: memory stays flat whatever the size. */
  async streamSha256(key: string, versionId?: string): Promise<string | undefined> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key, ...(versionId && versionId !== 'null' ? { VersionId: versionId } : {}) }));
    if (!out.Body) return undefined;
    const hash = createHash('sha256');
    for await (const chunk of out.Body as Readable) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  async setLegalHold(key: string, versionId: string | undefined, on: boolean): Promise<void> {
    await this.client.send(
      new PutObjectLegalHoldCommand({ Bucket: this.opts.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}), LegalHold: { Status: on ? 'ON' : 'OFF' } }),
    );
  }
}
