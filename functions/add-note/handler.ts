// POST /v1/complaints/{id}/notes: an evidence-log text entry (call note, statement, policy reference, finding).
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';
import { locationIn } from '#http/route-helpers';
import { route } from '#http/route-modules/addNote';

export const handler = defineHandler(route, async ({ principal, params, body, ifMatch }) => {
  const { case: c, note } = await complaintService().addNote(principal, params.id, body, ifMatch);
  return { body: note, version: c.version, headers: { location: locationIn(route, { id: c.id, noteId: note.id }) } };
});
