// Daily complaints received per product group and category, read from the reporting projection's day items (one
// item per day holds every dimension value's counters): the spike detector and the effect report cost a fixed
// number of reads per day, however many complaints a day brings.
import { DateTime } from 'luxon';
import { dayAttr, dimSk, explodeDayItem, DAY_SK, scopes, type Projector } from '../reporting/projection';
import type { ReportStore } from '#ports/report-store';
import type { VolumeCounts } from '#ports/problem-store';

const RECEIVED = 'rcv';

export class ProjectionVolumes implements VolumeCounts {
  constructor(
    private readonly store: Pick<ReportStore, 'meta' | 'counters'>,
    private readonly p: Projector,
  ) {}

  async receivedByDay(fromDay: string, toDay: string): Promise<Map<string, Map<string, number>>> {
    const { generation } = await this.store.meta();
    const cost = { readUnits: 0, requests: 0 };
    const out = new Map<string, Map<string, number>>();
    for (let d = DateTime.fromISO(fromDay, { zone: 'utc' }); d.toISODate()! <= toDay; d = d.plus({ days: 1 })) {
      const day = d.toISODate()!;
      const [item] = await this.store.counters(generation, scopes.period('D', day), { prefix: DAY_SK }, cost);
      const values = new Map<string, number>();
      if (item) {
        for (const dim of ['product', 'category'] as const) {
          for (const v of explodeDayItem(item.counts, `${dim}#`)) {
            const n = v.counts[RECEIVED] ?? 0;
            if (n > 0) values.set(v.sk, n);
          }
        }
      }
      out.set(day, values);
    }
    return out;
  }

  productGroup(product: string): string {
    return this.p.productGroup(product);
  }

  day(at: string): string {
    return this.p.day(at);
  }

  dayEnd(day: string): string {
    return DateTime.fromISO(day, { zone: this.p.config.timeZone }).plus({ days: 1 }).toUTC().toISO()!;
  }
}

/** The attribute a day item counts a value's receipts in (for tests that seed the projection). */
export const receivedAttr = (dimension: 'product' | 'category', value: string) => dayAttr(dimSk(dimension, value), RECEIVED);
