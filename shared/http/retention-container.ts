// Composition root of the retention job: the case table and the clock, nothing else (no S3, Scheduler or events).
import { RetentionService } from '#domain/retention-service';
import { caseRepository, clock } from './container';
import { config } from './config';

let service: RetentionService | undefined;

export const retentionService = (): RetentionService => {
  if (!service) {
    const cfg = config();
    service = new RetentionService({
      repo: caseRepository(),
      clock: clock(),
      ...(cfg.regimes.retentionYears ? { retentionYears: cfg.regimes.retentionYears } : {}),
      batch: cfg.RETENTION_BATCH,
    });
  }
  return service;
};
