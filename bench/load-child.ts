// The load generator, in its own process so autocannon never shares an event loop with the API it measures.
// Driven by bench/load.ts over the IPC channel: one `run` message per scenario, then `exit`.
import autocannon from 'autocannon';
import type { LoadScenario, ChildMessage, ParentMessage, LoadSummary } from './load';

const send = (m: ChildMessage) => process.send?.(m);

const options = (s: LoadScenario, durationS: number): autocannon.Options => {
  const base: autocannon.Options = {
    url: s.baseUrl,
    connections: s.connections,
    duration: durationS,
    timeout: 10,
    method: s.method,
    headers: s.headers,
    ...(s.body !== undefined ? { body: s.body, idReplacement: true } : {}),
  };
  if (s.paths.length === 1) return { ...base, url: `${s.baseUrl}${s.paths[0]}` };
  // Several paths (GET by id): each request takes the next one.
  let next = 0;
  return {
    ...base,
    requests: [
      {
        method: s.method,
        setupRequest: (req) => ({ ...req, path: s.paths[next++ % s.paths.length] }),
      },
    ],
  };
};

const summarise = (r: autocannon.Result): LoadSummary => ({
  durationS: r.duration,
  requests: r.latency.totalCount,
  rps: r.latency.totalCount / r.duration,
  rpsAutocannonMean: r.requests.average,
  latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, mean: r.latency.mean, max: r.latency.max },
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
  statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, v]) => [code, v.count])),
});

process.on('message', (m: ParentMessage) => {
  void (async () => {
    if (m.type === 'exit') process.exit(0);
    try {
      const result = await autocannon(options(m.scenario, m.scenario.durationS));
      send({ type: 'result', name: m.scenario.name, summary: summarise(result) });
    } catch (err) {
      send({ type: 'error', name: m.scenario.name, message: (err as Error).message });
    }
  })();
});
send({ type: 'ready' });
