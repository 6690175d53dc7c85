// Pure property tests of the zod input schemas (no I/O): parsing arbitrary input never throws, failures always
// carry field paths the 400 problem can name, and generated valid bodies are accepted.
import fc from 'fast-check';
import { z } from 'zod';
import * as children from '#schemas/children';
import * as common from '#schemas/common';
import * as complaint from '#schemas/complaint';
import * as health from '#schemas/health';
import * as regime from '#schemas/regime';
import * as evidence from '#schemas/evidence';
import * as reports from '#schemas/reports';
import * as returns from '#schemas/returns';
import * as timer from '#schemas/timer';
import * as resolution from '#schemas/resolution';
import * as escalation from '#schemas/escalation';
import * as workflowSteps from '#schemas/workflow-steps';
import * as exportSchemas from '#schemas/export';
import * as triage from '#schemas/triage';
import * as channels from '#schemas/channels';
import * as helpdeskSecrets from '#schemas/helpdesk-secrets';
import * as letters from '#schemas/letters';
import * as feedback from '#schemas/feedback';
import * as events from '#schemas/events';
import * as webhooks from '#schemas/webhooks';
import * as problems from '#schemas/problems';
import * as operationalEvents from '#schemas/operational-events';
import * as marking from '#schemas/marking';
import * as staff from '#schemas/staff';
import * as release from '#schemas/release';
import { routeList } from '#http/routes';
import { propertyRuns } from '../support/property';

const RUNS = { numRuns: propertyRuns(100) };

/** Every zod schema exported by shared/schemas, plus the schema factories applied once. */
const SCHEMAS: [string, z.ZodType][] = [
  ...Object.entries({ ...common, ...complaint, ...children, ...health, ...regime, ...evidence, ...reports, ...returns, ...timer, ...resolution, ...escalation, ...workflowSteps, ...exportSchemas, ...triage, ...channels, ...helpdeskSecrets, ...letters, ...feedback, ...events, ...webhooks, ...problems, ...operationalEvents, ...marking, ...staff, ...release }).flatMap(([name, v]): [string, z.ZodType][] => (v instanceof z.ZodType ? [[name, v]] : [])),
  ['Text(10)', common.Text(10)],
  ['pageOf(Case)', common.pageOf(complaint.Case, 'PropertyPage')],
];

/** Everything JavaScript can hand a parser: boxed values, null prototypes, sparse arrays, maps, dates, bigints… */
const hostile = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
  maxDepth: 4,
});

/** A value of a JSON type (or one JSON cannot carry) that is never a string. */
const notAString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.anything(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));

const expectIssuesNameFields = (r: { success: boolean; error?: z.ZodError }) => {
  if (r.success) return;
  expect(r.error!.issues.length).toBeGreaterThan(0);
  for (const i of r.error!.issues) {
    expect(Array.isArray(i.path)).toBe(true);
    expect(typeof i.message).toBe('string');
    // validate.ts joins the path into errors[].field
    expect(() => ['body', ...i.path.map(String)].join('.')).not.toThrow();
  }
};

describe('every input schema: safeParse never throws', () => {
  it('covers the schemas of every route', () => {
    const exported = new Set(SCHEMAS.map(([, s]) => s));
    for (const r of routeList()) for (const s of [r.params, r.query, r.body, r.signedBody]) if (s) expect(exported.has(s)).toBe(true);
    expect(SCHEMAS.length).toBeGreaterThan(20);
  });

  it.each(SCHEMAS)('%s', (_name, schema) => {
    fc.assert(
      fc.property(hostile, (input) => {
        const r = schema.safeParse(input);
        expectIssuesNameFields(r);
      }),
      RUNS,
    );
  });

  it('route query schemas accept any record of strings without throwing (what API Gateway hands over)', () => {
    const queries = routeList().flatMap((r) => (r.query ? [r.query] : []));
    fc.assert(
      fc.property(fc.constantFrom(...queries), fc.dictionary(fc.constantFrom('owner', 'status', 'dueBefore', 'risk', 'category', 'limit', 'cursor', 'x'), fc.string({ unit: 'binary', maxLength: 60 })), (schema, q) => {
        expectIssuesNameFields(schema.safeParse(q));
      }),
      RUNS,
    );
  });
});

// ---- valid-body arbitraries (exported shapes of API.md) ----

const text = (max: number, gen = Math.min(max, 200)) =>
  fc
    .tuple(fc.constantFrom('', ' ', '  \t'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: gen }), fc.constantFrom('', ' ', '\n'))
    .map(([a, s, b]) => `${a}${s}${b}`)
    .filter((s) => s.trim().length >= 1 && s.trim().length <= max);
const userId = fc.stringMatching(/^[\w.@:+-]{1,128}$/);
const isoTimestamp = fc
  .tuple(fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), fc.constantFrom('Z', '+00:00', '+05:30', '-08:00'))
  .map(([d, zone]) => d.toISOString().replace('Z', zone));
const money = fc.record({ amount: fc.stringMatching(/^(0|[1-9]\d{0,14})(\.\d{1,4})?$/), currency: fc.stringMatching(/^[A-Z]{3}$/) });
const email = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9_+-]{1,20}$/), fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/), { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/))
  .map(([local, labels, tld]) => `${local}@${labels.join('.')}.${tld}`);

const customer = fc.record(
  {
    id: text(128),
    name: text(200),
    email,
    phone: fc.stringMatching(/^\+?[0-9 ()-]{5,32}$/),
    vulnerable: fc.boolean(),
  },
  { requiredKeys: ['id', 'name'] },
);

