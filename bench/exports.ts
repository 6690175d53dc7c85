// Compliance exports on the local stack: export time and peak memory of the builder for a case with 10 evidence
// files totalling 500 MB against one with 10 × 1 MB (memory must stay flat), the offline verifier's throughput on
// the 500 MB bundle (in-process and the CLI), and the storage cost per 1,000 exported cases at S3 list price.
//
// `npm run bench` starts it as `node --import tsx bench/exports.ts --json FILE --no-report`: a fresh process with its
// own local stack (the container binds to one DynamoDB endpoint per process). Standalone: `npx tsx bench/exports.ts`
// prints progress and the report.
//
// 1. Cases: a fresh in-process stack (in-memory DynamoDB Local, the local S3 with its Object Created → verifier
//    delivery, API on an ephemeral loopback port, no background tick, no reporting projection, no retention job).
//    A large case (10 × 50 MiB), a small one (10 × 1 MiB) and a warm-up case (1 × 64 KiB); every file goes through
//    the API: register → presigned PUT with fetch, the body streamed (`duplex: 'half'`, AES-CTR keystream chunks of
//    1 MiB, generated twice: once for the SHA-256 the registration needs, once for the PUT; never held whole) →
//    `stack.s3.idle()` (the verifier has settled it); the evidence log then confirms every item `verified`.
// 2. Builds: the parent's export launcher is replaced by one that only records the launches, so nothing builds in
//    the parent. Per run: POST /v1/complaints/{id}/exports as compliance (202) → `stack.timers.pump()` (the case
//    stream launches the job: recorded) → a child `node --expose-gc --import tsx` process with the parent's local
//    environment (DynamoDB Local endpoint, tables, local S3 endpoint and buckets, signing key file) builds a warm-up
//    export of the warm-up case, GCs, takes its baseline, then (on the parent's go, so the parent counts the S3
//    requests of that build alone) invokes the export builder's handler with `{ caseId, exportId }` while sampling
//    `process.memoryUsage()` every 50 ms → GET /v1/exports/{id} = ready. Large and small alternate (S L, L S, S L…).
//    The bundle's multipart upload goes to s3rver in the parent: its memory is not the builder's (reported apart).
// 3. Verifier: the last large and small bundles downloaded through their audited links (streamed to a temp file,
//    size and SHA-256 checked against the job), the stack stopped, then `verifyBundle` in-process and the CLI
//    (`node bin/complaint-verify.cjs FILE --public-key KEY --json`) 3 times each per bundle.
// 4. Storage cost: arithmetic on the stated assumptions, the overhead measured on the small bundle and S3 list prices.
import { spawn } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Context } from 'aws-lambda';
// Static imports stay light (the build child loads the builder's handler itself): the parent loads the local stack,
// the verifier and the launcher dynamically, so the child's baseline is an export builder's, not a whole stack's.
import { benchComplaint } from './fixtures/complaint';
import { S3_PRICING } from './evidence';
import { runStandalone } from './standalone';
import { expectStatus, typed, type Typed } from './api-client';
import { hashingTap } from '#adapters/export/zip-bundle-writer';
import { envInt, median, round, say, table } from './stats';
import type { Role } from '#schemas/common';
import type { StartedStack } from '../infra/local/stack';

const REPO_ROOT = resolve(__dirname, '..');
const KiB = 1024;
const MiB = 1024 * 1024;
/** What S3ExportStorage uploads a bundle in (its DEFAULT_PART_SIZE; lib-storage sends one PutObject below it). */
const PART_SIZE_BYTES = 8 * MiB;
/** Prefix of the build child's protocol lines on stdout (the handlers' Powertools logs go there too). */
const MARK = '@@exports-bench ';

// ── Settings ──────────────────────────────────────────────────────────────────────────────────

export interface ExportBenchSettings {
  /** The large case (BENCH_EXPORT_FILES × BENCH_EXPORT_FILE_MB MiB) and the small one (as many files of 1 MiB). */
  large: { files: number; fileBytes: number };
  small: { files: number; fileBytes: number };
  warmUpFileBytes: number;
  /** Builds per size, each a new export request in a fresh child process (BENCH_EXPORT_RUNS); verifier runs per bundle and mode. */
  runs: number;
  sampleMs: number;
  /** Hard check: the large export's peak RSS over the child's baseline stays below this. */
  maxRssDeltaBytes: number;
  /** Goal (reported): peak RSS large ÷ small. */
  peakRssRatioGoal: number;
  storage: {
    cases: number;
    exportsPerCase: number;
    /** A typical case's evidence, as bench/evidence.ts assumes: 5 files × 2 MB (1 MB = 10^6 bytes). */
    evidenceFilesPerCase: number;
    evidenceFileMb: number;
    /** Compliance-mode retention of a bundle (EXPORT_RETENTION_DAYS, default the evidence retention): 7 years. */
    retentionDays: number;
    /** Each bundle downloaded once through its audited link (GetObject; data transfer out not priced). */
    downloadsPerExport: number;
    partSizeBytes: number;
  };
}

/** BENCH_EXPORT_FILES, BENCH_EXPORT_FILE_MB, BENCH_EXPORT_RUNS. */
export const exportSettings = (): ExportBenchSettings => {
  const files = envInt('BENCH_EXPORT_FILES', 10, 1);
  const fileMb = envInt('BENCH_EXPORT_FILE_MB', 50, 1);
  // The evidence size limit (EVIDENCE_MAX_BYTES default, 100 MiB): a larger file would be refused at registration.
  if (fileMb > 100) throw new Error(`BENCH_EXPORT_FILE_MB must be ≤ 100 (the evidence size limit), got ${fileMb}`);
  return {
    large: { files, fileBytes: fileMb * MiB },
    small: { files, fileBytes: MiB },
    warmUpFileBytes: 64 * KiB,
    runs: envInt('BENCH_EXPORT_RUNS', 3, 1),
    sampleMs: 50,
    maxRssDeltaBytes: 150 * MiB,
    peakRssRatioGoal: 1.5,
    storage: { cases: 1000, exportsPerCase: 1, evidenceFilesPerCase: 5, evidenceFileMb: 2, retentionDays: 2557, downloadsPerExport: 1, partSizeBytes: PART_SIZE_BYTES },
  };
};

// ── Result types ──────────────────────────────────────────────────────────────────────────────

export type Counts = Record<string, number>;

export interface CaseFigures {
  label: 'large' | 'small' | 'warm-up';
  caseId: string;
  files: number;
  fileBytes: number;
  evidenceBytes: number;
  /** Register → PUT → verified for all its files, one after another (parent process), seconds. */
  uploadS: number;
  verified: number;
}

