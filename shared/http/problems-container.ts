// Composition root for problem records (#32): the problem store on the cases table, the reporting projection's day
// counters and the notifier (SNS in AWS, the embedded outbox under npm start). The spike and suggestion services, with
// the bus and the triage tokeniser, are in signals-container.ts: a problem route bundles neither. Built once per process.
import { SNSClient } from '@aws-sdk/client-sns';
import { ProblemService } from '#domain/problems/problem-service';
import { ProjectionVolumes } from '#domain/problems/volumes';
import { projector } from '#domain/reporting/projection';
import type { Notifier } from '#ports/notifier';
import { DynamoProblemStore } from '#adapters/aws/dynamo/problem-store';
import { SnsNotifier } from '#adapters/aws/sns-notifier';
import { localOutbox } from '#adapters/local/local-outbox';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';
import { config, requireSetting } from './config';
import { caseRepository, clock, dynamo, ulidIds } from './container';
import { reportStore } from './reporting-container';

let problems: ProblemService | undefined;
let notifier: Notifier | undefined;

export const problemStore = () => new DynamoProblemStore(dynamo().doc, { tableName: requireSetting('TABLE_NAME') });

export const problemVolumes = () => {
  const cfg = config();
  return new ProjectionVolumes(reportStore(), projector({ ...cfg.reporting, timeZone: cfg.ORG_TIME_ZONE }));
};

/** The notifier, built on first use (only closing a problem notifies). */
const notifierPort = (): Notifier => {
  if (!notifier) {
    const cfg = config();
    notifier = cfg.INTEGRATIONS === 'local' ? localOutbox : new SnsNotifier(withoutSdkLogger(new SNSClient({ region: cfg.AWS_REGION })), requireSetting('NOTIFICATION_TOPIC_ARN'));
  }
  return notifier;
};

export const lazyNotifier: Notifier = { notify: (n) => notifierPort().notify(n) };

export const problemService = (): ProblemService => {
  if (!problems) {
    const c = clock();
    problems = new ProblemService({ problems: problemStore(), cases: caseRepository(), volumes: problemVolumes(), notifier: lazyNotifier, clock: c, ids: ulidIds(c) });
  }
  return problems;
};

