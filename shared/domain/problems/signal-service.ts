// Spikes and changes, use cases: record a change (API or a deployment pipeline's state change), detect the day's
// volume spikes per product and category against each series' weekday baseline (reading the reporting projection's
// day items: a fixed number of reads however many complaints a day brings), publish and alert each spike once, and
// report spikes with the changes of the 72 hours before them.
import { createHash } from 'node:crypto';
import type { DomainEvent, Notification } from '../domain-events';
import type { SpikeSettings, SpikeTest } from './spike-stats';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { EventPublisher } from '#ports/events';
import type { Notifier } from '#ports/notifier';
import type { SignalStore, VolumeCounts } from '#ports/problem-store';
import type { Change, CreateChangeBody, Spike } from '#schemas/problems';
import { OPERATIONAL_EVENT_SCHEMA_VERSION, type ComplaintSpikeDetectedV1 } from '#schemas/operational-events';

export const CHANGE_LOOKBACK_MS = 72 * 3_600_000;
const DAY_MS = 86_400_000;

export interface SignalServiceDeps {
  signals: SignalStore;
  volumes: VolumeCounts;
  events: EventPublisher;
  notifier: Notifier;
  clock: Clock;
  ids: IdGenerator;
  spikes: SpikeSettings;
  /** The spike test (spike-stats.ts): given only where spikes are detected, so the change and report routes bundle no jstat. */
  testSpike: (count: number, sameWeekday: readonly number[], s: SpikeSettings) => SpikeTest;
}

/** A change named by its own system keeps one id however often it is sent (a pipeline retries, EventBridge redelivers). */
export const changeIdOf = (source: string, externalId: string): string => `ext-${createHash('sha256').update(`${source}\u0000${externalId}`).digest('hex').slice(0, 32)}`;

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

export class SignalService {
  constructor(private readonly deps: SignalServiceDeps) {}

  async recordChange(recordedBy: string, body: CreateChangeBody): Promise<{ change: Change; created: boolean }> {
    const change: Change = {
      id: body.externalId ? changeIdOf(body.source, body.externalId) : this.deps.ids.next(),
      title: body.title,
      kind: body.kind,
      ...(body.product ? { product: body.product } : {}),
      // One spelling of the instant (milliseconds, Z), so the change index sorts by time.
      at: new Date(body.at).toISOString(),
      source: body.source,
      ...(body.externalId ? { externalId: body.externalId } : {}),
      recordedBy,
      recordedAt: this.deps.clock.now(),
    };
    return this.deps.signals.putChange(change);
  }

  /**
   * Tests `day` (default: yesterday, the last whole day) for every product group and category counted that day,
   * against the same weekday of the previous `baselineWeeks` weeks. Reads baselineWeeks + 1 day items.
   */
  async detect(day?: string): Promise<{ day: string; series: number; spikes: Spike[] }> {
    const now = this.deps.clock.now();
    const target = day ?? addDays(this.deps.volumes.day(now), -1);
    const weeks = this.deps.spikes.baselineWeeks;
    const days = [...Array.from({ length: weeks }, (_, i) => addDays(target, -7 * (weeks - i))), target];
    const counts = await this.readDays(days);
    const today = counts.get(target) ?? new Map<string, number>();
    const found: Spike[] = [];
    let series = 0;
    for (const [key, n] of today) {
      const sep = key.indexOf('#');
      const dimension = key.slice(0, sep);
      if (dimension !== 'product' && dimension !== 'category') continue;
      series++;
      const history = days.slice(0, -1).map((d) => counts.get(d)?.get(key) ?? 0);
      const t = this.deps.testSpike(n, history, this.deps.spikes);
      if (!t.spike) continue;
      const spike: Spike = { day: target, dimension, value: key.slice(sep + 1), complaints: n, baselineMean: round(t.baselineMean), baselineSd: round(t.baselineSd), pValue: t.pValue, z: round(t.z), detectedAt: now };
      // Announced before it is recorded: a run that fails in between announces it again (at least once; the event id
      // is stable, so consumers de-duplicate), and a recorded spike is never announced twice.
      if (await this.deps.signals.hasSpike(spike.day, spike.dimension, spike.value)) continue;
      await this.announce(spike);
      if (await this.deps.signals.putSpike(spike)) found.push(spike);
    }
    return { day: target, series, spikes: found };
  }

  async report(q: { from: string; to: string; limit: number; cursor?: string }) {
    const page = await this.deps.signals.listSpikes(q);
    const items = [];
    for (const s of page.items) items.push({ ...s, changesBefore: await this.changesBefore(s.day) });
    return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** Changes from 72 hours before the end of the spike day up to its end (the day is in the organisation's zone). */
  private changesBefore(day: string): Promise<Change[]> {
    const end = this.deps.volumes.dayEnd(day);
    return this.deps.signals.changesBetween(new Date(Date.parse(end) - CHANGE_LOOKBACK_MS).toISOString(), end);
  }

  private async readDays(days: string[]): Promise<Map<string, Map<string, number>>> {
    const out = new Map<string, Map<string, number>>();
    for (const d of days) for (const [k, v] of await this.deps.volumes.receivedByDay(d, d)) out.set(k, v);
    return out;
  }

  /** The versioned bus event (id stable per spike) and an alert to every supervisor. */
  private async announce(spike: Spike): Promise<void> {
    const changes = await this.changesBefore(spike.day);
    const eventId = `spike:${spike.day}:${spike.dimension}:${spike.value}`;
    const detail: ComplaintSpikeDetectedV1 = {
      schemaVersion: OPERATIONAL_EVENT_SCHEMA_VERSION,
      eventId,
      occurredAt: spike.detectedAt,
      day: spike.day,
      dimension: spike.dimension,
      value: spike.value,
      complaints: spike.complaints,
      baselineMean: spike.baselineMean,
      baselineSd: spike.baselineSd,
      pValue: spike.pValue,
      z: spike.z,
      changesBefore: changes.map((c) => ({ id: c.id, title: c.title, kind: c.kind, at: c.at, source: c.source })),
    };
    const event: DomainEvent = { id: eventId, type: 'ComplaintSpikeDetected', caseId: eventId, occurredAt: spike.detectedAt, detail: detail };
    await this.deps.events.publish([event]);
    const subject = `Complaint spike: ${spike.complaints} ${spike.dimension} "${spike.value}" complaints on ${spike.day} (usual ${spike.baselineMean.toFixed(1)})`;
    const alert: Notification = {
      id: `${eventId}:supervisor:*`,
      eventType: 'ComplaintSpikeDetected',
      caseId: eventId,
      reference: eventId,
      to: { kind: 'role', role: 'supervisor', team: null },
      subject,
      text: `${subject}. ${changes.length ? `Changes in the 72 hours before: ${changes.map((c) => `${c.title} (${c.at})`).join('; ')}.` : 'No change was recorded in the 72 hours before.'} See GET /v1/reports/spikes.`,
    };
    await this.deps.notifier.notify([alert]);
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
