// PUT /v1/staff/{id}/availability: out-of-office periods, capacity and skills for routing; flags cases due in an absence.
import { staffService } from '#http/container';
import { defineCoreHandler } from '#http/handler-core';
import { route } from '#http/route-modules/setAvailability';

export const handler = defineCoreHandler(route, async ({ principal, params, body, ifMatch }) => {
  const result = await staffService().setAvailability(principal, params.id, body, ifMatch);
  return { body: result, version: result.version };
});
