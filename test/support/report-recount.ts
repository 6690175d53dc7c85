// The reporting projection as the tests compare it: one generation's counter items read from the table, and a recount
// (a rebuild from the case items into the next generation), for "the incremental projection equals a recount" checks.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { FIXED_WIDTH } from '#adapters/aws/dynamo/report-store';

/**
 * The projection's counter items of one generation (its per-case items left out), by "<key after the generation> <SK>",
 * each without its counters at zero: counters that went back to zero (a case moved on) are the same as counters never
 * touched, and a fixed-width month item's zero is its offset. Report shards (`#s<n>` partitions) are folded into one
 * item, their counters summed (decoded from fixed width), as readers see them: where a writer put a delta is not part
 * of what the projection says.
 */
export const projectionItems = async (tableName: string, generation: number): Promise<Record<string, Record<string, unknown>>> => {
  // The handlers' clients (imported late: the container reads the stack's environment, set by startTestApi).
  const { doc } = (await import('#http/container')).dynamo();
  const out: Record<string, Record<string, unknown>> = {};
  const prefix = `RPT#${generation}#`;
  let start: Record<string, unknown> | undefined;
  do {
    // Test-only inspection of the whole table (no request path scans).
    const page = await doc.send(new ScanCommand({ TableName: tableName, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) {
      const pk = String(item.PK);
      if (!pk.startsWith(prefix) || pk.startsWith(`${prefix}case#`)) continue;
      const { PK: _pk, SK, entity: _e, enc, ...rest } = item;
      const offset = (m: string) => (enc === FIXED_WIDTH.mark ? (m.startsWith('cmp:') ? FIXED_WIDTH.moneyOffset : FIXED_WIDTH.countOffset) : 0);
      const key = `${pk.slice(prefix.length).replace(/#s\d+$/, '')} ${String(SK)}`;
      const into = (out[key] ??= {});
      for (const [m, v] of Object.entries(rest)) into[m] = typeof v === 'number' ? Number(into[m] ?? 0) + v - offset(m) : v;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  for (const [key, item] of Object.entries(out)) {
    for (const [m, v] of Object.entries(item)) if (v === 0) delete item[m];
    if (!Object.keys(item).length) delete out[key];
  }
  return out;
};

/** Recounts the projection from the case items (`npm run reports:rebuild`'s path): the new generation and the cases read. */
export const recountFromCases = async (): Promise<{ generation: number; cases: number }> => {
  const { reportingService } = await import('#http/reporting-container');
  const { caseRepository } = await import('#http/container');
  return reportingService().rebuild(() => caseRepository().everyCase());
};
