// Case timers (pure): which timers a case needs, how two versions differ, what a delivered timer does, and how
// DeadlineControl turns a difference into scheduler calls (with in-memory fakes of our own ports).
import * as life from '#domain/lifecycle';
import { present, riskIndex } from '#domain/lifecycle';
import { getRegime } from '#domain/regimes';
import { DeadlineControl } from '#domain/deadline-control';
import { diffTimers, fireTimer, plannedTimers, SYSTEM_ACTOR, timerMap, timerName, type FireOutcome, type Timer, type TimerMap } from '#domain/timers';
import type { CheckpointScheduler } from '#ports/checkpoint-scheduler';
import type { EventPublisher } from '#ports/events';
import type { Notifier } from '#ports/notifier';
import { Timer as TimerSchema } from '#schemas/timer';
import type { Case } from '#schemas/complaint';
import type { Change } from '#domain/lifecycle';
import { at, CASE_ID, DAY, intakeBody, NOW, task, TASK_ID } from './fixtures';

const HOUR = 3_600_000;
const REFERENCE = 'CMP-2026-000042';
const TEAM = 'complaints';
const OTHER_TASK_ID = '01JABCDEFGHJKMNPQRSTVWXYZ2';
const ROOT_CAUSE = { category: 'capacity', description: 'Depot overbooked' };
const NAME = /^[0-9A-Za-z_.-]{1,64}$/;

/** A case opened by the domain under `regime`, received (and logged) at `receivedAt`, owned by alice in TEAM. */
const openIn = (regime: string, over: Partial<Case> = {}, receivedAt = NOW): Case => ({
  ...life.openCase(intakeBody({ regime, receivedAt }), {
    id: CASE_ID,
    reference: REFERENCE,
    ownerId: 'alice',
    team: TEAM,
    assignmentRule: 'explicit',
    regime: getRegime(regime),
    actor: 'web-form',
    now: receivedAt,
  }).case,
  ...over,
});

const cpAt = (c: Case, percent: number): string => c.checkpoints.find((k) => k.percent === percent)!.at;
const cycleOf = (c: Case): number => c.cycles[c.cycles.length - 1]!.n;
/** The planned timer with this label (p50, p75, p90, breach, ack, dep-<taskId>) in the case's current cycle. */
const timerOf = (c: Case, label: string): Timer => {
  const t = timerMap(c)[`${c.id}-${cycleOf(c)}-${label}`];
  if (!t) throw new Error(`no ${label} timer planned; planned: ${Object.keys(timerMap(c)).join(', ')}`);
  return t;
};
const labels = (c: Case): string[] => plannedTimers(c).map((t) => t.name.slice(`${c.id}-${cycleOf(c)}-`.length));
const fired = (o: FireOutcome): Change => {
  if (!o.fired) throw new Error(`expected the timer to fire, it was ignored: ${o.reason}`);
  return o.change;
};
const reasonOf = (o: FireOutcome): string => (o.fired ? 'fired' : o.reason);

/** INTERNAL_STANDARD (may pause) with one task blocked at `blockedAt` (raises 24 h later). */
const blockedIn = (regime: string, blockedAt: string): Case => life.updateTask(openIn(regime, { openTaskCount: 1 }), task(), { status: 'blocked' }, 'alice', blockedAt).case;
const closeAt = (c: Case, when: string): Case => life.close(c, { followUpAction: 'Retrain the depot', rootCause: ROOT_CAUSE }, 'alice', when).case;

describe('timerName', () => {
  it('is <caseId>-<cycle>-<label>', () => {
    expect(timerName(CASE_ID, 1, { kind: 'checkpoint', percent: 50 })).toBe(`${CASE_ID}-1-p50`);
    expect(timerName(CASE_ID, 1, { kind: 'checkpoint', percent: 75 })).toBe(`${CASE_ID}-1-p75`);
    expect(timerName(CASE_ID, 2, { kind: 'checkpoint', percent: 90 })).toBe(`${CASE_ID}-2-p90`);
    expect(timerName(CASE_ID, 3, { kind: 'checkpoint', percent: 100 })).toBe(`${CASE_ID}-3-breach`);
    expect(timerName(CASE_ID, 1, { kind: 'acknowledgement' })).toBe(`${CASE_ID}-1-ack`);
    expect(timerName(CASE_ID, 1, { kind: 'dependency', taskId: TASK_ID })).toBe(`${CASE_ID}-1-dep-${TASK_ID}`);
  });

  it('fits EventBridge Scheduler names even for a dependency timer in a high cycle', () => {
    const longest = timerName(CASE_ID, 9999, { kind: 'dependency', taskId: TASK_ID });
    expect(longest).toMatch(NAME);
  });
});

