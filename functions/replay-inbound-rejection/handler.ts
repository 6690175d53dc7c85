// POST /v1/intake/rejections/{id}/replay (admin): the stored raw message of a recorded rejection goes through the email
// intake again; idempotent (one case however often it is replayed; the rejection records the replay and its case).
import { emailIntake } from '#http/email-container';
import { defineHandler } from '#http/handler';
import { route } from '#http/route-modules/replayInboundRejection';

export const handler = defineHandler(route, async ({ principal, params }) => {
  const out = await emailIntake().replayRejection(params.id, principal.sub);
  return { body: out, headers: { location: `/v1/complaints/${out.caseId}` } };
});
