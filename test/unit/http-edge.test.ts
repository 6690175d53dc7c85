// Pure parsing at the HTTP edge: JWT claims, If-Match, durations, references, and the problem+json mapping.
import { flattenArrayClaim, parseGroups, principalFromClaims } from '#http/claims';
import { etagOf, parseIfMatch } from '#http/middleware/validate';
import { parseDuration } from '#adapters/local/local-clock';
import { formatReference } from '#domain/reference';
import { problemResponse, toProblem } from '#http/problem';
import { badRequest, HttpError, payloadTooLarge, unauthorized, unsupportedMediaType } from '#http/errors';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, StaleVersionError, type DomainError } from '#domain/errors';

describe('parseGroups (every form an array claim arrives in)', () => {
  it.each([
    ['API Gateway flattened, space-separated', '[handler supervisor]', ['handler', 'supervisor']],
    ['API Gateway flattened, comma-separated', '[handler,supervisor]', ['handler', 'supervisor']],
    ['JSON array string', '["handler","supervisor"]', ['handler', 'supervisor']],
    ['JSON array string with spaces', ' [ "handler" , "supervisor" ] ', ['handler', 'supervisor']],
    ['plain comma list', 'handler,supervisor', ['handler', 'supervisor']],
    ['single group', 'handler', ['handler']],
    ['empty flattened array', '[]', []],
    ['empty string', '', []],
  ])('%s', (_label, raw, expected) => {
    expect(parseGroups(raw)).toEqual(expected);
  });

  it('real arrays and non-strings', () => {
    expect(parseGroups(['handler', 'legal'])).toEqual(['handler', 'legal']);
    expect(parseGroups(undefined)).toEqual([]);
    expect(parseGroups(42)).toEqual([]);
    expect(parseGroups(true)).toEqual([]);
  });

  it('round-trips the string form the local server builds', () => {
    expect(flattenArrayClaim(['handler', 'supervisor'])).toBe('[handler supervisor]');
    expect(parseGroups(flattenArrayClaim(['handler', 'supervisor']))).toEqual(['handler', 'supervisor']);
  });
});

describe('principalFromClaims', () => {
  it('keeps known roles only, once each, and reads space-separated scopes', () => {
    expect(principalFromClaims({ sub: 'alice', 'cognito:groups': '[handler root handler Admin supervisor]', scope: 'complaints/intake  openid' })).toEqual({
      sub: 'alice',
      roles: ['handler', 'supervisor'],
      scopes: ['complaints/intake', 'openid'],
    });
  });

  it('a machine client has scopes and no groups', () => {
    expect(principalFromClaims({ sub: 'client-1', scope: 'complaints/intake' })).toEqual({ sub: 'client-1', roles: [], scopes: ['complaints/intake'] });
  });

  it('no sub, no principal', () => {
    expect(principalFromClaims(undefined)).toBeUndefined();
    expect(principalFromClaims({})).toBeUndefined();
    expect(principalFromClaims({ sub: '' })).toBeUndefined();
    expect(principalFromClaims({ sub: 7 })).toBeUndefined();
  });

  it('a non-string scope is ignored', () => {
    expect(principalFromClaims({ sub: 'a', scope: ['x'] })?.scopes).toEqual([]);
  });
});

describe('parseIfMatch', () => {
  it.each([
    ['"3"', 3],
    ['3', 3],
    ['W/"12"', 12],
    ['  "7"  ', 7],
    ['*', undefined],
    [undefined, undefined],
    ['', 'invalid'],
    ['"abc"', 'invalid'],
    ['"-1"', 'invalid'],
    ['"1.5"', 'invalid'],
    ['"1", "2"', 'invalid'],
    ['"1234567890123456"', 'invalid'],
  ])('%p → %p', (raw, expected) => {
    expect(parseIfMatch(raw)).toBe(expected);
  });

  it('accepts the ETag it issues', () => {
    expect(parseIfMatch(etagOf(42))).toBe(42);
  });
});