describe('plannedTimers', () => {
  it('plans p50/p75/p90/breach and the acknowledgement deadline for a new UK_FCA_PSD case', () => {
    const c = openIn('UK_FCA_PSD');
    expect(c.acknowledgementDueAt).toBe('2026-03-09T17:00:00.000Z'); // fifth business day, close of business
    const base = { caseId: CASE_ID, cycle: 1 };
    expect(plannedTimers(c)).toEqual([
      { ...base, name: `${CASE_ID}-1-p50`, kind: 'checkpoint', percent: 50, at: cpAt(c, 50) },
      { ...base, name: `${CASE_ID}-1-p75`, kind: 'checkpoint', percent: 75, at: cpAt(c, 75) },
      { ...base, name: `${CASE_ID}-1-p90`, kind: 'checkpoint', percent: 90, at: cpAt(c, 90) },
      { ...base, name: `${CASE_ID}-1-breach`, kind: 'checkpoint', percent: 100, at: c.finalResponseDueAt },
      { ...base, name: `${CASE_ID}-1-ack`, kind: 'acknowledgement', at: '2026-03-09T17:00:00.000Z' },
    ]);
    expect(cpAt(c, 100)).toBe(c.finalResponseDueAt);
  });

  it('plans no acknowledgement timer where the regime has no acknowledgement clock (US_CFPB)', () => {
    const c = openIn('US_CFPB');
    expect(c.acknowledgementDueAt).toBeUndefined();
    expect(labels(c)).toEqual(['p50', 'p75', 'p90', 'breach']);
  });

  it('timerMap keys the same timers by name', () => {
    const c = openIn('UK_FCA_PSD');
    const map = timerMap(c);
    expect(Object.keys(map).sort()).toEqual(plannedTimers(c).map((t) => t.name).sort());
    for (const [name, t] of Object.entries(map)) expect(t.name).toBe(name);
  });

  it('drops fired checkpoints', () => {
    const c = openIn('UK_FCA_PSD');
    const firedTwo = { ...c, checkpoints: c.checkpoints.map((k) => (k.percent <= 75 ? { ...k, firedAt: k.at } : k)) };
    expect(labels(firedTwo)).toEqual(['p90', 'breach', 'ack']);
    const allFired = { ...c, checkpoints: c.checkpoints.map((k) => ({ ...k, firedAt: k.at })) };
    expect(labels(allFired)).toEqual(['ack']);
  });

  it('plans a dependency timer for a blocked task at its raise time, and none once raised or unblocked', () => {
    const blockedAt = at(NOW, DAY);
    const c = blockedIn('UK_FCA_DISP', blockedAt);
    expect(labels(c)).toEqual(['p50', 'p75', 'p90', 'breach', 'ack', `dep-${TASK_ID}`]);
    expect(timerOf(c, `dep-${TASK_ID}`)).toEqual({ name: `${CASE_ID}-1-dep-${TASK_ID}`, caseId: CASE_ID, cycle: 1, kind: 'dependency', taskId: TASK_ID, at: at(blockedAt, 24 * HOUR) });

    const raised = { ...c, blockedDependencies: c.blockedDependencies!.map((d) => ({ ...d, raisedAt: d.raiseAt })) };
    expect(labels(raised)).not.toContain(`dep-${TASK_ID}`);

    const blockedTask = { ...task(), status: 'blocked' as const, blockedSince: blockedAt };
    const unblocked = life.updateTask(c, blockedTask, { status: 'open' }, 'alice', at(blockedAt, HOUR)).case;
    expect(unblocked.blockedDependencies).toBeUndefined();
    expect(labels(unblocked)).toEqual(['p50', 'p75', 'p90', 'breach', 'ack']);
  });

  it('uses the configured dependency threshold', () => {
    const blockedAt = at(NOW, DAY);
    const c = life.updateTask(openIn('UK_FCA_DISP', { openTaskCount: 1 }), task(), { status: 'blocked' }, 'alice', blockedAt, { dependencyBlockedMs: 48 * HOUR }).case;
    expect(timerOf(c, `dep-${TASK_ID}`).at).toBe(at(blockedAt, 48 * HOUR));
  });

  it('plans no checkpoint or acknowledgement timer while paused, but keeps dependency timers', () => {
    const regime = getRegime('INTERNAL_STANDARD');
    const blocked = blockedIn('INTERNAL_STANDARD', at(NOW, DAY));
    const paused = life.pauseClock(blocked, regime, 'waiting for the customer', 'alice', at(NOW, 2 * DAY)).case;
    expect(labels(paused)).toEqual([`dep-${TASK_ID}`]);
    // The same holds for a regime with an acknowledgement clock (state built directly: only INTERNAL_STANDARD may pause).
    const psd = openIn('UK_FCA_PSD');
    expect(labels({ ...psd, clock: { ...psd.clock!, pausedAt: at(NOW, HOUR) } })).toEqual([]);
    // Resuming plans them again at their shifted times.
    const resumed = life.resumeClock(paused, regime, 'customer replied', 'alice', at(NOW, 5 * DAY)).case;
    expect(labels(resumed)).toEqual(['p50', 'p75', 'p90', 'breach', `dep-${TASK_ID}`]);
    expect(timerOf(resumed, 'p50').at).toBe(at(cpAt(blocked, 50), 3 * DAY));
  });

  it('plans nothing for a closed or resolved case, even with a task still blocked', () => {
    const c = openIn('UK_FCA_PSD');
    expect(plannedTimers(closeAt(c, at(NOW, DAY)))).toEqual([]);
    const blocked = blockedIn('UK_FCA_PSD', at(NOW, DAY));
    expect(plannedTimers({ ...blocked, status: 'resolved' })).toEqual([]);
    expect(plannedTimers({ ...blocked, status: 'closed' })).toEqual([]);
    // awaiting_approval still runs the clock.
    expect(labels({ ...blocked, status: 'awaiting_approval' })).toEqual(['p50', 'p75', 'p90', 'breach', 'ack', `dep-${TASK_ID}`]);
  });

  it('plans no acknowledgement timer once acknowledged in the current cycle, or once it was missed', () => {
    const c = openIn('UK_FCA_PSD');
    const acked = life.acknowledge(c, {}, 'alice', at(NOW, HOUR)).case;
    expect(labels(acked)).toEqual(['p50', 'p75', 'p90', 'breach']);
    // Acknowledged exactly at the cycle start still counts (>=).
    expect(labels({ ...c, acknowledgedAt: c.cycles[0]!.startedAt })).not.toContain('ack');
    expect(labels({ ...c, clock: { ...c.clock!, acknowledgementMissedAt: c.acknowledgementDueAt! } })).not.toContain('ack');
  });

  it('after reopening plans the new cycle: names carry cycle 2 and an earlier acknowledgement no longer counts', () => {
    const regime = getRegime('UK_FCA_PSD');
    const acked = life.acknowledge(openIn('UK_FCA_PSD'), {}, 'alice', at(NOW, HOUR)).case;
    const closed = closeAt(acked, at(NOW, 2 * DAY));
    const when = at(NOW, 10 * DAY);
    const reopened = life.reopen(closed, 'customer disputes', regime, 'sam', when).case;
    const timers = plannedTimers(reopened);
    expect(timers.map((t) => t.name)).toEqual(['p50', 'p75', 'p90', 'breach', 'ack'].map((l) => `${CASE_ID}-2-${l}`));
    expect(timers.every((t) => t.cycle === 2 && t.caseId === CASE_ID)).toBe(true);
    expect(timerOf(reopened, 'p50').at).toBe(cpAt(reopened, 50));
    expect(timerOf(reopened, 'ack').at).toBe(reopened.acknowledgementDueAt);
    expect(Date.parse(timerOf(reopened, 'p50').at)).toBeGreaterThan(Date.parse(when));
  });

  it('names always fit EventBridge Scheduler and every timer is a valid Timer payload', () => {
    const regimes = ['UK_FCA_DISP', 'UK_FCA_PSD', 'US_CFPB', 'AU_ASIC_RG271', 'AU_ASIC_RG271_SUPER', 'IE_CBI_CPC', 'INTERNAL_STANDARD'];
    for (const regime of regimes) {
      const blocked = blockedIn(regime, at(NOW, DAY));
      const reopened = life.reopen({ ...closeAt({ ...blocked, openTaskCount: 0 }, at(NOW, 2 * DAY)), blockedDependencies: [] }, 'again', getRegime(regime), 'sam', at(NOW, 3 * DAY)).case;
      const twice = life.updateTask({ ...reopened, openTaskCount: 1 }, task({ id: OTHER_TASK_ID }), { status: 'blocked' }, 'alice', at(NOW, 4 * DAY)).case;
      for (const c of [blocked, twice]) {
        const timers = plannedTimers(c);
        expect(timers.length).toBeGreaterThanOrEqual(5);
        for (const t of timers) {
          expect(t.name).toMatch(NAME);
          expect(TimerSchema.parse(t)).toEqual(t);
        }
      }
      expect(labels(twice)).toContain(`dep-${OTHER_TASK_ID}`);
      expect(plannedTimers(twice).every((t) => t.cycle === 2)).toBe(true);
    }
  });
});

