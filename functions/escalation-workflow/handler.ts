// The Lambda steps of the escalation workflow (one function, dispatched on `action` = the state name): record the
// start, notify the current level, store the acknowledgement task token, raise the level, close. Every step goes
// through the case record (conditional, versioned), so a step racing an acknowledgement or a waiver resolves once.
import { EscalationStep } from '#schemas/workflow-steps';
import { escalationService } from '#http/approvals-container';
import { defineStepHandler } from '#http/step-handler';

export const handler = defineStepHandler('escalation-workflow', 'Escalation', EscalationStep, (step) => escalationService().step(step));