export interface BuildMemory {
  /** RSS of the child after loading the builder, one warm-up export of a 64 KiB case and GC. */
  baselineRssBytes: number;
  /** The larger of the sampled peak and the kernel's high-water mark, when that rose during the measured build. */
  peakRssBytes: number;
  sampledPeakRssBytes: number;
  rssDeltaBytes: number;
  baselineHeapUsedBytes: number;
  peakHeapUsedBytes: number;
  baselineArrayBuffersBytes: number;
  peakArrayBuffersBytes: number;
  kernelMaxRssBeforeBytes: number;
  kernelMaxRssAfterBytes: number;
  samples: number;
}

export interface BuildRun {
  size: 'large' | 'small';
  run: number;
  exportId: string;
  /** The handler's outcome in the child (`built`) and the job's status read back through the API (`ready`). */
  outcome: string;
  status: string;
  /** The measured handler invocation (claim, stream evidence → ZIP → multipart upload, sign, complete). */
  buildMs: number;
  /** Bundle MiB ÷ build seconds. */
  mbPerS: number;
  bundleBytes: number;
  files: number;
  /** The child's first (cold) warm-up export: module loading, first SDK calls, the PDF fonts. */
  warmUpBuildMs: number;
  memory: BuildMemory;
  /** The parent (API + s3rver receiving the upload): its RSS while the child built, not the builder's. */
  parentPeakRssBytes: number;
  parentBaselineRssBytes: number;
  /** Every request the local S3 received during the measured build, `Operation (bucket)`. */
  s3Requests: Counts;
  loadAverage1m: number;
}

export interface BuildSummary {
  size: 'large' | 'small';
  evidenceBytes: number;
  runs: number;
  ready: number;
  /** Medians over the runs. */
  buildMs: number;
  mbPerS: number;
  bundleBytes: number;
  baselineRssBytes: number;
  peakRssBytes: number;
  rssDeltaBytes: number;
  peakHeapUsedBytes: number;
  peakArrayBuffersBytes: number;
  parentPeakRssBytes: number;
  /** The largest Δ RSS of any run (what the hard check reads for the large case). */
  maxRssDeltaBytes: number;
}

export interface VerifierFigures {
  size: 'large' | 'small';
  bundleBytes: number;
  files: number;
  /** Streamed from the presigned link to a temp file. */
  downloadS: number;
  downloadMatches: boolean;
  inProcess: { ms: number[]; medianMs: number; mbPerS: number; ok: boolean[] };
  /** `node bin/complaint-verify.cjs FILE --public-key KEY --json`: wall time including node and tsx start-up. */
  cli: { ms: number[]; medianMs: number; mbPerS: number; exitCodes: (number | null)[]; ok: boolean[] };
}

export interface ExportStorageCost {
  assumptions: ExportBenchSettings['storage'] & { months: number; gigabyte: string };
  /** Small bundle − its evidence bytes (median over its runs): JSON records, PDF summary, manifest, signature, ZIP headers. */
  measuredOverheadBytes: number;
  typicalBundleBytes: number;
  gbStored: number;
  /** Per export, in AWS: builder reads + bundle upload + downloads. */
  requestsPerExport: Counts;
  requestsUsd: number;
  standard: { usdPerMonth: number; usdOverRetention: number; totalUsdOverRetention: number };
  /** Computed alternative, not built: a 0-day lifecycle transition of every bundle to Glacier Instant Retrieval. */
  glacierInstantRetrieval: { usdPerMonth: number; usdOverRetention: number; transitionUsd: number; totalUsdOverRetention: number; reDownloadUsd: number; cheaperBy: number };
  pricing: typeof S3_PRICING;
}

export interface ExportCheck {
  name: string;
  ok: boolean;
  hard: boolean;
  informational?: boolean;
  detail: string;
}

export interface ExportBenchResult {
  settings: ExportBenchSettings;
  node: string;
  cpus: number;
  /** os.loadavg() at the start, before each build (1 min) and at the end: the machine was shared. */
  loadAverage: { start: number[]; end: number[]; perBuild1m: number[] };
  /** The environment variables the build child got from the parent's local stack. */
  childEnvKeys: string[];
  cases: CaseFigures[];
  builds: BuildRun[];
  summary: BuildSummary[];
  /** Medians large ÷ small. */
  ratios: { peakRss: number; rssDelta: number; buildTime: number; bytes: number };
  verifier: VerifierFigures[];
  storageCost: ExportStorageCost;
  errors: string[];
  powertoolsEmptyMetricsWarningsDropped: number;
  checks: ExportCheck[];
  durationS: number;
}

// ── Helpers ───────────────────────────────────────────────────────────────────────────────────

