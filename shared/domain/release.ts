// Release for legal discovery (issue 32 item 6): a request to release a case's details outside the organisation is
// its own approval — one legal and one compliance approver, two different people, neither the requester nor the case
// owner. Only when both approve is the bundle built for the named recipient, with the approvals in its manifest.
import type { Case } from '#schemas/complaint';
import type { ExportJob } from '#schemas/export';
import { RELEASE_APPROVER_ROLES, type ManifestRelease, type Release, type ReleaseDecisionBody, type RequestReleaseBody } from '#schemas/release';
import { ConflictError, ForbiddenError, NotFoundError } from './errors';
import { hasRole, type Principal } from './principal';
import type { Change } from './lifecycle';

/** Open requests per case: a bound on the case item (each decided one stays on record). */
export const MAX_OPEN_RELEASES = 5;

export const requestRelease = (p: Principal, c: Case, body: RequestReleaseBody, ids: { releaseId: string }, now: string): Change<Release> => {
  const releases = c.releases ?? [];
  if (releases.filter((r) => r.status === 'pending').length >= MAX_OPEN_RELEASES) throw new ConflictError(`${MAX_OPEN_RELEASES} release requests are already awaiting approval on this case`);
  const release: Release = { id: ids.releaseId, ...body, requestedBy: p.sub, requestedAt: now, status: 'pending', approvals: [] };
  return {
    case: { ...c, releases: [...releases, release] },
    result: release,
    drafts: [{ actor: p.sub, action: 'release.requested', data: { releaseId: release.id, basis: body.basis, recipient: body.recipient, reference: body.reference, reason: body.reason } }],
  };
};

export const findRelease = (c: Case, releaseId: string): Release => {
  const r = (c.releases ?? []).find((x) => x.id === releaseId);
  if (!r) throw new NotFoundError(`release ${releaseId} not found`);
  return r;
};

/**
 * One approver's decision. The role decided is the approver's (legal or compliance) whose stage is still open; a
 * person holding both decides one of them only. Returns the release and, once both approved, the manifest record the
 * export is built with.
 */
export const decideRelease = (p: Principal, c: Case, releaseId: string, body: ReleaseDecisionBody, now: string): Change<{ release: Release; approved?: ManifestRelease }> => {
  const r = findRelease(c, releaseId);
  if (r.status !== 'pending') throw new ConflictError(`the release is already ${r.status}`, { releaseStatus: r.status });
  if (r.requestedBy === p.sub) throw new ForbiddenError('the requester of a release may not approve it');
  if (c.ownerId === p.sub) throw new ForbiddenError('the case owner may not approve the release of their own case');
  if (r.approvals.some((a) => a.by === p.sub)) throw new ForbiddenError('each approval of a release is made by a different person');
  const role = RELEASE_APPROVER_ROLES.find((x) => hasRole(p, x) && !r.approvals.some((a) => a.role === x));
  if (!role) throw new ForbiddenError('a release needs one legal and one compliance approval; yours is not an open one');
  const approvals = [...r.approvals, { role, by: p.sub, at: now, decision: body.decision, comment: body.comment }];
  const status: Release['status'] = body.decision === 'reject' ? 'rejected' : approvals.length === RELEASE_APPROVER_ROLES.length ? 'approved' : 'pending';
  const next: Release = { ...r, approvals, status };
  const approved: ManifestRelease | undefined =
    status === 'approved' ? { id: r.id, basis: r.basis, recipient: r.recipient, reference: r.reference, requestedBy: r.requestedBy, requestedAt: r.requestedAt, approvals } : undefined;
  return {
    case: { ...c, releases: (c.releases ?? []).map((x) => (x.id === r.id ? next : x)) },
    result: { release: next, ...(approved ? { approved } : {}) },
    drafts: [{ actor: p.sub, action: body.decision === 'approve' ? 'release.approved' : 'release.rejected', data: { releaseId: r.id, role, comment: body.comment, status } }],
  };
};

/** Ties the approved release to the export job built for it (same transaction as the export request). */
export const releasedAs = (c: Case, releaseId: string, job: ExportJob): Case => ({
  ...c,
  releases: (c.releases ?? []).map((x) => (x.id === releaseId ? { ...x, exportId: job.exportId } : x)),
});
