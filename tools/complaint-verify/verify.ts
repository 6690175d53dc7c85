// Offline verifier of compliance export bundles: streams every ZIP entry through SHA-256 and CRC-32 once, then
// checks the signed manifest, the files it lists, the audit chain and the case record against each other.
import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import * as yauzl from 'yauzl';
import * as z from 'zod';
import { verifyChain, type ChainHead } from '#domain/audit-chain';
import { checkBundleAnchor } from '#domain/audit-digest';
import { BundleAnchor } from '#schemas/audit-digest';
import type { AuditEvent } from '#schemas/children';
import { BundleTimeline } from '#schemas/children';
import { BUNDLE_PATHS, Manifest, ManifestSignature } from '#schemas/export';

/** The check groups, in the order they are reported. */
export const CHECKS = ['zip', 'manifest', 'signature', 'files', 'audit-chain', 'anchor', 'case', 'evidence'] as const;
export type CheckName = (typeof CHECKS)[number];

export interface Failure {
  check: CheckName;
  /** The bundle entry the failure is about, when there is one. */
  path?: string;
  /** The audit event where the chain first breaks (audit-chain failures). */
  seq?: number;
  detail: string;
}

export interface CheckResult {
  check: CheckName;
  status: 'pass' | 'fail' | 'skipped';
  summary: string;
}

export interface ReportInfo {
  caseId: string | null;
  reference: string | null;
  exportedAt: string | null;
  exportedBy: string | null;
  /** Entries in the ZIP (directories aside) and their total uncompressed size. */
  files: number;
  bytes: number;
  auditEvents: number | null;
  redactedEvents: number | null;
  keyId: string | null;
  /** Where the key the signature was checked with came from. */
  keySource: 'argument' | 'bundle' | null;
  /** SHA-256 of the key's SPKI DER, to compare with the key the API publishes. */
  keyFingerprint: string | null;
}

export interface Report {
  ok: boolean;
  failures: Failure[];
  warnings: string[];
  info: ReportInfo;
  checks: CheckResult[];
}

export interface Progress {
  path: string;
  bytesHashed: number;
  totalBytes: number;
  done: boolean;
}

export interface VerifyOptions {
  /** The key the signature must verify with; without it the bundle's own public-key.pem is used (and a warning given). */
  publicKeyPem?: string;
  /** Called while an entry larger than `progressThresholdBytes` is hashed. */
  onProgress?: (p: Progress) => void;
  progressThresholdBytes?: number;
}

export const PROGRESS_THRESHOLD_BYTES = 50 * 1024 * 1024;
const PROGRESS_STEP_BYTES = 32 * 1024 * 1024;
/** The JSON and PEM entries are read into memory; anything bigger than this is refused rather than parsed. */
export const MAX_PARSED_ENTRY_BYTES = 64 * 1024 * 1024;

const TRAILER: ReadonlySet<string> = new Set([BUNDLE_PATHS.manifest, BUNDLE_PATHS.signature, BUNDLE_PATHS.publicKey]);
const PARSED: ReadonlySet<string> = new Set([...TRAILER, BUNDLE_PATHS.case, BUNDLE_PATHS.timeline, BUNDLE_PATHS.auditAnchor]);

interface ScannedEntry {
  path: string;
  sizeBytes: number;
  /** Absent when the entry's data could not be read to the end. */
  sha256?: string;
  occurrences: number;
}

