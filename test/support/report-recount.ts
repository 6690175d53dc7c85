// The reporting projection as the tests compare it: one generation's counter items read from the table, and a recount
// (a rebuild from the case items into the next generation), for "the incremental projection equals a recount" checks.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { FIXED_WIDTH } from '#adapters/aws/dynamo/report-store';

/**
 * The projection's counter items of one generation (its per-case items left out), by "<key after the generation> <SK>",
 * each without its counters at zero: counters that went back to zero (a case moved on) are the same as counters never
 * touched, and a fixed-width month item's zero is its offset.
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
      const zero = (m: string) => (enc === FIXED_WIDTH.mark ? (m.startsWith('cmp:') ? FIXED_WIDTH.moneyOffset : FIXED_WIDTH.countOffset) : 0);
      const nonZero = Object.fromEntries(Object.entries(rest).filter(([m, v]) => v !== zero(m)));
      if (Object.keys(nonZero).length) out[`${pk.slice(prefix.length)} ${String(SK)}`] = nonZero;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
};

/** Recounts the projection from the case items (`npm run reports:rebuild`'s path): the new generation and the cases read. */
export const recountFromCases = async (): Promise<{ generation: number; cases: number }> => {
  const { reportingService } = await import('#http/reporting-container');
  const { caseRepository } = await import('#http/container');
  return reportingService().rebuild(() => caseRepository().everyCase());
};
