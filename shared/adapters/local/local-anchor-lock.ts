// The embedded stack's Object Lock for audit digests and anchors: the S3 stand-in ignores If-None-Match and retention,
// so each key is claimed in the local table first (a second write of a key is refused, as the compliance-mode bucket
// keeps the first) and its retention recorded there. Never deployed: in AWS the bucket enforces both.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3AuditAnchors, type S3AuditAnchorsOptions } from '#adapters/aws/s3-audit-anchors';

export class LocalAnchorLock extends S3AuditAnchors {
  constructor(
    opts: S3AuditAnchorsOptions,
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    super(opts);
    this.bucket = opts.bucket;
  }

  private readonly bucket: string;

  protected override async putOnce(key: string, value: unknown, retainUntil: string): Promise<boolean> {
    const lock = { PK: `OBJECTLOCK#${this.bucket}`, SK: key };
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...lock, retainUntil, legalHold: false, mode: 'COMPLIANCE' }, ConditionExpression: 'attribute_not_exists(PK)' }));
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
    try {
      return await super.putOnce(key, value, retainUntil);
    } catch (err) {
      // Nothing was stored: nothing is locked under the key.
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: lock }));
      throw err;
    }
  }
}
