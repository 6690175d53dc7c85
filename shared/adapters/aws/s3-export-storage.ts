// ExportStorage on S3: evidence read as a stream from the evidence bucket, bundles streamed into the exports bucket
// by multipart upload under compliance-mode Object Lock (and legal hold), presigned downloads (signed without the
// client: s3-links.ts). No delete exists here.
// The multipart upload (lib-storage) is given by the function that writes bundles (the export builder), so the routes
// that only presign a download or set a hold do not bundle it.
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectLegalHoldCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ExportStorage, StoredBundle } from '#ports/export-storage';
import { s3Client } from './s3-evidence-vault';
import { S3BundleLinks } from './s3-links';
import type { MultipartUpload } from './s3-multipart-upload';

export interface S3ExportStorageOptions {
  /** Where evidence is read from (the export builder only). */
  evidenceBucket?: string;
  exportsBucket: string;
  region: string;
  /** The local S3 stand-in; without it, AWS. */
  endpoint?: string;
  /** The project key the exports bucket policy requires (AWS only). */
  kmsKeyArn?: string;
  /** Multipart part size (bytes) and parts in flight: the upload's memory is about their product. */
  partSize?: number;
  queueSize?: number;
  /** How bundles are written (#adapters/aws/s3-multipart-upload): only the export builder has it. */
  upload?: MultipartUpload;
}

const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

export class S3ExportStorage implements ExportStorage {
  private readonly client: S3Client;
  private readonly links: S3BundleLinks;

  constructor(private readonly opts: S3ExportStorageOptions) {
    this.client = s3Client(opts);
    this.links = new S3BundleLinks(opts);
  }

  async openEvidence(key: string, versionId?: string): Promise<Readable> {
    if (!this.opts.evidenceBucket) throw new Error('EVIDENCE_BUCKET is not configured: only the export builder reads evidence');
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.opts.evidenceBucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
    if (!out.Body) throw new Error(`evidence object ${key} has no body`);
    return out.Body as Readable;
  }

  async putBundle(o: { key: string; body: Readable; retainUntil: string; legalHold: boolean }): Promise<StoredBundle> {
    const aws = !this.opts.endpoint;
    // Without the key id S3 would use the AWS managed key (aws/s3), readable by anyone in the account through S3.
    if (aws && !this.opts.kmsKeyArn) throw new Error('EXPORTS_KMS_KEY_ARN is not configured: bundles must be encrypted with the project key');
    if (!this.opts.upload) throw new Error('this function writes no bundles: only the export builder is given the multipart upload');
    const out = await this.opts.upload(
      this.client,
      {
        Bucket: this.opts.exportsBucket,
        Key: o.key,
        Body: o.body,
        ContentType: 'application/zip',
        ServerSideEncryption: 'aws:kms',
        ...(this.opts.kmsKeyArn ? { SSEKMSKeyId: this.opts.kmsKeyArn } : {}),
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date(o.retainUntil),
        ObjectLockLegalHoldStatus: o.legalHold ? 'ON' : 'OFF',
        // Object Lock uploads must carry a checksum; the local stand-in stores flexible-checksum framing inside
        // streamed objects, so locally none is sent (WHEN_REQUIRED).
        ...(aws ? { ChecksumAlgorithm: 'SHA256' as const } : {}),
      },
      { queueSize: this.opts.queueSize ?? 2, partSize: this.opts.partSize ?? DEFAULT_PART_SIZE },
    );
    return { ...(out.VersionId && out.VersionId !== 'null' ? { versionId: out.VersionId } : {}) };
  }

  presignBundle(o: { key: string; versionId?: string; fileName: string; expiresInSeconds: number }): Promise<{ url: string }> {
    return this.links.presignBundle(o);
  }

  async setBundleLegalHold(key: string, versionId: string | undefined, on: boolean): Promise<void> {
    await this.client.send(new PutObjectLegalHoldCommand({ Bucket: this.opts.exportsBucket, Key: key, ...(versionId ? { VersionId: versionId } : {}), LegalHold: { Status: on ? 'ON' : 'OFF' } }));
  }
}
