// The external-reference systems only signed channel intake may write. Apart from helpdesk.ts (the providers' payload
// schemas), so the case service checks a reference without constructing them (issue 28).
import { HELPDESK_PROVIDERS } from '#schemas/constants';

/** The external-reference system of email intake (a message's Message-ID); reserved like the helpdesk systems. */
export const EMAIL_REF_SYSTEM = 'email';

/**
 * External-reference systems only signed channel intake may write: each helpdesk provider's own (zendesk, jira,
 * servicenow, generic.<name>) and email's (email, email.unverified). A case created elsewhere with one of them would squat the ticket id, and
 * the genuine signed escalation would then be answered with the squatter's case. Compared case-insensitively, so
 * that a look-alike ("Zendesk") cannot sit next to the real one in the staff's view either.
 */
export const isReservedExternalSystem = (system: string): boolean => {
  const s = system.trim().toLowerCase();
  return s === EMAIL_REF_SYSTEM || s.startsWith(`${EMAIL_REF_SYSTEM}.`) || s === 'generic' || s.startsWith('generic.') || HELPDESK_PROVIDERS.some((p) => p !== 'generic' && s === p);
};

export const RESERVED_SYSTEMS_TEXT = `${HELPDESK_PROVIDERS.filter((p) => p !== 'generic').join(', ')}, generic.<name>, ${EMAIL_REF_SYSTEM} and ${EMAIL_REF_SYSTEM}.<name>`;