const createComplaintBody = fc.record(
  {
    customer,
    channel: fc.constantFrom(...complaint.CHANNELS),
    summary: text(300),
    description: text(20000, 500),
    product: text(120),
    category: fc.constantFrom(...complaint.CATEGORIES),
    regime: fc.stringMatching(/^[A-Z][A-Z0-9_]{1,39}$/),
    receivedAt: isoTimestamp,
    allegedLoss: money,
    sensitivity: fc.constantFrom('standard', 'restricted'),
    severity: fc.constantFrom('low', 'medium', 'high', 'critical'),
    externalRef: fc.record({ system: fc.stringMatching(/^[\w.-]{1,64}$/), id: text(128) }),
    ownerId: userId,
  },
  { requiredKeys: ['customer', 'channel', 'summary', 'description', 'product', 'category', 'regime'] },
);

const VALID: [string, z.ZodType, fc.Arbitrary<unknown>][] = [
  ['CreateComplaintBody', complaint.CreateComplaintBody, createComplaintBody],
  [
    'ReclassifyBody',
    complaint.ReclassifyBody,
    fc
      .record(
        {
          category: fc.constantFrom(...complaint.CATEGORIES),
          severity: fc.constantFrom('low', 'medium', 'high', 'critical'),
          product: text(120),
          vulnerable: fc.boolean(),
          sensitivity: fc.constantFrom('standard', 'restricted'),
          legalExposure: fc.boolean(),
          reputationalRisk: fc.boolean(),
          reason: text(2000),
        },
        { requiredKeys: [] },
      )
      .filter((b) => Object.keys(b).some((k) => k !== 'reason')),
  ],
  ['ReassignBody', complaint.ReassignBody, fc.record({ ownerId: userId, reason: text(2000) })],
  ['AcknowledgeBody', complaint.AcknowledgeBody, fc.record({ channel: fc.constantFrom(...complaint.CHANNELS), text: text(20000, 300) }, { requiredKeys: [] })],
  ['CloseBody', complaint.CloseBody, fc.record({ followUpAction: text(4000), rootCause: fc.record({ category: text(64), description: text(4000) }) }, { requiredKeys: ['followUpAction'] })],
  ['ReopenBody', complaint.ReopenBody, fc.record({ reason: text(4000) })],
  [
    'CreateTaskBody',
    children.CreateTaskBody,
    fc.record({ title: text(300), team: fc.stringMatching(/^[\w.-][\w .-]{0,62}[\w.-]$/), assigneeId: userId, dueAt: isoTimestamp }, { requiredKeys: ['title', 'team'] }),
  ],
  [
    'PatchTaskBody',
    children.PatchTaskBody,
    fc
      .record({ status: fc.constantFrom(...children.TASK_STATUSES), findings: text(20000, 300), assigneeId: userId, blockedReason: text(2000) }, { requiredKeys: [] })
      .filter((b) => Object.keys(b).length > 0),
  ],
  ['CreateNoteBody', children.CreateNoteBody, fc.record({ kind: fc.constantFrom(...children.NOTE_KINDS), body: text(50000, 300) })],
];

/** What a zod parse of the body should give back: the same body with every string field trimmed. */
const trimmed = (v: unknown): unknown => {
  if (typeof v === 'string') return v.trim();
  if (Array.isArray(v)) return v.map(trimmed);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, trimmed(x)]));
  return v;
};
/** Parsing changes nothing but outer whitespace of free-text fields (regex- and enum-checked strings never carry any). */
const sameStrings = (input: unknown, output: unknown) => expect(JSON.stringify(trimmed(output))).toBe(JSON.stringify(trimmed(input)));

describe('generated valid bodies are accepted', () => {
  it.each(VALID)('%s', (_name, schema, arb) => {
    fc.assert(
      fc.property(arb, (body) => {
        const r = schema.safeParse(body);
        if (!r.success) throw new Error(`rejected ${JSON.stringify(body)}: ${JSON.stringify(r.error.issues)}`);
        sameStrings(body, r.data);
        // What comes through JSON (the wire) parses the same way.
        expect(schema.safeParse(JSON.parse(JSON.stringify(body))).success).toBe(true);
      }),
      RUNS,
    );
  });

  it('CreateComplaintBody rejects a valid body with one field replaced by a value of the wrong type', () => {
    const fields = Object.keys(complaint.CreateComplaintBody.shape);
    fc.assert(
      fc.property(createComplaintBody, fc.constantFrom(...fields), notAString, (body, field, wrong) => {
        // Every top-level field is a string or an object (incidentIds: a list of id strings), so none of these values
        // fits; only an optional field left undefined is still valid, and an empty list of incident ids.
        fc.pre(!(wrong === undefined && complaint.CreateComplaintBody.shape[field as keyof typeof complaint.CreateComplaintBody.shape].safeParse(undefined).success));
        fc.pre(!(field === 'incidentIds' && Array.isArray(wrong) && wrong.length === 0));
        const r = complaint.CreateComplaintBody.safeParse({ ...body, [field]: wrong });
        expect(r.success).toBe(false);
        expectIssuesNameFields(r);
        expect(r.error!.issues.some((i) => i.path[0] === field)).toBe(true);
      }),
      RUNS,
    );
  });

  it('CreateComplaintBody rejects unknown and prototype-pollution keys without polluting', () => {
    fc.assert(
      fc.property(createComplaintBody, fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'extra'), fc.jsonValue(), (body, key, value) => {
        const input = JSON.parse(`${JSON.stringify(body).slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value)}}`) as unknown;
        const r = complaint.CreateComplaintBody.safeParse(input);
        expect(r.success).toBe(false);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      RUNS,
    );
  });
});