describe('diffTimers', () => {
  const c = openIn('UK_FCA_PSD');
  const before = timerMap(c);
  const p50 = timerOf(c, 'p50');
  const without = (map: TimerMap, name: string): TimerMap => Object.fromEntries(Object.entries(map).filter(([k]) => k !== name));

  it('upserts new timers', () => {
    expect(diffTimers({}, before, NOW)).toEqual({ upsert: plannedTimers(c), remove: [] });
  });

  it('upserts a timer whose time moved', () => {
    const moved = { ...p50, at: at(p50.at, DAY) };
    expect(diffTimers(before, { ...before, [p50.name]: moved }, NOW)).toEqual({ upsert: [moved], remove: [] });
  });

  it('removes a timer that left the plan before its time', () => {
    expect(diffTimers(before, without(before, p50.name), at(p50.at, -1))).toEqual({ upsert: [], remove: [p50.name] });
  });

  it('does not remove a timer that left the plan at or after its time (it fired; its schedule deletes itself)', () => {
    expect(diffTimers(before, without(before, p50.name), p50.at)).toEqual({ upsert: [], remove: [] });
    expect(diffTimers(before, without(before, p50.name), at(p50.at, 1))).toEqual({ upsert: [], remove: [] });
  });

  it('does nothing when the plan is unchanged', () => {
    expect(diffTimers(before, timerMap({ ...c, version: c.version + 1, summary: 'edited' }), at(NOW, DAY))).toEqual({ upsert: [], remove: [] });
  });

  it('a pause removes the pending checkpoints; the resume plans them again at their shifted times', () => {
    const regime = getRegime('INTERNAL_STANDARD');
    const open = openIn('INTERNAL_STANDARD');
    const pausedAt = at(NOW, 2 * DAY);
    const paused = life.pauseClock(open, regime, 'waiting', 'alice', pausedAt).case;
    expect(diffTimers(timerMap(open), timerMap(paused), pausedAt)).toEqual({ upsert: [], remove: ['p50', 'p75', 'p90', 'breach'].map((l) => `${CASE_ID}-1-${l}`) });
    const resumedAt = at(NOW, 3 * DAY);
    const resumed = life.resumeClock(paused, regime, 'back', 'alice', resumedAt).case;
    const d = diffTimers(timerMap(paused), timerMap(resumed), resumedAt);
    expect(d.remove).toEqual([]);
    expect(d.upsert.map((t) => [t.name, t.at])).toEqual(plannedTimers(open).map((t) => [t.name, at(t.at, DAY)]));
  });

  it('closing removes every future timer and leaves the fired ones alone', () => {
    const firedP50 = { ...c, checkpoints: c.checkpoints.map((k) => (k.percent === 50 ? { ...k, firedAt: k.at } : k)) };
    // Closed after the acknowledgement deadline (missed but its timer not yet applied) and after p50.
    const closedAt = at(p50.at, HOUR);
    const d = diffTimers(timerMap(firedP50), timerMap(closeAt(firedP50, closedAt)), closedAt);
    expect(d).toEqual({ upsert: [], remove: ['p75', 'p90', 'breach'].map((l) => `${CASE_ID}-1-${l}`) });
  });
});

