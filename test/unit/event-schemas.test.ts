// The published event schemas: docs/events/ is exactly what the zod schemas generate (stale files fail), and the OpenAPI document carries each one.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EVENTS_DOC_DIR, eventSchemaFiles } from '../../scripts/generate-event-schemas';
import { buildOpenApi } from '#http/openapi';
import { PUBLISHED_EVENT_TYPES } from '#schemas/events';

describe('docs/events', () => {
  it('holds exactly the generated JSON Schemas, byte for byte (run `npm run events:schemas` after changing a schema)', () => {
    const expected = eventSchemaFiles();
    const committed = readdirSync(EVENTS_DOC_DIR).filter((f) => f.endsWith('.schema.json')).sort();
    expect(committed).toEqual([...expected.keys()].sort());
    for (const [name, text] of expected) expect({ name, text: readFileSync(path.join(EVENTS_DOC_DIR, name), 'utf8') }).toEqual({ name, text });
  });

  it('publishes the ten case event types the issue names and the spike event (#32), each at version 1', () => {
    expect([...eventSchemaFiles().keys()].sort()).toEqual(
      ['ApprovalDecided', 'ApprovalRequested', 'CheckpointReached', 'ComplaintClosed', 'ComplaintOpened', 'ComplaintReopened', 'ComplaintSpikeDetected', 'DeadlineBreached', 'Escalated', 'FinalResponseSent', 'OwnerChanged'].map((t) => `${t}.v1.schema.json`),
    );
  });

  it('every event is an OpenAPI webhook whose detail schema is in the components', () => {
    const doc = buildOpenApi();
    const schemas = (doc.components?.schemas ?? {}) as Record<string, { properties?: Record<string, unknown> }>;
    expect(Object.keys(doc.webhooks ?? {}).sort()).toEqual([...PUBLISHED_EVENT_TYPES].sort());
    for (const type of PUBLISHED_EVENT_TYPES) expect(schemas[`${type}V1`]?.properties).toHaveProperty('schemaVersion');
    expect(schemas.ComplaintClosedWebhook?.properties).toHaveProperty('detail');
  });
});
