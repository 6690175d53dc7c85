// The retention job's use case: finds closed cases past retention by index (never a Scan), skips those on legal hold,
// and redacts each one: children and audit events rewritten first, then the case (leaving the index) with its
// `retention.redacted` event through the normal mutation path, so the chain stays valid and its head moves on.
import type { CaseRepository } from '#ports/case-repository';
import type { Clock } from '#ports/clock';
import type { RetentionObjects } from '#ports/retention-objects';
import type { RetentionQueue } from '#ports/retention-queue';
import { systemMutate } from './case-mutation';
import { StaleVersionError } from './errors';
import { isRetentionDue, planRedaction, retentionPeriod, RETENTION_ACTOR, type CaseRecords, type RetentionYears } from './retention';

export interface RetentionServiceDeps {
  repo: CaseRepository;
  clock: Clock;
  /** The organisation's per-regime years (RETENTION_YEARS): what the retention event cites. */
  retentionYears?: RetentionYears;
  /** Most cases one run looks at (RETENTION_BATCH). */
  batch: number;
  /** Tags the case's evidence and bundles so the buckets' lifecycle removes them once their locks allow. */
  objects?: RetentionObjects;
}

export type RedactOutcome = 'redacted' | 'legal_hold' | 'not_due' | 'missing';

export interface RetentionRun {
  /** Due cases looked at, held ones included. */
  examined: number;
  redacted: number;
  /** Due but on legal hold: kept in full, retried by a later run once the hold is released. */
  skippedLegalHold: number;
  failed: number;
  /** Case ids and error messages of the failures (never case content). */
  failures: { caseId: string; error: string }[];
  /** The run stopped before its batch was done (the function was about to time out); the next run goes on. */
  stoppedEarly: boolean;
}

/** What the dispatcher queued: batches of due case ids, and how overdue the oldest due case is (the alarm's metric). */
export interface RetentionDispatch {
  dispatched: number;
  batches: number;
  /** Due but on legal hold (kept in full; counted, never queued). */
  held: number;
  /** Seconds since the oldest due case's retainUntil (0 when none is due): above a day, the fan-out is falling behind. */
  oldestDueAgeSeconds: number;
}

/** A case changed between planning and writing (someone applied a hold, requested an export): plan again. */
const MAX_ATTEMPTS = 3;

export class RetentionService {
  constructor(private readonly deps: RetentionServiceDeps) {}

  /**
   * The fan-out's daily step: every due case (not on hold) queued in batches of `batch` ids for the workers, and the
   * age of the oldest one. Cases a worker has not redacted yet are queued again the next day (redaction is idempotent).
   */
  async dispatch(queue: RetentionQueue, now: string = this.deps.clock.now()): Promise<RetentionDispatch> {
    let batch: string[] = [];
    let oldest: string | undefined;
    const { held } = await this.deps.repo.retentionDue(now, 1);
    const out: RetentionDispatch = { dispatched: 0, batches: 0, held, oldestDueAgeSeconds: 0 };
    const flush = async () => {
      if (!batch.length) return;
      await queue.send(batch);
      out.dispatched += batch.length;
      out.batches += 1;
      batch = [];
    };
    for await (const due of this.deps.repo.retentionDueIds(now)) {
      if (!oldest || due.retainUntil < oldest) oldest = due.retainUntil;
      batch.push(due.id);
      if (batch.length >= this.deps.batch) await flush();
    }
    await flush();
    if (oldest) out.oldestDueAgeSeconds = Math.max(0, Math.floor((Date.parse(now) - Date.parse(oldest)) / 1000));
    return out;
  }

  /** A worker's step: the cases of one queued batch, each redacted if still due; failures counted, never thrown. */
  async redactBatch(ids: readonly string[], opts: { shouldStop?: () => boolean } = {}): Promise<RetentionRun> {
    const run: RetentionRun = { examined: 0, redacted: 0, skippedLegalHold: 0, failed: 0, failures: [], stoppedEarly: false };
    for (const id of ids) {
      if (opts.shouldStop?.()) {
        run.stoppedEarly = true;
        break;
      }
      run.examined++;
      try {
        const outcome = await this.redact(id);
        if (outcome === 'redacted') run.redacted++;
        else if (outcome === 'legal_hold') run.skippedLegalHold++;
      } catch (err) {
        run.failed++;
        run.failures.push({ caseId: id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
      }
    }
    return run;
  }

  /** One run: at most `batch` due cases, oldest retainUntil first (the queued batch's step over them); a case on legal
   * hold the due read already set aside counts as examined and skipped. */
  async runOnce(now: string = this.deps.clock.now(), opts: { shouldStop?: () => boolean } = {}): Promise<RetentionRun> {
    const { due, held } = await this.deps.repo.retentionDue(now, this.deps.batch);
    const run = await this.redactBatch(due, opts);
    return { ...run, examined: run.examined + held, skippedLegalHold: run.skippedLegalHold + held };
  }

  /** Redacts one case if it is due and not on legal hold; a case already redacted (or reopened) is left as it is. */
  async redact(id: string): Promise<RedactOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.redactOnce(id);
      } catch (err) {
        if (err instanceof StaleVersionError && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  private async redactOnce(id: string): Promise<RedactOutcome> {
    const { repo } = this.deps;
    let outcome: RedactOutcome = 'not_due';
    const res = await systemMutate(this.deps, id, async (c, now) => {
      if (!isRetentionDue(c, now)) {
        outcome = 'not_due';
        return undefined;
      }
      if (c.legalHold) {
        outcome = 'legal_hold';
        return undefined;
      }
      const [tasks, notes, evidence, resolutions, approvals, escalations, events] = await Promise.all([
        repo.listTasks(id),
        repo.listNotes(id),
        repo.listEvidence(id),
        repo.listResolutions(id),
        repo.listApprovals(id),
        repo.listEscalations(id),
        repo.auditEvents(id),
      ]);
      const records: CaseRecords = { tasks, notes, evidence, resolutions, approvals, escalations, events };
      const period = retentionPeriod(c.regime, this.deps.retentionYears);
      const reason = `end of retention ${c.retainUntil ?? ''}: ${c.regime} ${period.years} years from closure (${period.citation})`;
      const plan = planRedaction(c, records, { at: now, by: RETENTION_ACTOR, reason }, period);
      // Children and events first: a crash before the case is written leaves it in the index, and the next run redoes
      // what is left (every rewrite is idempotent). The version check stops this if the case moved on meanwhile.
      await repo.redactItems(id, c.version, { children: plan.children, events: plan.events });
      // The stored objects are marked before the case leaves the index: a failure here is retried by the next run.
      if (this.deps.objects) {
        const bundles = (await repo.listExports(id)).filter((j) => j.status === 'ready');
        await this.deps.objects.markRetentionEnded({
          evidence: evidence.filter((e) => e.status !== 'pending').map((e) => ({ key: e.key, ...(e.versionId ? { versionId: e.versionId } : {}) })),
          bundles: bundles.map((j) => ({ key: j.key, ...(j.versionId ? { versionId: j.versionId } : {}) })),
        });
      }
      outcome = 'redacted';
      return plan.change;
    });
    if (res.kind === 'missing') return 'missing';
    return res.kind === 'committed' ? 'redacted' : outcome;
  }
}
