// The embedded stack's Object Lock for export bundles: the S3 stand-in ignores retention and legal hold, so this
// records them (in the local table) around the same S3 adapter, and refuses a second write to a bundle's key as a
// compliance-mode bucket would keep the first. Never deployed: in AWS the bucket enforces both.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Readable } from 'node:stream';
import type { ExportStorage, StoredBundle } from '#ports/export-storage';

export interface LocalLockRecord {
  retainUntil: string;
  legalHold: boolean;
}

export class LocalExportLock implements ExportStorage {
  constructor(
    private readonly inner: ExportStorage,
    private readonly doc: DynamoDBDocumentClient,
    private readonly opts: { tableName: string; bucket: string },
  ) {}

  private key(key: string) {
    return { PK: `OBJECTLOCK#${this.opts.bucket}`, SK: key };
  }

  openEvidence(key: string, versionId?: string): Promise<Readable> {
    return this.inner.openEvidence(key, versionId);
  }

  async putBundle(o: { key: string; body: Readable; retainUntil: string; legalHold: boolean }): Promise<StoredBundle> {
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.opts.tableName, Item: { ...this.key(o.key), retainUntil: o.retainUntil, legalHold: o.legalHold, mode: 'COMPLIANCE' }, ConditionExpression: 'attribute_not_exists(PK)' }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        o.body.resume();
        throw new Error(`${o.key} is locked (compliance mode) and cannot be overwritten`);
      }
      throw err;
    }
    try {
      return await this.inner.putBundle(o);
    } catch (err) {
      // No object was stored (the upload was abandoned): nothing is locked under the key.
      await this.doc.send(new DeleteCommand({ TableName: this.opts.tableName, Key: this.key(o.key) }));
      throw err;
    }
  }

  presignBundle(o: { key: string; versionId?: string; fileName: string; expiresInSeconds: number }): Promise<{ url: string }> {
    return this.inner.presignBundle(o);
  }

  async setBundleLegalHold(key: string, _versionId: string | undefined, on: boolean): Promise<void> {
    await this.doc.send(new UpdateCommand({ TableName: this.opts.tableName, Key: this.key(key), UpdateExpression: 'SET legalHold = :on', ExpressionAttributeValues: { ':on': on } }));
  }

  /** What the local lock holds for a bundle (tests and the tour read it). */
  async lockOf(key: string): Promise<LocalLockRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: this.key(key), ConsistentRead: true }));
    return out.Item ? { retainUntil: String(out.Item.retainUntil), legalHold: out.Item.legalHold === true } : undefined;
  }
}
