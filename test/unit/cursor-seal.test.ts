// The cursor seal on its own: AES-256-GCM with the binding (route, caller, filters) as authenticated data, so only the
// exact token this service issued, to that caller for that query, opens.
import { randomBytes } from 'node:crypto';
import { cursorKeyFrom, openCursor, sealCursor, type CursorBinding } from '#http/cursor-seal';
import { pageFilters } from '#http/paged-handler';

const key = cursorKeyFrom(Buffer.alloc(32, 7));
const BINDING: CursorBinding = { route: 'listNotes', subject: 'sam', filters: { 'path.id': '01JCASE0000000000000000001' } };
const POSITION = 'NOTE#01JNOTE0000000000000000001';

describe('sealed cursors', () => {
  it('open to the position they sealed, with the same binding (filters in any order)', () => {
    const token = sealCursor(key, POSITION, BINDING);
    expect(openCursor(key, token, { ...BINDING, filters: { ...BINDING.filters } })).toBe(POSITION);
    const two = { route: 'listComplaints', subject: 'sam', filters: { 'query.owner': 'me', 'query.status': 'open' } };
    expect(openCursor(key, sealCursor(key, 'x', two), { ...two, filters: { 'query.status': 'open', 'query.owner': 'me' } })).toBe('x');
  });

  it('say nothing about the position: no key names, a fresh nonce each time', () => {
    const a = sealCursor(key, POSITION, BINDING);
    const b = sealCursor(key, POSITION, BINDING);
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64url').toString('latin1')).not.toContain('NOTE#');
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('do not open when any byte changed, or cut short', () => {
    const token = sealCursor(key, POSITION, BINDING);
    const raw = Buffer.from(token, 'base64url');
    for (let i = 0; i < raw.length; i++) {
      const bad = Buffer.from(raw);
      bad[i] = bad[i]! ^ 0x01;
      expect(openCursor(key, bad.toString('base64url'), BINDING)).toBeUndefined();
    }
    expect(openCursor(key, raw.subarray(0, raw.length - 1).toString('base64url'), BINDING)).toBeUndefined();
    expect(openCursor(key, raw.subarray(0, 20).toString('base64url'), BINDING)).toBeUndefined();
    expect(openCursor(key, '', BINDING)).toBeUndefined();
    expect(openCursor(key, `${token}=`, BINDING)).toBeUndefined();
  });

  it('do not open for another caller, route or query, or under another key', () => {
    const token = sealCursor(key, POSITION, BINDING);
    expect(openCursor(key, token, { ...BINDING, subject: 'sue' })).toBeUndefined();
    expect(openCursor(key, token, { ...BINDING, route: 'listTasks' })).toBeUndefined();
    expect(openCursor(key, token, { ...BINDING, filters: { 'path.id': '01JCASE0000000000000000002' } })).toBeUndefined();
    expect(openCursor(key, token, { ...BINDING, filters: { ...BINDING.filters, 'query.status': 'open' } })).toBeUndefined();
    expect(openCursor(cursorKeyFrom(randomBytes(32)), token, BINDING)).toBeUndefined();
  });

  it('refuse key material shorter than 32 bytes, and derive a purpose-bound 32-byte key', () => {
    expect(() => cursorKeyFrom(Buffer.alloc(16))).toThrow('at least 32 bytes');
    const material = Buffer.alloc(64, 1);
    expect(cursorKeyFrom(material)).toHaveLength(32);
    expect(cursorKeyFrom(material).equals(material.subarray(0, 32))).toBe(false);
  });

  it('bind path parameters and every query parameter but cursor and limit', () => {
    expect(pageFilters({ id: 'c1' }, { limit: 1, cursor: 'x', status: 'open', owner: undefined })).toEqual({ 'path.id': 'c1', 'query.status': 'open' });
    // A path parameter and a query parameter of the same name are different filters.
    expect(pageFilters({ id: 'a' }, { id: 'a' })).toEqual({ 'path.id': 'a', 'query.id': 'a' });
    expect(pageFilters(undefined, undefined)).toEqual({});
  });
});
