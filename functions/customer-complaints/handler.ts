// GET /v1/customers/{customerId}/complaints: a person's cases for a data-subject request (compliance).
import { exportService } from '#http/export-container';
import { definePagedHandler } from '#http/paged-handler';
import { route } from '#http/route-modules/customerComplaints';

export const handler = definePagedHandler(route, async ({ principal, params, query }) => ({ body: await exportService().subjectAccess(principal, params.customerId, query) }));
