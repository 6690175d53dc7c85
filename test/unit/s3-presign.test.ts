// The links signed without the S3 client (#adapters/aws/s3-links over s3-presign.ts) are, byte for byte, the URLs the
// S3 client and @aws-sdk/s3-request-presigner produced for the same requests (the commands the vault and the export
// storage built before): same host style, path encoding, query, signed headers and signature, for a fixed clock and
// fixed credentials. The functions bundle the links only; this test alone loads the client to compare.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Client } from '#adapters/aws/s3-evidence-vault';
import { hexToBase64, S3BundleLinks, S3EvidenceLinks } from '#adapters/aws/s3-links';
import { encodeS3Key, S3UrlSigner } from '#adapters/aws/s3-presign';

const NOW = new Date('2026-03-04T05:06:07.089Z');
const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const KMS = 'arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** As the vault presigned before (s3-evidence-vault.ts): the headers the PUT binds, kept as headers. */
const SIGNED_UPLOAD_HEADERS = new Set(['content-type', 'content-length', 'x-amz-checksum-sha256', 'x-amz-server-side-encryption', 'x-amz-server-side-encryption-aws-kms-key-id', 'if-none-match']);
const contentDisposition = (fileName: string) => `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;

interface Where {
  region: string;
  endpoint?: string;
}

/**
 * The S3 client the adapters build, one per place within a test: building a client for every URL was most of this
 * file's time. A new test gets new clients, so a test that changes the environment's credentials signs with them.
 */
let clients = new Map<string, S3Client>();
const clientFor = (w: Where): S3Client => {
  const k = `${w.region} ${w.endpoint ?? ''}`;
  let c = clients.get(k);
  if (!c) clients.set(k, (c = s3Client(w)));
  return c;
};

/** The reference: getSignedUrl over the S3 client the adapters build (path-style with the stand-in's keys under an endpoint). */
const referenceUpload = (w: Where & { bucket: string; kmsKeyArn?: string }, o: { key: string; contentType: string; sizeBytes: number; sha256: string; expiresInSeconds: number }) =>
  getSignedUrl(
    clientFor(w),
    new PutObjectCommand({
      Bucket: w.bucket,
      Key: o.key,
      ContentType: o.contentType,
      ContentLength: o.sizeBytes,
      ChecksumSHA256: hexToBase64(o.sha256),
      ServerSideEncryption: 'aws:kms',
      ...(w.kmsKeyArn ? { SSEKMSKeyId: w.kmsKeyArn } : {}),
      IfNoneMatch: '*',
    }),
    { expiresIn: o.expiresInSeconds, signableHeaders: SIGNED_UPLOAD_HEADERS, unhoistableHeaders: SIGNED_UPLOAD_HEADERS },
  );

const referenceDownload = (w: Where & { bucket: string }, o: { key: string; versionId?: string; fileName: string; contentType: string; expiresInSeconds: number }) =>
  getSignedUrl(
    clientFor(w),
    new GetObjectCommand({ Bucket: w.bucket, Key: o.key, ...(o.versionId ? { VersionId: o.versionId } : {}), ResponseContentType: o.contentType, ResponseContentDisposition: contentDisposition(o.fileName) }),
    { expiresIn: o.expiresInSeconds },
  );

const referenceBundle = (w: Where & { exportsBucket: string }, o: { key: string; versionId?: string; fileName: string; expiresInSeconds: number }) =>
  getSignedUrl(
    clientFor(w),
    new GetObjectCommand({
      Bucket: w.exportsBucket,
      Key: o.key,
      ...(o.versionId ? { VersionId: o.versionId } : {}),
      ResponseContentType: 'application/zip',
      ResponseContentDisposition: `attachment; filename="${o.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`,
    }),
    { expiresIn: o.expiresInSeconds },
  );