describe('fireTimer', () => {
  describe('ignored deliveries', () => {
    const psd = openIn('UK_FCA_PSD');
    const p50 = timerOf(psd, 'p50');

    it('case_not_running: closed or resolved case, for every kind of timer', () => {
      const blocked = blockedIn('UK_FCA_PSD', at(NOW, HOUR));
      const dep = timerOf(blocked, `dep-${TASK_ID}`);
      const ack = timerOf(blocked, 'ack');
      const late = at(NOW, 60 * DAY);
      const closed = closeAt(psd, at(NOW, DAY));
      expect(reasonOf(fireTimer(closed, p50, late))).toBe('case_not_running');
      for (const status of ['resolved', 'closed'] as const) {
        for (const t of [p50, ack, dep]) expect(reasonOf(fireTimer({ ...blocked, status }, t, late))).toBe('case_not_running');
      }
      // A stopped cycle is not running either, whatever the status says.
      const stopped = { ...psd, cycles: psd.cycles.map((cy) => ({ ...cy, stoppedAt: at(NOW, DAY) })) };
      expect(reasonOf(fireTimer(stopped, p50, late))).toBe('case_not_running');
      expect(reasonOf(fireTimer({ ...psd, cycles: [] }, p50, late))).toBe('case_not_running');
    });

    it('stale_cycle: a late timer of an earlier cycle', () => {
      const reopened = life.reopen(closeAt(psd, at(NOW, DAY)), 'disputed', getRegime('UK_FCA_PSD'), 'sam', at(NOW, 2 * DAY)).case;
      expect(reasonOf(fireTimer(reopened, p50, at(NOW, 60 * DAY)))).toBe('stale_cycle');
      expect(reasonOf(fireTimer(reopened, timerOf(psd, 'ack'), at(NOW, 60 * DAY)))).toBe('stale_cycle');
      const blocked = life.updateTask({ ...reopened, openTaskCount: 1 }, task(), { status: 'blocked' }, 'alice', at(NOW, 2 * DAY)).case;
      expect(reasonOf(fireTimer(blocked, { ...timerOf(blocked, `dep-${TASK_ID}`), cycle: 1 }, at(NOW, 60 * DAY)))).toBe('stale_cycle');
    });

    it('already_done: fired checkpoint, acknowledged or missed acknowledgement, raised dependency', () => {
      const firedP50 = { ...psd, checkpoints: psd.checkpoints.map((k) => (k.percent === 50 ? { ...k, firedAt: k.at } : k)) };
      expect(reasonOf(fireTimer(firedP50, p50, at(p50.at, 1)))).toBe('already_done');
      const ack = timerOf(psd, 'ack');
      const acked = life.acknowledge(psd, {}, 'alice', at(NOW, HOUR)).case;
      expect(reasonOf(fireTimer(acked, ack, ack.at))).toBe('already_done');
      const missed = { ...psd, clock: { ...psd.clock!, acknowledgementMissedAt: ack.at } };
      expect(reasonOf(fireTimer(missed, ack, at(ack.at, HOUR)))).toBe('already_done');
      const blocked = blockedIn('UK_FCA_PSD', at(NOW, HOUR));
      const dep = timerOf(blocked, `dep-${TASK_ID}`);
      const raised = { ...blocked, blockedDependencies: blocked.blockedDependencies!.map((d) => ({ ...d, raisedAt: d.raiseAt })) };
      expect(reasonOf(fireTimer(raised, dep, at(dep.at, 1)))).toBe('already_done');
    });

    it('paused: checkpoint and acknowledgement timers while the clock is paused, even when overdue', () => {
      const regime = getRegime('INTERNAL_STANDARD');
      const open = openIn('INTERNAL_STANDARD');
      const paused = life.pauseClock(open, regime, 'waiting', 'alice', at(NOW, DAY)).case;
      const t = timerOf(open, 'p50');
      expect(reasonOf(fireTimer(paused, t, t.at))).toBe('paused');
      expect(reasonOf(fireTimer(paused, timerOf(open, 'breach'), at(NOW, 365 * DAY)))).toBe('paused');
      const psdPaused = { ...psd, clock: { ...psd.clock!, pausedAt: at(NOW, HOUR) } };
      expect(reasonOf(fireTimer(psdPaused, timerOf(psd, 'ack'), at(NOW, 30 * DAY)))).toBe('paused');
    });

    it('not_yet_due: any kind delivered before its time, including a checkpoint whose time moved later', () => {
      expect(reasonOf(fireTimer(psd, p50, at(p50.at, -1)))).toBe('not_yet_due');
      const ack = timerOf(psd, 'ack');
      expect(reasonOf(fireTimer(psd, ack, at(ack.at, -1)))).toBe('not_yet_due');
      const blocked = blockedIn('UK_FCA_PSD', at(NOW, HOUR));
      const dep = timerOf(blocked, `dep-${TASK_ID}`);
      expect(reasonOf(fireTimer(blocked, dep, at(dep.at, -1)))).toBe('not_yet_due');
      // The old schedule of a checkpoint moved by a resume arrives at the old time: the case's time decides.
      const regime = getRegime('INTERNAL_STANDARD');
      const open = openIn('INTERNAL_STANDARD');
      const old = timerOf(open, 'p50');
      const resumed = life.resumeClock(life.pauseClock(open, regime, 'wait', 'alice', at(NOW, DAY)).case, regime, 'back', 'alice', at(NOW, 3 * DAY)).case;
      expect(reasonOf(fireTimer(resumed, old, old.at))).toBe('not_yet_due');
      expect(reasonOf(fireTimer(resumed, old, timerOf(resumed, 'p50').at))).toBe('fired');
    });

    it('unknown_timer: a checkpoint the case does not have, an acknowledgement where there is none', () => {
      const late = at(NOW, 365 * DAY);
      expect(reasonOf(fireTimer(psd, { ...p50, name: `${CASE_ID}-1-p60`, percent: 60 }, late))).toBe('unknown_timer');
      const { percent: _p, ...noPercent } = p50;
      expect(reasonOf(fireTimer(psd, noPercent, late))).toBe('unknown_timer');
      const cfpb = openIn('US_CFPB');
      const ack: Timer = { name: timerName(CASE_ID, 1, { kind: 'acknowledgement' }), caseId: CASE_ID, cycle: 1, kind: 'acknowledgement', at: at(NOW, DAY) };
      expect(reasonOf(fireTimer(cfpb, ack, late))).toBe('unknown_timer');
    });

    it('not_blocked: a dependency timer for a task that is not (or no longer) blocked', () => {
      const blocked = blockedIn('UK_FCA_PSD', at(NOW, HOUR));
      const dep = timerOf(blocked, `dep-${TASK_ID}`);
      expect(reasonOf(fireTimer(psd, dep, at(dep.at, 1)))).toBe('not_blocked');
      expect(reasonOf(fireTimer(blocked, { ...dep, name: timerName(CASE_ID, 1, { kind: 'dependency', taskId: OTHER_TASK_ID }), taskId: OTHER_TASK_ID }, at(dep.at, 1)))).toBe('not_blocked');
    });

    it('an ignored delivery returns no change', () => {
      const o = fireTimer(psd, p50, at(p50.at, -1));
      expect(o).toEqual({ fired: false, reason: 'not_yet_due' });
    });
  });

  describe('checkpoints', () => {
    const c = openIn('UK_FCA_PSD');

    it('a due checkpoint sets firedAt and writes one checkpoint.reached audit draft', () => {
      const t = timerOf(c, 'p50');
      const now = at(t.at, 5 * 60_000);
      const change = fired(fireTimer(c, t, now));
      expect(change.case.checkpoints).toEqual(c.checkpoints.map((k) => (k.percent === 50 ? { ...k, firedAt: now } : k)));
      expect(change.result).toBeUndefined();
      expect(change.drafts).toEqual([
        {
          actor: SYSTEM_ACTOR,
          action: 'checkpoint.reached',
          data: {
            reference: REFERENCE,
            ownerId: 'alice',
            team: TEAM,
            regime: 'UK_FCA_PSD',
            cycle: 1,
            percent: 50,
            at: t.at,
            firedAt: now,
            lateByMs: 5 * 60_000,
            finalResponseDueAt: c.finalResponseDueAt,
            risk: { from: 'on_track', to: 'on_track' },
          },
        },
      ]);
      // Nothing else on the case changes.
      const { checkpoints: _a, ...restBefore } = c;
      const { checkpoints: _b, ...restAfter } = change.case;
      expect(restAfter).toEqual(restBefore);
    });

    it('fires exactly at its time (lateByMs 0) and records team null for an unteamed case', () => {
      const { team: _t, ...unteamed } = c;
      const t = timerOf(c, 'p90');
      const change = fired(fireTimer(unteamed, t, t.at));
      expect(change.drafts[0]?.data).toMatchObject({ percent: 90, lateByMs: 0, team: null, cycle: 1, risk: { to: 'at_risk' } });
    });

    it('the 75 % checkpoint reports the case at risk', () => {
      const t = timerOf(c, 'p75');
      const change = fired(fireTimer(c, t, t.at));
      expect(change.drafts[0]?.action).toBe('checkpoint.reached');
      expect((change.drafts[0]?.data.risk as { to: string }).to).toBe('at_risk');
      expect(present(change.case, t.at).risk).toBe('at_risk');
    });

    it('the 100 % checkpoint writes deadline.breached', () => {
      const t = timerOf(c, 'breach');
      const now = at(t.at, 1);
      const change = fired(fireTimer(c, t, now));
      expect(change.drafts).toHaveLength(1);
      expect(change.drafts[0]).toMatchObject({ actor: SYSTEM_ACTOR, action: 'deadline.breached', data: { percent: 100, cycle: 1, lateByMs: 1, at: c.finalResponseDueAt, risk: { to: 'overdue' } } });
    });

    it('is idempotent: the same timer applied to the resulting case is ignored', () => {
      for (const label of ['p50', 'p75', 'p90', 'breach']) {
        const t = timerOf(c, label);
        const once = fired(fireTimer(c, t, t.at)).case;
        expect(fireTimer(once, t, t.at)).toEqual({ fired: false, reason: 'already_done' });
        expect(fireTimer(once, t, at(t.at, DAY))).toEqual({ fired: false, reason: 'already_done' });
        expect(labels(once)).not.toContain(label);
      }
    });

    it('fires in a later cycle for the timers of that cycle', () => {
      const reopened = life.reopen(closeAt(c, at(NOW, DAY)), 'disputed', getRegime('UK_FCA_PSD'), 'sam', at(NOW, 2 * DAY)).case;
      const t = timerOf(reopened, 'p50');
      expect(t.cycle).toBe(2);
      expect(fired(fireTimer(reopened, t, t.at)).drafts[0]?.data).toMatchObject({ cycle: 2, percent: 50 });
    });
  });

  describe('acknowledgement', () => {
    const c = openIn('UK_FCA_PSD');
    const t = timerOf(c, 'ack');

    it('sets clock.acknowledgementMissedAt and audits acknowledgement.overdue', () => {
      const now = at(t.at, 30_000);
      const change = fired(fireTimer(c, t, now));
      expect(change.case.clock).toEqual({ ...c.clock, acknowledgementMissedAt: now });
      expect(change.drafts).toEqual([
        {
          actor: SYSTEM_ACTOR,
          action: 'acknowledgement.overdue',
          data: { reference: REFERENCE, ownerId: 'alice', team: TEAM, regime: 'UK_FCA_PSD', cycle: 1, acknowledgementDueAt: c.acknowledgementDueAt, firedAt: now },
        },
      ]);
      expect(labels(change.case)).toEqual(['p50', 'p75', 'p90', 'breach']);
      expect(fireTimer(change.case, t, at(now, HOUR))).toEqual({ fired: false, reason: 'already_done' });
    });

    it('an acknowledgement from an earlier cycle does not count', () => {
      const acked = life.acknowledge(c, {}, 'alice', at(NOW, HOUR)).case;
      const reopened = life.reopen(closeAt(acked, at(NOW, DAY)), 'disputed', getRegime('UK_FCA_PSD'), 'sam', at(NOW, 2 * DAY)).case;
      const ack2 = timerOf(reopened, 'ack');
      expect(fired(fireTimer(reopened, ack2, ack2.at)).drafts[0]).toMatchObject({ action: 'acknowledgement.overdue', data: { cycle: 2 } });
    });
  });

  describe('blocked dependency', () => {
    const blockedAt = at(NOW, DAY);
    const c = blockedIn('UK_FCA_PSD', blockedAt);
    const t = timerOf(c, `dep-${TASK_ID}`);

    it('sets raisedAt, audits dependency.blocked and puts the case at risk', () => {
      const now = at(t.at, 1000);
      expect(present(c, now).risk).toBe('on_track');
      const change = fired(fireTimer(c, t, now));
      expect(change.case.blockedDependencies).toEqual([{ taskId: TASK_ID, since: blockedAt, raiseAt: t.at, raisedAt: now }]);
      expect(change.drafts).toEqual([
        {
          actor: SYSTEM_ACTOR,
          action: 'dependency.blocked',
          data: { reference: REFERENCE, ownerId: 'alice', team: TEAM, regime: 'UK_FCA_PSD', cycle: 1, taskId: TASK_ID, blockedSince: blockedAt, blockedForMs: 24 * HOUR + 1000, risk: { from: 'on_track', to: 'at_risk' } },
        },
      ]);
      expect(present(change.case, now).risk).toBe('at_risk');
      expect(labels(change.case)).not.toContain(`dep-${TASK_ID}`);
      expect(fireTimer(change.case, t, at(now, HOUR))).toEqual({ fired: false, reason: 'already_done' });
    });

    it('raises only the task it names', () => {
      const two = life.updateTask({ ...c, openTaskCount: 2 }, task({ id: OTHER_TASK_ID }), { status: 'blocked' }, 'alice', at(blockedAt, HOUR)).case;
      const change = fired(fireTimer(two, t, t.at));
      expect(change.case.blockedDependencies?.map((d) => [d.taskId, d.raisedAt])).toEqual([
        [TASK_ID, t.at],
        [OTHER_TASK_ID, undefined],
      ]);
      expect(labels(change.case)).toContain(`dep-${OTHER_TASK_ID}`);
    });

    it('riskIndex: atRiskAt becomes the earlier of the 75 % checkpoint and raisedAt', () => {
      expect(riskIndex(c).atRiskAt).toBe(cpAt(c, 75));
      const raised = fired(fireTimer(c, t, t.at)).case;
      expect(Date.parse(t.at)).toBeLessThan(Date.parse(cpAt(c, 75)));
      expect(riskIndex(raised).atRiskAt).toBe(t.at);
      // Raised after the 75 % checkpoint: the checkpoint stays the earlier moment.
      const lateBlock = blockedIn('UK_FCA_PSD', cpAt(c, 75));
      const lateDep = timerOf(lateBlock, `dep-${TASK_ID}`);
      const lateRaised = fired(fireTimer(lateBlock, lateDep, lateDep.at)).case;
      expect(riskIndex(lateRaised).atRiskAt).toBe(cpAt(c, 75));
      expect(riskIndex(lateRaised).pausedRisk).toBeUndefined();
    });

    it('fires while the clock is paused, and pausedRisk is set only while paused', () => {
      const regime = getRegime('INTERNAL_STANDARD');
      const blocked = blockedIn('INTERNAL_STANDARD', blockedAt);
      const dep = timerOf(blocked, `dep-${TASK_ID}`);
      expect(riskIndex(blocked).pausedRisk).toBeUndefined();
      const paused = life.pauseClock(blocked, regime, 'waiting', 'alice', at(blockedAt, HOUR)).case;
      expect(riskIndex(paused)).toEqual({ atRiskAt: cpAt(blocked, 75), pausedRisk: 'on_track' });
      const raised = fired(fireTimer(paused, dep, dep.at));
      expect(raised.drafts[0]).toMatchObject({ action: 'dependency.blocked', data: { risk: { from: 'on_track', to: 'at_risk' } } });
      expect(riskIndex(raised.case)).toEqual({ atRiskAt: dep.at, pausedRisk: 'at_risk' });
      const resumed = life.resumeClock(raised.case, regime, 'back', 'alice', at(dep.at, DAY)).case;
      expect(riskIndex(resumed).pausedRisk).toBeUndefined();
      expect(present(resumed, at(dep.at, DAY)).risk).toBe('at_risk');
    });

    it('pausedRisk freezes the risk at the pause (at_risk when paused after 75 %)', () => {
      const regime = getRegime('INTERNAL_STANDARD');
      const open = openIn('INTERNAL_STANDARD');
      const paused = life.pauseClock(open, regime, 'waiting', 'alice', at(cpAt(open, 75), 1)).case;
      expect(riskIndex(paused).pausedRisk).toBe('at_risk');
      // A closed case is not paused, whatever its clock says.
      expect(riskIndex({ ...closeAt(open, at(NOW, DAY)), clock: { ...open.clock!, pausedAt: NOW } }).pausedRisk).toBeUndefined();
    });
  });
});

