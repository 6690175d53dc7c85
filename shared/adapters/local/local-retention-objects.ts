// The embedded stack's RetentionObjects: the S3 stand-in has no lifecycle rules to act on a tag, so the tag is recorded
// in the local table (what a lifecycle rule would see), beside the local Object Lock records. Never deployed.
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RETENTION_ENDED_TAG } from '#domain/evidence';
import type { RetentionObjects, StoredObjectRef } from '#ports/retention-objects';

export class LocalRetentionObjects implements RetentionObjects {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly opts: { tableName: string; evidenceBucket: string; exportsBucket: string },
  ) {}

  private key(bucket: string, key: string) {
    return { PK: `OBJECTTAG#${bucket}`, SK: key };
  }

  async markRetentionEnded(o: { evidence: StoredObjectRef[]; bundles: StoredObjectRef[] }): Promise<void> {
    const all = [...o.evidence.map((r) => [this.opts.evidenceBucket, r] as const), ...o.bundles.map((r) => [this.opts.exportsBucket, r] as const)];
    for (const [bucket, r] of all) {
      await this.doc.send(new PutCommand({ TableName: this.opts.tableName, Item: { ...this.key(bucket, r.key), [RETENTION_ENDED_TAG.key]: RETENTION_ENDED_TAG.value, versionId: r.versionId ?? null } }));
    }
  }

  /** The retention tag recorded for an object (tests read it). */
  async tagOf(bucket: 'evidence' | 'exports', key: string): Promise<string | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: this.key(bucket === 'evidence' ? this.opts.evidenceBucket : this.opts.exportsBucket, key), ConsistentRead: true }));
    return out.Item?.[RETENTION_ENDED_TAG.key] as string | undefined;
  }
}
