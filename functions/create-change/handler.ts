// POST /v1/changes (machine scope complaints/intake, or admin): record a deployment/configuration/pricing change.
import { defineHandler } from '#http/handler';
import { locationOf } from '#http/routes';
import { signalService } from '#http/signals-container';

export const handler = defineHandler('createChange', async ({ principal, body }) => {
  const { change } = await signalService().recordChange(principal.sub, body);
  return { body: change, headers: { location: locationOf('createChange', { id: change.id }) } };
});