interface Scan {
  entries: Map<string, ScannedEntry>;
  /** Bytes of the small entries the checks parse. */
  contents: Map<string, Buffer>;
  /** False when the ZIP structure broke part-way, so absence of an entry proves nothing. */
  complete: boolean;
  bytes: number;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const mib = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MiB`;
const bytes = (n: number) => (n < 1024 * 1024 ? `${n} byte${n === 1 ? '' : 's'}` : `${n} bytes (${mib(n)})`);

/** Collects failures per check group; a group is `fail` as soon as one failure names it. */
class Checks {
  readonly failures: Failure[] = [];
  readonly warnings: string[] = [];
  private readonly results = new Map<CheckName, CheckResult>();

  fail(check: CheckName, detail: string, where: { path?: string; seq?: number } = {}): void {
    this.failures.push({ check, ...where, detail });
  }

  done(check: CheckName, summary: string): void {
    const failed = this.failures.filter((f) => f.check === check).length;
    this.results.set(check, failed > 0 ? { check, status: 'fail', summary: `${failed} problem${failed === 1 ? '' : 's'}` } : { check, status: 'pass', summary });
  }

  skip(check: CheckName, reason: string): void {
    if (this.failures.some((f) => f.check === check)) this.done(check, '');
    else this.results.set(check, { check, status: 'skipped', summary: `not checked: ${reason}` });
  }

  list(): CheckResult[] {
    return CHECKS.map((check) => this.results.get(check) ?? { check, status: 'skipped', summary: 'not checked' });
  }
}

const issuesOf = (err: z.ZodError) =>
  err.issues
    .slice(0, 8)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ') + (err.issues.length > 8 ? `; and ${err.issues.length - 8} more` : '');

/** Parses a JSON entry against a schema, recording what is wrong under `check`; undefined when it cannot be used. */
const parseEntry = <S extends z.ZodType>(c: Checks, scan: Scan, check: CheckName, path: string, schema: S): z.output<S> | undefined => {
  const entry = scan.entries.get(path);
  if (!entry) {
    c.fail(check, `missing ${path}: the bundle has no such entry`, { path });
    return undefined;
  }
  const data = scan.contents.get(path);
  if (!data) {
    // Unreadable (already a zip failure) or too large to parse.
    if (entry.sha256 !== undefined) c.fail(check, `${path} is ${bytes(entry.sizeBytes)}, more than the verifier parses (${mib(MAX_PARSED_ENTRY_BYTES)})`, { path });
    else c.fail(check, `${path} could not be read (see the zip check)`, { path });
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch (err) {
    c.fail(check, `${path} is not valid JSON: ${message(err)}`, { path });
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    c.fail(check, `${path} does not match its schema: ${issuesOf(parsed.error)}`, { path });
    return undefined;
  }
  return parsed.data;
};

const openError = (zipPath: string, err: unknown): string => {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `cannot open ${zipPath}: no such file`;
  if (code === 'EISDIR') return `cannot open ${zipPath}: it is a directory`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot open ${zipPath}: permission denied`;
  const why = message(err);
  if (/end of central directory record signature not found/i.test(why)) return `not a ZIP file, or a truncated one: no end-of-central-directory record (${why})`;
  return `not a readable ZIP file: ${why}`;
};

const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * yauzl reads the file through this: one handle, 1 MiB reads. yauzl's own file reader reads 16 KiB at a time on
 * Node 20, which made verifying a 200 MB bundle about three times slower.
 */
class FileReader extends yauzl.RandomAccessReader {
  constructor(private readonly file: FileHandle) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const file = this.file;
    let pos = start;
    return new Readable({
      highWaterMark: READ_CHUNK_BYTES,
      read() {
        const n = Math.min(READ_CHUNK_BYTES, end - pos);
        if (n <= 0) {
          this.push(null);
          return;
        }
        file.read(Buffer.allocUnsafe(n), 0, n, pos).then(
          ({ bytesRead, buffer }) => {
            if (bytesRead === 0) return this.destroy(new Error(`unexpected end of file at byte ${pos}`));
            pos += bytesRead;
            this.push(bytesRead === n ? buffer : buffer.subarray(0, bytesRead));
          },
          (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))),
        );
      },
    });
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    this.file.read(buffer, offset, length, position).then(
      ({ bytesRead }) => callback(bytesRead < length ? new Error(`unexpected end of file: ${bytesRead} of ${length} bytes at ${position}`) : null),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  }

  override close(callback: (err: Error | null) => void): void {
    this.file.close().then(
      () => callback(null),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  }
}

