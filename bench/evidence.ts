// Evidence vault on the local stack: register → upload → verified latency (1 MB and 50 MB files), the verifier's
// peak memory on a 500 MB object, S3 and DynamoDB requests per evidence item, and the storage cost per 1,000
// complaints under 7-year retention at S3 list price.
//
// `npm run bench` starts it as `node --import tsx bench/evidence.ts --json FILE --no-report`: a fresh process with
// its own local stack (the container binds to one DynamoDB endpoint per process). Standalone:
// `npx tsx bench/evidence.ts` prints progress and the report.
//
// 1. Latency: a fresh in-process stack (in-memory DynamoDB Local, the local S3 with its Object Created → verifier
//    delivery, API on an ephemeral loopback port, no background tick). Per run: a new case (untimed), then
//    POST /v1/complaints/{id}/evidence → PUT of the bytes with fetch straight to the presigned URL →
//    `stack.s3.idle()` (resolves when the verifier has settled the item) = verified; a GET of the item confirms the
//    status (untimed). 1 MB and 50 MB runs interleaved; random bytes generated once per size, SHA-256 up front.
// 2. Requests per evidence item, counted on one case with one item: DynamoDB by the SDK observer
//    (`observeDynamoRequests`), S3 on the wire (every HTTP request the local S3 server receives, by
//    diagnostics_channel `http.server.request.start`: the service's come from the AWS SDK, the client's direct
//    PUT/GET from fetch), and the service's evidence-vault port calls (what they cost in AWS).
// 3. Verifier memory: a separate local S3 (temp dir, removed afterwards); a 5 MB and a 500 MB object uploaded as
//    streams (never held in memory); then, per object, a child `node --expose-gc --import tsx` process runs the
//    verifier's storage step, `S3EvidenceVault.inspect` (HeadObject with ChecksumMode ENABLED; s3rver keeps no
//    checksum, so `streamSha256` streams the object), sampling `process.memoryUsage()` every 50 ms.
// 4. Storage cost: arithmetic on the stated assumptions and S3 list prices.
import { benchComplaint } from './fixtures/complaint';
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
// The only static imports are what the memory child needs (the verifier's S3 adapter): the parent loads the
// local stack, DynamoDB and s3rver dynamically, so the child's baseline is a verifier's, not a whole stack's.
import { runStandalone } from './standalone';
import { expectStatus, typed, type Typed } from './api-client';
import { S3EvidenceVault } from '#adapters/aws/s3-evidence-vault';
import type { EvidenceVault } from '#ports/evidence-vault';
import type { Role } from '#schemas/common';
import type { StartedStack } from '../infra/local/stack';
import { ms, percentile, round, say, table, envInt, type Spread } from './stats';

const REPO_ROOT = resolve(__dirname, '..');
const MiB = 1024 * 1024;


// ── Settings and prices ───────────────────────────────────────────────────────────────────────

export interface EvidenceBenchSettings {
  /** Latency runs per file size (1 MB = 1 MiB, as the evidence size limit counts). */
  sizes: { label: string; bytes: number; runs: number }[];
  /** Unmeasured runs per size first (loads the handlers, warms the JIT and the local S3). */
  warmupRuns: number;
  memory: {
    /** The large object (BENCH_EVIDENCE_MEMORY_MB, default 500 MB) and the small one it is compared with. */
    bytes: number;
    compareBytes: number;
    sampleMs: number;
    /** Verifications of the object repeat until this long has passed (a 5 MB one takes a few tens of ms). */
    minSampleMs: number;
    /** Hard check: the large object's peak RSS over the child's baseline stays below this. */
    maxRssDeltaBytes: number;
  };
  storage: { complaints: number; filesPerComplaint: number; fileMb: number; retentionYears: number; retentionMonths: number };
}

/** BENCH_EVIDENCE_RUNS_1MB, BENCH_EVIDENCE_RUNS_50MB, BENCH_EVIDENCE_MEMORY_MB. */
export const evidenceSettings = (): EvidenceBenchSettings => ({
  sizes: [
    { label: '1 MB', bytes: MiB, runs: envInt('BENCH_EVIDENCE_RUNS_1MB', 30, 3) },
    { label: '50 MB', bytes: 50 * MiB, runs: envInt('BENCH_EVIDENCE_RUNS_50MB', 10, 3) },
  ],
  warmupRuns: 1,
  memory: { bytes: envInt('BENCH_EVIDENCE_MEMORY_MB', 500, 10) * MiB, compareBytes: 5 * MiB, sampleMs: 50, minSampleMs: 1000, maxRssDeltaBytes: 150 * MiB },
  storage: { complaints: 1000, filesPerComplaint: 5, fileMb: 2, retentionYears: 7, retentionMonths: 84 },
});

/** S3 list prices, us-east-1 (USD). */
export const S3_PRICING = {
  region: 'us-east-1',
  /** S3 Standard, first 50 TB / month. */
  standardUsdPerGbMonth: 0.023,
  /** S3 Glacier Instant Retrieval (minimum 90 days stored, 128 KB minimum billable object size). */
  glacierInstantRetrievalUsdPerGbMonth: 0.004,
  glacierInstantRetrievalUsdPerGbRetrieved: 0.03,
  /** Lifecycle transition requests into Glacier Instant Retrieval. */
  lifecycleTransitionUsdPer1000: 0.02,
  /** S3 Standard PUT, COPY, POST, LIST requests. */
  putClassUsdPer1000: 0.005,
  /** S3 Standard GET, SELECT and all other requests (HEAD included). */
  getClassUsdPer1000: 0.0004,
  gigabyte: '1 GB = 1,000 MB, as the assumption (5 × 2 MB = 10 MB per complaint) is stated; S3 bills binary GB (2^30 bytes), so 2 MiB files would come to 9.77 GB, 2.3 % less',
  source: 'https://aws.amazon.com/s3/pricing/ (list prices, us-east-1)',
} as const;

