// The case item's stored form (shared/adapters/aws/dynamo/case-codec.ts): what it round-trips, what it reads, and the
// format-1 dictionary pinned (stored cases depend on it byte for byte: a change needs a new format number).
import { createHash } from 'node:crypto';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { CASE_ATTR, CASE_DICTIONARY_1, CASE_FORMAT, caseOfItem, decodeStoredCase, encodeCase, headHashBytes, headHashOf, itemWithCase, storedCaseAttributes, storedCaseForm } from '#adapters/aws/dynamo/case-codec';
import * as life from '#domain/lifecycle';
import { getRegime } from '#domain/regimes';
import type { Case } from '#schemas/complaint';

const NOW = '2026-06-01T00:00:00.000Z';
const opened = (description = 'Arrived late'): Case =>
  life.openCase(
    { customer: { id: 'cust-1', name: 'Ada', email: 'ada@example.com' }, channel: 'web', summary: 'Late delivery', description, product: 'delivery', category: 'service_delay', regime: 'UK_FCA_DISP', receivedAt: NOW },
    { id: '01JABCDEFGHJKMNPQRSTVWXYZ0', reference: 'CMP-2026-000001', ownerId: 'alice', assignmentRule: 'explicit', regime: getRegime('UK_FCA_DISP'), actor: 'web-form', now: NOW },
  ).case;

describe('the stored case', () => {
  it('round-trips a case, text in any script included, and starts with its format byte', () => {
    for (const c of [opened(), opened('Zustellung verspätet — 配達が遅れた 🚚 "quoted" \\ back\nslash')]) {
      const bytes = encodeCase(c);
      expect(bytes[0]).toBe(CASE_FORMAT.deflateDictionary1);
      expect(decodeStoredCase(bytes)).toEqual(c);
      expect(Buffer.byteLength(JSON.stringify(c)) / bytes.byteLength).toBeGreaterThan(2);
    }
  });

  it('reads the Binary as the document client returns it, as base64 (a Lambda stream event), and the old map form', () => {
    const c = opened();
    const item = { PK: 'CASE#x', SK: 'CASE', ...storedCaseAttributes(c) };
    // Through DynamoDB JSON both ways, as a stored item and as a stream image.
    const stored = unmarshall(marshall(item));
    expect(storedCaseForm(stored[CASE_ATTR])).toBe('binary');
    expect(caseOfItem(stored)).toEqual(c);
    const image = marshall(item) as Record<string, { B?: Uint8Array }>;
    const lambdaJson = JSON.parse(JSON.stringify({ ...image, [CASE_ATTR]: { B: Buffer.from(image[CASE_ATTR]!.B!).toString('base64') } })) as Parameters<typeof unmarshall>[0];
    expect(caseOfItem(unmarshall(lambdaJson))).toEqual(c);
    // The old form: the case as a map.
    const old = unmarshall(marshall({ PK: 'CASE#x', SK: 'CASE', [CASE_ATTR]: c }, { removeUndefinedValues: true }));
    expect(storedCaseForm(old[CASE_ATTR])).toBe('map');
    expect(caseOfItem(old)).toEqual(c);
  });

  it('writes the fields expressions need beside the case; itemWithCase keeps every other attribute', () => {
    const c = opened();
    expect(storedCaseAttributes(c)).toMatchObject({ status: c.status, category: c.category, regime: c.regime, ownerId: c.ownerId });
    const moved = itemWithCase({ PK: 'CASE#x', SK: 'CASE', version: 3, [CASE_ATTR]: c }, { ...c, ownerId: 'bob' });
    expect(moved).toMatchObject({ PK: 'CASE#x', SK: 'CASE', version: 3, ownerId: 'bob' });
    expect(caseOfItem(moved).ownerId).toBe('bob');
  });

  it('refuses what it cannot read rather than guessing', () => {
    const bytes = Buffer.from(encodeCase(opened()));
    bytes[0] = 99;
    expect(() => decodeStoredCase(bytes)).toThrow('unknown format 99');
    expect(() => caseOfItem({ PK: 'CASE#x' })).toThrow('no case');
    expect(storedCaseForm(undefined)).toBe('missing');
  });

  it('stores the audit head hash as 32 bytes of Binary and reads either form back as the same hex', () => {
    const hash = createHash('sha256').update('head').digest('hex');
    const stored = headHashBytes(hash);
    expect(stored).toBeInstanceOf(Uint8Array);
    expect((stored as Uint8Array).byteLength).toBe(32);
    // As the document client returns it, and as an item written before (hex text) holds it.
    expect(headHashOf(unmarshall(marshall({ h: stored })).h)).toBe(hash);
    expect(headHashOf(hash)).toBe(hash);
    expect(headHashOf(headHashBytes('0'.repeat(64)))).toBe('0'.repeat(64));
    // Anything that is not a hex SHA-256 is kept as given.
    expect(headHashBytes('not-a-hash')).toBe('not-a-hash');
  });

  it('format 1 keeps its dictionary byte for byte (a new dictionary is a new format number)', () => {
    expect(createHash('sha256').update(CASE_DICTIONARY_1, 'utf8').digest('hex')).toBe('ff762101a2dce73fd46b0419d5a41a70d32009c63dfb5258af0ea5d2a62be2c6');
  });
});
