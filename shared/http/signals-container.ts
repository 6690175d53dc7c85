// Composition root for problem signals (#32): spike detection and changes (announced on the bus: EventBridge in AWS,
// the embedded outbox under npm start) and problem suggestions from similar complaints (the triage tokeniser). Only the
// routes and jobs that call them bundle the bus client and the NLP libraries. Built once per process.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SignalService } from '#domain/problems/signal-service';
import { SuggestionService } from '#domain/problems/suggestion-service';
import type { EventPublisher } from '#ports/events';
import { EventBridgePublisher } from '#adapters/aws/event-bridge';
import { localOutbox } from '#adapters/local/local-outbox';
import { withoutSdkLogger } from '#adapters/aws/sdk-client';
import { featureTokens } from '#adapters/local/triage/text-model';
import { config, requireSetting } from './config';
import { caseRepository, clock, ulidIds } from './container';
import { lazyNotifier, problemService, problemStore as store, problemVolumes as volumes } from './problems-container';

let signals: SignalService | undefined;
let suggestions: SuggestionService | undefined;
let events: EventPublisher | undefined;

/** The bus, built on first use (the read routes never need it). */
const lazyEvents: EventPublisher = {
  publish: (e) => {
    if (!events) {
      const cfg = config();
      events = cfg.INTEGRATIONS === 'local' ? localOutbox : new EventBridgePublisher(withoutSdkLogger(new EventBridgeClient({ region: cfg.AWS_REGION })), requireSetting('EVENT_BUS_NAME'));
    }
    return events.publish(e);
  },
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
