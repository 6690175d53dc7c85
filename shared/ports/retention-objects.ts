// Marks the stored objects of a case whose record-keeping period has ended (an object tag), so the buckets' lifecycle
// rule removes them once their Object Lock allows. Nothing here deletes: S3 lifecycle does, and never a locked version.

export interface StoredObjectRef {
  key: string;
  versionId?: string;
}

export interface RetentionObjects {
  markRetentionEnded(o: { evidence: StoredObjectRef[]; bundles: StoredObjectRef[] }): Promise<void>;
}
