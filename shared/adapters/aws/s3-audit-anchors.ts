// AnchorStore on S3 (the exports bucket: Object Lock in compliance mode, SSE-KMS, deletes denied to everyone): digests
// under audit/digests/<number>, each case's anchors under audit/anchors/<caseId>/<inverted number> so that the first
// key listed is the newest. Written once (If-None-Match), never deleted, never overwritten.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { CaseAnchor, StoredDigest } from '#schemas/audit-digest';
import type { AnchorStore } from '#ports/audit-anchors';
import { s3Client } from './s3-evidence-vault';

/** Every key this store writes starts here; IAM grants the digest functions this prefix of the bucket only. */
export const AUDIT_PREFIX = 'audit/';
const WIDTH = 12;
const MAX_NUMBER = 10 ** WIDTH - 1;
export const digestKey = (n: number) => `${AUDIT_PREFIX}digests/${String(n).padStart(WIDTH, '0')}.json`;
export const caseAnchorPrefix = (caseId: string) => `${AUDIT_PREFIX}anchors/${caseId}/`;
export const caseAnchorKey = (caseId: string, n: number) => `${caseAnchorPrefix(caseId)}${String(MAX_NUMBER - n).padStart(WIDTH, '0')}.json`;

const status = (err: unknown) => (err instanceof S3ServiceException ? err.$metadata.httpStatusCode : undefined);
/** S3 answers 412 to If-None-Match on an existing key, and 409 to a conditional write racing another. */
const alreadyWritten = (err: unknown) => status(err) === 412 || status(err) === 409 || (err instanceof Error && err.name === 'ObjectLockedError');
const notFound = (err: unknown) => status(err) === 404 || (err instanceof Error && err.name === 'NoSuchKey');

export interface S3AuditAnchorsOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  /** The project key the bucket policy requires on uploads (AWS). */
  kmsKeyArn?: string;
}

export class S3AuditAnchors implements AnchorStore {
  private readonly client: S3Client;

  constructor(private readonly opts: S3AuditAnchorsOptions) {
    this.client = s3Client(opts);
  }

  /** Writes once; false when the key already holds an object. */
  protected async putOnce(key: string, value: unknown, retainUntil: string): Promise<boolean> {
    const aws = !this.opts.endpoint;
    if (aws && !this.opts.kmsKeyArn) throw new Error('EXPORTS_KMS_KEY_ARN is not configured: digests must be encrypted with the project key');
    const body = Buffer.from(`${JSON.stringify(value)}\n`, 'utf8');
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.opts.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
          ContentLength: body.byteLength,
          // Object Lock uploads must carry a checksum.
          ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
          ServerSideEncryption: 'aws:kms',
          ...(this.opts.kmsKeyArn ? { SSEKMSKeyId: this.opts.kmsKeyArn } : {}),
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: new Date(retainUntil),
          IfNoneMatch: '*',
        }),
      );
      return true;
    } catch (err) {
      if (alreadyWritten(err)) return false;
      throw err;
    }
  }

  private async getJson(key: string): Promise<unknown> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key }));
      return JSON.parse(await out.Body!.transformToString('utf8')) as unknown;
    } catch (err) {
      if (notFound(err)) return undefined;
      throw err;
    }
  }

  putDigest(d: StoredDigest, retainUntil: string): Promise<boolean> {
    return this.putOnce(digestKey(d.body.number), d, retainUntil);
  }

  async getDigest(n: number): Promise<StoredDigest | undefined> {
    const raw = await this.getJson(digestKey(n));
    return raw === undefined ? undefined : StoredDigest.parse(raw);
  }

  async putCaseAnchor(a: CaseAnchor, retainUntil: string): Promise<void> {
    await this.putOnce(caseAnchorKey(a.leaf.caseId, a.digestNumber), a, retainUntil);
  }

  async latestCaseAnchor(caseId: string): Promise<CaseAnchor | undefined> {
    // S3 lists in key order, so the newest anchor (inverted number) is first on the first page. No MaxKeys: the S3
    // stand-in fails a truncated listing, and a case is anchored once per digest it changed in (one page in years).
    const out = await this.client.send(new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: caseAnchorPrefix(caseId) }));
    const key = (out.Contents ?? []).map((o) => o.Key ?? '').filter(Boolean).sort()[0];
    if (!key) return undefined;
    const raw = await this.getJson(key);
    return raw === undefined ? undefined : CaseAnchor.parse(raw);
  }
}
