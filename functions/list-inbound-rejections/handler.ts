// GET /v1/intake/rejections?day=YYYY-MM-DD: the inbound emails refused that day (one Query on the day's partition).
import { inboundLog } from '#http/inbound-log-container';
import { defineCoreHandler } from '#http/handler-core';

export const handler = defineCoreHandler('inboundRejections', async ({ query }) => ({ body: { items: await inboundLog().rejections(query.day) } }));
