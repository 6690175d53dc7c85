// GET /v1/complaints/{id}/notes: the case's evidence-log text entries.
import { complaintService } from '#http/container';
import { defineHandler } from '#http/handler';

export const handler = defineHandler('listNotes', async ({ principal, params }) => ({ body: { items: await complaintService().notes(principal, params.id) } }));
