// GET /v1/customers/{customerId}/complaints: a person's cases for a data-subject request (compliance).
import { exportService } from '#http/export-container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('customerComplaints', async ({ principal, params, query }) => ({ body: await exportService().subjectAccess(principal, params.customerId, query) }));
