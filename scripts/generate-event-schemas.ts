// Writes docs/events/<Type>.v<N>.schema.json from the zod detail schemas (#schemas/events): run `npm run events:schemas`
// after changing a schema; test/unit/event-schemas.test.ts fails while the committed files are stale.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PUBLISHED_EVENT_TYPES, eventJsonSchema, eventSchemaFile } from '#schemas/events';
import { OPERATIONAL_EVENT_DETAIL, operationalJsonSchema, operationalSchemaFile, type OperationalEventName } from '#schemas/operational-events';

export const EVENTS_DOC_DIR = path.resolve(__dirname, '..', 'docs', 'events');

/** Every generated file and its exact content (two-space JSON, trailing newline). */
export const eventSchemaFiles = (): Map<string, string> =>
  new Map([
    ...PUBLISHED_EVENT_TYPES.map((type): [string, string] => [eventSchemaFile(type), `${JSON.stringify(eventJsonSchema(type), null, 2)}\n`]),
    // Events about the body of complaints (problem management): on the bus, not delivered to case webhooks.
    ...(Object.keys(OPERATIONAL_EVENT_DETAIL) as OperationalEventName[]).map((type): [string, string] => [operationalSchemaFile(type), `${JSON.stringify(operationalJsonSchema(type), null, 2)}\n`]),
  ]);

if (require.main === module) {
  mkdirSync(EVENTS_DOC_DIR, { recursive: true });
  const files = eventSchemaFiles();
  // A schema version no longer generated is removed, so the directory holds exactly what the code publishes.
  for (const old of readdirSync(EVENTS_DOC_DIR)) if (old.endsWith('.schema.json') && !files.has(old)) rmSync(path.join(EVENTS_DOC_DIR, old));
  for (const [name, text] of files) writeFileSync(path.join(EVENTS_DOC_DIR, name), text);
  console.log(`wrote ${files.size} event schemas to ${path.relative(process.cwd(), EVENTS_DOC_DIR)}`);
}
