// Published events about the body of complaints rather than one case (problem management): their versioned detail
// schemas, generated into docs/events/ beside the case events (scripts/generate-event-schemas.ts).
import * as z from 'zod';
import { IsoTimestamp } from './common';

export const OPERATIONAL_EVENT_SCHEMA_VERSION = 1;

export const ComplaintSpikeDetectedV1 = /* @__PURE__ */ z
  .object({
    schemaVersion: /* @__PURE__ */ z.literal(OPERATIONAL_EVENT_SCHEMA_VERSION).meta({ description: 'Version of this detail schema' }),
    eventId: /* @__PURE__ */ z.string().meta({ description: 'Stable for one spike (`spike:<day>:<dimension>:<value>`): de-duplicate on it' }),
    occurredAt: /* @__PURE__ */ IsoTimestamp.meta({ description: 'When the detection ran' }),
    day: /* @__PURE__ */ z.iso.date().meta({ description: 'The day (organisation time zone) whose volume is a spike' }),
    dimension: /* @__PURE__ */ z.enum(['product', 'category']),
    value: /* @__PURE__ */ z.string().meta({ description: 'The product group or category' }),
    complaints: /* @__PURE__ */ z.number().int().min(0),
    baselineMean: /* @__PURE__ */ z.number().meta({ description: 'Mean of the same weekday over the baseline weeks' }),
    baselineSd: /* @__PURE__ */ z.number(),
    pValue: /* @__PURE__ */ z.number().meta({ description: 'P(X ≥ complaints) for X ~ Poisson(baselineMean)' }),
    z: /* @__PURE__ */ z.number(),
    changesBefore: /* @__PURE__ */ z.array(/* @__PURE__ */ z.object({ id: /* @__PURE__ */ z.string(), title: /* @__PURE__ */ z.string(), kind: /* @__PURE__ */ z.string(), at: IsoTimestamp, source: /* @__PURE__ */ z.string() }).strict()).meta({ description: 'Changes recorded in the 72 hours before the end of the day' }),
  })
  .strict()
  .meta({ id: `ComplaintSpikeDetectedV${OPERATIONAL_EVENT_SCHEMA_VERSION}`, title: `ComplaintSpikeDetected v${OPERATIONAL_EVENT_SCHEMA_VERSION}`, description: 'Daily complaint volume of a product or category is significantly above its own weekday baseline.' });
export type ComplaintSpikeDetectedV1 = z.infer<typeof ComplaintSpikeDetectedV1>;

export const OPERATIONAL_EVENT_DETAIL = { ComplaintSpikeDetected: ComplaintSpikeDetectedV1 } as const;
export type OperationalEventName = keyof typeof OPERATIONAL_EVENT_DETAIL;

export const operationalSchemaFile = (type: OperationalEventName): string => `${type}.v${OPERATIONAL_EVENT_SCHEMA_VERSION}.schema.json`;

export const operationalJsonSchema = (type: OperationalEventName): Record<string, unknown> => {
  const schema = z.toJSONSchema(OPERATIONAL_EVENT_DETAIL[type], { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return { $schema, $id: `https://complaints.example/events/${operationalSchemaFile(type)}`, 'x-detail-type': type, ...rest };
};
