// The classification vocabulary (channels, categories, severities): one definition shared by the case and its triage.
import * as z from 'zod';

export const CHANNELS = ['web', 'email', 'phone', 'chat', 'letter', 'social', 'in_app', 'helpdesk'] as const;
export const Channel = /* @__PURE__ */ z.enum(CHANNELS);
export const CATEGORIES = ['product_issue', 'service_delay', 'billing', 'policy', 'agent_interaction', 'other'] as const;
export const Category = /* @__PURE__ */ z.enum(CATEGORIES);
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const Severity = /* @__PURE__ */ z.enum(SEVERITIES);

/** What a helpdesk escalation's source record was (ITIL): a complaint, an incident or a service request (#32). */
export const SOURCE_RECORD_TYPES = ['complaint', 'incident', 'service_request'] as const;
export const SourceRecordType = /* @__PURE__ */ z.enum(SOURCE_RECORD_TYPES);

/**
 * External incident/problem ids, validated by system: ServiceNow incident and problem numbers (INC/PRB and 7–12
 * digits, the platform's default numbering) and Jira issue keys (PROJECT-123). Cases carry them (incidentIds) and
 * problem records link to them.
 */
export const EXTERNAL_ID_FORMATS = [
  { system: 'servicenow', kind: 'incident', pattern: /^INC\d{7,12}$/ },
  { system: 'servicenow', kind: 'problem', pattern: /^PRB\d{7,12}$/ },
  { system: 'jira', kind: 'issue', pattern: /^[A-Z][A-Z0-9_]{1,9}-[1-9]\d{0,8}$/ },
] as const;

export const ExternalIdText = /* @__PURE__ */ z
  .string()
  .trim()
  .max(32)
  .refine((s) => EXTERNAL_ID_FORMATS.some((f) => f.pattern.test(s)), 'must be a ServiceNow INC…/PRB… number (7–12 digits) or a Jira key such as OPS-123')
  .meta({ description: 'ServiceNow incident or problem number (INC0012345, PRB0040001) or a Jira issue key (OPS-123)', example: 'INC0012345' });
