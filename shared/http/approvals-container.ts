// Composition root for the resolution and approval functions: the case table, and Step Functions when the
// approval state machine is configured.
import { SFNClient } from '@aws-sdk/client-sfn';
import { ResolutionService } from '#domain/resolution-service';
import { StepFunctionsEngine } from '#adapters/aws/step-functions';
import { config } from './config';
import { caseRepository, clock, ulidIds } from './container';

let resolutions: ResolutionService | undefined;

export const resolutionService = (): ResolutionService => {
  if (!resolutions) {
    const cfg = config();
    const c = clock();
    resolutions = new ResolutionService({
      repo: caseRepository(),
      clock: c,
      ids: ulidIds(c),
      ...(cfg.APPROVAL_RULES ? { rules: cfg.APPROVAL_RULES } : {}),
      stageTimeoutMs: cfg.APPROVAL_STAGE_TIMEOUT_HOURS * 3_600_000,
      reminderMs: cfg.APPROVAL_REMINDER_HOURS * 3_600_000,
      ...(cfg.APPROVAL_STATE_MACHINE_ARN
        ? { engine: new StepFunctionsEngine(new SFNClient({ region: cfg.AWS_REGION }), { approvalStateMachineArn: cfg.APPROVAL_STATE_MACHINE_ARN }) }
        : {}),
    });
  }
  return resolutions;
};