const mb = (bytes: number) => (bytes / MiB).toFixed(1);
const inc = (c: Counts, k: string, by = 1) => void (c[k] = (c[k] ?? 0) + by);
const total = (c: Counts) => Object.values(c).reduce((a, b) => a + b, 0);
const formatCounts = (c: Counts): string =>
  Object.entries(c)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${v} ${k}`)
    .join(' + ') || '0';
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const load1 = () => round(loadavg()[0] ?? 0, 2);
const loads = () => loadavg().map((l) => round(l, 2));

/**
 * `bytes` of pseudo-random data in 1 MiB chunks: an AES-128-CTR keystream under a per-file key, so the same file can be
 * generated twice (once to hash it for the registration, once to upload it) without holding it.
 */
async function* fileChunks(key: Buffer, bytes: number): AsyncGenerator<Buffer> {
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(MiB);
  for (let at = 0; at < bytes; at += MiB) yield cipher.update(zeros.subarray(0, Math.min(MiB, bytes - at)));
}

const hashOf = async (key: Buffer, bytes: number): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of fileChunks(key, bytes)) hash.update(chunk);
  return hash.digest('hex');
};


const OWNER: [string, Role[]] = ['bench-exports-owner', ['handler']];
const SUPERVISOR: [string, Role[]] = ['bench-exports-supervisor', ['supervisor']];
const COMPLIANCE: [string, Role[]] = ['bench-exports-compliance', ['compliance']];

// ── 1. Cases and evidence ─────────────────────────────────────────────────────────────────────

/** One evidence file through the API: register (with the SHA-256) → streamed PUT to the presigned URL → verified. */
const uploadFile = async (stack: StartedStack, api: Typed, caseId: string, name: string, bytes: number): Promise<void> => {
  const key = randomBytes(16);
  const sha256 = await hashOf(key, bytes);
  const reg = await expectStatus(api(OWNER).POST('/v1/complaints/{id}/evidence', { params: { path: { id: caseId } }, body: { fileName: name, contentType: 'application/pdf', sizeBytes: bytes, sha256 } }), 201, 'register evidence');
  const upload = reg.upload;
  const body = Readable.toWeb(Readable.from(fileChunks(key, bytes))) as WebReadableStream<Uint8Array>;
  // The presigned S3 PUT goes to the bucket, not the API (outside the contract): raw fetch. It signs content-length,
  // which fetch sends as given for a streamed body.
  const put = await fetch(upload.url, { method: 'PUT', headers: { ...upload.headers, 'content-length': String(bytes) }, body, duplex: 'half' });
  const answer = await put.text();
  if (put.status !== 200) throw new Error(`PUT ${name}: ${put.status} ${answer.slice(0, 300)}`);
  await stack.s3.idle();
};

const makeCase = async (
  stack: StartedStack,
  api: Typed,
  label: CaseFigures['label'],
  files: number,
  fileBytes: number,
  log: (line: string) => void,
  elapsed: () => string,
): Promise<CaseFigures> => {
  const body = benchComplaint(`exports bench: ${label} case`, {
    customer: { id: `bench-exports-${label}`, name: 'Ada Lovelace', email: 'ada@example.com', vulnerable: false },
    description: 'Missed a service appointment, claims financial loss, sends recordings and statements as evidence.',
    ownerId: OWNER[0],
  });
  const caseId = (await expectStatus(api(SUPERVISOR).POST('/v1/complaints', { body }), 201, 'create a case')).id;
  const t0 = performance.now();
  let lastPrint = t0;
  for (let i = 0; i < files; i++) {
    await uploadFile(stack, api, caseId, `${label} evidence ${String(i + 1).padStart(2, '0')}.pdf`, fileBytes);
    if (files > 1 && (performance.now() - lastPrint > 5000 || i === files - 1)) {
      lastPrint = performance.now();
      log(`    ${label}: ${i + 1}/${files} × ${mb(fileBytes)} MiB uploaded and verified  [${elapsed()}]`);
    }
  }
  const uploadS = (performance.now() - t0) / 1000;
  const { items } = await expectStatus(api(OWNER).GET('/v1/complaints/{id}/evidence', { params: { path: { id: caseId } } }), 200, 'list evidence');
  return { label, caseId, files, fileBytes, evidenceBytes: files * fileBytes, uploadS: round(uploadS, 1), verified: items.filter((e) => e.status === 'verified').length };
};

// ── 2. Builds in a measured child ─────────────────────────────────────────────────────────────

interface Launch {
  caseId: string;
  exportId: string;
}

interface ChildArgs {
  warm: Launch;
  job: Launch;
  sampleMs: number;
}

interface ChildFigures {
  outcome: string;
  warmUpOutcome: string;
  buildMs: number;
  warmUpBuildMs: number;
  memory: BuildMemory;
}

const childContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'complaints-local-export-builder',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:complaints-local-export-builder',
  memoryLimitInMB: '1024',
  awsRequestId: randomBytes(16).toString('hex'),
  logGroupName: '/aws/lambda/complaints-local-export-builder',
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 900_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

const emit = (o: unknown) => process.stdout.write(`${MARK}${JSON.stringify(o)}\n`);

/** Runs in the child: a warm-up export, baseline after GC, then (on the parent's go) the measured export, sampled. */
const buildChild = async (o: ChildArgs): Promise<ChildFigures> => {
  const gc = (globalThis as { gc?: () => void }).gc;
  const { handler } = await import('../functions/export-builder/handler');
  const w0 = performance.now();
  const warm = (await handler(o.warm, childContext())) as { outcome: string };
  const warmUpBuildMs = performance.now() - w0;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(50);
  }
  const base = process.memoryUsage();
  // Wait for the parent: it starts counting the local S3's requests and sampling its own memory first.
  const go = new Promise<void>((done) => {
    let buf = '';
    process.stdin.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      if (buf.includes('go\n')) done();
    });
  });
  emit({ ready: true });
  await go;
  process.stdin.pause();
  let peakRss = base.rss;
  let peakHeapUsed = base.heapUsed;
  let peakArrayBuffers = base.arrayBuffers;
  let samples = 0;
  const sample = () => {
    const m = process.memoryUsage();
    samples++;
    peakRss = Math.max(peakRss, m.rss);
    peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
    peakArrayBuffers = Math.max(peakArrayBuffers, m.arrayBuffers);
  };
  const kernelBefore = process.resourceUsage().maxRSS * 1024;
  const timer = setInterval(sample, o.sampleMs);
  const t0 = performance.now();
  let out: { outcome: string };
  try {
    out = await handler(o.job, childContext());
  } finally {
    clearInterval(timer);
  }
  const buildMs = performance.now() - t0;
  sample();
  const kernelAfter = process.resourceUsage().maxRSS * 1024;
  const peak = kernelAfter > kernelBefore ? Math.max(peakRss, kernelAfter) : peakRss;
  return {
    outcome: out.outcome,
    warmUpOutcome: warm.outcome,
    buildMs: round(buildMs, 1),
    warmUpBuildMs: round(warmUpBuildMs, 1),
    memory: {
      baselineRssBytes: base.rss,
      peakRssBytes: peak,
      sampledPeakRssBytes: peakRss,
      rssDeltaBytes: peak - base.rss,
      baselineHeapUsedBytes: base.heapUsed,
      peakHeapUsedBytes: peakHeapUsed,
      baselineArrayBuffersBytes: base.arrayBuffers,
      peakArrayBuffersBytes: peakArrayBuffers,
      kernelMaxRssBeforeBytes: kernelBefore,
      kernelMaxRssAfterBytes: kernelAfter,
      samples,
    },
  };
};

/** What `applyLocalEnv` and `startStack` set for the handlers: the child's builder reads the same stack. */
const CHILD_ENV_KEYS = [
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'DYNAMODB_ENDPOINT',
  'TABLE_NAME',
  'IDEMPOTENCY_TABLE_NAME',
  'LOCAL_TABLE_NAME',
  'INTEGRATIONS',
  'CLOCK',
  'POWERTOOLS_DEV',
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_TRACE_ENABLED',
  'POWERTOOLS_METRICS_DISABLED',
  'POWERTOOLS_METRICS_NAMESPACE',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  'S3_ENDPOINT',
  'EVIDENCE_BUCKET',
  'EXPORTS_BUCKET',
  'EXPORT_SIGNING_KEY_FILE',
] as const;

const childEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir() };
  for (const k of CHILD_ENV_KEYS) {
    const v = process.env[k];
    if (v === undefined) throw new Error(`${k} is not set: start the local stack before the build child`);
    env[k] = v;
  }
  return env;
};

/** The S3 API operation of a path-style request to the local S3, with the bucket it went to. */
const s3Operation = (method: string, url: string, buckets: Record<string, string>): string => {
  const u = new URL(url, 'http://local');
  const [, bucket = '', ...key] = u.pathname.split('/');
  const q = u.searchParams;
  const where = buckets[bucket] ?? bucket;
  let op: string;
  if (!key.join('/')) op = `${method} bucket`;
  else if (method === 'POST' && q.has('uploads')) op = 'CreateMultipartUpload';
  else if (method === 'PUT' && q.has('partNumber')) op = 'UploadPart';
  else if (method === 'POST' && q.has('uploadId')) op = 'CompleteMultipartUpload';
  else if (method === 'DELETE' && q.has('uploadId')) op = 'AbortMultipartUpload';
  else if (q.has('legal-hold')) op = method === 'PUT' ? 'PutObjectLegalHold' : 'GetObjectLegalHold';
  else op = ({ HEAD: 'HeadObject', GET: 'GetObject', PUT: 'PutObject', DELETE: 'DeleteObject' } as Record<string, string>)[method] ?? `${method} object`;
  return `${op} (${where})`;
};

/**
 * Spawns the build child (asynchronously: the local S3 and DynamoDB Local it talks to are served from this process
 * and its DynamoDB Local), and while its measured build runs counts every request the local S3 receives and samples
 * this process's RSS.
 */
const spawnBuild = (stack: StartedStack, args: ChildArgs, sampleMs: number): Promise<ChildFigures & { s3Requests: Counts; parentPeakRssBytes: number; parentBaselineRssBytes: number }> =>
  new Promise((done, fail) => {
    const s3Port = Number(new URL(stack.s3.endpoint).port);
    const buckets = { [stack.s3.bucket]: 'evidence', [stack.s3.exportsBucket]: 'exports' };
    const s3Requests: Counts = {};
    let counting = false;
    const onRequest = (message: unknown) => {
      const { request, server } = message as { request: IncomingMessage; server: Server };
      const address = server.address();
      if (!counting || typeof address !== 'object' || address?.port !== s3Port) return;
      inc(s3Requests, s3Operation(request.method ?? '?', request.url ?? '/', buckets));
    };
    subscribe('http.server.request.start', onRequest);
    let parentBaseline = process.memoryUsage().rss;
    let parentPeak = parentBaseline;
    let sampler: NodeJS.Timeout | undefined;
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--build-child', JSON.stringify(args)], {
      cwd: REPO_ROOT,
      env: childEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let figures: ChildFigures | undefined;
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (!line.startsWith(MARK)) {
          err += `${line}\n`;
          continue;
        }
        const msg = JSON.parse(line.slice(MARK.length)) as { ready: true } | { figures: ChildFigures };
        if ('ready' in msg) {
          counting = true;
          parentBaseline = process.memoryUsage().rss;
          parentPeak = parentBaseline;
          sampler = setInterval(() => (parentPeak = Math.max(parentPeak, process.memoryUsage().rss)), sampleMs);
          child.stdin.write('go\n');
        } else figures = msg.figures;
      }
    });
    child.stderr.on('data', (c: Buffer) => (err = `${err}${c.toString('utf8')}`.slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    const finish = () => {
      clearTimeout(timer);
      if (sampler) clearInterval(sampler);
      counting = false;
      unsubscribe('http.server.request.start', onRequest);
    };
    child.on('error', (e) => {
      finish();
      fail(e);
    });
    child.on('close', (code, signal) => {
      finish();
      if (code !== 0 || !figures) return fail(new Error(`build child exited ${code ?? signal}${figures ? '' : ' without figures'}: ${err.slice(-1500)}`));
      done({ ...figures, s3Requests, parentPeakRssBytes: parentPeak, parentBaselineRssBytes: parentBaseline });
    });
  });

const requestExport = async (stack: StartedStack, api: Typed, caseId: string, launched: Launch[]): Promise<Launch> => {
  const before = launched.length;
  const { exportId } = await expectStatus(api(COMPLIANCE).POST('/v1/complaints/{id}/exports', { params: { path: { id: caseId } } }), 202, 'request an export');
  // The case stream sees `export.requested` and launches the build: the recording launcher keeps it from running here.
  await stack.timers.pump();
  const mine = launched.slice(before).filter((l) => l.exportId === exportId);
  if (mine.length !== 1) throw new Error(`export ${exportId}: the case stream launched it ${mine.length} times (expected once)`);
  return { caseId, exportId };
};

// ── 3. Verifier ───────────────────────────────────────────────────────────────────────────────

/** Streams the bundle from its presigned link to `file`, hashing it on the way. */
const download = async (url: string, file: string): Promise<{ bytes: number; sha256: string; s: number }> => {
  const t0 = performance.now();
  // The presigned S3 GET of the bundle: outside the contract, raw fetch.
  const res = await fetch(url);
  if (res.status !== 200 || !res.body) throw new Error(`download: ${res.status} ${(await res.text()).slice(0, 300)}`);
  const tap = hashingTap();
  await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>), tap.stream, createWriteStream(file));
  const { bytes, sha256 } = tap.result();
  return { bytes, sha256, s: (performance.now() - t0) / 1000 };
};

const runCli = (file: string, keyFile: string): Promise<{ ms: number; code: number | null; ok: boolean; detail: string }> =>
  new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'complaint-verify.cjs'), file, '--public-key', keyFile, '--json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    // Progress lines (hashing …) go to stderr: kept only for an error message.
    child.stderr.on('data', (c: Buffer) => (err = `${err}${c.toString('utf8')}`.slice(-2000)));
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      let ok = false;
      try {
        ok = (JSON.parse(out) as { ok: boolean }).ok === true;
      } catch {
        // not JSON: reported below
      }
      done({ ms, code, ok: ok && code === 0, detail: ok ? '' : `exit ${code}: ${(out || err).slice(-500)}` });
    });
  });

// ── 4. Storage cost ───────────────────────────────────────────────────────────────────────────

const usd2 = (n: number) => round(n, 2);

/** What lib-storage's Upload sends for a body of `bytes`: one PutObject up to a part, else a multipart upload. */
const uploadRequests = (bytes: number, partSize: number): Counts =>
  bytes <= partSize ? { PutObject: 1 } : { CreateMultipartUpload: 1, UploadPart: Math.ceil(bytes / partSize), CompleteMultipartUpload: 1 };

const PUT_CLASS = new Set(['PutObject', 'CreateMultipartUpload', 'UploadPart', 'CompleteMultipartUpload', 'PutObjectLegalHold', 'CopyObject']);

export const exportStorageCost = (settings: ExportBenchSettings, measuredOverheadBytes: number): ExportStorageCost => {
  const a = settings.storage;
  const p = S3_PRICING;
  const months = a.retentionDays / (365.25 / 12);
  const typicalBundleBytes = a.evidenceFilesPerCase * a.evidenceFileMb * 1_000_000 + measuredOverheadBytes;
  const exportsN = a.cases * a.exportsPerCase;
  const gb = (exportsN * typicalBundleBytes) / 1e9;
  const requestsPerExport: Counts = { ...uploadRequests(typicalBundleBytes, a.partSizeBytes) };
  // The builder reads each evidence file once (GetObject from the evidence bucket); each download is one GetObject.
  inc(requestsPerExport, 'GetObject', a.evidenceFilesPerCase + a.downloadsPerExport);
  const putClass = Object.entries(requestsPerExport).reduce((n, [k, v]) => n + (PUT_CLASS.has(k) ? v : 0), 0);
  const getClass = total(requestsPerExport) - putClass;
  const requestsUsd = (exportsN * (putClass * p.putClassUsdPer1000 + getClass * p.getClassUsdPer1000)) / 1000;
  const standardMonth = gb * p.standardUsdPerGbMonth;
  const girMonth = gb * p.glacierInstantRetrievalUsdPerGbMonth;
  const transitionUsd = (exportsN * p.lifecycleTransitionUsdPer1000) / 1000;
  return {
    assumptions: { ...a, months: round(months, 2), gigabyte: '1 GB = 10^9 bytes and 1 MB = 10^6 bytes for the assumed evidence, as bench/evidence.ts counts; S3 bills binary GB (2^30 bytes), 6.9 % fewer' },
    measuredOverheadBytes,
    typicalBundleBytes,
    gbStored: round(gb, 3),
    requestsPerExport,
    requestsUsd: round(requestsUsd, 3),
    standard: { usdPerMonth: usd2(standardMonth), usdOverRetention: usd2(standardMonth * months), totalUsdOverRetention: usd2(standardMonth * months + requestsUsd) },
    glacierInstantRetrieval: {
      usdPerMonth: usd2(girMonth),
      usdOverRetention: usd2(girMonth * months),
      transitionUsd: usd2(transitionUsd),
      totalUsdOverRetention: usd2(girMonth * months + requestsUsd + transitionUsd),
      reDownloadUsd: usd2(gb * p.glacierInstantRetrievalUsdPerGbRetrieved),
      cheaperBy: round(p.standardUsdPerGbMonth / p.glacierInstantRetrievalUsdPerGbMonth, 2),
    },
    pricing: p,
  };
};

// ── Run and report ────────────────────────────────────────────────────────────────────────────

const METRICS_WARNING = 'No application metrics to publish';

const summarise = (size: 'large' | 'small', runs: BuildRun[], evidenceBytes: number): BuildSummary => {
  const m = (f: (r: BuildRun) => number) => median(runs.map(f));
  return {
    size,
    evidenceBytes,
    runs: runs.length,
    ready: runs.filter((r) => r.status === 'ready' && r.outcome === 'built').length,
    buildMs: round(m((r) => r.buildMs), 1),
    mbPerS: round(m((r) => r.mbPerS), 1),
    bundleBytes: m((r) => r.bundleBytes),
    baselineRssBytes: m((r) => r.memory.baselineRssBytes),
    peakRssBytes: m((r) => r.memory.peakRssBytes),
    rssDeltaBytes: m((r) => r.memory.rssDeltaBytes),
    peakHeapUsedBytes: m((r) => r.memory.peakHeapUsedBytes),
    peakArrayBuffersBytes: m((r) => r.memory.peakArrayBuffersBytes),
    parentPeakRssBytes: m((r) => r.parentPeakRssBytes),
    maxRssDeltaBytes: runs.length ? Math.max(...runs.map((r) => r.memory.rssDeltaBytes)) : Number.NaN,
  };
};

export const runExportBench = async (settings: ExportBenchSettings = exportSettings(), log: (line: string) => void = say): Promise<ExportBenchResult> => {
  const t0 = performance.now();
  const loadStart = loads();
  // Under bench/run.ts, progress shows the run's elapsed time, as its other phases do.
  const base = Number(process.env.BENCH_ELAPSED_BASE_S ?? 0) || 0;
  const elapsed = () => `${(base + (performance.now() - t0) / 1000).toFixed(0)} s`;
  const { startStack } = await import('../infra/local/stack');
  const { localExportLauncher } = await import('#adapters/local/local-export-launcher');
  const { suppressStderrLines } = await import('./quiet');
  const checks: ExportCheck[] = [];
  const errors: string[] = [];
  const onLog = (line: string) => {
    if (line.startsWith('local server error') || line.startsWith('local s3:') || line.startsWith('local export builder')) errors.push(line);
  };
  const dir = mkdtempSync(join(tmpdir(), 'complaints-bench-exports-'));
  const stack = await startStack({ port: 0, host: '127.0.0.1', tickMs: 0, projection: false, retentionJob: false, log: onLog });
  log(`  DynamoDB Local ${stack.dynamo?.endpoint}, local S3 ${stack.s3.endpoint}, API ${stack.api.url}, no background tick; load average ${loadStart.join(' ')}  [${elapsed()}]`);
  // Nothing builds in this process: the launches the case stream makes are recorded, and a child builds each one.
  const launched: Launch[] = [];
  localExportLauncher.install(async (job) => void launched.push({ caseId: job.caseId, exportId: job.exportId }), onLog);
  const quiet = suppressStderrLines(METRICS_WARNING);
  const api = typed(stack);
  const cases: CaseFigures[] = [];
  const builds: BuildRun[] = [];
  const perBuildLoad: number[] = [];
  const verifier: VerifierFigures[] = [];
  const files: Record<'large' | 'small', string> = { large: join(dir, 'large.zip'), small: join(dir, 'small.zip') };
  const keyFile = join(dir, 'public-key.pem');
  let publicKeyPem = '';
  const downloaded: Partial<Record<'large' | 'small', { bytes: number; files: number; s: number; matches: boolean }>> = {};
  try {
    try {
      const { large: L, small: S } = settings;
      log(`  cases: large ${L.files} × ${mb(L.fileBytes)} MiB = ${mb(L.files * L.fileBytes)} MiB, small ${S.files} × ${mb(S.fileBytes)} MiB, warm-up 1 × ${settings.warmUpFileBytes / KiB} KiB; each file registered, streamed to its presigned PUT, verified`);
      const warmCase = await makeCase(stack, api, 'warm-up', 1, settings.warmUpFileBytes, log, elapsed);
      const small = await makeCase(stack, api, 'small', S.files, S.fileBytes, log, elapsed);
      const large = await makeCase(stack, api, 'large', L.files, L.fileBytes, log, elapsed);
      cases.push(large, small, warmCase);
      for (const c of cases) log(`  ${c.label}: ${c.verified}/${c.files} verified, ${mb(c.evidenceBytes)} MiB uploaded in ${c.uploadS} s  [${elapsed()}]`);
      if (cases.some((c) => c.verified !== c.files)) throw new Error(`evidence not verified: ${cases.map((c) => `${c.label} ${c.verified}/${c.files}`).join(', ')}`);

      // Large and small alternate (S L, L S, …), so drift in the machine's load reaches both alike.
      const schedule = Array.from({ length: settings.runs }, (_, i) => (i % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const))).flat();
      log(`  builds: ${settings.runs} × large and ${settings.runs} × small, alternating; each a new export request, built in a fresh \`node --expose-gc\` child after a warm-up export (memory sampled every ${settings.sampleMs} ms)`);
      const runOf = { large: 0, small: 0 };
      for (const size of schedule) {
        const c = size === 'large' ? large : small;
        const warm = await requestExport(stack, api, warmCase.caseId, launched);
        const job = await requestExport(stack, api, c.caseId, launched);
        const l1 = load1();
        perBuildLoad.push(l1);
        const fig = await spawnBuild(stack, { warm, job, sampleMs: settings.sampleMs }, settings.sampleMs);
        // The builder's own writes (export.started, export.completed) reach the stream: nothing more to launch.
        await stack.timers.pump();
        const view = await expectStatus(api(COMPLIANCE).GET('/v1/exports/{exportId}', { params: { path: { exportId: job.exportId } } }), 200, 'read the export');
        const bundleBytes = view.sizeBytes ?? 0;
        const run: BuildRun = {
          size,
          run: runOf[size]++,
          exportId: job.exportId,
          outcome: fig.outcome,
          status: view.status,
          buildMs: fig.buildMs,
          mbPerS: round(bundleBytes / MiB / (fig.buildMs / 1000), 1),
          bundleBytes,
          files: view.files ?? 0,
          warmUpBuildMs: fig.warmUpBuildMs,
          memory: fig.memory,
          parentPeakRssBytes: fig.parentPeakRssBytes,
          parentBaselineRssBytes: fig.parentBaselineRssBytes,
          s3Requests: fig.s3Requests,
          loadAverage1m: l1,
        };
        builds.push(run);
        log(
          `  ${size.padEnd(5)} #${run.run}: ${run.status} in ${(run.buildMs / 1000).toFixed(2)} s, ${run.mbPerS} MiB/s, bundle ${mb(bundleBytes)} MiB (${run.files} files); child RSS ${mb(run.memory.baselineRssBytes)} → peak ${mb(run.memory.peakRssBytes)} MiB (+${mb(run.memory.rssDeltaBytes)}), heapUsed peak ${mb(run.memory.peakHeapUsedBytes)}, arrayBuffers peak ${mb(run.memory.peakArrayBuffersBytes)}; warm-up export ${(run.warmUpBuildMs / 1000).toFixed(2)} s; load ${l1}  [${elapsed()}]`,
        );
        // The last bundle of each size is the one the verifier reads.
        if (run.run === settings.runs - 1 && view.status === 'ready' && view.downloadUrl) {
          const got = await download(view.downloadUrl, files[size]);
          downloaded[size] = { bytes: got.bytes, files: run.files, s: round(got.s, 2), matches: got.bytes === bundleBytes && got.sha256 === view.sha256 };
          log(`    downloaded the ${size} bundle (${mb(got.bytes)} MiB) in ${got.s.toFixed(2)} s; size and SHA-256 ${downloaded[size].matches ? 'match the job' : '✗ differ from the job'}  [${elapsed()}]`);
        }
      }
      publicKeyPem = (await expectStatus(api(OWNER).GET('/v1/exports/public-key'), 200, 'read the export public key')).publicKeyPem;
      writeFileSync(keyFile, publicKeyPem);
      if (stack.s3.failed.length) errors.push(...stack.s3.failed.map((f) => `Object Created ${f.event.detail.object.key} failed: ${String(f.error)}`));
    } finally {
      await stack.stop();
      quiet.restore();
      // The stack writes its signing key to a temp file and leaves it there.
      rmSync(stack.signingKeyFile, { force: true });
    }

    // Verifier: the stack is stopped; the bundles are temp files (just written, so in the page cache).
    if (publicKeyPem) {
      const { verifyBundle } = await import('../tools/complaint-verify/verify');
      for (const size of ['large', 'small'] as const) {
        const d = downloaded[size];
        if (!d) continue;
        const bytes = statSync(files[size]).size;
        log(`  verifier on the ${size} bundle (${mb(bytes)} MiB): verifyBundle in-process × ${settings.runs}, then the CLI × ${settings.runs}  [${elapsed()}]`);
        const inMs: number[] = [];
        const inOk: boolean[] = [];
        for (let i = 0; i < settings.runs; i++) {
          const v0 = performance.now();
          const report = await verifyBundle(files[size], { publicKeyPem });
          inMs.push(round(performance.now() - v0, 1));
          inOk.push(report.ok);
          if (!report.ok) errors.push(`verifyBundle ${size}: ${report.failures.map((f) => `${f.check}: ${f.detail}`).join('; ').slice(0, 500)}`);
        }
        const cliMs: number[] = [];
        const codes: (number | null)[] = [];
        const cliOk: boolean[] = [];
        for (let i = 0; i < settings.runs; i++) {
          const r = await runCli(files[size], keyFile);
          cliMs.push(round(r.ms, 1));
          codes.push(r.code);
          cliOk.push(r.ok);
          if (!r.ok) errors.push(`complaint-verify ${size}: ${r.detail}`);
        }
        const v: VerifierFigures = {
          size,
          bundleBytes: bytes,
          files: d.files,
          downloadS: d.s,
          downloadMatches: d.matches,
          inProcess: { ms: inMs, medianMs: round(median(inMs), 1), mbPerS: round(bytes / MiB / (median(inMs) / 1000), 0), ok: inOk },
          cli: { ms: cliMs, medianMs: round(median(cliMs), 1), mbPerS: round(bytes / MiB / (median(cliMs) / 1000), 0), exitCodes: codes, ok: cliOk },
        };
        verifier.push(v);
        log(
          `    in-process median ${(v.inProcess.medianMs / 1000).toFixed(2)} s = ${v.inProcess.mbPerS} MiB/s (${inOk.every(Boolean) ? 'PASS' : '✗ FAIL'} ×${inOk.length}); CLI median ${(v.cli.medianMs / 1000).toFixed(2)} s = ${v.cli.mbPerS} MiB/s incl. start-up (${cliOk.every(Boolean) ? 'PASS' : '✗ FAIL'} ×${cliOk.length})  [${elapsed()}]`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const large = cases.find((c) => c.label === 'large');
  const small = cases.find((c) => c.label === 'small');
  const summary = (['large', 'small'] as const).map((s) => summarise(s, builds.filter((b) => b.size === s), (s === 'large' ? large : small)?.evidenceBytes ?? 0));
  const [sl, ss] = summary as [BuildSummary, BuildSummary];
  const ratios = {
    peakRss: round(sl.peakRssBytes / ss.peakRssBytes, 2),
    rssDelta: round(sl.rssDeltaBytes / Math.max(ss.rssDeltaBytes, 1), 2),
    buildTime: round(sl.buildMs / ss.buildMs, 2),
    bytes: round(sl.bundleBytes / ss.bundleBytes, 1),
  };
  const smallRuns = builds.filter((b) => b.size === 'small');
  const overhead = smallRuns.length && small ? median(smallRuns.map((b) => b.bundleBytes - small.evidenceBytes)) : 0;
  const storageCost = exportStorageCost(settings, Math.round(overhead));

  const expected = builds.length === 2 * settings.runs;
  checks.push({
    name: 'exports: every measured export built in the child and read back ready',
    ok: expected && builds.every((b) => b.outcome === 'built' && b.status === 'ready'),
    hard: true,
    detail: `${builds.filter((b) => b.status === 'ready').length}/${2 * settings.runs} ready (${summary.map((s) => `${s.size} ${s.ready}/${s.runs}`).join(', ')}), each launched once by the case stream, none built in the parent`,
  });
  checks.push({
    name: `exports: builder peak RSS over baseline < ${mb(settings.maxRssDeltaBytes)} MB on the ${mb(sl.evidenceBytes)} MB case (flat: evidence streamed into the ZIP and the multipart upload)`,
    ok: expected && sl.runs > 0 && sl.maxRssDeltaBytes < settings.maxRssDeltaBytes,
    hard: true,
    detail: `large: Δ RSS max +${mb(sl.maxRssDeltaBytes)} MB, median +${mb(sl.rssDeltaBytes)} MB (peak ${mb(sl.peakRssBytes)} MB); small: +${mb(ss.rssDeltaBytes)} MB (peak ${mb(ss.peakRssBytes)} MB)`,
  });
  checks.push({
    name: `exports: builder peak RSS ${mb(sl.evidenceBytes)} MB case ÷ ${mb(ss.evidenceBytes)} MB case ≤ ${settings.peakRssRatioGoal}×`,
    ok: Number.isFinite(ratios.peakRss) && ratios.peakRss <= settings.peakRssRatioGoal,
    hard: false,
    detail: `${ratios.peakRss}× (medians ${mb(sl.peakRssBytes)} ÷ ${mb(ss.peakRssBytes)} MB; Δ RSS ${ratios.rssDelta}×) for ${ratios.bytes}× the bytes`,
  });
  checks.push({
    name: `exports: the verifier passes the downloaded ${mb(sl.evidenceBytes)} MB bundle (in-process and CLI, every run) and the download matches the job`,
    ok: verifier.length === 2 && verifier.every((v) => v.downloadMatches && v.inProcess.ok.every(Boolean) && v.cli.ok.every(Boolean) && v.inProcess.ok.length === settings.runs && v.cli.ok.length === settings.runs),
    hard: true,
    detail: verifier.length
      ? verifier.map((v) => `${v.size}: download ${v.downloadMatches ? 'matches' : 'differs'}, in-process ${v.inProcess.ok.filter(Boolean).length}/${v.inProcess.ok.length} PASS, CLI ${v.cli.ok.filter(Boolean).length}/${v.cli.ok.length} PASS (exit ${v.cli.exitCodes.join(', ')})`).join('; ')
      : 'not run',
  });
  // The request model the cost uses, against what the local S3 received.
  const modelOf = (b: BuildRun) => {
    const evidenceFiles = (b.size === 'large' ? large : small)?.files ?? 0;
    const m: Counts = { 'GetObject (evidence)': evidenceFiles };
    for (const [k, v] of Object.entries(uploadRequests(b.bundleBytes, settings.storage.partSizeBytes))) m[`${k} (exports)`] = v;
    return m;
  };
  const mismatched = builds.filter((b) => formatCounts(b.s3Requests) !== formatCounts(modelOf(b)));
  checks.push({
    name: 'exports: S3 requests per build = one GetObject per evidence file + the bundle upload (one PutObject up to 8 MiB, else CreateMultipartUpload + ⌈size ÷ 8 MiB⌉ UploadPart + CompleteMultipartUpload), as the cost assumes',
    ok: builds.length > 0 && mismatched.length === 0,
    hard: false,
    informational: true,
    detail: summary.map((s) => `${s.size}: ${formatCounts(builds.find((b) => b.size === s.size)?.s3Requests ?? {})}`).join('; ') + (mismatched.length ? `; ${mismatched.length} builds differ from the model` : ''),
  });
  checks.push({ name: 'exports: no local server errors, failed Object Created deliveries or verifier failures', ok: errors.length === 0, hard: true, detail: errors.length ? `${errors.length}; first: ${errors[0]?.split('\n').slice(0, 3).join(' | ')}` : 'none' });

  return {
    settings,
    node: process.version,
    cpus: cpus().length,
    loadAverage: { start: loadStart, end: loads(), perBuild1m: perBuildLoad },
    childEnvKeys: [...CHILD_ENV_KEYS],
    cases,
    builds,
    summary,
    ratios,
    verifier,
    storageCost,
    errors: errors.slice(0, 20),
    powertoolsEmptyMetricsWarningsDropped: quiet.count(),
    checks,
    durationS: round((performance.now() - t0) / 1000, 1),
  };
};

const usd = (n: number) => n.toFixed(2);
const secs = (ms: number) => (ms / 1000).toFixed(2);

/** The report tables (printed standalone, and by bench/run.ts in its Results section). */
export const exportsReport = (r: ExportBenchResult): string => {
  const c = r.storageCost;
  const a = c.assumptions;
  const p = c.pricing;
  const lines = [
    `Exports: build time and builder memory, local stack (export builder handler in a fresh \`node --expose-gc\` child, median of ${r.settings.runs} builds each, a new export request each; process.memoryUsage() every ${r.settings.sampleMs} ms; baseline after a warm-up export and GC; 1 MB = 1 MiB)`,
    table(
      ['case', 'evidence MB', 'bundle MB', 'ready', 'build s', 'MB/s', 'baseline RSS MB', 'peak RSS MB', 'Δ RSS MB', 'max Δ RSS MB', 'peak heapUsed MB', 'peak arrayBuffers MB', 'local S3 (parent) peak RSS MB'],
      r.summary.map((s) => [
        `${s.size} (${r.cases.find((x) => x.label === s.size)?.files ?? '?'} files)`,
        mb(s.evidenceBytes),
        mb(s.bundleBytes),
        `${s.ready}/${s.runs}`,
        secs(s.buildMs),
        s.mbPerS,
        mb(s.baselineRssBytes),
        mb(s.peakRssBytes),
        mb(s.rssDeltaBytes),
        mb(s.maxRssDeltaBytes),
        mb(s.peakHeapUsedBytes),
        mb(s.peakArrayBuffersBytes),
        mb(s.parentPeakRssBytes),
      ]),
    ),
    `  large ÷ small: peak RSS ${r.ratios.peakRss}× (goal ≤ ${r.settings.peakRssRatioGoal}×), Δ RSS ${r.ratios.rssDelta}×, build time ${r.ratios.buildTime}× for ${r.ratios.bytes}× the bytes; hard limit Δ RSS < ${mb(r.settings.maxRssDeltaBytes)} MB on the large case.`,
    `  Per build: ${r.builds.map((b) => `${b.size} #${b.run} ${secs(b.buildMs)} s +${mb(b.memory.rssDeltaBytes)} MB (load ${b.loadAverage1m})`).join(', ')}.`,
    `  Build = the handler's invocation: claim the job, stream each evidence object from the local S3 through SHA-256 into the ZIP (stored), JSON + PDF deflated, signed manifest, multipart upload (8 MiB parts, 2 in flight) to the exports bucket on s3rver in the parent (its memory is the last column, not the builder's), complete the job.`,
    `  S3 requests per build (local S3, on the wire): ${r.summary.map((s) => `${s.size} ${formatCounts(r.builds.find((b) => b.size === s.size)?.s3Requests ?? {})}`).join('; ')}.`,
    `  Load average ${r.loadAverage.start.join(' ')} at the start, ${r.loadAverage.end.join(' ')} at the end (${r.cpus} cores; 1-min before each build ${r.loadAverage.perBuild1m.join(', ')}): absolute times are inflated by whatever else ran, the ratios were measured side by side.`,
    '',
  ];
  if (r.verifier.length) {
    lines.push(
      `Exports: offline verifier (the downloaded bundles; verifyBundle in this process and \`node bin/complaint-verify.cjs FILE --public-key KEY --json\`, ${r.settings.runs} runs each, medians; file in the page cache)`,
      table(
        ['bundle', 'MB', 'files', 'in-process s', 'in-process MB/s', 'CLI s', 'CLI MB/s (incl. start-up)', 'result'],
        r.verifier.map((v) => [
          v.size,
          mb(v.bundleBytes),
          v.files,
          secs(v.inProcess.medianMs),
          v.inProcess.mbPerS,
          secs(v.cli.medianMs),
          v.cli.mbPerS,
          v.inProcess.ok.every(Boolean) && v.cli.ok.every(Boolean) ? 'PASS' : '✗ FAIL',
        ]),
      ),
      `  The small bundle's CLI time is mostly start-up (node + tsx + the verifier's modules): ${r.verifier.find((v) => v.size === 'small') ? `${secs(r.verifier.find((v) => v.size === 'small')!.cli.medianMs)} s vs ${secs(r.verifier.find((v) => v.size === 'small')!.inProcess.medianMs)} s in-process` : '–'}.`,
      '',
    );
  }
  lines.push(
    `Exports: storage per ${a.cases.toLocaleString('en-GB')} exported cases (${a.exportsPerCase} export each; bundle = ${a.evidenceFilesPerCase} × ${a.evidenceFileMb} MB of evidence + ${(c.measuredOverheadBytes / 1000).toFixed(1)} KB measured overhead = ${(c.typicalBundleBytes / 1e6).toFixed(2)} MB; ${c.gbStored} GB kept ${a.retentionDays} days = ${a.months} months of compliance retention), S3 list price ${p.region}`,
    table(
      ['storage class', '$ / GB-month', 'GB', '$ / month', `$ over ${a.retentionDays} days`, 'requests $ (once)', 'total $'],
      [
        ['S3 Standard (as built)', p.standardUsdPerGbMonth.toFixed(3), c.gbStored, usd(c.standard.usdPerMonth), usd(c.standard.usdOverRetention), c.requestsUsd.toFixed(3), usd(c.standard.totalUsdOverRetention)],
        [
          'S3 Glacier Instant Retrieval (0-day lifecycle; not built)',
          p.glacierInstantRetrievalUsdPerGbMonth.toFixed(3),
          c.gbStored,
          usd(c.glacierInstantRetrieval.usdPerMonth),
          usd(c.glacierInstantRetrieval.usdOverRetention),
          `${c.requestsUsd.toFixed(3)} + ${usd(c.glacierInstantRetrieval.transitionUsd)} transitions`,
          usd(c.glacierInstantRetrieval.totalUsdOverRetention),
        ],
      ],
    ),
    `  Requests per export in AWS: ${formatCounts(c.requestsPerExport)} (the builder reads each evidence file once, the bundle goes up in ${a.partSizeBytes / MiB} MiB parts, ${a.downloadsPerExport} audited download) at PUT/POST $${p.putClassUsdPer1000} and GET $${p.getClassUsdPer1000} per 1,000.`,
    `  Glacier Instant Retrieval is ${c.glacierInstantRetrieval.cheaperBy}× cheaper to keep; each later download costs $${p.glacierInstantRetrievalUsdPerGbRetrieved}/GB retrieved ($${usd(c.glacierInstantRetrieval.reDownloadUsd)} if every bundle were downloaded once more). Object Lock retention and legal holds stay with an object across a transition.`,
    `  The bundle is a copy: the evidence itself stays in the evidence bucket (bench/evidence.ts prices it). Not included: KMS (the bucket key makes it negligible), data transfer out, DynamoDB and Lambda. ${a.gigabyte}.`,
  );
  return lines.join('\n');
};

// Standalone: `npx tsx bench/exports.ts [--json FILE] [--no-report]`; `--build-child ARGS` is the build child.
if (require.main === module) {
  const args = process.argv.slice(2);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const childAt = args.indexOf('--build-child');
  if (childAt >= 0) {
    buildChild(JSON.parse(args[childAt + 1] ?? '{}') as ChildArgs)
      // Exits once the figures are written: stdin (the go line) and the SDK's keep-alive sockets would hold it open.
      .then((figures) => process.stdout.write(`${MARK}${JSON.stringify({ figures })}\n`, () => process.exit(0)))
      .catch((err: unknown) => {
        process.stderr.write(`✗ exports build child failed: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
      });
  } else runStandalone('exports', runExportBench, exportsReport, args);
}
