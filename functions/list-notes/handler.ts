// GET /v1/complaints/{id}/notes: the case's evidence-log text entries, a page at a time.
import { complaintService } from '#http/container';
import { definePagedHandler } from '#http/paged-handler';
import { route } from '#http/route-modules/listNotes';

export const handler = definePagedHandler(route, async ({ principal, params, query }) => ({ body: await complaintService().notes(principal, params.id, query) }));
