// Composition root for problem signals (#32): spike detection and changes (announced on the bus: EventBridge in AWS,
// the embedded outbox under npm start) and problem suggestions from similar complaints (the triage tokeniser). The bus,
// the spike test and the tokeniser are provided by the daily job that uses them (problem-integrations.ts): the change,
// spike-report and suggestion routes bundle neither the bus client, jstat nor the NLP libraries. Built once per process.
import { SignalService, type SignalServiceDeps } from '#domain/problems/signal-service';
import { SuggestionService } from '#domain/problems/suggestion-service';
import type { EventPublisher } from '#ports/events';
import { localOutbox } from '#adapters/local/local-outbox';
import { config } from './config';
import { caseRepository, clock, ulidIds } from './container';
import { problemVolumes as volumes } from './problem-volumes';
import { lazyNotifier, problemService, problemStore as store } from './problems-container';
import { provided } from './provided';

/** The bus in AWS (EventBridge), the spike test (jstat) and the tokeniser (the triage NLP): provided by problem-signals. */
export const busPublisher = provided<EventPublisher>('the EventBridge publisher', 'problem-signals');
export const spikeTest = provided<SignalServiceDeps['testSpike']>('the spike test', 'problem-signals');
export const suggestionTokens = provided<(text: string) => string[]>('the triage tokeniser', 'problem-signals');

let signals: SignalService | undefined;
let suggestions: SuggestionService | undefined;
let events: EventPublisher | undefined;

/** The bus, built on first use (the read routes never need it). */
const lazyEvents: EventPublisher = {
  publish: (e) => {
    events ??= config().INTEGRATIONS === 'local' ? localOutbox : busPublisher.get();
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
      testSpike: (n, history, s) => spikeTest.get()(n, history, s),
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
      tokens: (text) => suggestionTokens.get()(text),
      problemService: problemService(),
      clock: c,
      ids: ulidIds(c),
      settings: { threshold: cfg.PROBLEM_SIMILARITY_THRESHOLD, windowDays: cfg.PROBLEM_SUGGESTION_WINDOW_DAYS, minGroup: cfg.PROBLEM_SUGGESTION_MIN_GROUP },
    });
  }
  return suggestions;
};