// ── Result types ──────────────────────────────────────────────────────────────────────────────


export interface LatencyFigures {
  label: string;
  bytes: number;
  runs: number;
  /** Runs whose item read back `verified` (GET of the item after the verifier finished). */
  verified: number;
  /** POST register → verifier finished (item verified). */
  totalMs: Spread;
  /** POST /v1/complaints/{id}/evidence answered 201 with the presigned PUT. */
  registerMs: Spread;
  /** The client's PUT of the bytes straight to the local S3 (fetch, answered 200). */
  putMs: Spread;
  /** PUT answered → `stack.s3.idle()`: Object Created delivered, the verifier read HeadObject, streamed the hash, wrote the case. */
  verifyMs: Spread;
  /** Bytes ÷ verify p50: the verifier's end-to-end rate, MB/s. */
  verifyMbPerS: number;
}

export type Counts = Record<string, number>;

export interface RequestCountFigures {
  operation: string;
  request: string;
  /** DynamoDB requests of the service, as in AWS (SDK observer). */
  dynamo: Counts;
  /** DynamoDB requests of the local Object Lock stand-in (LocalObjectLockVault: retention and legal hold kept in the local table); none in AWS. */
  dynamoLocalObjectLock: Counts;
  /** S3 requests the service made, as the local S3 received them (AWS SDK user agent). */
  s3Service: Counts;
  /** S3 requests the client made directly with a presigned URL (fetch): the bytes never pass through a function. */
  s3Client: Counts;
  /** Evidence-vault port calls of the service (presigning is local signing: no request). */
  vaultCalls: Counts;
  /** What the service's vault calls are in AWS: inspect = 1 HeadObject (S3 keeps the SHA-256 the PUT carried, so no GetObject), setLegalHold = 1 PutObjectLegalHold. */
  s3ServiceInAws: Counts;
  note?: string;
}

export interface MemoryFigures {
  objectBytes: number;
  /** RSS of the child after loading the S3 adapter and one warm-up inspect of a 64 KB object, after GC. */
  baselineRssBytes: number;
  /** The larger of the sampled peak and the kernel's high-water mark, when that rose while the verifications ran. */
  peakRssBytes: number;
  sampledPeakRssBytes: number;
  rssDeltaBytes: number;
  baselineArrayBuffersBytes: number;
  peakArrayBuffersBytes: number;
  peakHeapUsedBytes: number;
  samples: number;
  /**
   * Verifications run back to back while sampling: as many as fit in `minSampleMs` (at least one), so a small
   * object gets as many samples as a large one.
   */
  repeats: number;
  /** The kernel's high-water mark (ru_maxrss) before and after the verifications: catches a peak between two samples. */
  kernelMaxRssBeforeBytes: number;
  kernelMaxRssAfterBytes: number;
  /** One inspect(): HeadObject + streamed SHA-256 (mean over the repeats). */
  durationMs: number;
  mbPerS: number;
  /** Every repeat's SHA-256 equals the one computed while uploading. */
  sha256Matches: boolean;
  /** Streaming the object into the local S3 (parent process), seconds. */
  uploadS: number;
}

export interface StorageCostFigures {
  assumptions: EvidenceBenchSettings['storage'];
  gbStored: number;
  standard: { usdPerMonth: number; usdOverRetention: number };
  /** Computed alternative, not implemented: a lifecycle rule moving every object to Glacier Instant Retrieval at once. */
  glacierInstantRetrieval: { usdPerMonth: number; usdOverRetention: number; transitionUsd: number; cheaperBy: number };
  /** The one-off S3 request cost of uploading and verifying the files (client PutObject + verifier HeadObject), as counted. */
  uploadRequestsUsd: number;
  pricing: typeof S3_PRICING;
}

export interface EvidenceCheck {
  name: string;
  ok: boolean;
  hard: boolean;
  informational?: boolean;
  detail: string;
}

export interface EvidenceBenchResult {
  settings: EvidenceBenchSettings;
  node: string;
  latency: LatencyFigures[];
  requests: RequestCountFigures[];
  memory: { objects: MemoryFigures[]; peakRssRatio: number; rssDeltaRatio: number; sampleMs: number; maxRssDeltaBytes: number } | undefined;
  storageCost: StorageCostFigures;
  /** Local server errors and failed Object Created deliveries seen during the run (should be none). */
  errors: string[];
  powertoolsEmptyMetricsWarningsDropped: number;
  checks: EvidenceCheck[];
  durationS: number;
}

const spread = (values: number[]): Spread => ({
  n: values.length,
  p50: round(percentile(values, 50), 1),
  p99: round(percentile(values, 99), 1),
  max: values.length ? round(Math.max(...values), 1) : Number.NaN,
  min: values.length ? round(Math.min(...values), 1) : Number.NaN,
  mean: values.length ? round(values.reduce((a, b) => a + b, 0) / values.length, 1) : Number.NaN,
});

