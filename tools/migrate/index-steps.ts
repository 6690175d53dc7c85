// Where a cases table stands on the path from index generation 1 to 2 (CASE_INDEX_STEPS in the table model; issue 28,
// docs/deploy.md "Index generation 2"), from its DescribeTable answer: the step its indexes match, whether every index
// is ACTIVE (a new one fills from the table's items before it is), and what to deploy next. `npm run migrate --
// --indexes` prints it; it reads the table's description only (no item).
import { CASE_INDEX_STEPS, FINAL_CASE_INDEX_STEP } from '#adapters/aws/dynamo/table-model';

/** The app (code reading generation 2) may be deployed from this step on. */
export const APP_DEPLOYABLE_FROM_STEP = 5;

export interface IndexState {
  name: string;
  /** CREATING, UPDATING, DELETING or ACTIVE (DescribeTable's IndexStatus). */
  status: string;
  /** While CREATING: how far the fill from existing items has gone (DescribeTable's Backfilling). */
  backfilling?: boolean;
}

export interface IndexStepReport {
  /** The step the table's indexes match, or undefined when they match none (an index added or removed by hand). */
  step: number | undefined;
  /** Indexes not ACTIVE yet (or being deleted): wait for them before the next step. */
  busy: string[];
  /** What to do next, in words an operator can follow. */
  next: string;
}

export const indexStepOf = (indexes: readonly IndexState[]): IndexStepReport => {
  // An index being deleted is already gone as far as the next deploy is concerned, but it must finish first.
  const present = indexes.filter((i) => i.status !== 'DELETING').map((i) => i.name).sort();
  const busy = indexes.filter((i) => i.status !== 'ACTIVE').map((i) => `${i.name} (${i.status}${i.backfilling ? ', backfilling' : ''})`);
  const step = CASE_INDEX_STEPS.findIndex((s) => JSON.stringify(s.map((i) => i.indexName).sort()) === JSON.stringify(present));
  if (step < 0) {
    return { step: undefined, busy, next: `the indexes (${present.join(', ') || 'none'}) match no step of CASE_INDEX_STEPS: compare them with docs/deploy.md, "Index generation 2"` };
  }
  const wait = busy.length ? `wait until ${busy.join(', ')} is ACTIVE, then ` : '';
  if (step === FINAL_CASE_INDEX_STEP) return { step, busy, next: busy.length ? `${wait}nothing more: the table is on generation 2` : 'nothing: the table is on generation 2 (drop complaints:caseIndexStep from your context)' };
  const stateful = `npx cdk deploy <prefix>Stateful -c complaints:caseIndexStep=${step + 1}`;
  if (step < APP_DEPLOYABLE_FROM_STEP) return { step, busy, next: `${wait}deploy the stateful stack only: ${stateful}` };
  if (step === APP_DEPLOYABLE_FROM_STEP) {
    return { step, busy, next: `${wait}deploy every stack with -c complaints:caseIndexStep=${step} (the code reading generation 2) if not done yet; once it runs everywhere: ${stateful}` };
  }
  return { step, busy, next: `${wait}${stateful}` };
};
