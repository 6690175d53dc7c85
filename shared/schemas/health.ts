// Liveness response, and the shape of the OpenAPI document route's answer.
import * as z from 'zod';

export const Health = /* @__PURE__ */ z.object({ status: /* @__PURE__ */ z.literal('ok'), service: /* @__PURE__ */ z.string(), version: /* @__PURE__ */ z.string(), time: /* @__PURE__ */ z.string() }).meta({ id: 'Health' });

/** The OpenAPI document (a JSON object; its own schema is OpenAPI 3.1's). */
export const OpenApiDocument = /* @__PURE__ */ z.record(/* @__PURE__ */ z.string(), /* @__PURE__ */ z.unknown());
