// Writes the export ZIP as a stream (yazl in the adapter) and renders its human-readable summary (pdfkit).
import type { Readable } from 'node:stream';
import type { Case } from '#schemas/complaint';
import type { AuditEvent } from '#schemas/children';
import type { Approval, Resolution } from '#schemas/resolution';
import type { Escalation } from '#schemas/escalation';
import type { Evidence } from '#schemas/evidence';

export interface BufferEntry {
  path: string;
  bytes: Buffer;
}
export interface StreamEntry {
  path: string;
  open: () => Promise<Readable>;
  /** What the bytes must be: a mismatch fails the bundle (evidence that no longer matches its verified hash). */
  expected: { sha256: string; sizeBytes: number };
}
export type BundleEntry = BufferEntry | StreamEntry;

export interface WrittenFile {
  path: string;
  sizeBytes: number;
  sha256: string;
}

export interface WrittenBundle<T> {
  /** Files in ZIP order, with the size and SHA-256 of their uncompressed bytes. */
  files: WrittenFile[];
  trailer: WrittenFile[];
  zipBytes: number;
  zipSha256: string;
  stored: T;
}

export interface BundleWriter {
  /**
   * Streams entries into a ZIP handed to `sink` as it is produced; once every entry is written, `trailer` gets
   * their sizes and hashes and returns the closing entries (manifest, signature, key). Memory stays flat.
   */
  write<T>(o: {
    entries: BundleEntry[];
    trailer: (files: WrittenFile[]) => Promise<BufferEntry[]>;
    sink: (zip: Readable) => Promise<T>;
    /** Gives up (the sink abandons the object) when aborted: the builder's time is running out. */
    signal?: AbortSignal;
  }): Promise<WrittenBundle<T>>;
}

export interface CaseSummary {
  case: Case;
  events: AuditEvent[];
  chainValid: boolean;
  resolutions: Resolution[];
  approvals: Approval[];
  escalations: Escalation[];
  evidence: Evidence[];
  exportId: string;
  exportedAt: string;
  exportedBy: string;
}

export interface SummaryRenderer {
  /** summary.pdf: case facts, timeline, decision and approvals. */
  render(s: CaseSummary): Promise<Buffer>;
}
