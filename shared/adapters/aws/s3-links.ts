// The links the routes hand out on the evidence and exports buckets: a presigned PUT of one evidence upload, a
// presigned GET of one evidence version or export bundle. Signed without the S3 client (s3-presign.ts), so the routes
// that only hand out links (get-evidence, register-evidence, get-export) do not bundle it; the vault and the export
// storage, which do reach objects, sign their links here too.
import type { EvidenceVault, PresignedUpload } from '#ports/evidence-vault';
import type { ExportStorage } from '#ports/export-storage';
import { S3UrlSigner, type S3PresignOptions } from './s3-presign';

export type EvidenceLinks = Pick<EvidenceVault, 'presignUpload' | 'presignDownload'>;
export type BundleLinks = Pick<ExportStorage, 'presignBundle'>;

/** The S3 stand-in (s3rver) accepts only its built-in key pair. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export const hexToBase64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

/**
 * The headers a presigned PUT binds: a different type, length, checksum or encryption fails the signature, and
 * `If-None-Match: *` makes storage refuse a second write to the key (write-once, on top of Object Lock).
 */
const SIGNED_UPLOAD_HEADERS: ReadonlySet<string> = new Set(['content-type', 'content-length', 'x-amz-checksum-sha256', 'x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id', 'if-none-match']);

/** A download's file name as a quoted-string (printable ASCII, no quote or backslash); the evidence adds the UTF-8 form. */
const attachment = (fileName: string) => `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`;
const contentDisposition = (fileName: string) => `${attachment(fileName)}; filename*=UTF-8''${encodeURIComponent(fileName)}`;

/** With an endpoint: the local stand-in, path-style with its keys; without, AWS with the function's credentials. */
const signer = (o: { region: string; endpoint?: string }): S3UrlSigner =>
  new S3UrlSigner({ region: o.region, ...(o.endpoint ? { endpoint: o.endpoint, credentials: LOCAL_S3_CREDENTIALS } : {}) } satisfies S3PresignOptions);

export class S3EvidenceLinks implements EvidenceLinks {
  private readonly signer: S3UrlSigner;

  constructor(private readonly opts: { bucket: string; region: string; endpoint?: string; kmsKeyArn?: string }) {
    this.signer = signer(opts);
  }

  async presignUpload(o: { key: string; contentType: string; sizeBytes: number; sha256: string; expiresInSeconds: number }): Promise<PresignedUpload> {
    const headers = {
      'content-type': o.contentType,
      'x-amz-checksum-sha256': hexToBase64(o.sha256),
      // The bucket policy refuses a PutObject without SSE-KMS under the project key.
      'x-amz-server-side-encryption': 'aws:kms',
      ...(this.opts.kmsKeyArn ? { 'x-amz-server-side-encryption-aws-kms-key-id': this.opts.kmsKeyArn } : {}),
      'if-none-match': '*',
    };
    const url = await this.signer.presign({
      method: 'PUT',
      bucket: this.opts.bucket,
      key: o.key,
      headers: { ...headers, 'content-length': String(o.sizeBytes) },
      expiresInSeconds: o.expiresInSeconds,
      signableHeaders: SIGNED_UPLOAD_HEADERS,
      unhoistableHeaders: SIGNED_UPLOAD_HEADERS,
    });
    // content-length is signed too; HTTP clients send it themselves (the declared size must match).
    return { url, headers, expiresAt: new Date(Date.now() + o.expiresInSeconds * 1000).toISOString() };
  }

  async presignDownload(o: { key: string; versionId?: string; fileName: string; contentType: string; expiresInSeconds: number }): Promise<{ url: string; expiresAt: string }> {
    const url = await this.signer.presign({
      method: 'GET',
      bucket: this.opts.bucket,
      key: o.key,
      query: { ...(o.versionId ? { versionId: o.versionId } : {}), 'response-content-type': o.contentType, 'response-content-disposition': contentDisposition(o.fileName) },
      expiresInSeconds: o.expiresInSeconds,
    });
    return { url, expiresAt: new Date(Date.now() + o.expiresInSeconds * 1000).toISOString() };
  }
}

export class S3BundleLinks implements BundleLinks {
  private readonly signer: S3UrlSigner;

  constructor(private readonly opts: { exportsBucket: string; region: string; endpoint?: string }) {
    this.signer = signer(opts);
  }

  async presignBundle(o: { key: string; versionId?: string; fileName: string; expiresInSeconds: number }): Promise<{ url: string }> {
    const url = await this.signer.presign({
      method: 'GET',
      bucket: this.opts.exportsBucket,
      key: o.key,
      query: { ...(o.versionId ? { versionId: o.versionId } : {}), 'response-content-type': 'application/zip', 'response-content-disposition': attachment(o.fileName) },
      expiresInSeconds: o.expiresInSeconds,
    });
    return { url };
  }
}
