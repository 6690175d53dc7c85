// The multipart upload of a bundle into the exports bucket (lib-storage's Upload): only the export builder writes
// bundles, so only it bundles lib-storage (S3ExportStorage is given this function where bundles are written).
import type { PutObjectCommandInput, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/** Streams `params.Body` into S3 as a multipart upload; answers the stored version (when the bucket versions). */
export type MultipartUpload = (client: S3Client, params: PutObjectCommandInput, o: { partSize: number; queueSize: number }) => Promise<{ VersionId?: string }>;

export const multipartUpload: MultipartUpload = async (client, params, o) => {
  const out = await new Upload({ client, queueSize: o.queueSize, partSize: o.partSize, leavePartsOnError: false, params }).done();
  return 'VersionId' in out && out.VersionId ? { VersionId: out.VersionId } : {};
};
