// RetentionObjects on S3: tags each version (evidence and bundles) with the retention-ended tag the lifecycle rules
// filter on. Idempotent: tagging twice sets the same tag.
import { PutObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { RETENTION_ENDED_TAG } from '#domain/evidence';
import type { RetentionObjects, StoredObjectRef } from '#ports/retention-objects';
import { s3Client } from './s3-evidence-vault';

export class S3RetentionObjects implements RetentionObjects {
  private readonly client: S3Client;

  constructor(private readonly opts: { evidenceBucket: string; exportsBucket: string; region: string; endpoint?: string }) {
    this.client = s3Client(opts);
  }

  private async tag(bucket: string, refs: StoredObjectRef[]): Promise<void> {
    for (const r of refs) {
      await this.client.send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key: r.key,
          ...(r.versionId ? { VersionId: r.versionId } : {}),
          Tagging: { TagSet: [{ Key: RETENTION_ENDED_TAG.key, Value: RETENTION_ENDED_TAG.value }] },
        }),
      );
    }
  }

  async markRetentionEnded(o: { evidence: StoredObjectRef[]; bundles: StoredObjectRef[] }): Promise<void> {
    await this.tag(this.opts.evidenceBucket, o.evidence);
    await this.tag(this.opts.exportsBucket, o.bundles);
  }
}
