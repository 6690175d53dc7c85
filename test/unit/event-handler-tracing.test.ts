// The event functions' middy stack (#http/event-handler) traces with Powertools Tracer where tracing can be on (a
// deployed function sets no POWERTOOLS_TRACE_ENABLED), and where it is off (the local stack and the tests) loads neither
// the Tracer nor the X-Ray SDK under it: that SDK enables a process-wide async hook with a destroy callback when it loads.
import type { Context } from 'aws-lambda';

const context = { functionName: 'probe', awsRequestId: 'req-1' } as Context;

/** Loads #http/event-handler afresh with POWERTOOLS_TRACE_ENABLED as given, the Tracer middleware replaced by a recorder. */
const load = (traceEnabled: string | undefined) => {
  const saved = process.env.POWERTOOLS_TRACE_ENABLED;
  if (traceEnabled === undefined) delete process.env.POWERTOOLS_TRACE_ENABLED;
  else process.env.POWERTOOLS_TRACE_ENABLED = traceEnabled;
  const calls: { target: unknown; options: unknown; steps: string[] }[] = [];
  let tracerLoaded = false;
  let mod!: typeof import('#http/event-handler');
  try {
    jest.isolateModules(() => {
      jest.doMock('@aws-lambda-powertools/tracer/middleware', () => ({
        captureLambdaHandler: (target: unknown, options: unknown) => {
          const call = { target, options, steps: [] as string[] };
          calls.push(call);
          return { before: () => void call.steps.push('before'), after: () => void call.steps.push('after') };
        },
      }));
      jest.doMock('../../shared/http/tracer', () => {
        tracerLoaded = true;
        return { tracer: { name: 'the tracer' } };
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require('#http/event-handler') as typeof import('#http/event-handler');
    });
    const handler = mod.defineEventHandler('probe', async (event: { n: number }) => event.n * 2);
    return { handler, calls, tracerLoaded: () => tracerLoaded };
  } finally {
    if (saved === undefined) delete process.env.POWERTOOLS_TRACE_ENABLED;
    else process.env.POWERTOOLS_TRACE_ENABLED = saved;
  }
};

describe('defineEventHandler tracing', () => {
  it('wraps the handler in the Tracer middleware (response not captured) where tracing can be on', async () => {
    const { handler, calls, tracerLoaded } = load(undefined);
    await expect(handler({ n: 21 }, context)).resolves.toBe(42);
    expect(tracerLoaded()).toBe(true);
    expect(calls).toEqual([{ target: { name: 'the tracer' }, options: { captureResponse: false }, steps: ['before', 'after'] }]);
  });

  it('loads no Tracer and runs the handler the same where tracing is off (POWERTOOLS_TRACE_ENABLED=false)', async () => {
    const { handler, calls, tracerLoaded } = load('false');
    await expect(handler({ n: 21 }, context)).resolves.toBe(42);
    expect(tracerLoaded()).toBe(false);
    expect(calls).toEqual([]);
  });

  it('traces with one Powertools Tracer per process (#http/tracer)', () => {
    // The module itself, not the stand-in the tests above register for it.
    const { Tracer } = jest.requireActual<typeof import('@aws-lambda-powertools/tracer')>('@aws-lambda-powertools/tracer');
    const { tracer } = jest.requireActual<typeof import('#http/tracer')>('#http/tracer');
    expect(tracer).toBeInstanceOf(Tracer);
  });
});
