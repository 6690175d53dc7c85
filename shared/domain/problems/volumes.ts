// Daily complaints received per product group and category, read from the reporting projection's day items (one
// item per dimension value and day, in every report shard): the spike detector and the effect report cost a fixed
// number of reads per day, however many complaints a day brings.
import { plusDays, startOfLocalDay } from '../time-zone';
import { dayAttr, dimSk, scopes, type Projector } from '../reporting/projection';
import { mayHoldOneItemDays, periodItems } from '../reporting/period-items';
import type { ReportStore } from '#ports/report-store';
import type { VolumeCounts } from '#ports/problem-store';

const RECEIVED = 'rcv';

export class ProjectionVolumes implements VolumeCounts {
  constructor(
    private readonly store: Pick<ReportStore, 'meta' | 'counters'>,
    private readonly p: Projector,
  ) {}

  async receivedByDay(fromDay: string, toDay: string): Promise<Map<string, Map<string, number>>> {
    const meta = await this.store.meta();
    const { generation } = meta;
    const cost = { readUnits: 0, requests: 0 };
    const out = new Map<string, Map<string, number>>();
    for (let day = fromDay; day <= toDay; day = plusDays(day, 1)) {
      const values = new Map<string, number>();
      // One read of the day (every shard, every dimension value), kept for the two dimensions the detector watches.
      for (const v of await periodItems(this.store, generation, scopes.period('D', day), '', cost, mayHoldOneItemDays(meta, generation))) {
        const n = v.counts[RECEIVED] ?? 0;
        if (n > 0 && (v.sk.startsWith('product#') || v.sk.startsWith('category#'))) values.set(v.sk, n);
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
    return startOfLocalDay(plusDays(day, 1), this.p.config.timeZone);
  }
}

/** The attribute a day item counts a value's receipts in (for tests that seed the projection). */
export const receivedAttr = (dimension: 'product' | 'category', value: string) => dayAttr(dimSk(dimension, value), RECEIVED);