const inc = (c: Counts, k: string, by = 1) => void (c[k] = (c[k] ?? 0) + by);
const sum = (...cs: Counts[]): Counts => {
  const out: Counts = {};
  for (const c of cs) for (const [k, v] of Object.entries(c)) inc(out, k, v);
  return out;
};
const total = (c: Counts) => Object.values(c).reduce((a, b) => a + b, 0);
export const formatCounts = (c: Counts): string =>
  Object.entries(c)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${v} ${k}`)
    .join(' + ') || '0';
const mb = (bytes: number) => (bytes / MiB).toFixed(1);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));


const OWNER: [string, Role[]] = ['bench-evidence-owner', ['handler']];
const SUPERVISOR: [string, Role[]] = ['bench-evidence-supervisor', ['supervisor']];
const LEGAL: [string, Role[]] = ['bench-evidence-legal', ['legal']];

const complaint = (summary: string) =>
  benchComplaint(summary, {
    customer: { id: 'bench-evidence-customer', name: 'Ada Lovelace', email: 'ada@example.com', vulnerable: false },
    description: 'Missed a service appointment, claims financial loss, sends photos and statements as evidence.',
    ownerId: OWNER[0],
  });

interface File {
  label: string;
  bytes: Buffer;
  sha256: string;
}

const registration = (f: File, fileName: string) => ({ fileName, contentType: 'application/pdf', sizeBytes: f.bytes.length, sha256: f.sha256 });

// ── 1. Latency ────────────────────────────────────────────────────────────────────────────────

interface RunTimes {
  registerMs: number;
  putMs: number;
  verifyMs: number;
  totalMs: number;
  status: string;
}

const uploadOnce = async (stack: StartedStack, api: Typed, f: File, name: string): Promise<RunTimes> => {
  const caseId = (await expectStatus(api(SUPERVISOR).POST('/v1/complaints', { body: complaint(`evidence bench: ${name}`) }), 201, 'create a case')).id;
  const t0 = performance.now();
  const reg = await expectStatus(api(OWNER).POST('/v1/complaints/{id}/evidence', { params: { path: { id: caseId } }, body: registration(f, `${name}.pdf`) }), 201, 'register evidence');
  const t1 = performance.now();
  const upload = reg.upload;
  // The presigned S3 PUT goes to the bucket, not the API: outside the contract, raw fetch as an integrator's upload.
  const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: f.bytes });
  const answer = await put.text();
  if (put.status !== 200) throw new Error(`PUT ${f.label}: ${put.status} ${answer.slice(0, 300)}`);
  const t2 = performance.now();
  await stack.s3.idle();
  const t3 = performance.now();
  const item = await expectStatus(api(OWNER).GET('/v1/complaints/{id}/evidence/{evidenceId}', { params: { path: { id: caseId, evidenceId: reg.evidenceId } } }), 200, 'read evidence');
  return { registerMs: t1 - t0, putMs: t2 - t1, verifyMs: t3 - t2, totalMs: t3 - t0, status: item.status };
};

const measureLatency = async (stack: StartedStack, files: File[], settings: EvidenceBenchSettings, log: (line: string) => void, elapsed: () => string): Promise<LatencyFigures[]> => {
  const api = typed(stack);
  for (const f of files) for (let i = 0; i < settings.warmupRuns; i++) await uploadOnce(stack, api, f, `warm-up ${f.label} #${i}`);
  // Sizes interleaved evenly (30 × 1 MB and 10 × 50 MB: three small, one large, …) so drift hits both alike.
  const schedule = settings.sizes
    .flatMap((s, si) => Array.from({ length: s.runs }, (_, i) => ({ si, pos: (i + 0.5) / s.runs })))
    .sort((a, b) => a.pos - b.pos || a.si - b.si);
  const times: RunTimes[][] = settings.sizes.map(() => []);
  let lastPrint = performance.now();
  for (const [n, { si }] of schedule.entries()) {
    const f = files[si]!;
    times[si]!.push(await uploadOnce(stack, api, f, `${f.label} #${times[si]!.length}`));
    if (performance.now() - lastPrint > 5000 || n === schedule.length - 1) {
      lastPrint = performance.now();
      log(`  ${n + 1}/${schedule.length} uploads verified (${settings.sizes.map((s, i) => `${times[i]!.length}/${s.runs} × ${s.label}`).join(', ')})  [${elapsed()}]`);
    }
  }
  return settings.sizes.map((s, si) => {
    const t = times[si]!;
    const verify = spread(t.map((r) => r.verifyMs));
    return {
      label: s.label,
      bytes: s.bytes,
      runs: t.length,
      verified: t.filter((r) => r.status === 'verified').length,
      totalMs: spread(t.map((r) => r.totalMs)),
      registerMs: spread(t.map((r) => r.registerMs)),
      putMs: spread(t.map((r) => r.putMs)),
      verifyMs: verify,
      verifyMbPerS: round(s.bytes / MiB / (verify.p50 / 1000), 0),
    };
  });
};

// ── 2. Requests per evidence item ─────────────────────────────────────────────────────────────

interface Window {
  dynamo: Counts;
  dynamoLocalObjectLock: Counts;
  s3Service: Counts;
  s3Client: Counts;
  vaultCalls: Counts;
}

/** The S3 API operation of a path-style request to the local S3. */
const s3Operation = (method: string, url: string): string => {
  const u = new URL(url, 'http://local');
  const [, , ...key] = u.pathname.split('/');
  const sub = ['legal-hold', 'retention', 'tagging', 'acl', 'uploads', 'uploadId'].find((q) => u.searchParams.has(q));
  if (!key.join('/')) return `${method} bucket${sub ? `?${sub}` : ''}`;
  if (sub === 'legal-hold') return method === 'PUT' ? 'PutObjectLegalHold' : 'GetObjectLegalHold';
  if (sub === 'retention') return method === 'PUT' ? 'PutObjectRetention' : 'GetObjectRetention';
  if (sub) return `${method} object?${sub}`;
  return ({ HEAD: 'HeadObject', GET: 'GetObject', PUT: u.searchParams.has('partNumber') ? 'UploadPart' : 'PutObject', DELETE: 'DeleteObject' } as Record<string, string>)[method] ?? `${method} object`;
};

/**
 * Counts, per measured window: DynamoDB requests (the SDK observer), every HTTP request the local S3 receives
 * (diagnostics_channel on its server: the service's come with the AWS SDK's user agent, the client's direct
 * PUT/GET with fetch's), and the service's evidence-vault calls (its vault instance wrapped for the count). The
 * flows are sequential (no background tick), so DynamoDB requests made while a LocalObjectLockVault call runs are
 * the local Object Lock stand-in's.
 */
