// Test export bundles: a case's content with a real audit chain, sealed by a signed manifest, written with yazl.
// Tests tamper between the steps: edit the content and reseal (only the content checks can notice), or edit the
// sealed entries (the manifest no longer matches).
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { ulid } from 'ulid';
import { ZipFile } from 'yazl';
import { appendEvents, EMPTY_HEAD, REDACTION_EVENT, redactEvent, verifyChain, type ChainHead } from '#domain/audit-chain';
import type { AuditEvent } from '#schemas/children';
import { BUNDLE_FORMAT, BUNDLE_PATHS, SIGNING_ALGORITHM, evidencePath, type Manifest, type ManifestSignature } from '#schemas/export';

export interface BundleEntry {
  path: string;
  data: Buffer;
  /** Deflate the entry (yazl's default); evidence is stored as-is by default, like already-compressed files. */
  compress?: boolean;
}

export interface Signer {
  keyId: string;
  privateKey: KeyObject;
  publicKeyPem: string;
}

export interface EvidenceSpec {
  fileName: string;
  data: Buffer;
}

/** The case part of a bundle: every entry the manifest lists, and what the manifest says about the case. */
export interface CaseContent {
  caseId: string;
  reference: string;
  exportId: string;
  entries: BundleEntry[];
  auditHead: ChainHead;
  evidence: { evidenceId: string; path: string }[];
}

export const newSigner = (keyId = `local-test-key-${ulid()}`): Signer => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { keyId, privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
export const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

const AT = '2026-11-02T09:00:00.000Z';

/** A case with its audit events (the second redacted for retention, and the event recording that), two evidence files and the other JSON files. */
export const caseContent = (opts: { evidence?: EvidenceSpec[]; reference?: string } = {}): CaseContent => {
  const caseId = ulid();
  const reference = opts.reference ?? 'CMP-2026-000042';
  const evidence = (opts.evidence ?? [
    { fileName: 'statement.pdf', data: Buffer.from('%PDF-1.7\n% customer statement\n') },
    { fileName: 'call.txt', data: Buffer.from('call notes, 2026-11-01\n'.repeat(200)) },
  ]).map((e) => ({ evidenceId: ulid(), ...e }));

  const { events, head } = appendEvents(
    EMPTY_HEAD,
    [
      { actor: 'web-form', action: 'complaint.received', data: { reference } },
      { actor: 'alice', action: 'note.added', data: { body: 'customer phone number 07700 900123' } },
      ...evidence.map((e) => ({ actor: 'alice', action: 'evidence.verified', data: { evidenceId: e.evidenceId, fileName: e.fileName } })),
      // The chained record of the redaction below (the chain refuses a redacted event no such event names).
      { actor: 'system:retention', action: REDACTION_EVENT, data: { redactedSeqs: [2] } },
      { actor: 'carol', action: 'export.requested', data: {} },
    ],
    AT,
  );
  const redacted: AuditEvent[] = events.map((e) => (e.seq === 2 ? redactEvent(e, { at: AT, by: 'retention', reason: 'retention period ended' }) : e));

  const entries: BundleEntry[] = [
    { path: BUNDLE_PATHS.case, data: json({ id: caseId, reference, status: 'closed', ownerId: 'alice', receivedAt: AT }) },
    { path: BUNDLE_PATHS.timeline, data: json({ caseId, events: redacted, chain: verifyChain(redacted, head) }) },
    { path: BUNDLE_PATHS.notes, data: json({ items: [] }) },
    { path: BUNDLE_PATHS.tasks, data: json({ items: [] }) },
    { path: BUNDLE_PATHS.escalations, data: json({ items: [] }) },
    { path: BUNDLE_PATHS.approvals, data: json({ items: [] }) },
    { path: BUNDLE_PATHS.resolutions, data: json({ items: [] }) },
    { path: BUNDLE_PATHS.evidenceLog, data: json({ items: evidence.map((e) => ({ id: e.evidenceId, fileName: e.fileName, sha256: sha256(e.data) })) }) },
    ...evidence.map((e) => ({ path: evidencePath(e.evidenceId, e.fileName), data: e.data, compress: false })),
    { path: BUNDLE_PATHS.summary, data: Buffer.from('%PDF-1.7\n% case summary\n') },
  ];
  return { caseId, reference, exportId: ulid(), entries, auditHead: head, evidence: evidence.map((e) => ({ evidenceId: e.evidenceId, path: evidencePath(e.evidenceId, e.fileName) })) };
};

export const manifestOf = (content: CaseContent, signer: Signer): Manifest => {
  const byPath = new Map(content.entries.map((e) => [e.path, e]));
  return {
    format: BUNDLE_FORMAT,
    exportId: content.exportId,
    caseId: content.caseId,
    reference: content.reference,
    exportedAt: '2026-11-03T10:00:00.000Z',
    exportedBy: 'carol',
    files: content.entries.map((e) => ({ path: e.path, sizeBytes: e.data.length, sha256: sha256(e.data) })),
    auditChain: { seq: content.auditHead.seq, head: content.auditHead.hash, valid: true },
    evidence: content.evidence.map((e) => {
      const data = byPath.get(e.path)?.data ?? Buffer.alloc(0);
      return { evidenceId: e.evidenceId, path: e.path, sha256: sha256(data), sizeBytes: data.length, versionId: null };
    }),
    legalHold: false,
    retainUntil: '2032-11-03T10:00:00.000Z',
    signing: { keyId: signer.keyId, algorithm: SIGNING_ALGORITHM },
  };
};

export const signatureOf = (manifestBytes: Buffer, signer: Signer): Buffer =>
  json({
    algorithm: SIGNING_ALGORITHM,
    keyId: signer.keyId,
    signedFile: BUNDLE_PATHS.manifest,
    signature: sign('sha256', manifestBytes, { key: signer.privateKey, dsaEncoding: 'der' }).toString('base64'),
  } satisfies ManifestSignature);

/** The content followed by manifest.json (listing every content entry), its signature and the public key. */
export const seal = (content: CaseContent, signer: Signer, manifest: Manifest = manifestOf(content, signer)): BundleEntry[] => {
  const manifestBytes = json(manifest);
  return [
    ...content.entries,
    { path: BUNDLE_PATHS.manifest, data: manifestBytes },
    { path: BUNDLE_PATHS.signature, data: signatureOf(manifestBytes, signer) },
    { path: BUNDLE_PATHS.publicKey, data: Buffer.from(signer.publicKeyPem) },
  ];
};

export const writeZip = async (zipPath: string, entries: readonly BundleEntry[]): Promise<void> => {
  const zip = new ZipFile();
  const mtime = new Date(AT);
  for (const e of entries) zip.addBuffer(e.data, e.path, { mtime, compress: e.compress ?? true });
  const written = pipeline(zip.outputStream, createWriteStream(zipPath));
  zip.end();
  await written;
};

/** Replaces the data of one entry (a copy: the input is not changed). */
export const withEntry = <T extends { path: string; data: Buffer }>(entries: readonly T[], path: string, edit: (data: Buffer) => Buffer): T[] => {
  if (!entries.some((e) => e.path === path)) throw new Error(`no entry ${path}`);
  return entries.map((e) => (e.path === path ? { ...e, data: edit(Buffer.from(e.data)) } : e));
};
