// Composition root for the resolution, approval and escalation functions (and the stream consumer that starts their
// workflows): the case table, and the workflow engine — Step Functions when a state machine is configured, the
// embedded engine under npm start.
import { SFNClient } from '@aws-sdk/client-sfn';
import { EscalationService } from '#domain/escalation-service';
import { ResolutionService, type ResolutionServiceDeps } from '#domain/resolution-service';
import type { WorkflowEngine } from '#ports/workflow-engine';
import { StepFunctionsEngine } from '#adapters/aws/step-functions';
import { localWorkflowEngine } from '#adapters/local/local-workflow-engine';
import { config } from './config';
import { caseRepository, clock, ulidIds } from './container';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';

let engine: { value: WorkflowEngine | undefined } | undefined;
let resolutions: ResolutionService | undefined;
let reader: ResolutionService | undefined;
let escalations: EscalationService | undefined;

/** The workflow engine: the embedded one locally (installed by the local stack), else Step Functions if configured. */
export const workflowEngine = (): WorkflowEngine | undefined => {
  const cfg = config();
  // Looked up on every call locally: the local stack installs its engine after the handlers' modules may have loaded.
  if (cfg.INTEGRATIONS === 'local') return localWorkflowEngine();
  if (!engine) {
    const arns = {
      ...(cfg.APPROVAL_STATE_MACHINE_ARN ? { approvalStateMachineArn: cfg.APPROVAL_STATE_MACHINE_ARN } : {}),
      ...(cfg.ESCALATION_STATE_MACHINE_ARN ? { escalationStateMachineArn: cfg.ESCALATION_STATE_MACHINE_ARN } : {}),
    };
    engine = { value: Object.keys(arns).length ? new StepFunctionsEngine(withoutSdkLogger(new SFNClient({ region: cfg.AWS_REGION })), arns) : undefined };
  }
  return engine.value;
};

/**
 * Resolves the engine at each use, so a service built before the local engine was installed still finds it. Only
 * used locally or when an engine is configured; a local stack without an engine (a handler unit test) runs no workflow.
 */
const lazyEngine: WorkflowEngine = {
  startApproval: async (input) => workflowEngine()?.startApproval(input),
  startEscalation: async (input) => workflowEngine()?.startEscalation(input),
  resume: async (token, outcome) => (await workflowEngine()?.resume(token, outcome)) ?? 'gone',
};

const engineDeps = (): { engine?: WorkflowEngine } => (config().INTEGRATIONS === 'local' || workflowEngine() ? { engine: lazyEngine } : {});

/** What every resolution service is built from, without the workflow engine. */
const resolutionDeps = (): ResolutionServiceDeps => {
  const cfg = config();
  const c = clock();
  return {
    repo: caseRepository(),
    clock: c,
    ids: ulidIds(c),
    ...(cfg.APPROVAL_RULES ? { rules: cfg.APPROVAL_RULES } : {}),
    stageTimeoutMs: cfg.APPROVAL_STAGE_TIMEOUT_HOURS * 3_600_000,
    reminderMs: cfg.APPROVAL_REMINDER_HOURS * 3_600_000,
  };
};

export const resolutionService = (): ResolutionService => (resolutions ??= new ResolutionService({ ...resolutionDeps(), ...engineDeps() }));

/**
 * The approval lists (the inbox and a case's stages) read the table only and start or resume no workflow: the same
 * service without the engine, so those functions bundle no Step Functions client.
 */
export const approvalReader = (): ResolutionService => (reader ??= new ResolutionService(resolutionDeps()));

export const escalationService = (): EscalationService => {
  if (!escalations) {
    const cfg = config();
    const c = clock();
    escalations = new EscalationService({ repo: caseRepository(), clock: c, ids: ulidIds(c), ackTimeoutMs: cfg.ESCALATION_ACK_TIMEOUT_HOURS * 3_600_000, ...engineDeps() });
  }
  return escalations;
};
