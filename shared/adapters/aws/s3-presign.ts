// Presigned S3 object URLs without the S3 client: the SDK's own SigV4 signer (@smithy/signature-v4, which every
// function already bundles through the DynamoDB client) given the request the S3 client would build for GetObject or
// PutObject, signed as @aws-sdk/s3-request-presigner signs it. The S3 client brings about 165 KB to a bundle (its
// schema alone is 65 KB and cannot be trimmed); a function that only hands out links needs none of it.
// test/unit/s3-presign.test.ts checks, byte for byte, that the URLs equal those of getSignedUrl over an S3Client.
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { formatUrl } from '@aws-sdk/core/util';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface S3PresignOptions {
  region: string;
  /**
   * An S3-protocol server (the local stand-in): path-style URLs under it, as the S3 client with `forcePathStyle`.
   * Without it, AWS: virtual-hosted style (`bucket.s3.region.amazonaws.com`) where the bucket name allows it.
   */
  endpoint?: string;
  /** Without them, the SDK's default chain (in a deployed function, its environment: lambda-credentials.ts). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface S3ObjectRequest {
  method: 'GET' | 'PUT';
  bucket: string;
  key: string;
  /** Query parameters of the operation (versionId, response-content-type, …), besides `x-id`. */
  query?: Record<string, string>;
  /** Headers the URL binds (lower-case names). */
  headers?: Record<string, string>;
  expiresInSeconds: number;
  /** Headers signed although the presigner would not sign them (it never signs content-type otherwise). */
  signableHeaders?: ReadonlySet<string>;
  /** Headers kept as headers (signed) rather than moved into the query. */
  unhoistableHeaders?: ReadonlySet<string>;
}

/** encodeURIComponent, plus the characters it leaves that RFC 3986 reserves (the SDK's extendedEncodeURIComponent). */
const encodeSegment = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** An object key as the S3 client puts it in a path (the greedy `{Key+}` label): each `/`-separated segment encoded. */
export const encodeS3Key = (key: string): string => key.split('/').map(encodeSegment).join('/');

/** A bucket name usable as a DNS label under HTTPS (no dots): the endpoint rules' test for virtual-hosted style. */
const VIRTUAL_HOSTABLE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const IP_LIKE = /^\d+\.\d+\.\d+\.\d+$/;

const dnsSuffix = (region: string): string => (region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com');

/** What S3's endpoint rules resolve for a bucket: scheme, host, port and the path prefix before the key. */
const locate = (bucket: string, o: S3PresignOptions): { protocol: string; hostname: string; port?: number; prefix: string } => {
  if (o.endpoint) {
    const url = new URL(o.endpoint);
    const base = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    return { protocol: url.protocol, hostname: url.hostname, ...(url.port ? { port: Number(url.port) } : {}), prefix: `${base}${encodeSegment(bucket)}` };
  }
  const host = `s3.${o.region}.${dnsSuffix(o.region)}`;
  if (VIRTUAL_HOSTABLE.test(bucket) && !IP_LIKE.test(bucket)) return { protocol: 'https:', hostname: `${bucket}.${host}`, prefix: '' };
  return { protocol: 'https:', hostname: host, prefix: `/${encodeSegment(bucket)}` };
};

export class S3UrlSigner {
  private readonly signer: SignatureV4;

  constructor(private readonly opts: S3PresignOptions) {
    // As S3RequestPresigner configures the S3 client's signer: no path escaping (the key is encoded already), no payload checksum.
    this.signer = new SignatureV4({ credentials: opts.credentials ?? defaultProvider(), region: opts.region, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  }

  /** The presigned URL of one GetObject or PutObject request. */
  async presign(r: S3ObjectRequest): Promise<string> {
    const at = locate(r.bucket, this.opts);
    const request = new HttpRequest({
      method: r.method,
      protocol: at.protocol,
      hostname: at.hostname,
      ...(at.port !== undefined ? { port: at.port } : {}),
      path: `${at.prefix}/${encodeS3Key(r.key)}`,
      query: { ...r.query, 'x-id': r.method === 'GET' ? 'GetObject' : 'PutObject' },
      headers: {
        ...r.headers,
        host: `${at.hostname}${at.port !== undefined ? `:${at.port}` : ''}`,
        // The presigner's: the payload is not part of the signature (the query carries X-Amz-Content-Sha256).
        'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
      },
    });
    // As the presigner: content-type is unsignable unless asked for, server-side encryption headers stay headers.
    const unhoistable = new Set(r.unhoistableHeaders);
    for (const name of Object.keys(r.headers ?? {})) if (name.toLowerCase().startsWith('x-amz-server-side-encryption')) unhoistable.add(name.toLowerCase());
    const signed = await this.signer.presign(request, {
      expiresIn: r.expiresInSeconds,
      unsignableHeaders: new Set(['content-type']),
      unhoistableHeaders: unhoistable,
      ...(r.signableHeaders ? { signableHeaders: new Set(r.signableHeaders) } : {}),
      signingRegion: this.opts.region,
      signingService: 's3',
    });
    return formatUrl(signed);
  }
}
