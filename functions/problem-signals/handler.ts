// Scheduled once a day (EventBridge in AWS, the local timers as the local clock passes midnight UTC): tests the last
// whole day's complaint volume per product and category for spikes (reading the reporting projection's day counters,
// never the cases), then looks for groups of similar recent complaints to suggest as problems. Idempotent: a spike
// and a group are each recorded (and announced) once, so a retried or repeated run adds nothing.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { defineEventHandler } from '#http/event-handler';
import { logger, metrics } from '#http/observability';
import { signalService, suggestionService } from '#http/signals-container';
import { provideSignalJob } from '#http/signal-job-wiring';

provideSignalJob();

export interface ProblemSignalsRun {
  day: string;
  series: number;
  spikes: number;
  compared: number;
  groups: number;
  suggestions: number;
}

export const handler = defineEventHandler<unknown, ProblemSignalsRun>('problem-signals', async () => {
  const detected = await signalService().detect();
  const suggested = await suggestionService().suggest();
  const run: ProblemSignalsRun = { day: detected.day, series: detected.series, spikes: detected.spikes.length, compared: suggested.compared, groups: suggested.groups, suggestions: suggested.created.length };
  metrics.addMetric('ComplaintSpikesDetected', MetricUnit.Count, run.spikes);
  metrics.addMetric('ProblemSuggestionsMade', MetricUnit.Count, run.suggestions);
  logger.info('problem signals run', { ...run });
  return run;
});
