// Composition root for problem records (#32): the problem store on the cases table, the reporting projection's day
// counters and the notifier (SNS in AWS, the embedded outbox under npm start). The SNS notifier, the effect's
// statistics and its day counters are provided by the functions that use them (problem-notifier.ts,
// problem-volumes.ts), so no other problem route bundles the SNS client, jstat or the report store and its schemas.
// The spike and suggestion services are in signals-container.ts. Built once per process.
import { ProblemService, type ProblemServiceDeps } from '#domain/problems/problem-service';
import type { Notifier } from '#ports/notifier';
import type { VolumeCounts } from '#ports/problem-store';
import { DynamoProblemStore } from '#adapters/aws/dynamo/problem-store';
import { localOutbox } from '#adapters/local/local-outbox';
import { config, requireSetting } from './config';
import { caseRepository, clock, dynamo, ulidIds } from './container';
import { provided } from './provided';

let problems: ProblemService | undefined;
let notifier: Notifier | undefined;

export const problemStore = () => new DynamoProblemStore(dynamo().doc, { tableName: requireSetting('TABLE_NAME') });

/** The reporting projection's day counters: provided by the effect route (problem-volumes.ts), the only problem route that reads them. */
export const effectVolumes = provided<VolumeCounts>("the reporting projection's day counters", 'problem-effect');

/** Resolved at each call: the routes that never read volumes never build (nor bundle) the report store. */
const lazyVolumes: VolumeCounts = {
  receivedByDay: (fromDay, toDay) => effectVolumes.get().receivedByDay(fromDay, toDay),
  productGroup: (product) => effectVolumes.get().productGroup(product),
  day: (at) => effectVolumes.get().day(at),
  dayEnd: (day) => effectVolumes.get().dayEnd(day),
};

/** The SNS notifier in AWS: provided by the functions that notify (closing a problem, the daily signals job). */
export const snsNotifier = provided<Notifier>('the SNS notifier', 'close-problem and problem-signals');

/** The exact rate ratio: provided by the effect route. */
export const effectStats = provided<ProblemServiceDeps['rateRatio']>('the rate-ratio statistics', 'problem-effect');

/** The notifier, built on first use (only closing a problem and the signals job notify). */
const notifierPort = (): Notifier => (notifier ??= config().INTEGRATIONS === 'local' ? localOutbox : snsNotifier.get());

export const lazyNotifier: Notifier = { notify: (n) => notifierPort().notify(n) };

export const problemService = (): ProblemService => {
  if (!problems) {
    const c = clock();
    problems = new ProblemService({ problems: problemStore(), cases: caseRepository(), volumes: lazyVolumes, notifier: lazyNotifier, clock: c, ids: ulidIds(c), rateRatio: (b, a, conf) => effectStats.get()(b, a, conf) });
  }
  return problems;
};

