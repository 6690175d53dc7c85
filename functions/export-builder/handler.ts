// The export builder: invoked asynchronously by the case-stream function once an export request has committed
// (`export.requested` on the audit stream, a transactional outbox). It streams the case's verified evidence from the
// evidence bucket into a ZIP in the exports bucket and signs the manifest. A repeated invocation finds the job
// claimed and does nothing; a build failure is recorded on the job (status failed, with the reason).
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { Ulid } from '#schemas/common';
import { exportBuilderService } from '#http/export-builder-container';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';

const Launch = z.object({ caseId: Ulid, exportId: Ulid });

/** What the builder keeps back from its time limit to record a failure before Lambda stops it. */
const FAILURE_MARGIN_MS = 30_000;

export const handler = defineEventHandler('export-builder', async (event: unknown, context) => {
  const parsed = Launch.safeParse(event);
  if (!parsed.success) {
    logger.warn('not an export launch', { issues: parsed.error.issues });
    return { outcome: 'ignored' as const };
  }
  const { caseId, exportId } = parsed.data;
  logger.appendKeys({ caseId, exportId });
  const started = Date.now();
  // Locally the context has no deadline: the build may take as long as it needs.
  const remaining = typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : Infinity;
  const outcome = await exportBuilderService().build(caseId, exportId, Number.isFinite(remaining) ? { budgetMs: Math.max(1000, remaining - FAILURE_MARGIN_MS) } : {});
  metrics.addMetric(`Export_${outcome}`, MetricUnit.Count, 1);
  if (outcome === 'built') metrics.addMetric('ExportBuildTime', MetricUnit.Milliseconds, Date.now() - started);
  logger.info(`export ${outcome}`, { ms: Date.now() - started });
  return { outcome };
});
