// POST /v1/complaints/{id}/notes: an evidence-log text entry (call note, statement, policy reference, finding).
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';
import { locationOf } from '#http/routes';

export const handler = defineHandler('addNote', async ({ principal, params, body, ifMatch }) => {
  const { case: c, note } = await complaintService().addNote(principal, params.id, body, ifMatch);
  return { body: note, version: c.version, headers: { location: locationOf('addNote', { id: c.id, noteId: note.id }) } };
});
