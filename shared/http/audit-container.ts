// Composition root of the audit digest: the digest ledger (the cases table), the anchor store (the exports bucket under
// audit/, S3 Object Lock; locally the S3 stand-in with the local lock record) and the export signing key (KMS in AWS,
// the local key file under npm start). Apart from the complaint container so only the functions that anchor or check
// anchors bundle the S3 client; the timeline only reads anchors (anchorLookup), so it bundles no signer (KMS).
import { AuditDigestService, latestAnchor } from '#domain/audit-digest-service';
import type { AnchorLookup } from '#domain/complaint-service';
import type { AnchorStore } from '#ports/audit-anchors';
import { DynamoDigestLedger } from '#adapters/aws/dynamo/digest-ledger';
import { S3AuditAnchors } from '#adapters/aws/s3-audit-anchors';
import { LocalAnchorLock } from '#adapters/local/local-anchor-lock';
import { config, requireSetting } from './config';
import { clock, dynamo, ulidIds } from './container';
import { lazySigner } from './manifest-signer';

let service: AuditDigestService | undefined;
let store: AnchorStore | undefined;

const anchorStore = (): AnchorStore => {
  if (!store) {
    const cfg = config();
    const opts = { bucket: requireSetting('EXPORTS_BUCKET'), region: cfg.AWS_REGION, ...(cfg.S3_ENDPOINT ? { endpoint: cfg.S3_ENDPOINT } : {}), ...(cfg.EXPORTS_KMS_KEY_ARN ? { kmsKeyArn: cfg.EXPORTS_KMS_KEY_ARN } : {}) };
    store = cfg.INTEGRATIONS === 'local' ? new LocalAnchorLock(opts, dynamo().doc, requireSetting('LOCAL_TABLE_NAME')) : new S3AuditAnchors(opts);
  }
  return store;
};

/** A case's newest anchor (the timeline's check): the anchor store alone, no ledger and no signer. */
export const anchorLookup = (): AnchorLookup => ({ latest: (caseId) => latestAnchor(anchorStore(), caseId) });

export const auditDigestService = (): AuditDigestService => {
  if (!service) {
    const cfg = config();
    const c = clock();
    service = new AuditDigestService({
      ledger: new DynamoDigestLedger(dynamo().doc, { tableName: requireSetting('TABLE_NAME'), listShards: cfg.LIST_SHARDS }),
      store: anchorStore(),
      // Only the digest job and the export builder sign.
      signer: lazySigner,
      clock: c,
      ids: ulidIds(c),
      retentionDays: cfg.AUDIT_DIGEST_RETENTION_DAYS ?? cfg.EXPORT_RETENTION_DAYS ?? cfg.EVIDENCE_RETENTION_DAYS,
    });
  }
  return service;
};