const WHERE: (Where & { name: string })[] = [
  { name: 'AWS eu-west-2', region: 'eu-west-2' },
  { name: 'AWS us-east-1', region: 'us-east-1' },
  { name: 'AWS ap-southeast-2', region: 'ap-southeast-2' },
  { name: 'AWS cn-north-1', region: 'cn-north-1' },
  { name: 'the local stand-in (path-style, port)', region: 'eu-west-2', endpoint: 'http://127.0.0.1:4569' },
  { name: 'a custom endpoint without a port', region: 'us-east-1', endpoint: 'https://objects.example.test' },
  { name: 'a custom endpoint with a path', region: 'eu-central-1', endpoint: 'http://localhost:9000/s3/' },
];

const BUCKETS = ['complaints-evidence-111122223333', 'evidence.example.com', 'ev'];

const KEYS = [
  'cases/01JD2ZK5S0V6Q7W8X9Y0Z1A2B3/evidence/01JD2ZK5S0V6Q7W8X9Y0Z1A2B4',
  'cases/a b/c+d%e=f&g?h#i',
  'cases/ünïcødé/文件 名.pdf',
  "cases/x/!'()*~._-$@,;:[]",
  'cases//double/slash',
  '/leading',
  'trailing/',
];

const FILE_NAMES = ['statement.pdf', 'Relevé "mars" 2026.pdf', 'back\\slash\t\u{1F4C4}.png'];

const env = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_PROFILE'] as const;
const saved = Object.fromEntries(env.map((k) => [k, process.env[k]]));

const useCredentials = (sessionToken?: string) => {
  // The function's credentials in AWS come from its environment (the first link of the default chain).
  process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  if (sessionToken) process.env.AWS_SESSION_TOKEN = sessionToken;
  else delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_CREDENTIAL_EXPIRATION;
  delete process.env.AWS_PROFILE;
};

beforeEach(() => {
  // Only Date is faked: the signing clock; promises and timers run as usual.
  jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
  useCredentials('IQoJb3JpZ2luX2VjEXAMPLE/session+token==');
  clients = new Map();
});

afterEach(() => {
  jest.useRealTimers();
});

