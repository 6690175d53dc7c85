// Consumer of the cases table stream that keeps the reporting projection (control 6) in step with the cases: each
// case-item record brings that case's contribution to the counters up to its new version, exactly once (a
// redelivered or late record changes nothing). What a case contributes depends only on its latest image, so a record
// followed in the same batch by a newer one of the same case is skipped: the newer record moves the counters the
// whole way (were it to fail, the retry starts from it, and it still does). The batch's cases are projected together
// (the store packs their changes into transactions with their deltas summed per counter item, each transaction into
// one of REPORT_SHARDS partitions; each case still exactly once, by its own marker), then reported record by record in
// order: a failed record is reported (ReportBatchItemFailures) and the mapping bisects the batch and retries from it.
// The mapping hands over up to 1,000 records within a 5 s window (REPORT_STREAM): the bigger the batch, the more cases
// share each transaction.
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { keys } from '#adapters/aws/dynamo/table-model';
import { caseOfItem } from '#adapters/aws/dynamo/case-codec';
import { Case } from '#schemas/complaint';
import type { ApplyOutcome, ReportMeta } from '#ports/report-store';
import { reportingService } from '#http/reporting-container';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** The case a record carries, or undefined for any other item (the mapping's filter lets only case items through in AWS). */
export const caseOfRecord = (record: DynamoDBRecord): Case | undefined => {
  const img = record.dynamodb?.NewImage;
  const sk = record.dynamodb?.Keys?.SK?.S;
  if (!img || sk !== keys.caseSk || record.eventName === 'REMOVE') return undefined;
  const item = unmarshall(img as Record<string, AttributeValue>);
  const parsed = Case.safeParse(caseOfItem(item));
  if (!parsed.success) throw new Error(`case item ${String(item.PK)} does not parse: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
};

/** The records a later record of the same item supersedes within one batch. */
export const supersededIn = (records: readonly DynamoDBRecord[]): Set<DynamoDBRecord> => {
  const latest = new Map<string, DynamoDBRecord>();
  for (const r of records) {
    const k = r.dynamodb?.Keys;
    if (k?.PK?.S !== undefined && k.SK?.S !== undefined) latest.set(`${k.PK.S}\u0000${k.SK.S}`, r);
  }
  const kept = new Set(latest.values());
  return new Set(records.filter((r) => r.dynamodb?.Keys?.PK?.S !== undefined && !kept.has(r)));
};

type Projected = PromiseSettledResult<ApplyOutcome[]> | { status: 'unparsable'; reason: unknown } | undefined;

/** Projects every case the batch carries at once; what each record then reports. */
const projectBatch = async (records: readonly DynamoDBRecord[], meta: ReportMeta, superseded: Set<DynamoDBRecord>): Promise<Map<DynamoDBRecord, Projected>> => {
  const out = new Map<DynamoDBRecord, Projected>();
  const work: { record: DynamoDBRecord; c: Case }[] = [];
  for (const record of records) {
    if (superseded.has(record)) continue;
    try {
      const c = caseOfRecord(record);
      if (c) work.push({ record, c });
    } catch (reason) {
      out.set(record, { status: 'unparsable', reason });
    }
  }
  const results = work.length ? await reportingService().projectMany(work.map((w) => w.c), meta) : [];
  work.forEach((w, i) => out.set(w.record, results[i]));
  return out;
};

const onRecord = async (record: DynamoDBRecord, projected: Map<DynamoDBRecord, Projected>, superseded: Set<DynamoDBRecord>): Promise<void> => {
  if (superseded.has(record)) {
    metrics.addMetric('ProjectionSuperseded', MetricUnit.Count, 1);
    return;
  }
  const result = projected.get(record);
  if (!result) return; // not a case item
  if (result.status !== 'fulfilled') throw result.reason;
  for (const outcome of result.value) metrics.addMetric({ applied: 'ProjectionApplied', unchanged: 'ProjectionUnchanged', stale: 'ProjectionStale' }[outcome], MetricUnit.Count, 1);
  if (result.value.includes('stale')) logger.debug('stale or repeated record', { eventID: record.eventID });
};

export const handler = defineEventHandler('report-projection', async (event: DynamoDBStreamEvent, context) => {
  // The generations to write are read once per batch: a rebuild that starts meanwhile re-reads every case anyway.
  const meta = await reportingService().meta();
  const superseded = supersededIn(event.Records);
  const projected = await projectBatch(event.Records, meta, superseded);
  return processPartialResponse(event, (record: DynamoDBRecord) => onRecord(record, projected, superseded), processor, { context, processInParallel: false });
});
