// EvidenceVault on S3 (Object Lock bucket): presigned PUT/GET (signed without the client: s3-links.ts), HeadObject
// with the stored SHA-256 checksum, legal hold. No delete or overwrite operation exists here, by design.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand, PutObjectLegalHoldCommand, type PutObjectCommandInput, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { EvidenceVault, LetterArchive, PresignedUpload, StoredObject } from '#ports/evidence-vault';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';
import { hexToBase64, LOCAL_S3_CREDENTIALS, S3EvidenceLinks } from './s3-links';

export interface S3VaultOptions {
  bucket: string;
  region: string;
  /** An S3-protocol server (the local stand-in): path-style, its own credentials, checksums only when required. */
  endpoint?: string;
  /** The KMS key the bucket policy requires uploads to name (AWS only). */
  kmsKeyArn?: string;
}

export const base64ToHex = (b64: string): string => Buffer.from(b64, 'base64').toString('hex');

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

export class S3EvidenceVault implements EvidenceVault, LetterArchive {
  private readonly client: S3Client;
  private readonly links: S3EvidenceLinks;

  constructor(private readonly opts: S3VaultOptions) {
    this.client = s3Client(opts);
    this.links = new S3EvidenceLinks(opts);
  }

  presignUpload(o: { key: string; contentType: string; sizeBytes: number; sha256: string; expiresInSeconds: number }): Promise<PresignedUpload> {
    return this.links.presignUpload(o);
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

  presignDownload(o: { key: string; versionId?: string; fileName: string; contentType: string; expiresInSeconds: number }): Promise<{ url: string; expiresAt: string }> {
    return this.links.presignDownload(o);
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