const requestCounter = async (stack: StartedStack) => {
  const { observeDynamoRequests } = await import('#adapters/aws/dynamo/client');
  const { evidenceService } = await import('#http/evidence-container');
  const { LocalObjectLockVault } = await import('#adapters/local/local-object-lock');
  const s3Port = Number(new URL(stack.s3.endpoint).port);
  let current: Window | undefined;
  let inVault = 0;

  // The service's vault: EvidenceService keeps it in its (private) deps; the verifier and the API share the instance.
  const vault = (evidenceService() as unknown as { deps: { vault: EvidenceVault } }).deps.vault;
  const localLock = vault instanceof LocalObjectLockVault;
  const methods = ['presignUpload', 'presignDownload', 'inspect', 'setLegalHold'] as const;
  const originals = methods.map((m) => [m, Object.getOwnPropertyDescriptor(vault, m)] as const);
  for (const m of methods) {
    const original = (vault[m] as (...a: unknown[]) => Promise<unknown>).bind(vault);
    Object.defineProperty(vault, m, {
      configurable: true,
      writable: true,
      value: async (...args: unknown[]) => {
        if (current) inc(current.vaultCalls, m);
        inVault++;
        try {
          return await original(...args);
        } finally {
          inVault--;
        }
      },
    });
  }
  const stopDynamo = observeDynamoRequests((name) => {
    if (current) inc(localLock && inVault > 0 ? current.dynamoLocalObjectLock : current.dynamo, name.replace(/Command$/, ''));
  });
  const onRequest = (message: unknown) => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    const address = server.address();
    if (!current || typeof address !== 'object' || address?.port !== s3Port) return;
    const sdk = /aws-sdk-js/i.test(request.headers['user-agent'] ?? '') || request.headers['x-amz-user-agent'] !== undefined;
    inc(sdk ? current.s3Service : current.s3Client, s3Operation(request.method ?? '?', request.url ?? '/'));
  };
  subscribe('http.server.request.start', onRequest);

  const measure = async <T>(fn: () => Promise<T>): Promise<{ out: T; window: Window }> => {
    const window: Window = { dynamo: {}, dynamoLocalObjectLock: {}, s3Service: {}, s3Client: {}, vaultCalls: {} };
    current = window;
    try {
      return { out: await fn(), window };
    } finally {
      current = undefined;
    }
  };
  const stop = () => {
    unsubscribe('http.server.request.start', onRequest);
    stopDynamo();
    for (const [m, d] of originals) {
      if (d) Object.defineProperty(vault, m, d);
      else delete (vault as unknown as Record<string, unknown>)[m];
    }
  };
  return { measure, stop, localLock };
};

const inAws = (vaultCalls: Counts): Counts => ({
  ...(vaultCalls.inspect ? { HeadObject: vaultCalls.inspect } : {}),
  ...(vaultCalls.setLegalHold ? { PutObjectLegalHold: vaultCalls.setLegalHold } : {}),
});

const countRequests = async (stack: StartedStack, f: File): Promise<{ rows: RequestCountFigures[]; localLock: boolean }> => {
  const api = typed(stack);
  const counter = await requestCounter(stack);
  const rows: RequestCountFigures[] = [];
  const row = (operation: string, request: string, w: Window, note?: string) => {
    rows.push({ operation, request, ...w, s3ServiceInAws: inAws(w.vaultCalls), ...(note ? { note } : {}) });
  };
  try {
    const caseId = (await expectStatus(api(SUPERVISOR).POST('/v1/complaints', { body: complaint('evidence bench: request counts') }), 201, 'create a case')).id;
    const path = { path: { id: caseId } };
    const reg = await counter.measure(() => expectStatus(api(OWNER).POST('/v1/complaints/{id}/evidence', { params: path, body: registration(f, 'counted.pdf') }), 201, 'register evidence'));
    row('register', 'POST /v1/complaints/{id}/evidence', reg.window, 'signs the direct PUT: no S3 request');
    const { upload, evidenceId } = reg.out;
    const up = await counter.measure(async () => {
      // The presigned S3 PUT goes to the bucket, not the API: outside the contract, raw fetch as an integrator's upload.
      const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: f.bytes });
      await put.text();
      if (put.status !== 200) throw new Error(`counted PUT: ${put.status}`);
      await stack.s3.idle();
    });
    row(
      'upload + verify',
      'client PUT to the presigned URL → Object Created → verifier',
      up.window,
      'locally the verifier also GETs the object to hash it (s3rver keeps no checksum); in AWS HeadObject returns the SHA-256 the PUT carried',
    );
    const dl = await counter.measure(async () => {
      const item = await expectStatus(api(OWNER).GET('/v1/complaints/{id}/evidence/{evidenceId}', { params: { path: { id: caseId, evidenceId } } }), 200, 'read evidence');
      if (item.status !== 'verified' || !item.downloadUrl) throw new Error(`counted item is ${item.status}, not verified with a download link`);
      // The presigned S3 GET: outside the contract, raw fetch.
      const got = await fetch(item.downloadUrl);
      const bytes = Buffer.from(await got.arrayBuffer());
      if (got.status !== 200 || sha256(bytes) !== f.sha256) throw new Error(`download: ${got.status}, SHA-256 ${sha256(bytes) === f.sha256 ? 'matches' : 'differs'}`);
    });
    row('download link', 'GET /v1/complaints/{id}/evidence/{evidenceId} + client GET of downloadUrl', dl.window, 'issuing the link is audited (a case write); the bytes go straight from S3 to the client');
    const hold = await counter.measure(() => expectStatus(api(LEGAL).POST('/v1/complaints/{id}/legal-hold', { params: path, body: { on: true, reason: 'Solicitor’s letter before action received' } }), 200, 'legal hold'));
    row('legal hold on (1 item)', 'POST /v1/complaints/{id}/legal-hold {on: true}', hold.window);
    const item = [reg.window, up.window];
    const merged = (k: keyof Window) => sum(...item.map((w) => w[k]));
    row('per item (register + upload + verify)', 'the two rows above together', {
      dynamo: merged('dynamo'),
      dynamoLocalObjectLock: merged('dynamoLocalObjectLock'),
      s3Service: merged('s3Service'),
      s3Client: merged('s3Client'),
      vaultCalls: merged('vaultCalls'),
    });
    return { rows, localLock: counter.localLock };
  } finally {
    counter.stop();
  }
};

