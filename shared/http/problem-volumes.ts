// The reporting projection's day counters (complaints received per day and dimension value), read by the problem
// effect route and the spike detection. Apart from the problems container so that the other problem routes (closing,
// creating, linking, …), which never read volumes, bundle neither the report store nor the reporting schemas.
import { ProjectionVolumes } from '#domain/problems/volumes';
import { projector } from '#domain/reporting/projection';
import type { VolumeCounts } from '#ports/problem-store';
import { config } from './config';
import { effectVolumes } from './problems-container';
import { reportStore } from './reporting-container';
import { reportingOptionsOf } from './reporting-options';

export const problemVolumes = (): VolumeCounts => {
  const cfg = config();
  return new ProjectionVolumes(reportStore(), projector({ ...reportingOptionsOf(cfg), timeZone: cfg.ORG_TIME_ZONE }));
};

/** Wires the day counters into the problem service (called by the effect route, the only problem route that reads them). */
export const provideEffectVolumes = (): void => effectVolumes.provide(problemVolumes);
