// Finding 9 of issue 25: the timeline must not report tampering that did not happen. It reads the case's head and
// then the events; a note committed in between used to make the chain look one event longer than the head recorded.
import { settle, startTestApi, validComplaint, type TestApi } from '../support/api';

let api: TestApi;
let supervisor: string;
let alice: string;

beforeAll(async () => {
  api = await startTestApi();
  supervisor = await api.token('sam', ['supervisor']);
  alice = await api.token('alice', ['handler']);
});
afterAll(() => api.close());

describe('timeline under concurrent note writes', () => {
  it('never answers valid:false while notes are being written and the timeline is read at the same time', async () => {
    const created = await settle(api.client(supervisor).POST('/v1/complaints', { body: validComplaint({ ownerId: 'alice' }) }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const verdicts: { valid: boolean; problem?: string }[] = [];
    const writer = async (w: number) => {
      for (let i = 0; i < 10; i++) await settle(api.client(alice).POST('/v1/complaints/{id}/notes', { params: { path: { id } }, body: { kind: 'call_note', body: `writer ${w} note ${i}` } }));
    };
    const reader = async () => {
      for (let i = 0; i < 30; i++) {
        const res = await settle(api.client(supervisor).GET('/v1/complaints/{id}/timeline', { params: { path: { id } } }));
        expect(res.status).toBe(200);
        verdicts.push(res.body.chain);
      }
    };
    await Promise.all([writer(1), writer(2), reader(), reader(), reader(), reader()]);

    expect(verdicts).toHaveLength(120);
    expect(verdicts.filter((v) => !v.valid)).toEqual([]);
  });
});
