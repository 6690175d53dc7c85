// Composition root for problem management (#32): the problem, suggestion and signal stores on the cases table, the
// reporting projection's day counters, the triage tokeniser, and the bus and notifier (SNS/EventBridge in AWS, the
// embedded outbox under npm start). Built once per process.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { ProblemService } from '#domain/problems/problem-service';
import { SignalService } from '#domain/problems/signal-service';
import { SuggestionService } from '#domain/problems/suggestion-service';
import { ProjectionVolumes } from '#domain/problems/volumes';
import { projector } from '#domain/reporting/projection';
import type { EventPublisher } from '#ports/events';
import type { Notifier } from '#ports/notifier';
import { DynamoProblemStore } from '#adapters/aws/dynamo/problem-store';
import { EventBridgePublisher } from '#adapters/aws/event-bridge';
import { SnsNotifier } from '#adapters/aws/sns-notifier';
import { localOutbox } from '#adapters/local/local-outbox';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';
import { featureTokens } from '#adapters/local/triage/text-model';
import { config, requireSetting } from './config';
import { caseRepository, clock, dynamo, ulidIds } from './container';
import { reportStore } from './reporting-container';

let problems: ProblemService | undefined;
let signals: SignalService | undefined;
let suggestions: SuggestionService | undefined;
let outbound: { events: EventPublisher; notifier: Notifier } | undefined;

const store = () => new DynamoProblemStore(dynamo().doc, { tableName: requireSetting('TABLE_NAME') });

const volumes = () => {
  const cfg = config();
  return new ProjectionVolumes(reportStore(), projector({ ...cfg.reporting, timeZone: cfg.ORG_TIME_ZONE }));
};

/** The bus and the notifier, built on first use (the read routes never need them). */
const outboundPorts = () => {
  if (!outbound) {
    const cfg = config();
    if (cfg.INTEGRATIONS === 'local') outbound = { events: localOutbox, notifier: localOutbox };
    else {
      const region = { region: cfg.AWS_REGION };
      outbound = {
        events: new EventBridgePublisher(withoutSdkLogger(new EventBridgeClient(region)), requireSetting('EVENT_BUS_NAME')),
        notifier: new SnsNotifier(withoutSdkLogger(new SNSClient(region)), requireSetting('NOTIFICATION_TOPIC_ARN')),
      };
    }
  }
  return outbound;
};

const lazyNotifier: Notifier = { notify: (n) => outboundPorts().notifier.notify(n) };
const lazyEvents: EventPublisher = { publish: (e) => outboundPorts().events.publish(e) };

export const problemService = (): ProblemService => {
  if (!problems) {
    const c = clock();
    problems = new ProblemService({ problems: store(), cases: caseRepository(), volumes: volumes(), notifier: lazyNotifier, clock: c, ids: ulidIds(c) });
  }
  return problems;
};

export const signalService = (): SignalService => {
  if (!signals) {
    const cfg = config();
    const c = clock();
    signals = new SignalService({
      signals: store(),
      volumes: volumes(),
      events: lazyEvents,
      notifier: lazyNotifier,
      clock: c,
      ids: ulidIds(c),
      spikes: { baselineWeeks: cfg.SPIKE_BASELINE_WEEKS, alpha: cfg.SPIKE_ALPHA, minZ: cfg.SPIKE_MIN_Z, minCount: cfg.SPIKE_MIN_COUNT },
    });
  }
  return signals;
};

/** At most this many open complaints are compared in one run (newest receipts win past it; the run logs the cap). */
export const SUGGESTION_MAX_CASES = 2_000;

export const suggestionService = (): SuggestionService => {
  if (!suggestions) {
    const cfg = config();
    const c = clock();
    const repo = caseRepository();
    suggestions = new SuggestionService({
      suggestions: store(),
      problems: store(),
      recentComplaints: async (since) => {
        const found = [];
        let cursor: string | undefined;
        do {
          const page = await repo.list({ now: c.now(), limit: 100, ...(cursor ? { cursor } : {}) });
          found.push(...page.items.filter((x) => x.receivedAt >= since));
          cursor = page.nextCursor;
        } while (cursor && found.length < SUGGESTION_MAX_CASES);
        return found.sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : -1)).slice(0, SUGGESTION_MAX_CASES);
      },
      complaintTexts: async (ids) => {
        const texts: string[] = [];
        for (const id of ids.slice(0, 200)) {
          const r = await repo.get(id);
          if (r) texts.push(`${r.case.summary}. ${r.case.product}. ${r.case.description}`);
        }
        return texts;
      },
      tokens: featureTokens,
      problemService: problemService(),
      clock: c,
      ids: ulidIds(c),
      settings: { threshold: cfg.PROBLEM_SIMILARITY_THRESHOLD, windowDays: cfg.PROBLEM_SUGGESTION_WINDOW_DAYS, minGroup: cfg.PROBLEM_SUGGESTION_MIN_GROUP },
    });
  }
  return suggestions;
};