// ── 3. Verifier memory ────────────────────────────────────────────────────────────────────────

interface ChildArgs {
  endpoint: string;
  bucket: string;
  key: string;
  warmKey: string;
  sha256: string;
  sampleMs: number;
  minSampleMs: number;
}

type ChildFigures = Omit<MemoryFigures, 'uploadS'>;

/** Runs in the child process: the verifier's storage step on one object, with memory sampled while it runs. */
const memoryChild = async (o: ChildArgs): Promise<ChildFigures> => {
  const gc = (globalThis as { gc?: () => void }).gc;
  const vault = new S3EvidenceVault({ bucket: o.bucket, region: 'local', endpoint: o.endpoint });
  // Warm-up on a small object: loads the SDK's lazily required modules and opens the keep-alive connection.
  await vault.inspect(o.warmKey);
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(50);
  }
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakArrayBuffers = base.arrayBuffers;
  let peakHeapUsed = base.heapUsed;
  let samples = 0;
  const sample = () => {
    const m = process.memoryUsage();
    samples++;
    peakRss = Math.max(peakRss, m.rss);
    peakArrayBuffers = Math.max(peakArrayBuffers, m.arrayBuffers);
    peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
  };
  const kernelBefore = process.resourceUsage().maxRSS * 1024;
  const timer = setInterval(sample, o.sampleMs);
  const t0 = performance.now();
  let repeats = 0;
  let matches = true;
  let bytes = 0;
  do {
    const stored = await vault.inspect(o.key);
    repeats++;
    bytes = stored?.sizeBytes ?? 0;
    matches &&= stored?.sha256 === o.sha256;
  } while (performance.now() - t0 < o.minSampleMs);
  const durationMs = (performance.now() - t0) / repeats;
  sample();
  clearInterval(timer);
  const kernelAfter = process.resourceUsage().maxRSS * 1024;
  const peak = kernelAfter > kernelBefore ? Math.max(peakRss, kernelAfter) : peakRss;
  return {
    objectBytes: bytes,
    baselineRssBytes: base.rss,
    peakRssBytes: peak,
    sampledPeakRssBytes: peakRss,
    rssDeltaBytes: peak - base.rss,
    baselineArrayBuffersBytes: base.arrayBuffers,
    peakArrayBuffersBytes: peakArrayBuffers,
    peakHeapUsedBytes: peakHeapUsed,
    samples,
    repeats,
    kernelMaxRssBeforeBytes: kernelBefore,
    kernelMaxRssAfterBytes: kernelAfter,
    durationMs: round(durationMs, 1),
    mbPerS: round(bytes / MiB / (durationMs / 1000), 0),
    sha256Matches: matches,
  };
};

/** The child must run asynchronously: the local S3 serving its GET lives in this process. */
const spawnChild = (args: ChildArgs): Promise<ChildFigures> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--memory-child', JSON.stringify(args)], {
      cwd: REPO_ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return fail(new Error(`memory child exited ${code ?? signal}: ${out.slice(-500)}`));
      try {
        done(JSON.parse(line) as ChildFigures);
      } catch {
        fail(new Error(`memory child printed no figures: ${out.slice(-500)}`));
      }
    });
  });

/** Streams `bytes` of pseudo-random data into the local S3 (1 MiB chunks, never all in memory); returns its SHA-256. */
const streamUpload = async (endpoint: string, bucket: string, key: string, bytes: number): Promise<string> => {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  const { localS3Client } = await import('../infra/local/s3-local');
  const s3 = localS3Client(endpoint, 'local');
  const hash = createHash('sha256');
  const seed = randomBytes(MiB);
  async function* chunks() {
    for (let at = 0, i = 0; at < bytes; at += MiB, i++) {
      const chunk = Buffer.allocUnsafe(Math.min(MiB, bytes - at));
      seed.copy(chunk, 0, 0, chunk.length);
      // Each chunk differs from the others (its index in the first bytes), so nothing hashes like a repeated block.
      chunk.writeUInt32BE(i, 0);
      hash.update(chunk);
      yield chunk;
    }
  }
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Readable.from(chunks()), ContentLength: bytes, ContentType: 'application/octet-stream' }));
  } finally {
    s3.destroy();
  }
  return hash.digest('hex');
};

