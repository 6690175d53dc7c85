// GET /v1/intake/rejections?day=YYYY-MM-DD: the inbound emails refused that day (a Query on the day's partition), a page at a time.
import { inboundLog } from '#http/inbound-log-container';
import { definePagedHandler } from '#http/paged-handler';
import { route } from '#http/route-modules/inboundRejections';

export const handler = definePagedHandler(route, async ({ query }) => {
  const page = await inboundLog().rejections(query.day, query.limit, query.cursor);
  return { body: { items: page.items, ...(page.next !== undefined ? { nextCursor: page.next } : {}) } };
});