const openZip = async (zipPath: string): Promise<yauzl.ZipFile> => {
  const file = await open(zipPath, 'r');
  try {
    const stat = await file.stat();
    if (stat.isDirectory()) throw Object.assign(new Error(`${zipPath} is a directory`), { code: 'EISDIR' });
    return await yauzl.fromRandomAccessReaderPromise(new FileReader(file), stat.size, { lazyEntries: true, validateEntrySizes: true, autoClose: true, strictFileNames: true });
  } catch (err) {
    await file.close().catch(() => undefined);
    throw err;
  }
};

/** Resolves with the next entry, or undefined at the end; rejects when the central directory is corrupt. */
const nextEntry = (zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> =>
  new Promise((resolve, reject) => {
    const settle = () => {
      zip.removeListener('entry', onEntry);
      zip.removeListener('end', onEnd);
      zip.removeListener('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => (settle(), resolve(entry));
    const onEnd = () => (settle(), resolve(undefined));
    const onError = (err: unknown) => (settle(), reject(err instanceof Error ? err : new Error(String(err))));
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });

/** Reads every entry once: SHA-256, CRC-32 and size are computed while streaming; only the small JSON/PEM entries are kept. */
const scanZip = async (zipPath: string, opts: VerifyOptions, c: Checks): Promise<Scan | undefined> => {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(zipPath);
  } catch (err) {
    c.fail('zip', openError(zipPath, err));
    return undefined;
  }
  // yauzl emits reader errors outside of readEntry(); without a listener they would be thrown as uncaught.
  let readerError: Error | undefined;
  zip.on('error', (err: Error) => (readerError ??= err));

  const scan: Scan = { entries: new Map(), contents: new Map(), complete: false, bytes: 0 };
  const threshold = opts.progressThresholdBytes ?? PROGRESS_THRESHOLD_BYTES;
  let read = 0;
  try {
    for (let entry = await nextEntry(zip); entry; entry = await nextEntry(zip)) {
      read++;
      const path = entry.fileName;
      if (path.endsWith('/')) {
        c.warnings.push(`directory entry ${path} ignored`);
        continue;
      }
      const seen = scan.entries.get(path);
      if (seen) {
        seen.occurrences++;
        continue;
      }
      const scanned: ScannedEntry = { path, sizeBytes: entry.uncompressedSize, occurrences: 1 };
      scan.entries.set(path, scanned);
      scan.bytes += entry.uncompressedSize;
      if (!entry.canDecodeFileData()) {
        c.fail('zip', `${path}: cannot be read (${entry.isEncrypted() ? 'encrypted' : `compression method ${entry.compressionMethod} is not supported`})`, { path });
        continue;
      }
      const keep = PARSED.has(path) && entry.uncompressedSize <= MAX_PARSED_ENTRY_BYTES;
      const chunks: Buffer[] = [];
      const hash = createHash('sha256');
      const report = entry.uncompressedSize > threshold ? opts.onProgress : undefined;
      let crc = 0;
      let size = 0;
      let reported = 0;
      try {
        const stream = await zip.openReadStreamPromise(entry);
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          hash.update(chunk);
          crc = crc32(chunk, crc);
          size += chunk.length;
          if (keep) chunks.push(chunk);
          if (report && size - reported >= PROGRESS_STEP_BYTES) {
            reported = size;
            report({ path, bytesHashed: size, totalBytes: entry.uncompressedSize, done: false });
          }
        }
      } catch (err) {
        c.fail('zip', `${path}: entry data is corrupt or truncated after ${size} of ${entry.uncompressedSize} bytes (${message(err)})`, { path });
        continue;
      }
      report?.({ path, bytesHashed: size, totalBytes: entry.uncompressedSize, done: true });
      if (size !== entry.uncompressedSize) {
        c.fail('zip', `${path}: the ZIP records ${entry.uncompressedSize} bytes, the entry holds ${size}`, { path });
        continue;
      }
      if (crc !== entry.crc32) c.fail('zip', `${path}: CRC-32 mismatch, the ZIP records ${hex8(entry.crc32)}, the data gives ${hex8(crc)} (the entry is corrupted)`, { path });
      scanned.sha256 = hash.digest('hex');
      if (keep) scan.contents.set(path, Buffer.concat(chunks, size));
    }
    scan.complete = readerError === undefined;
    if (readerError) c.fail('zip', `the ZIP could not be read to the end: ${message(readerError)}`);
  } catch (err) {
    c.fail('zip', `the ZIP structure is corrupt after ${read} of ${zip.entryCount} entries: ${message(readerError ?? err)}`);
  } finally {
    if (zip.isOpen) zip.close();
  }
  return scan;
};

const checkManifest = (c: Checks, scan: Scan): Manifest | undefined => {
  const manifest = parseEntry(c, scan, 'manifest', BUNDLE_PATHS.manifest, Manifest);
  if (!manifest) {
    c.done('manifest', '');
    return undefined;
  }
  const counts = new Map<string, number>();
  for (const f of manifest.files) counts.set(f.path, (counts.get(f.path) ?? 0) + 1);
  for (const [path, n] of counts) {
    if (n > 1) c.fail('manifest', `manifest.json lists ${path} ${n} times`, { path });
    if (TRAILER.has(path)) c.fail('manifest', `manifest.json lists ${path}, which is part of the signature trailer and cannot be listed`, { path });
  }
  c.done('manifest', `${manifest.format}, ${manifest.files.length} files listed, export ${manifest.exportId}`);
  return manifest;
};

const keyFingerprint = (key: KeyObject) => createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');

const loadKey = (pem: string): KeyObject | string => {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    return `not a PEM public key (${message(err)})`;
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    return `not an ECDSA P-256 key (${key.asymmetricKeyType ?? 'unknown'} ${key.asymmetricKeyDetails?.namedCurve ?? ''})`.trim();
  }
  return key;
};

