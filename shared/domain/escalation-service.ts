// Escalation use cases: raise (owner: manual; supervisor: override), acknowledge, waive; the automatic triggers the
// stream consumer feeds (checkpoints, blocked dependencies); and the steps of the escalation workflow. Every change
// goes through the case record (one transaction with its audit event); the workflow starts from the stream once the
// escalation is committed and is resumed only after an acknowledgement or a waiver is committed.
import type { Case } from '#schemas/complaint';
import type { AuditEvent } from '#schemas/children';
import type { AcknowledgeEscalationBody, Escalation, EscalationBody, EscalationWaiverBody, Waiver } from '#schemas/escalation';
import type { EscalationStep } from '#schemas/workflow-steps';
import type { IdGenerator } from '#ports/ids';
import type { EscalationWorkflowInput, WorkflowEngine } from '#ports/workflow-engine';
import { mutateCase, systemMutate, type MutationDeps, type SystemMutation } from './case-mutation';
import {
  CASE_ANSWERED_ACTIONS,
  ESCALATION_ACTOR,
  acknowledgeEscalation,
  automaticEscalation,
  escalationLevelRaised,
  escalationNotified,
  escalationStarted,
  escalationCandidate,
  escalationUnacknowledged,
  escalationsResolvedWithCase,
  findEscalation,
  manualTrigger,
  openEscalation,
  raiseEscalation,
  settledOutcome,
  waiveEscalation,
  type StoredEscalation,
} from './escalation';
import { NotFoundError } from './errors';
import type { Principal } from './principal';
import type { StepResult } from './resolution-service';

export interface EscalationServiceDeps extends MutationDeps {
  ids: IdGenerator;
  /** How long each level has to acknowledge before the escalation goes up a level. */
  ackTimeoutMs: number;
  engine?: WorkflowEngine;
}

/** An escalation as the API shows it: never the task token. */
export const publicEscalation = ({ taskToken: _t, ...e }: StoredEscalation): Escalation => e;

const outcomeOf = (m: SystemMutation<unknown>): StepResult['outcome'] => (m.kind === 'committed' ? 'recorded' : m.kind === 'missing' ? 'missing' : 'unchanged');

export class EscalationService {
  constructor(private readonly deps: EscalationServiceDeps) {}

  /** `POST …/escalations`: the owner (manual) or a supervisor (override) escalates now; 409 while one is open. */
  async raise(p: Principal, caseId: string, body: EscalationBody, ifMatch?: number): Promise<{ case: Case; escalation: Escalation }> {
    const id = this.deps.ids.next();
    const out = await mutateCase(
      this.deps,
      p,
      caseId,
      ifMatch,
      'owner_or_supervisor',
      (c, now) => raiseEscalation(c, { id, trigger: manualTrigger(c, p), reason: body.reason, actor: p.sub, now }),
      (e) => [{ kind: 'escalation', escalation: e }],
    );
    return { case: out.case, escalation: out.result };
  }

  /** A manager acknowledges an open escalation; then its waiting workflow step is resumed. */
  async acknowledge(p: Principal, caseId: string, escalationId: string, body: AcknowledgeEscalationBody, ifMatch?: number): Promise<{ case: Case; escalation: Escalation }> {
    const out = await mutateCase(
      this.deps,
      p,
      caseId,
      ifMatch,
      'visible',
      async (c, now) => acknowledgeEscalation(c, findEscalation(await this.deps.repo.listEscalations(caseId), escalationId), p, body, now),
      (e) => [{ kind: 'escalation', escalation: e }],
    );
    await this.resumeWith(out.result);
    return { case: out.case, escalation: publicEscalation(out.result) };
  }

  /** A recorded decision not to escalate a raised risk; stops its open escalation (whose workflow then ends). */
  async waive(p: Principal, caseId: string, body: EscalationWaiverBody, ifMatch?: number): Promise<{ case: Case; waiver: Waiver; escalation: Escalation | null }> {
    const out = await mutateCase(
      this.deps,
      p,
      caseId,
      ifMatch,
      // Who may waive is the acknowledgement rule (never the owner): the domain decides it per escalation level.
      'visible',
      async (c, now) => waiveEscalation(c, await this.deps.repo.listEscalations(caseId), body, p, now),
      (r) => (r.escalation ? [{ kind: 'escalation', escalation: r.escalation }] : []),
    );
    const stopped = out.result.escalation;
    if (stopped) await this.resumeWith(stopped);
    return { case: out.case, waiver: out.result.waiver, escalation: stopped ? publicEscalation(stopped) : null };
  }

