// Composition root of the functions that open complaints (API intake, helpdesk, email, rejection replay): the case
// service with the triage model chain. Only these functions bundle the model and its NLP libraries.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ComplaintService } from '#domain/complaint-service';
import { complaintServiceDeps } from './container';
import { config } from './config';
import { logger } from './logger';
import { metrics } from './metrics';
import { triageModels } from './triage-container';

let intake: ComplaintService | undefined;

/** The case service that opens complaints: every intake path goes through it, so every new case is triaged. */
export const intakeComplaintService = (): ComplaintService => {
  if (!intake) {
    const deps = complaintServiceDeps();
    intake = new ComplaintService({
      ...deps,
      // A failing model never fails the intake (the case opens without suggestions); each failure is logged and counted.
      triage: {
        models: triageModels(),
        settings: config().triage,
        onFailure: (f) => {
          logger.warn(f.kind === 'fallback' ? 'triage model failed; trying the next' : 'triage unavailable; the case opens without suggestions', { triage: f });
          metrics.addMetric(f.kind === 'fallback' ? 'TriageModelFailed' : 'TriageUnavailable', MetricUnit.Count, 1);
        },
      },
    });
  }
  return intake;
};