/** Checks the manifest signature; returns the key it was checked with (SPKI PEM), which also checks the audit digest. */
const checkSignature = (c: Checks, scan: Scan, manifest: Manifest | undefined, opts: VerifyOptions, info: ReportInfo): string | undefined => {
  const sigPath = BUNDLE_PATHS.signature;
  const keyPath = BUNDLE_PATHS.publicKey;
  const sig = parseEntry(c, scan, 'signature', sigPath, ManifestSignature);
  const bundlePem = scan.contents.get(keyPath)?.toString('utf8');

  let key: KeyObject | undefined;
  if (opts.publicKeyPem !== undefined) {
    const given = loadKey(opts.publicKeyPem);
    if (typeof given === 'string') c.fail('signature', `the --public-key given is ${given}`);
    else {
      key = given;
      info.keySource = 'argument';
      const own = bundlePem === undefined ? undefined : loadKey(bundlePem);
      if (own !== undefined && (typeof own === 'string' || keyFingerprint(own) !== keyFingerprint(given))) {
        c.warnings.push(`the bundle's ${keyPath} is not the --public-key given; the signature was checked with --public-key`);
      }
    }
  } else if (bundlePem === undefined) {
    c.fail('signature', `no public key to verify with: the bundle has no readable ${keyPath} and no --public-key was given`, { path: keyPath });
  } else {
    const own = loadKey(bundlePem);
    if (typeof own === 'string') c.fail('signature', `${keyPath} is ${own}`, { path: keyPath });
    else {
      key = own;
      info.keySource = 'bundle';
      c.warnings.push(
        `the public key came from the bundle itself (${keyPath}, SHA-256 ${keyFingerprint(own)}): whoever could rewrite the bundle could replace it. ` +
          'Compare it with GET /v1/exports/public-key, or pass that key with --public-key.',
      );
    }
  }
  if (key) info.keyFingerprint = keyFingerprint(key);
  if (sig) info.keyId ??= sig.keyId;

  const manifestBytes = scan.contents.get(BUNDLE_PATHS.manifest);
  if (sig && key && manifestBytes) {
    let valid = false;
    try {
      valid = verifySignature('sha256', manifestBytes, { key, dsaEncoding: 'der' }, Buffer.from(sig.signature, 'base64'));
    } catch {
      valid = false;
    }
    if (!valid) {
      const by = info.keySource === 'bundle' ? `the bundle's ${keyPath}` : 'the --public-key given';
      c.fail('signature', `signature does not verify: ${sigPath} is not a signature of the exact bytes of manifest.json by ${by}`, { path: sigPath });
    }
  } else if (sig && key) {
    c.fail('signature', 'nothing to verify: manifest.json could not be read', { path: BUNDLE_PATHS.manifest });
  }
  if (sig && manifest && sig.keyId !== manifest.signing.keyId) {
    c.fail('signature', `keyId mismatch: ${sigPath} says ${sig.keyId}, manifest.json signing.keyId says ${manifest.signing.keyId}`, { path: sigPath });
  }
  c.done('signature', `${sig?.algorithm ?? ''} signature of manifest.json verifies with key ${sig?.keyId ?? ''} (${info.keySource === 'bundle' ? 'key from the bundle' : 'key given'})`);
  return key?.export({ type: 'spki', format: 'pem' }).toString();
};

