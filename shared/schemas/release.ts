// Release for legal discovery (issue 32 item 6): releasing a case outside the organisation is its own approval.
import * as z from 'zod';
import { IsoTimestamp, Text, Ulid } from './common';

export const RELEASE_BASES = ['legal_discovery', 'regulator_request'] as const;
/** Both must approve, each by someone who neither asked for the release nor owns the case. */
export const RELEASE_APPROVER_ROLES = ['legal', 'compliance'] as const;

export const Recipient = /* @__PURE__ */ z
  .object({
    name: /* @__PURE__ */ Text(200),
    organisation: /* @__PURE__ */ Text(200),
    email: /* @__PURE__ */ z.email().max(254),
  })
  .strict()
  .meta({ id: 'ReleaseRecipient', description: 'The named recipient outside the organisation' });

export const RequestReleaseBody = /* @__PURE__ */ z
  .object({
    basis: /* @__PURE__ */ z.enum(RELEASE_BASES),
    recipient: Recipient,
    reference: /* @__PURE__ */ Text(200).meta({ description: 'The recipient’s matter, order or request reference' }),
    reason: /* @__PURE__ */ Text(4000),
  })
  .strict()
  .meta({ id: 'RequestRelease' });
export type RequestReleaseBody = z.infer<typeof RequestReleaseBody>;

export const ReleaseDecisionBody = /* @__PURE__ */ z
  .object({ decision: /* @__PURE__ */ z.enum(['approve', 'reject']), comment: /* @__PURE__ */ Text(4000) })
  .strict()
  .meta({ id: 'ReleaseDecision' });
export type ReleaseDecisionBody = z.infer<typeof ReleaseDecisionBody>;

export const ReleaseApproval = /* @__PURE__ */ z.object({
  role: /* @__PURE__ */ z.enum(RELEASE_APPROVER_ROLES),
  by: /* @__PURE__ */ z.string(),
  at: IsoTimestamp,
  decision: /* @__PURE__ */ z.enum(['approve', 'reject']),
  comment: /* @__PURE__ */ z.string(),
});

export const Release = /* @__PURE__ */ z
  .object({
    id: Ulid,
    basis: /* @__PURE__ */ z.enum(RELEASE_BASES),
    recipient: Recipient,
    reference: /* @__PURE__ */ z.string(),
    reason: /* @__PURE__ */ z.string(),
    requestedBy: /* @__PURE__ */ z.string(),
    requestedAt: IsoTimestamp,
    status: /* @__PURE__ */ z.enum(['pending', 'approved', 'rejected']),
    approvals: /* @__PURE__ */ z.array(ReleaseApproval),
    exportId: /* @__PURE__ */ Ulid.optional().meta({ description: 'The bundle built for the recipient once both approvals are in (GET /v1/exports/{exportId}); its manifest carries this release' }),
  })
  .meta({ id: 'Release' });
export type Release = z.infer<typeof Release>;

export const ReleaseParams = /* @__PURE__ */ z.object({ id: Ulid, releaseId: Ulid }).strict();

/** What an export bundle's manifest says about the release it was built for. */
export const ManifestRelease = /* @__PURE__ */ Release.pick({ id: true, basis: true, recipient: true, reference: true, requestedBy: true, requestedAt: true, approvals: true }).meta({ id: 'ManifestRelease' });
export type ManifestRelease = z.infer<typeof ManifestRelease>;
