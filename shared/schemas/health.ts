// Liveness response, and the shape of the OpenAPI document route's answer.
import * as z from 'zod';

export const Health = /* @__PURE__ */ z.object({ status: z.literal('ok'), service: z.string(), version: z.string(), time: z.string() }).meta({ id: 'Health' });

/** The OpenAPI document (a JSON object; its own schema is OpenAPI 3.1's). */
export const OpenApiDocument = /* @__PURE__ */ z.record(z.string(), z.unknown());