const checkFiles = (c: Checks, scan: Scan, manifest: Manifest): void => {
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    const entry = scan.entries.get(f.path);
    if (!entry) {
      c.fail('files', `missing ${f.path}: listed in manifest.json (${bytes(f.sizeBytes)}, sha256 ${f.sha256}) but not in the ZIP`, { path: f.path });
      continue;
    }
    // Unreadable entries are already zip failures; there is no digest to compare.
    if (entry.sha256 === undefined) continue;
    if (entry.sizeBytes !== f.sizeBytes) c.fail('files', `size mismatch on ${f.path}: expected ${bytes(f.sizeBytes)}, actual ${bytes(entry.sizeBytes)}`, { path: f.path });
    if (entry.sha256 !== f.sha256) c.fail('files', `sha256 mismatch on ${f.path}: expected ${f.sha256}, actual ${entry.sha256}`, { path: f.path });
  }
  for (const entry of scan.entries.values()) {
    if (entry.occurrences > 1) c.fail('files', `duplicate entry ${entry.path}: the ZIP holds it ${entry.occurrences} times`, { path: entry.path });
    if (!listed.has(entry.path) && !TRAILER.has(entry.path)) {
      c.fail('files', `unlisted file ${entry.path}: in the ZIP (${bytes(entry.sizeBytes)}) but not in manifest.json`, { path: entry.path });
    }
  }
  c.done('files', `${manifest.files.length} files match their size and SHA-256, no unlisted entries`);
};