describe('DeadlineControl', () => {
  const short = (name: string) => name.replace(`${CASE_ID}-`, '');

  const control = (now: string) => {
    const calls: string[] = [];
    const scheduler: CheckpointScheduler = {
      upsert: async (t) => {
        calls.push(`upsert ${short(t.name)} ${t.at}`);
        return 'created';
      },
      remove: async (name) => {
        calls.push(`remove ${short(name)}`);
      },
    };
    const events: EventPublisher = { publish: async (e) => void calls.push(`publish ${e.map((x) => x.id).join(',')}`) };
    const notifier: Notifier = { notify: async (n) => void calls.push(`notify ${n.length}`) };
    const fire = async (t: Timer) => void calls.push(`fire ${short(t.name)}`);
    return { calls, dc: new DeadlineControl({ scheduler, events, notifier, clock: { now: () => now }, fire }) };
  };

  const c = openIn('UK_FCA_PSD');

  it('schedules every future timer of a new case, earliest first', async () => {
    const { calls, dc } = control(NOW);
    const sync = await dc.caseChanged({}, timerMap(c), NOW);
    const order = [...plannedTimers(c)].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    expect(order[0]!.kind).toBe('acknowledgement'); // due before the 50 % checkpoint
    expect(calls).toEqual(order.map((t) => `upsert ${short(t.name)} ${t.at}`));
    expect(sync).toEqual({ upserted: order.map((t) => t.name), removed: [], firedNow: [] });
  });

  it('fires timers already due instead of scheduling them (a case logged late), earliest first', async () => {
    const now = at(cpAt(c, 50), HOUR); // after the acknowledgement deadline and the 50 % checkpoint
    const { calls, dc } = control(now);
    const sync = await dc.caseChanged({}, timerMap(c), c.createdAt);
    expect(calls).toEqual(['fire 1-ack', 'fire 1-p50', `upsert 1-p75 ${cpAt(c, 75)}`, `upsert 1-p90 ${cpAt(c, 90)}`, `upsert 1-breach ${cpAt(c, 100)}`]);
    expect(sync.firedNow.map(short)).toEqual(['1-ack', '1-p50']);
    expect(sync.upserted.map(short)).toEqual(['1-p75', '1-p90', '1-breach']);
  });

  it('fires a timer due exactly now', async () => {
    const t = timerOf(c, 'p50');
    const { calls, dc } = control(t.at);
    await dc.caseChanged({}, { [t.name]: t }, t.at);
    expect(calls).toEqual(['fire 1-p50']);
  });

  it('removes timers dropped before their time and leaves fired ones alone', async () => {
    const closedAt = at(cpAt(c, 50), HOUR);
    const firedSome = { ...c, checkpoints: c.checkpoints.map((k) => (k.percent === 50 ? { ...k, firedAt: k.at } : k)), clock: { ...c.clock!, acknowledgementMissedAt: c.acknowledgementDueAt! } };
    const { calls, dc } = control(closedAt);
    const sync = await dc.caseChanged(timerMap(firedSome), timerMap(closeAt(firedSome, closedAt)), closedAt);
    expect(calls).toEqual(['remove 1-p75', 'remove 1-p90', 'remove 1-breach']);
    expect(sync).toEqual({ upserted: [], removed: ['p75', 'p90', 'breach'].map((l) => `${CASE_ID}-1-${l}`), firedNow: [] });
  });

  it('moves timers whose time changed (resume) and does nothing when the plan is unchanged', async () => {
    const regime = getRegime('INTERNAL_STANDARD');
    const open = openIn('INTERNAL_STANDARD');
    const paused = life.pauseClock(open, regime, 'wait', 'alice', at(NOW, DAY)).case;
    const resumedAt = at(NOW, 2 * DAY);
    const resumed = life.resumeClock(paused, regime, 'back', 'alice', resumedAt).case;
    const moved = control(resumedAt);
    await moved.dc.caseChanged(timerMap(open), timerMap(resumed), resumedAt);
    expect(moved.calls).toEqual(plannedTimers(open).map((t) => `upsert ${short(t.name)} ${at(t.at, DAY)}`));
    const same = control(resumedAt);
    expect(await same.dc.caseChanged(timerMap(resumed), timerMap({ ...resumed, summary: 'edited' }), resumedAt)).toEqual({ upserted: [], removed: [], firedNow: [] });
    expect(same.calls).toEqual([]);
  });

  it('caseRemoved deletes every schedule the case still had', async () => {
    const { calls, dc } = control(NOW);
    await dc.caseRemoved(timerMap(c));
    expect(calls).toEqual(['remove 1-p50', 'remove 1-p75', 'remove 1-p90', 'remove 1-breach', 'remove 1-ack']);
  });
});

