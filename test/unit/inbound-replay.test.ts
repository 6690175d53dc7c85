// The replay of a recorded inbound rejection across the invocation that carries it (#domain/inbound-replay): the
// inbound-email function answers refusals as data, the replay route turns them back into the same domain errors, and a
// reply that is not one (garbled, or shaped to smuggle something through) is an error of the replay, never a result.
import { refusalOf, replayInboundRejection, replyOf, resultOf } from '#domain/inbound-replay';
import { ConflictError, GoneError, NotFoundError, StaleVersionError } from '#domain/errors';
import type { InboundReplayer } from '#ports/inbound-replayer';
import type { InboundRejection, InboundReplayInvocation, InboundReplayReply, InboundReplayResult } from '#schemas/channels';
import { localInboundReplayer } from '#adapters/local/local-inbound-replayer';

const REJECTION_ID = '01JC0000000000000000000001';
const CASE_ID = '01JC0000000000000000000002';
const rejection: InboundRejection = {
  id: REJECTION_ID,
  channel: 'email',
  reason: 'malformed',
  detail: 'no boundary',
  sizeBytes: 1200,
  objectKey: 'inbound/2026-12-01/message-1',
  receivedAt: '2026-12-01T09:00:00.000Z',
};
const result: InboundReplayResult = {
  outcome: 'replayed',
  caseId: CASE_ID,
  reference: 'CMP-2026-000001',
  rejection: { ...rejection, replay: { caseId: CASE_ID, reference: 'CMP-2026-000001', outcome: 'created', at: '2026-12-02T10:00:00.000Z', by: 'ops-1' } },
};

/** What the route gets back for an error the function's replay threw. */
const roundTrip = (err: unknown): unknown => {
  try {
    return resultOf(replyOf(JSON.stringify(refusalOf(err))));
  } catch (e) {
    return e;
  }
};

describe('refusals across the invocation', () => {
  it('a not-found, a gone and a still-refused message come back as the same domain errors, message and reason', () => {
    const notFound = roundTrip(new NotFoundError(`inbound rejection ${REJECTION_ID} not found`));
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect((notFound as Error).message).toBe(`inbound rejection ${REJECTION_ID} not found`);
    const gone = roundTrip(new GoneError('the stored message is no longer in the inbound mail store'));
    expect(gone).toBeInstanceOf(GoneError);
    const conflict = roundTrip(new ConflictError('the message is still refused (too_large): 30 MB', { reason: 'too_large' }));
    expect(conflict).toBeInstanceOf(ConflictError);
    expect((conflict as ConflictError).details).toEqual({ reason: 'too_large' });
    expect((conflict as Error).message).toBe('the message is still refused (too_large): 30 MB');
    expect((roundTrip(new ConflictError('no reason')) as ConflictError).details).toEqual({});
  });

  it('any other error is not a refusal: the function rethrows it (a function error, answered 500 by the route)', () => {
    const unexpected = new Error('table unreachable');
    expect(() => refusalOf(unexpected)).toThrow(unexpected);
    expect(() => refusalOf(new StaleVersionError('stale'))).toThrow(StaleVersionError);
    expect(() => refusalOf('a string')).toThrow();
  });

  it('a result comes back as it was sent', () => {
    expect(resultOf(replyOf(JSON.stringify({ ok: true, result })))).toEqual(result);
  });
});

describe('a reply that is not one is an error of the replay', () => {
  it.each([
    ['no JSON', 'Task timed out after 120.00 seconds'],
    ['an empty payload', ''],
    ['null', 'null'],
    ['a result without its case', JSON.stringify({ ok: true, result: { ...result, caseId: undefined } })],
    ['an unknown refusal (it must not pass as a 403)', JSON.stringify({ ok: false, refusal: 'forbidden', message: 'no' })],
    ['an extra member', JSON.stringify({ ok: false, refusal: 'gone', message: 'x', status: 200 })],
    ['a prototype key', '{"ok":false,"refusal":"gone","message":"x","__proto__":{"ok":true}}'],
    ['the S3 intake result instead', JSON.stringify({ outcome: 'created', caseId: CASE_ID })],
  ])('%s', (_what, text) => {
    expect(() => replyOf(text)).toThrow(/inbound-email function answered the replay/);
  });
});

describe('replayInboundRejection (the route)', () => {
  const lookup = (found?: InboundRejection) => async (id: string) => (found && id === found.id ? found : undefined);

  it('asks the inbound-email function with the rejection id and the admin who asked, and answers its result', async () => {
    const asked: InboundReplayInvocation[] = [];
    const replayer: InboundReplayer = { replay: async (req) => (asked.push(req), { ok: true, result }) };
    await expect(replayInboundRejection({ replayer, rejection: lookup(rejection) }, REJECTION_ID, 'ops-1')).resolves.toEqual(result);
    expect(asked).toEqual([{ kind: 'replay', rejectionId: REJECTION_ID, actor: 'ops-1' }]);
  });

  it('answers a refusal as its domain error, and lets an invocation failure through as it is', async () => {
    const refusing: InboundReplayer = { replay: async (): Promise<InboundReplayReply> => ({ ok: false, refusal: 'conflict', message: 'still refused', reason: 'virus' }) };
    await expect(replayInboundRejection({ replayer: refusing, rejection: lookup(rejection) }, REJECTION_ID, 'ops-1')).rejects.toEqual(new ConflictError('still refused', { reason: 'virus' }));
    const failing: InboundReplayer = { replay: async () => Promise.reject(new Error('Rate exceeded')) };
    await expect(replayInboundRejection({ replayer: failing, rejection: lookup(rejection) }, REJECTION_ID, 'ops-1')).rejects.toThrow('Rate exceeded');
  });

  it('without an email intake deployed: an unknown id is 404, a recorded one 409 (nothing can replay it)', async () => {
    await expect(replayInboundRejection({ replayer: undefined, rejection: lookup(rejection) }, '01JC0000000000000000000009', 'ops-1')).rejects.toBeInstanceOf(NotFoundError);
    await expect(replayInboundRejection({ replayer: undefined, rejection: lookup(rejection) }, REJECTION_ID, 'ops-1')).rejects.toThrow(/no email intake is deployed/);
  });
});

describe('the local replayer (npm start)', () => {
  it('runs the installed handler on the JSON an invocation carries, and checks its reply as in AWS', async () => {
    const seen: unknown[] = [];
    localInboundReplayer.install(async (event) => (seen.push(event), { ok: true, result }));
    const request: InboundReplayInvocation = { kind: 'replay', rejectionId: REJECTION_ID, actor: 'ops-1' };
    await expect(localInboundReplayer.replay(request)).resolves.toEqual({ ok: true, result });
    expect(seen).toEqual([request]);
    expect(seen[0]).not.toBe(request);
  });

  it('a handler that throws is a function error; one that answers something else is an unexpected reply', async () => {
    localInboundReplayer.install(async () => Promise.reject(new Error('table unreachable')));
    await expect(localInboundReplayer.replay({ kind: 'replay', rejectionId: REJECTION_ID, actor: 'ops-1' })).rejects.toThrow(/failed the replay \(Unhandled\): table unreachable/);
    localInboundReplayer.install(async () => ({ outcome: 'ignored', reason: 'not_object_created' }));
    await expect(localInboundReplayer.replay({ kind: 'replay', rejectionId: REJECTION_ID, actor: 'ops-1' })).rejects.toThrow(/unexpected reply/);
  });
});
