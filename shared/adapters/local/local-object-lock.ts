// The embedded stack's Object Lock: the S3 stand-in ignores retention and legal hold, so this vault keeps them
// itself (in the local table) around the same S3 adapter. Retention is the bucket default counted from the
// object's creation, as S3 applies it, on the local clock every local component reads. Never deployed: in AWS the
// bucket enforces both.
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#ports/clock';
import type { EvidenceVault, LetterArchive, PresignedUpload, StoredObject } from '#ports/evidence-vault';

const DAY_MS = 86_400_000;

export class LocalObjectLockVault implements EvidenceVault, LetterArchive {
  constructor(
    private readonly inner: EvidenceVault & LetterArchive,
    private readonly doc: DynamoDBDocumentClient,
    private readonly opts: { tableName: string; bucket: string; retentionDays: number; clock: Clock },
  ) {}

  private key(key: string) {
    return { PK: `OBJECTLOCK#${this.opts.bucket}`, SK: key };
  }

  presignUpload(o: Parameters<EvidenceVault['presignUpload']>[0]): Promise<PresignedUpload> {
    return this.inner.presignUpload(o);
  }

  presignDownload(o: Parameters<EvidenceVault['presignDownload']>[0]): Promise<{ url: string; expiresAt: string }> {
    return this.inner.presignDownload(o);
  }

  async inspect(key: string, versionId?: string): Promise<StoredObject | undefined> {
    const obj = await this.inner.inspect(key, versionId);
    if (!obj) return undefined;
    const lock = await this.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: this.key(key), ConsistentRead: true }));
    // The S3 stand-in stamps objects with the machine's time; S3's time is the local clock here (which a suite or an
    // operator may have moved): the creation instant is carried over by the clock's offset from the machine's time.
    // The verifier inspects an upload as it lands, so a clock move between the two is the only inexactness.
    const nowMs = Date.parse(this.opts.clock.now());
    const created = obj.lastModified ? Date.parse(obj.lastModified) + (nowMs - Date.now()) : nowMs;
    return { ...obj, retainUntil: new Date(created + this.opts.retentionDays * DAY_MS).toISOString(), legalHold: lock.Item?.legalHold === true };
  }

  /** The stand-in ignores the legal-hold header: the hold is recorded here, as for any held object. */
  async writeLetter(o: Parameters<LetterArchive['writeLetter']>[0]): Promise<{ versionId?: string }> {
    const out = await this.inner.writeLetter({ ...o, legalHold: false });
    if (o.legalHold) await this.setLegalHold(o.key, out.versionId, true);
    return out;
  }

  async setLegalHold(key: string, _versionId: string | undefined, on: boolean): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.opts.tableName, Item: { ...this.key(key), legalHold: on } }));
  }
}