describe('regressions', () => {
  it('extending the clock keeps a missed acknowledgement missed (no second acknowledgement.overdue)', () => {
    const R = getRegime('UK_FCA_PSD');
    const c = openIn('UK_FCA_PSD', {}, '2026-03-02T09:00:00.000Z');
    const ack = timerMap(c)[`${c.id}-1-ack`]!;
    const out = fireTimer(c, ack, ack.at);
    if (!out.fired) throw new Error('ack should fire');
    const extended = life.extendClock(out.change.case, R, 'Card scheme investigation outside our control', 'alice', '2026-03-10T10:00:00.000Z').case;
    expect(extended.clock?.acknowledgementMissedAt).toBe(ack.at);
    expect(Object.keys(timerMap(extended))).not.toContain(ack.name);
    expect(fireTimer(extended, ack, '2026-03-10T10:00:00.000Z')).toEqual({ fired: false, reason: 'already_done' });
  });

  it('a checkpoint event records the risk change from the last write: 75 % turns on_track into at_risk; the breach is overdue', () => {
    const c = openIn('UK_FCA_PSD');
    const p75 = timerMap(c)[`${c.id}-1-p75`]!;
    const out = fireTimer(c, p75, p75.at);
    if (!out.fired) throw new Error('p75 should fire');
    expect(out.change.drafts[0]?.data.risk).toEqual({ from: 'on_track', to: 'at_risk' });
    const breach = timerMap(c)[`${c.id}-1-breach`]!;
    const late = fireTimer(c, breach, breach.at);
    if (!late.fired) throw new Error('breach should fire');
    expect(late.change.drafts[0]?.data.risk).toMatchObject({ to: 'overdue' });
  });
});
