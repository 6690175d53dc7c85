// The local invoker runs handlers side by side in one process, as Lambda runs concurrent invocations in separate
// environments (or, under multi-concurrency, with per-invocation state): Powertools state set by one invocation (the
// logger's keys, a batch processor's records and failures) must not reach another one running at the same time.
import type { SQSEvent } from 'aws-lambda';
import { lambdaContext, lazyEntry } from '../../infra/local/server';

type KeysHandler = (event: { who: string; waitMs: number }, context: ReturnType<typeof lambdaContext>) => Promise<string>;
type BatchHandler = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

const sqs = (records: { id: string; body: string; waitMs: number }[]): SQSEvent =>
  ({
    Records: records.map((r) => ({
      messageId: r.id,
      body: r.body,
      eventSource: 'aws:sqs',
      messageAttributes: { waitMs: { stringValue: String(r.waitMs), dataType: 'Number' } },
    })),
  }) as unknown as SQSEvent;

describe('concurrent local invocations', () => {
  it('log with their own keys, never those another invocation appended meanwhile', async () => {
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      const handler = lazyEntry<KeysHandler>('test/fixtures/handlers/concurrent-keys.ts');
      // A starts first and logs last: B appends its key while A waits.
      await Promise.all([handler()({ who: 'a', waitMs: 40 }, lambdaContext('concurrent-keys')), handler()({ who: 'b', waitMs: 5 }, lambdaContext('concurrent-keys'))]);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const logged = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('invocation done'))
      .map((l) => JSON.parse(l) as { who?: string; caller?: string; function_request_id?: string });
    expect(logged).toHaveLength(2);
    for (const line of logged) expect(line.who).toBe(line.caller);
    expect(new Set(logged.map((l) => l.function_request_id)).size).toBe(2);
  });

  it('keep their own batch item failures with one module-level batch processor', async () => {
    const handler = lazyEntry<BatchHandler>('test/fixtures/handlers/concurrent-batch.ts');
    const [a, b] = await Promise.all([
      handler()(sqs([{ id: 'a1', body: 'ok', waitMs: 30 }, { id: 'a2', body: 'fail a2', waitMs: 30 }]), lambdaContext('concurrent-batch')),
      handler()(sqs([{ id: 'b1', body: 'fail b1', waitMs: 5 }, { id: 'b2', body: 'ok', waitMs: 5 }, { id: 'b3', body: 'ok', waitMs: 5 }]), lambdaContext('concurrent-batch')),
    ]);
    expect(a.batchItemFailures).toEqual([{ itemIdentifier: 'a2' }]);
    expect(b.batchItemFailures).toEqual([{ itemIdentifier: 'b1' }]);
  });
});
