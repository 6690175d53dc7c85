// The classification vocabulary (channels, categories, severities): one definition shared by the case and its triage.
import * as z from 'zod';

export const CHANNELS = ['web', 'email', 'phone', 'chat', 'letter', 'social', 'in_app', 'helpdesk'] as const;
export const Channel = z.enum(CHANNELS);
export const CATEGORIES = ['product_issue', 'service_delay', 'billing', 'policy', 'agent_interaction', 'other'] as const;
export const Category = z.enum(CATEGORIES);
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const Severity = z.enum(SEVERITIES);