describe('parseDuration (ISO-8601, no months or years)', () => {
  const S = 1000;
  const H = 3600 * S;
  it.each([
    ['P10D', 10 * 24 * H],
    ['PT25H', 25 * H],
    ['P1W', 7 * 24 * H],
    ['P1DT2H30M', 26.5 * H],
    ['PT90M', 90 * 60 * S],
    ['PT1.5S', 1500],
    ['P0D', 0],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['P', 'PT', 'P1DT', 'P1M', 'P1Y', '10D', 'p1d', 'P-1D', '', 'PT1H2D'])('refuses %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatReference', () => {
  it('pads to six digits and grows beyond', () => {
    expect(formatReference(2026, 42)).toBe('CMP-2026-000042');
    expect(formatReference(2026, 1)).toBe('CMP-2026-000001');
    // Past 999,999 a reference widens to X + nine digits, so it sorts after every six-digit one and in number order (#29).
    expect(formatReference(2027, 1_234_567)).toBe('CMP-2027-X001234567');
    expect([formatReference(2027, 999_999), formatReference(2027, 1_000_000)].sort()).toEqual(['CMP-2027-999999', 'CMP-2027-X001000000']);
  });
});

describe('toProblem', () => {
  const cases: [DomainError, number, string][] = [
    [new InvalidInputError('bad', [{ field: 'receivedAt', message: 'future' }]), 400, 'invalid-input'],
    [new ForbiddenError('no'), 403, 'forbidden'],
    [new NotFoundError('gone'), 404, 'not-found'],
    [new ConflictError('dup'), 409, 'conflict'],
    [new StaleVersionError('stale'), 412, 'stale-version'],
  ];

  it.each(cases)('%p → %i', (err, status, slug) => {
    const { problem, headers, internal } = toProblem(err);
    expect(problem).toMatchObject({ status, type: `https://complaints.example/problems/${slug}`, detail: err.message });
    expect(headers).toEqual({});
    expect(internal).toBe(false);
  });

  it('carries field errors of invalid input', () => {
    expect(toProblem(new InvalidInputError('bad', [{ field: 'receivedAt', message: 'future' }])).problem.errors).toEqual([{ field: 'receivedAt', message: 'future' }]);
    expect(toProblem(new InvalidInputError('bad')).problem).not.toHaveProperty('errors');
  });

  it('adds conflict details as extension members but never lets them replace the core members', () => {
    // Typed callers cannot name a core member; the mapping still refuses one from an untyped caller.
    const hostile: Record<string, unknown> = { existingId: 'C1', status: 200, type: 'about:blank', title: 'OK', detail: 'fine', instance: 'x', errors: [] };
    const err = new ConflictError('duplicate', hostile);
    const { problem } = toProblem(err);
    expect(problem).toEqual({ type: 'https://complaints.example/problems/conflict', title: 'Conflict', status: 409, detail: 'duplicate', existingId: 'C1' });
  });

  it('maps HTTP edge errors with their headers', () => {
    expect(toProblem(unauthorized())).toMatchObject({ problem: { status: 401, type: 'https://complaints.example/problems/unauthorized' }, headers: { 'www-authenticate': 'Bearer' }, internal: false });
    expect(toProblem(payloadTooLarge(1024)).problem).toMatchObject({ status: 413, type: 'https://complaints.example/problems/payload-too-large' });
    expect(toProblem(unsupportedMediaType('text/plain')).problem).toMatchObject({ status: 415, detail: expect.stringContaining('text/plain') });
    expect(toProblem(badRequest('bad', [{ field: 'body.x', message: 'required' }])).problem.errors).toEqual([{ field: 'body.x', message: 'required' }]);
    expect(toProblem(new HttpError(418, 'Teapot', 'short and stout')).problem.type).toBe('https://complaints.example/problems/error');
  });

  it('renders as application/problem+json with the status and extra headers', () => {
    const { problem, headers } = toProblem(unauthorized());
    const res = problemResponse(problem, headers);
    expect(res.statusCode).toBe(401);
    expect(res.headers).toEqual({ 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer' });
    expect(JSON.parse(res.body as string)).toEqual(problem);
  });

  it('maps idempotency conflicts to 409 and throttling to 429 with Retry-After', () => {
    const named = (name: string) => Object.assign(new Error('internal detail'), { name });
    expect(toProblem(named('IdempotencyValidationError')).problem).toMatchObject({ status: 409, detail: expect.stringContaining('different request body') });
    expect(toProblem(named('IdempotencyAlreadyInProgressError')).problem).toMatchObject({ status: 409, detail: expect.stringContaining('in progress') });
    expect(toProblem(named('ThrottlingException'))).toMatchObject({ problem: { status: 429 }, headers: { 'retry-after': '1' }, internal: false });
  });

  it('maps a function that ran out of time (middy answers early) to 503 with Retry-After, logged as ours; any other TimeoutError stays 500', () => {
    const outOfTime = Object.assign(new Error('[AbortError]: The operation was aborted.'), { name: 'TimeoutError', cause: { package: '@middy/core' } });
    expect(toProblem(outOfTime)).toMatchObject({ problem: { status: 503, title: 'Service Unavailable', type: expect.stringMatching(/unavailable$/) }, headers: { 'retry-after': '1' }, internal: true });
    expect(toProblem(Object.assign(new Error('socket'), { name: 'TimeoutError' })).problem.status).toBe(500);
  });

  it('maps write contention that outlasted the retries to 429, and a cancelled transaction with any other reason to 500', () => {
    const cancelled = (...codes: string[]) => Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });
    expect(toProblem(cancelled('None', 'TransactionConflict', 'None'))).toMatchObject({ problem: { status: 429 }, headers: { 'retry-after': '1' }, internal: false });
    expect(toProblem(Object.assign(new Error('conflict'), { name: 'TransactionConflictException' })).problem.status).toBe(429);
    expect(toProblem(cancelled('TransactionConflict', 'ValidationError')).internal).toBe(true);
    expect(toProblem(cancelled('None', 'None')).internal).toBe(true);
    expect(toProblem(cancelled()).internal).toBe(true);
  });

  it.each([
    ['a plain Error', new Error('connect ECONNREFUSED 10.0.0.7:8000 table=prod-cases secret=hunter2')],
    ['an AWS SDK error', Object.assign(new Error('One or more parameter values were invalid: table prod-cases secret=hunter2'), { name: 'ValidationException' })],
    ['a thrown string', 'table prod-cases secret=hunter2'],
    ['undefined', undefined],
  ])('%s → 500 with a generic detail that leaks nothing', (_label, err) => {
    const { problem, internal } = toProblem(err);
    expect(internal).toBe(true);
    expect(problem).toEqual({ type: 'https://complaints.example/problems/error', title: 'Internal Server Error', status: 500, detail: 'an unexpected error occurred; it has been logged' });
    const text = JSON.stringify(problem);
    for (const secret of ['hunter2', 'prod-cases', '10.0.0.7', 'ValidationException', '    at ']) expect(text).not.toContain(secret);
  });
});
