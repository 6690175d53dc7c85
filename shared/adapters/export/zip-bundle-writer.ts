// BundleWriter on yazl: entries are written one after another into a ZIP that streams straight into the sink (the
// exports bucket), each hashed as it passes. Evidence is opened only when its turn comes and read once, so memory
// stays flat however large the files; already-compressed evidence is stored, JSON and the PDF are deflated.
import { createHash } from 'node:crypto';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { BufferEntry, BundleEntry, BundleWriter, WrittenBundle, WrittenFile } from '#ports/bundle-writer';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A pass-through that hashes and counts what flows through it. */
export const hashingTap = () => {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ bytes, sha256: hash.digest('hex') }) };
};

export class EvidenceMismatchError extends Error {
  override name = 'EvidenceMismatchError';
}

export class ExportTimeoutError extends Error {
  override name = 'ExportTimeoutError';
}

export class ZipBundleWriter implements BundleWriter {
  /** `mtime` of every entry (a bundle's timestamps say when it was exported, not when the builder ran a step). */
  constructor(private readonly opts: { mtime?: () => Date } = {}) {}

  async write<T>(o: { entries: BundleEntry[]; trailer: (files: WrittenFile[]) => Promise<BufferEntry[]>; sink: (zip: Readable) => Promise<T>; signal?: AbortSignal }): Promise<WrittenBundle<T>> {
    const zip = new ZipFile();
    const mtime = this.opts.mtime?.() ?? new Date();
    const whole = hashingTap();
    const out = new PassThrough();
    const piping = pipeline(zip.outputStream, whole.stream, out);
    const storing = o.sink(out);
    let failure: Error | undefined;
    let rejectFailed: (err: Error) => void = () => undefined;
    /** Rejects at the first failure: whatever the loop is waiting for (an evidence copy) stops waiting. */
    const failed = new Promise<never>((_, reject) => {
      rejectFailed = reject;
    });
    failed.catch(() => undefined);
    const fail = (err: unknown) => {
      failure ??= err instanceof Error ? err : new Error(String(err));
      // Stops the upload: the sink sees the error and abandons the object (no partial bundle is stored).
      out.destroy(failure);
      rejectFailed(failure);
    };
    /** Once every byte has been handed to the sink, the upload is left to complete (the builder keeps a margin for it). */
    let handedOver = false;
    const onAbort = () => {
      if (!handedOver) fail(new ExportTimeoutError('the export did not finish within the builder’s time limit; request it again (a smaller case, or fewer files, finishes sooner)'));
    };
    if (o.signal?.aborted) onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    /** Throws the first failure seen so far (set from callbacks, so read through a function). */
    const check = (): void => {
      const f: Error | undefined = failure;
      if (f) throw f;
    };
    // Surface a sink or pipe failure while entries are still being added.
    storing.catch(fail);
    piping.catch(fail);

    const files: WrittenFile[] = [];
    const addBuffer = (e: BufferEntry): WrittenFile => {
      zip.addBuffer(e.bytes, e.path, { mtime, compress: true });
      return { path: e.path, sizeBytes: e.bytes.length, sha256: sha256(e.bytes) };
    };
    try {
      for (const e of o.entries) {
        check();
        if ('bytes' in e) {
          files.push(addBuffer(e));
          continue;
        }
        const source = await e.open();
        const t = hashingTap();
        const copying = pipeline(source, t.stream).catch((err: unknown) => {
          throw new Error(`reading ${e.path} failed: ${err instanceof Error ? err.message : String(err)}`);
        });
        zip.addReadStream(t.stream, e.path, { mtime, compress: false });
        try {
          await Promise.race([Promise.all([copying, finished(t.stream)]), failed]);
        } finally {
          if (failure) source.destroy();
        }
        const got = t.result();
        if (got.sha256 !== e.expected.sha256 || got.bytes !== e.expected.sizeBytes) {
          throw new EvidenceMismatchError(
            `${e.path}: stored bytes (${got.bytes} bytes, sha256 ${got.sha256}) differ from the verified evidence (${e.expected.sizeBytes} bytes, sha256 ${e.expected.sha256})`,
          );
        }
        files.push({ path: e.path, sizeBytes: got.bytes, sha256: got.sha256 });
      }
      check();
      const trailer = (await o.trailer(files)).map(addBuffer);
      zip.end();
      handedOver = true;
      const [stored] = await Promise.all([storing, piping]);
      check();
      const z = whole.result();
      return { files, trailer, zipBytes: z.bytes, zipSha256: z.sha256, stored };
    } catch (err) {
      fail(err);
      const [sink] = await Promise.allSettled([storing, piping]);
      // Our own verdicts first (evidence mismatch, time limit); then what the sink said (the pipe's "premature
      // close" only follows from it); then the first failure seen.
      const ours = failure instanceof EvidenceMismatchError || failure instanceof ExportTimeoutError;
      throw ours ? failure : sink.status === 'rejected' ? (sink.reason as Error) : (failure ?? err);
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
  }
}