afterAll(() => {
  for (const k of env) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('evidence upload links (presigned PUT)', () => {
  it.each(WHERE)('equal getSignedUrl byte for byte: $name', async (w) => {
    let compared = 0;
    for (const bucket of BUCKETS)
      for (const kmsKeyArn of [undefined, KMS])
        for (const key of KEYS) {
          const opts = { bucket, region: w.region, ...(w.endpoint ? { endpoint: w.endpoint } : {}), ...(kmsKeyArn ? { kmsKeyArn } : {}) };
          const o = { key, contentType: key.endsWith('.pdf') ? 'application/pdf' : 'image/png', sizeBytes: 1 + key.length * 977, sha256: SHA, expiresInSeconds: 900 };
          const ours = await new S3EvidenceLinks(opts).presignUpload(o);
          expect(ours.url).toBe(await referenceUpload(opts, o));
          expect(ours.headers).toEqual({
            'content-type': o.contentType,
            'x-amz-checksum-sha256': hexToBase64(SHA),
            'x-amz-server-side-encryption': 'aws:kms',
            ...(kmsKeyArn ? { 'x-amz-server-side-encryption-aws-kms-key-id': kmsKeyArn } : {}),
            'if-none-match': '*',
          });
          expect(ours.expiresAt).toBe(new Date(NOW.getTime() + 900_000).toISOString());
          compared++;
        }
    expect(compared).toBe(BUCKETS.length * 2 * KEYS.length);
  });

  it('sign the headers the upload binds, with the clock and credentials given', async () => {
    const { url } = await new S3EvidenceLinks({ bucket: 'complaints-evidence-111122223333', region: 'eu-west-2', kmsKeyArn: KMS }).presignUpload({ key: 'cases/c1/evidence/e1', contentType: 'application/pdf', sizeBytes: 2048, sha256: SHA, expiresInSeconds: 900 });
    const u = new URL(url);
    expect(u.host).toBe('complaints-evidence-111122223333.s3.eu-west-2.amazonaws.com');
    expect(u.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host;if-none-match;x-amz-checksum-sha256;x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id');
    expect(u.searchParams.get('X-Amz-Date')).toBe('20260304T050607Z');
    expect(u.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(u.searchParams.get('X-Amz-Content-Sha256')).toBe('UNSIGNED-PAYLOAD');
    expect(u.searchParams.get('X-Amz-Credential')).toBe('AKIAIOSFODNN7EXAMPLE/20260304/eu-west-2/s3/aws4_request');
    expect(u.searchParams.get('X-Amz-Security-Token')).toBe('IQoJb3JpZ2luX2VjEXAMPLE/session+token==');
    expect(u.searchParams.get('x-id')).toBe('PutObject');
  });

  it('without a session token, and with the longest expiry', async () => {
    useCredentials();
    const opts = { bucket: 'complaints-evidence-111122223333', region: 'eu-west-2' };
    const o = { key: KEYS[1]!, contentType: 'text/plain', sizeBytes: 0, sha256: SHA, expiresInSeconds: 604_800 };
    const url = (await new S3EvidenceLinks(opts).presignUpload(o)).url;
    expect(url).toBe(await referenceUpload(opts, o));
    expect(url).not.toContain('X-Amz-Security-Token');
  });
});

describe('evidence download links (presigned GET of one version)', () => {
  it.each(WHERE)('equal getSignedUrl byte for byte: $name', async (w) => {
    for (const bucket of BUCKETS)
      for (const key of KEYS)
        for (const versionId of [undefined, '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo', 'null'])
          for (const fileName of FILE_NAMES) {
            const opts = { bucket, region: w.region, ...(w.endpoint ? { endpoint: w.endpoint } : {}) };
            const o = { key, ...(versionId ? { versionId } : {}), fileName, contentType: 'application/pdf', expiresInSeconds: 300 };
            const ours = await new S3EvidenceLinks(opts).presignDownload(o);
            expect(ours.url).toBe(await referenceDownload(opts, o));
            expect(ours.expiresAt).toBe(new Date(NOW.getTime() + 300_000).toISOString());
          }
  });
});

describe('export bundle download links (presigned GET)', () => {
  it.each(WHERE)('equal getSignedUrl byte for byte: $name', async (w) => {
    for (const exportsBucket of BUCKETS)
      for (const key of ['exports/01JD2ZK5S0V6Q7W8X9Y0Z1A2B3.zip', ...KEYS])
        for (const versionId of [undefined, 'Lq7.9_abc'])
          for (const fileName of ['case-CR-2026-000123-export.zip', ...FILE_NAMES]) {
            const opts = { exportsBucket, region: w.region, ...(w.endpoint ? { endpoint: w.endpoint } : {}) };
            const o = { key, ...(versionId ? { versionId } : {}), fileName, expiresInSeconds: 300 };
            expect((await new S3BundleLinks(opts).presignBundle(o)).url).toBe(await referenceBundle(opts, o));
          }
  });
});

describe('S3UrlSigner', () => {
  it('takes explicit credentials (as the stand-in keys are given)', async () => {
    const signer = new S3UrlSigner({ region: 'eu-west-2', endpoint: 'http://127.0.0.1:4569', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const url = await signer.presign({ method: 'GET', bucket: 'evidence', key: 'a b', expiresInSeconds: 60 });
    expect(url).toBe(await getSignedUrl(s3Client({ region: 'eu-west-2', endpoint: 'http://127.0.0.1:4569' }), new GetObjectCommand({ Bucket: 'evidence', Key: 'a b' }), { expiresIn: 60 }));
  });

  it('encodes a key as the client does: each segment, reserved characters included', () => {
    expect(encodeS3Key("a b/c+d/!'()*/ü")).toBe('a%20b/c%2Bd/%21%27%28%29%2A/%C3%BC');
  });
});