const measureMemory = async (settings: EvidenceBenchSettings, log: (line: string) => void, elapsed: () => string): Promise<MemoryFigures[]> => {
  const { startLocalS3 } = await import('../infra/local/s3-local');
  // Its own local S3 on a temp dir (removed on stop), no Object Created target: only the child reads the objects.
  const s3 = await startLocalS3({ bucket: `bench-evidence-memory-${randomUUID().slice(0, 8)}`, onObjectCreated: () => undefined, region: 'local' });
  const out: MemoryFigures[] = [];
  try {
    const warmKey = 'bench/memory/warm-up.bin';
    await streamUpload(s3.endpoint, s3.bucket, warmKey, 64 * 1024);
    for (const bytes of [settings.memory.compareBytes, settings.memory.bytes]) {
      const key = `bench/memory/${bytes}.bin`;
      const u0 = performance.now();
      const sha = await streamUpload(s3.endpoint, s3.bucket, key, bytes);
      const uploadS = (performance.now() - u0) / 1000;
      log(`  streamed a ${mb(bytes)} MB object into the local S3 in ${uploadS.toFixed(2)} s; verifying it in a child process (memory sampled every ${settings.memory.sampleMs} ms)  [${elapsed()}]`);
      const fig = { ...(await spawnChild({ endpoint: s3.endpoint, bucket: s3.bucket, key, warmKey, sha256: sha, sampleMs: settings.memory.sampleMs, minSampleMs: settings.memory.minSampleMs })), uploadS: round(uploadS, 1) };
      out.push(fig);
      log(
        `  ${mb(bytes)} MB: peak RSS ${mb(fig.peakRssBytes)} MB (baseline ${mb(fig.baselineRssBytes)} MB, +${mb(fig.rssDeltaBytes)} MB), peak arrayBuffers ${mb(fig.peakArrayBuffersBytes)} MB; inspect ${ms(fig.durationMs)} ms${fig.repeats > 1 ? ` (mean of ${fig.repeats})` : ''}, ${fig.mbPerS} MB/s, SHA-256 ${fig.sha256Matches ? 'matches' : '✗ differs'}  [${elapsed()}]`,
      );
    }
  } finally {
    await s3.stop();
  }
  return out;
};

// ── 4. Storage cost ───────────────────────────────────────────────────────────────────────────

const usd2 = (n: number) => round(n, 2);

const storageCost = (settings: EvidenceBenchSettings, requests: RequestCountFigures[]): StorageCostFigures => {
  const a = settings.storage;
  const p = S3_PRICING;
  const files = a.complaints * a.filesPerComplaint;
  const gb = (files * a.fileMb) / 1000;
  const standardMonth = gb * p.standardUsdPerGbMonth;
  const girMonth = gb * p.glacierInstantRetrievalUsdPerGbMonth;
  // One-off requests to upload and verify a file, as counted (client PutObject + the verifier's HeadObject in AWS).
  const perItem = requests.find((r) => r.operation.startsWith('per item'));
  const aws = perItem ? sum(perItem.s3Client, perItem.s3ServiceInAws) : { PutObject: 1, HeadObject: 1 };
  const putClass = (aws.PutObject ?? 0) + (aws.PutObjectLegalHold ?? 0);
  const getClass = total(aws) - putClass;
  return {
    assumptions: a,
    gbStored: gb,
    standard: { usdPerMonth: usd2(standardMonth), usdOverRetention: usd2(standardMonth * a.retentionMonths) },
    glacierInstantRetrieval: {
      usdPerMonth: usd2(girMonth),
      usdOverRetention: usd2(girMonth * a.retentionMonths),
      transitionUsd: usd2((files * p.lifecycleTransitionUsdPer1000) / 1000),
      cheaperBy: round(p.standardUsdPerGbMonth / p.glacierInstantRetrievalUsdPerGbMonth, 2),
    },
    uploadRequestsUsd: round((files * (putClass * p.putClassUsdPer1000 + getClass * p.getClassUsdPer1000)) / 1000, 3),
    pricing: p,
  };
};

// ── Run and report ────────────────────────────────────────────────────────────────────────────

const METRICS_WARNING = 'No application metrics to publish';

