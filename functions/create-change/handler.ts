// POST /v1/changes (machine scope complaints/intake, or admin): record a deployment/configuration/pricing change.
import { defineHandler } from '#http/handler';
import { locationIn } from '#http/route-helpers';
import { signalService } from '#http/signals-container';
import { route } from '#http/route-modules/createChange';

export const handler = defineHandler(route, async ({ principal, body }) => {
  const { change } = await signalService().recordChange(principal.sub, body);
  return { body: change, headers: { location: locationIn(route, { id: change.id }) } };
});