/** Checks the chain in timeline.json; returns its events for the anchor check. */
const checkAuditChain = (c: Checks, scan: Scan, manifest: Manifest | undefined, info: ReportInfo): AuditEvent[] | undefined => {
  const path = BUNDLE_PATHS.timeline;
  const timeline = parseEntry(c, scan, 'audit-chain', path, BundleTimeline);
  if (!timeline) {
    c.done('audit-chain', '');
    return undefined;
  }
  info.auditEvents = timeline.events.length;
  info.redactedEvents = timeline.events.filter((e) => e.redaction !== undefined).length;
  if (manifest && timeline.caseId !== manifest.caseId) {
    c.fail('audit-chain', `${path} is the timeline of case ${timeline.caseId}, the manifest is for case ${manifest.caseId}`, { path });
  }
  const expected: ChainHead | undefined = manifest && { seq: manifest.auditChain.seq, hash: manifest.auditChain.head };
  const verdict = verifyChain(timeline.events, expected);
  if (!verdict.valid) {
    const seq = verdict.firstBrokenSeq;
    c.fail('audit-chain', `audit chain broken at seq ${seq ?? '?'}: ${verdict.problem ?? 'unknown problem'}`, { path, ...(seq === undefined ? {} : { seq }) });
  } else if (manifest && verdict.head !== manifest.auditChain.head) {
    c.fail('audit-chain', `manifest.json auditChain.head is ${manifest.auditChain.head}, ${path} recomputes to ${verdict.head}`, { path });
  }
  if (manifest && !manifest.auditChain.valid) {
    c.fail('audit-chain', 'manifest.json records that the case audit chain was already broken when the bundle was exported (auditChain.valid is false)', { path: BUNDLE_PATHS.manifest });
  }
  // A broken chain is already a failure; this only notes an intact chain the export described otherwise.
  if (verdict.valid && (!timeline.chain.valid || timeline.chain.head !== verdict.head)) {
    c.warnings.push(`${path} embeds a chain verdict (valid ${timeline.chain.valid}, head ${timeline.chain.head}) that differs from the recomputed one (valid ${verdict.valid}, head ${verdict.head})`);
  }
  c.done('audit-chain', `${verdict.length} events recompute to head ${verdict.head.slice(0, 16)}… (seq ${verdict.length}); ${info.redactedEvents} redacted`);
  return timeline.events;
};

/**
 * The head the bundle records against the signed audit digest written at the export (outside the table): the digest's
 * signature by the same key as the manifest, the case's Merkle proof to the digest's root, and the anchored hash at the
 * anchored seq of timeline.json. The manifest (signed) says whether the bundle has one.
 */
const checkAnchor = (c: Checks, scan: Scan, manifest: Manifest, events: AuditEvent[] | undefined, keyPem: string | undefined): void => {
  const path = BUNDLE_PATHS.auditAnchor;
  const declared = manifest.auditAnchor;
  if (!declared) {
    if (scan.entries.has(path)) c.fail('anchor', `${path} is in the bundle but manifest.json declares no auditAnchor`, { path });
    return c.done('anchor', 'no audit digest: the bundle was written before audit digests existed');
  }
  const anchor = parseEntry(c, scan, 'anchor', path, BundleAnchor);
  if (!anchor) return c.done('anchor', '');
  const body = anchor.digest.body;
  if (body.digestId !== declared.digestId || body.number !== declared.digestNumber || anchor.leaf.seq !== declared.seq || anchor.leaf.hash !== declared.hash) {
    c.fail('anchor', `${path} (digest ${body.digestId} number ${body.number}, seq ${anchor.leaf.seq}) is not the anchor manifest.json declares (digest ${declared.digestId} number ${declared.digestNumber}, seq ${declared.seq})`, { path });
  }
  if (declared.seq !== manifest.auditChain.seq || declared.hash !== manifest.auditChain.head) {
    c.fail('anchor', `the anchored head (seq ${declared.seq}) is not the head the bundle records (seq ${manifest.auditChain.seq})`, { path });
  }
  if (!keyPem) c.fail('anchor', 'no public key to verify the audit digest with (see the signature check)', { path });
  else if (!events) c.fail('anchor', 'no readable timeline.json to check the anchor against', { path });
  else for (const problem of checkBundleAnchor(anchor, { caseId: manifest.caseId, events, publicKeyPem: keyPem })) c.fail('anchor', problem, { path, seq: anchor.leaf.seq });
  c.done('anchor', `head seq ${anchor.leaf.seq} is in signed audit digest ${body.number} (${body.digestId}, ${body.at}), Merkle proof of ${anchor.proof.path.length} hashes to root ${body.merkle.root.slice(0, 16)}…`);
};

const CaseIdentity = z.object({ id: z.string(), reference: z.string() });