export const runEvidenceBench = async (settings: EvidenceBenchSettings = evidenceSettings(), log: (line: string) => void = say): Promise<EvidenceBenchResult> => {
  const t0 = performance.now();
  // Under bench/run.ts, progress shows the run's elapsed time, as its other phases do.
  const base = Number(process.env.BENCH_ELAPSED_BASE_S ?? 0) || 0;
  const elapsed = () => `${(base + (performance.now() - t0) / 1000).toFixed(0)} s`;
  const { startStack } = await import('../infra/local/stack');
  const { suppressStderrLines } = await import('./quiet');
  const checks: EvidenceCheck[] = [];
  const errors: string[] = [];
  const onLog = (line: string) => {
    if (line.startsWith('local server error') || line.startsWith('local s3:')) errors.push(line);
  };

  const files: File[] = settings.sizes.map((s) => {
    const bytes = randomBytes(s.bytes);
    return { label: s.label, bytes, sha256: sha256(bytes) };
  });
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, log: onLog });
  log(`  DynamoDB Local ${stack.dynamo?.endpoint}, local S3 ${stack.s3.endpoint}, API ${stack.api.url}, no background tick  [${elapsed()}]`);
  const quiet = suppressStderrLines(METRICS_WARNING);
  let latency: LatencyFigures[];
  let counted: Awaited<ReturnType<typeof countRequests>>;
  try {
    log(
      `  register → PUT → verified: ${settings.sizes.map((s) => `${s.runs} × ${s.label}`).join(' and ')}, interleaved, a new case each (after ${settings.warmupRuns} unmeasured run${settings.warmupRuns === 1 ? '' : 's'} per size)`,
    );
    latency = await measureLatency(stack, files, settings, log, elapsed);
    for (const l of latency) {
      log(
        `  ${l.label.padEnd(6)} total p50 ${ms(l.totalMs.p50)} ms, p99 ${ms(l.totalMs.p99)} ms (register ${ms(l.registerMs.p50)}, PUT ${ms(l.putMs.p50)}, verify ${ms(l.verifyMs.p50)} ms medians); ${l.verified}/${l.runs} verified  [${elapsed()}]`,
      );
    }
    log(`  S3 and DynamoDB requests per evidence item (one case, one ${files[0]!.label} item)`);
    counted = await countRequests(stack, files[0]!);
    for (const r of counted.rows) log(`  ${r.operation.padEnd(38)} DynamoDB ${formatCounts(r.dynamo)}; S3 service ${formatCounts(r.s3Service)}, client ${formatCounts(r.s3Client)}`);
    if (stack.s3.failed.length) errors.push(...stack.s3.failed.map((f) => `Object Created ${f.event.detail.object.key} failed: ${String(f.error)}`));
  } finally {
    await stack.stop();
    quiet.restore();
  }

  log(`  verifier memory: ${mb(settings.memory.compareBytes)} MB and ${mb(settings.memory.bytes)} MB objects, each verified in a fresh child process`);
  let memory: EvidenceBenchResult['memory'];
  try {
    const objects = await measureMemory(settings, log, elapsed);
    const [small, large] = objects as [MemoryFigures, MemoryFigures];
    memory = {
      objects,
      peakRssRatio: round(large.peakRssBytes / small.peakRssBytes, 2),
      rssDeltaRatio: round(large.rssDeltaBytes / Math.max(small.rssDeltaBytes, 1), 2),
      sampleMs: settings.memory.sampleMs,
      maxRssDeltaBytes: settings.memory.maxRssDeltaBytes,
    };
  } catch (err) {
    log(`  ✗ verifier memory: ${(err as Error).message}`);
    errors.push(`verifier memory: ${(err as Error).message}`);
  }

  const notVerified = latency.filter((l) => l.verified < l.runs);
  checks.push({
    name: 'evidence: every measured upload ends verified',
    ok: notVerified.length === 0,
    hard: true,
    detail: latency.map((l) => `${l.label}: ${l.verified}/${l.runs}`).join(', '),
  });
  const large = memory?.objects.at(-1);
  checks.push({
    name: `evidence: verifier peak RSS over baseline < ${mb(settings.memory.maxRssDeltaBytes)} MB on a ${mb(settings.memory.bytes)} MB object (streamed hash)`,
    ok: large !== undefined && large.rssDeltaBytes < settings.memory.maxRssDeltaBytes && memory!.objects.every((o) => o.sha256Matches),
    hard: true,
    detail: memory
      ? `${memory.objects.map((o) => `${mb(o.objectBytes)} MB: +${mb(o.rssDeltaBytes)} MB (peak ${mb(o.peakRssBytes)} MB), SHA-256 ${o.sha256Matches ? 'matches' : 'differs'}`).join('; ')}; peak RSS ratio ${memory.peakRssRatio}×`
      : 'not measured',
  });
  const perItem = counted.rows.find((r) => r.operation.startsWith('per item'));
  checks.push({
    name: 'evidence: the bytes never pass through the service (client PUT/GET straight to S3; service S3 requests in AWS: 1 HeadObject per item)',
    ok: perItem !== undefined && perItem.s3Client.PutObject === 1 && total(perItem.s3ServiceInAws) === 1 && perItem.s3ServiceInAws.HeadObject === 1,
    hard: false,
    informational: true,
    detail: perItem ? `per item: client ${formatCounts(perItem.s3Client)}; service in AWS ${formatCounts(perItem.s3ServiceInAws)} (locally ${formatCounts(perItem.s3Service)})` : 'not counted',
  });
  const scans = counted.rows.filter((r) => (r.dynamo.Scan ?? 0) + (r.dynamoLocalObjectLock.Scan ?? 0) > 0);
  checks.push({ name: 'evidence: no Scan on any evidence path', ok: scans.length === 0, hard: true, detail: scans.length ? scans.map((r) => r.operation).join(', ') : `${counted.rows.length - 1} operations, 0 Scans` });
  checks.push({ name: 'evidence: no local server errors or failed Object Created deliveries', ok: errors.length === 0, hard: true, detail: errors.length ? `${errors.length}; first: ${errors[0]?.split('\n').slice(0, 3).join(' | ')}` : 'none' });

  return {
    settings,
    node: process.version,
    latency,
    requests: counted.rows,
    memory,
    storageCost: storageCost(settings, counted.rows),
    errors: errors.slice(0, 20),
    powertoolsEmptyMetricsWarningsDropped: quiet.count(),
    checks,
    durationS: round((performance.now() - t0) / 1000, 1),
  };
};

const usd = (n: number) => n.toFixed(2);

