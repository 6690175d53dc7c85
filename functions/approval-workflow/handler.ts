// The Lambda steps of the approval workflow (one function, dispatched on `action` = the state name): store the task
// token of the stage waiting for a decision, remind, raise the approver level, return an expired stage to the owner,
// confirm completion. Every step goes through the case record (conditional, versioned), so a step racing a decision
// resolves exactly once; a malformed payload throws and fails the task.
import { ApprovalStep } from '#schemas/workflow-steps';
import { resolutionService } from '#http/approvals-container';
import { defineStepHandler } from '#http/step-handler';

export const handler = defineStepHandler('approval-workflow', 'Approval', ApprovalStep, (step) => resolutionService().runStep(step));