const checkCase = (c: Checks, scan: Scan, manifest: Manifest): void => {
  const path = BUNDLE_PATHS.case;
  const record = parseEntry(c, scan, 'case', path, CaseIdentity);
  if (record) {
    if (record.id !== manifest.caseId) c.fail('case', `${path} id is ${record.id}, manifest.json caseId is ${manifest.caseId}`, { path });
    if (record.reference !== manifest.reference) c.fail('case', `${path} reference is ${record.reference}, manifest.json reference is ${manifest.reference}`, { path });
  }
  c.done('case', `${path} is case ${manifest.reference} (${manifest.caseId})`);
};

const checkEvidence = (c: Checks, manifest: Manifest): void => {
  const files = new Map(manifest.files.map((f) => [f.path, f]));
  const described = new Set<string>();
  for (const e of manifest.evidence) {
    described.add(e.path);
    if (!e.path.startsWith(`evidence/${e.evidenceId}/`)) c.fail('evidence', `evidence ${e.evidenceId} is stored at ${e.path}, outside evidence/${e.evidenceId}/`, { path: e.path });
    const file = files.get(e.path);
    if (!file) {
      c.fail('evidence', `evidence ${e.evidenceId}: ${e.path} is not among manifest.json files`, { path: e.path });
      continue;
    }
    if (file.sha256 !== e.sha256) c.fail('evidence', `evidence ${e.evidenceId}: the vault verified sha256 ${e.sha256}, the bundle file ${e.path} is listed with ${file.sha256}`, { path: e.path });
    if (file.sizeBytes !== e.sizeBytes) c.fail('evidence', `evidence ${e.evidenceId}: the vault recorded ${bytes(e.sizeBytes)}, ${e.path} is listed with ${bytes(file.sizeBytes)}`, { path: e.path });
  }
  for (const f of manifest.files) {
    if (f.path.startsWith('evidence/') && !described.has(f.path)) c.warnings.push(`${f.path} is under evidence/ but not described in manifest.json evidence[]`);
  }
  c.done('evidence', `${manifest.evidence.length} evidence files match the SHA-256 the vault verified`);
};

/** Verifies one bundle; never throws for anything wrong with the bundle, every problem becomes a failure. */
export const verifyBundle = async (zipPath: string, opts: VerifyOptions = {}): Promise<Report> => {
  const c = new Checks();
  const info: ReportInfo = { caseId: null, reference: null, exportedAt: null, exportedBy: null, files: 0, bytes: 0, auditEvents: null, redactedEvents: null, keyId: null, keySource: null, keyFingerprint: null };
  const scan = await scanZip(zipPath, opts, c);
  if (!scan) {
    c.done('zip', '');
    for (const check of CHECKS.slice(1)) c.skip(check, 'the ZIP could not be opened');
    return { ok: false, failures: c.failures, warnings: c.warnings, info, checks: c.list() };
  }
  info.files = scan.entries.size;
  info.bytes = scan.bytes;
  c.done('zip', `${scan.entries.size} entries, ${bytes(scan.bytes)}; CRC-32 and sizes good`);

  const manifest = checkManifest(c, scan);
  if (manifest) Object.assign(info, { caseId: manifest.caseId, reference: manifest.reference, exportedAt: manifest.exportedAt, exportedBy: manifest.exportedBy, keyId: manifest.signing.keyId });
  const keyPem = checkSignature(c, scan, manifest, opts, info);
  if (!manifest) c.skip('files', 'no valid manifest.json');
  else if (!scan.complete) c.skip('files', 'the ZIP could not be read to the end');
  else checkFiles(c, scan, manifest);
  const events = checkAuditChain(c, scan, manifest, info);
  if (manifest) {
    checkAnchor(c, scan, manifest, events, keyPem);
    checkCase(c, scan, manifest);
    checkEvidence(c, manifest);
  } else {
    c.skip('anchor', 'no valid manifest.json');
    c.skip('case', 'no valid manifest.json');
    c.skip('evidence', 'no valid manifest.json');
  }
  const checks = c.list();
  return { ok: c.failures.length === 0 && checks.every((r) => r.status === 'pass'), failures: c.failures, warnings: c.warnings, info, checks };
};