  /**
   * The stream consumer's hook for every committed audit event: a checkpoint or blocked dependency that calls for an
   * escalation raises one (idempotent: the same risk is escalated once); a raised escalation starts its workflow
   * (named after it, so a redelivered event starts nothing new).
   */
  async onAuditEvent(caseId: string, e: AuditEvent): Promise<'raised' | 'started' | 'resolved' | undefined> {
    if (CASE_ANSWERED_ACTIONS.includes(e.action)) return this.resolveWithCase(caseId, e.action);
    if (e.action === 'escalation.raised') {
      const input = this.workflowInput(caseId, e);
      if (!input || !this.deps.engine) return undefined;
      await this.deps.engine.startEscalation(input);
      return 'started';
    }
    // Most checkpoint events call for nothing: decided from the event alone, without reading the case.
    if (!escalationCandidate(e)) return undefined;
    const id = this.deps.ids.next();
    const out = await systemMutate(
      this.deps,
      caseId,
      (c, now) => {
        const auto = automaticEscalation(c, e);
        return auto ? raiseEscalation(c, { id, ...auto, actor: ESCALATION_ACTOR, now }) : undefined;
      },
      (esc) => [{ kind: 'escalation', escalation: esc }],
    );
    return out.kind === 'committed' ? 'raised' : undefined;
  }

  /** Escalations still open when the case was answered end with it; their waiting workflow steps are resumed. */
  private async resolveWithCase(caseId: string, action: string): Promise<'resolved' | undefined> {
    const out = await systemMutate(
      this.deps,
      caseId,
      // The case's summaries say whether any escalation is open: no query for the (usual) case without one.
      async (c, now) => (openEscalation(c) ? escalationsResolvedWithCase(c, await this.deps.repo.listEscalations(caseId), action, now) : undefined),
      (resolved) => resolved.map((escalation) => ({ kind: 'escalation' as const, escalation })),
    );
    if (out.kind !== 'committed') return undefined;
    for (const e of out.result) await this.resumeWith(e);
    return 'resolved';
  }

  workflowInput(caseId: string, e: AuditEvent): EscalationWorkflowInput | undefined {
    const trigger = e.data.trigger as EscalationWorkflowInput['trigger'] | undefined;
    if (typeof e.data.escalationId !== 'string' || !trigger) return undefined;
    return { caseId, escalationId: e.data.escalationId, trigger, level: 1, ackTimeoutSeconds: Math.round(this.deps.ackTimeoutMs / 1000) };
  }

  /** One Lambda step of the escalation workflow. */
  async step(step: EscalationStep): Promise<StepResult> {
    const { caseId } = step;
    const result = (outcome: StepResult['outcome']): StepResult => ({ action: step.action, outcome });
    const current = async (): Promise<StoredEscalation> => findEscalation(await this.deps.repo.listEscalations(caseId), step.escalationId);
    const write = (decide: (c: Case, e: StoredEscalation, now: string) => ReturnType<typeof escalationStarted>) =>
      systemMutate(this.deps, caseId, async (c, now) => decide(c, await current(), now), (e) => [{ kind: 'escalation', escalation: e }]);
    switch (step.action) {
      case 'RecordEscalation':
        return result(outcomeOf(await write((c, e, now) => escalationStarted(c, e, now))));
      case 'NotifySupervisor':
        return result(outcomeOf(await write((c, e, now) => escalationNotified(c, e, step.level, this.deps.ackTimeoutMs, now))));
      case 'AwaitAcknowledgement': {
        let settled: StoredEscalation | undefined;
        const out = await write((c, e) => {
          if (e.status !== 'open') {
            settled = e;
            return undefined;
          }
          settled = undefined;
          // Storing the workflow's task token is bookkeeping: no event, no new case version.
          return { case: c, result: { ...e, taskToken: step.taskToken }, drafts: [], bookkeeping: true };
        });
        if (out.kind === 'missing') throw new NotFoundError(`complaint ${caseId} not found`);
        // Acknowledged or waived before the token could be stored: resume with what was recorded.
        if (settled) {
          await this.resumeWith({ ...settled, taskToken: step.taskToken });
          return result('resumed');
        }
        return result('recorded');
      }
      case 'EscalateNextLevel':
        return result(outcomeOf(await write((c, e) => escalationLevelRaised(c, e, step.fromLevel, step.toLevel))));
      case 'EscalationClosed':
        return result(outcomeOf(await write((c, e, now) => escalationUnacknowledged(c, e, now))));
    }
  }

  /** Resumes the workflow step waiting on the escalation's task token (as stored with it) once it is no longer open. */
  private async resumeWith(e: StoredEscalation): Promise<void> {
    const outcome = settledOutcome(e);
    if (e.taskToken && outcome && this.deps.engine) await this.deps.engine.resume(e.taskToken, outcome);
  }
}