/** The report tables (printed standalone, and by bench/run.ts in its Results section). */
export const evidenceReport = (r: EvidenceBenchResult): string => {
  const c = r.storageCost;
  const a = c.assumptions;
  const p = c.pricing;
  const lines = [
    'Evidence: register → upload → verified, local stack (POST register → client PUT to the local S3 → Object Created → verifier done; 1 MB = 1 MiB)',
    table(
      ['file', 'runs', 'verified', 'p50 ms', 'p99 ms', 'min ms', 'max ms', 'register p50', 'PUT p50', 'verify p50', 'verify MB/s'],
      r.latency.map((l) => [l.label, l.runs, `${l.verified}/${l.runs}`, ms(l.totalMs.p50), ms(l.totalMs.p99), ms(l.totalMs.min), ms(l.totalMs.max), ms(l.registerMs.p50), ms(l.putMs.p50), ms(l.verifyMs.p50), l.verifyMbPerS]),
    ),
    '  verify = PUT answered → the verifier has written the item: locally it streams the object back to hash it (s3rver keeps no checksum); in AWS HeadObject returns the SHA-256 the PUT carried, so verification does not grow with the file.',
    `  p99 over ${Math.min(...r.latency.map((l) => l.runs))} runs is close to the maximum (interpolated between the two slowest).`,
    '',
    'Evidence: requests per evidence item (DynamoDB: SDK observer; S3: every request the local S3 received, service = AWS SDK, client = fetch to a presigned URL)',
    table(
      ['operation', 'DynamoDB', 'DynamoDB local Object Lock', 'S3 service (local)', 'S3 service in AWS', 'S3 client direct', 'presigned'],
      r.requests.map((q) => [
        q.operation,
        formatCounts(q.dynamo),
        total(q.dynamoLocalObjectLock) ? formatCounts(q.dynamoLocalObjectLock) : '–',
        formatCounts(q.s3Service),
        formatCounts(q.s3ServiceInAws),
        formatCounts(q.s3Client),
        [q.vaultCalls.presignUpload ? `${q.vaultCalls.presignUpload} PUT` : '', q.vaultCalls.presignDownload ? `${q.vaultCalls.presignDownload} GET` : ''].filter(Boolean).join(' + ') || '–',
      ]),
    ),
    '  DynamoDB local Object Lock: the local stand-in keeps legal hold in the local table (GetItem per inspect, PutItem per hold); in AWS the bucket does, with PutObjectLegalHold.',
    '  S3 service in AWS: inspect = 1 HeadObject (ChecksumMode ENABLED returns the stored SHA-256, so no GetObject), setLegalHold = 1 PutObjectLegalHold; presigning is local signing, no request.',
    '',
  ];
  if (r.memory) {
    const m = r.memory;
    lines.push(
      `Evidence: verifier memory (S3EvidenceVault.inspect: HeadObject + streamed SHA-256, in a fresh \`node --expose-gc\` child; process.memoryUsage() every ${m.sampleMs} ms while it verifies the object back to back for ≥ ${r.settings.memory.minSampleMs} ms; baseline after a warm-up inspect and GC; peak = the sampled peak or the kernel's max RSS if that rose meanwhile)`,
      table(
        ['object', 'baseline RSS MB', 'peak RSS MB', 'Δ RSS MB', 'sampled peak MB', 'peak arrayBuffers MB', 'peak heapUsed MB', 'inspect ms', 'MB/s', 'runs', 'samples', 'SHA-256'],
        m.objects.map((o) => [
          `${mb(o.objectBytes)} MB`,
          mb(o.baselineRssBytes),
          mb(o.peakRssBytes),
          mb(o.rssDeltaBytes),
          mb(o.sampledPeakRssBytes),
          mb(o.peakArrayBuffersBytes),
          mb(o.peakHeapUsedBytes),
          ms(o.durationMs),
          o.mbPerS,
          o.repeats,
          o.samples,
          o.sha256Matches ? 'matches' : '✗ differs',
        ]),
      ),
      `  peak RSS ${m.objects.at(-1) ? mb(m.objects.at(-1)!.objectBytes) : '?'} MB ÷ ${m.objects[0] ? mb(m.objects[0].objectBytes) : '?'} MB object = ${m.peakRssRatio}× (Δ RSS ${m.rssDeltaRatio}×) for ${m.objects.length === 2 ? (m.objects[1]!.objectBytes / m.objects[0]!.objectBytes).toFixed(0) : '?'}× the bytes${(m.objects.at(-1)?.rssDeltaBytes ?? Infinity) < m.maxRssDeltaBytes ? ': flat, the hash is streamed (peak arrayBuffers = hashed chunks not yet collected, bounded)' : ''}; hard limit Δ RSS < ${mb(m.maxRssDeltaBytes)} MB. The objects were streamed into the local S3 (1 MiB chunks) and deleted with its temp dir.`,
      '',
    );
  }
  lines.push(
    `Evidence: storage per ${a.complaints.toLocaleString('en-GB')} complaints (${a.filesPerComplaint} files × ${a.fileMb} MB each = ${c.gbStored} GB, held ${a.retentionMonths} months = ${a.retentionYears}-year retention), S3 list price ${p.region}`,
    table(
      ['storage class', '$ / GB-month', 'GB', '$ / month', `$ over ${a.retentionMonths} months`, 'vs S3 Standard'],
      [
        ['S3 Standard (as built)', p.standardUsdPerGbMonth.toFixed(3), c.gbStored, usd(c.standard.usdPerMonth), usd(c.standard.usdOverRetention), '–'],
        [
          'S3 Glacier Instant Retrieval (lifecycle; not implemented)',
          p.glacierInstantRetrievalUsdPerGbMonth.toFixed(3),
          c.gbStored,
          usd(c.glacierInstantRetrieval.usdPerMonth),
          usd(c.glacierInstantRetrieval.usdOverRetention),
          `${c.glacierInstantRetrieval.cheaperBy}× less (+ $${usd(c.glacierInstantRetrieval.transitionUsd)} of transitions, once)`,
        ],
      ],
    ),
    `  Prices: S3 Standard $${p.standardUsdPerGbMonth}/GB-month (first 50 TB), Glacier Instant Retrieval $${p.glacierInstantRetrievalUsdPerGbMonth}/GB-month (+ $${p.glacierInstantRetrievalUsdPerGbRetrieved}/GB retrieved, 90-day minimum, 128 KB minimum object), lifecycle transitions $${p.lifecycleTransitionUsdPer1000} per 1,000, PUT $${p.putClassUsdPer1000} / GET-HEAD $${p.getClassUsdPer1000} per 1,000 requests; ${p.source}.`,
    `  ${p.gigabyte}.`,
    `  Object Lock retention and legal holds stay with an object across a lifecycle transition. Upload requests (client PutObject + verifier HeadObject per file): $${c.uploadRequestsUsd.toFixed(3)} per ${a.complaints.toLocaleString('en-GB')} complaints, once. KMS requests and downloads not included.`,
  );
  return lines.join('\n');
};

// Standalone: `npx tsx bench/evidence.ts [--json FILE] [--no-report]`; `--memory-child ARGS` is the memory child.
if (require.main === module) {
  const args = process.argv.slice(2);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const childAt = args.indexOf('--memory-child');
  if (childAt >= 0) {
    memoryChild(JSON.parse(args[childAt + 1] ?? '{}') as ChildArgs)
      .then((figures) => process.stdout.write(`${JSON.stringify(figures)}\n`))
      .catch((err: unknown) => {
        process.stderr.write(`✗ evidence memory child failed: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
      });
  } else runStandalone('evidence', runEvidenceBench, evidenceReport, args);
}
