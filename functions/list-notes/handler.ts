// GET /v1/complaints/{id}/notes: the case's evidence-log text entries.
import { complaintService } from '#http/container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('listNotes', async ({ principal, params }) => ({ body: { items: await complaintService().notes(principal, params.id) } }));
