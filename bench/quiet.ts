// Drops one known, per-request warning from this process's stderr while the load runs, and counts it.
//
// The local server runs many invocations concurrently in one process, all sharing the module-scope
// Powertools Metrics instance: one request's logMetrics flush empties the buffer another request
// filled, and the second flush then warns "No application metrics to publish". Lambda runs one
// invocation per process at a time, so this only happens locally; the count goes into the report.
export const suppressStderrLines = (needle: string): { count: () => number; restore: () => void } => {
  const original = process.stderr.write.bind(process.stderr);
  let dropped = 0;
  const patched = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
    if (text !== undefined && text.includes(needle)) {
      dropped += text.split(needle).length - 1;
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }
    return (original as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
  };
  process.stderr.write = patched;
  return {
    count: () => dropped,
    restore: () => {
      process.stderr.write = original;
    },
  };
};
