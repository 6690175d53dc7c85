// POST /v1/intake/rejections/{id}/replay (admin): the stored raw message of a recorded rejection goes through the email
// intake again; idempotent (one case however often it is replayed; the rejection records the replay and its case).
// The inbound-email function replays it (invoked synchronously): MIME parsing, the raw-mail bucket and the triage model
// stay in that one function, and this route bundles none of them (issue 28).
import { defineHandler } from '#http/handler';
import { replayRejection } from '#http/inbound-replayer';
import { route } from '#http/route-modules/replayInboundRejection';

export const handler = defineHandler(route, async ({ principal, params }) => {
  const out = await replayRejection(params.id, principal.sub);
  return { body: out, headers: { location: `/v1/complaints/${out.caseId}` } };
});
