// Owner assignment on intake: explicit owner, or a rule picks a team and round-robin picks a member.
import * as z from 'zod';
import { CATEGORIES, CHANNELS } from '#schemas/complaint';
import { UserId } from '#schemas/common';
import { own } from './own';

export const AssignmentRules = z
  .object({
    teams: z.record(z.string().regex(/^[\w-]+$/), z.array(UserId).min(1)),
    defaultTeam: z.string(),
    rules: z
      .array(
        z.object({
          match: z
            .object({
              category: z.enum(CATEGORIES).optional(),
              channel: z.enum(CHANNELS).optional(),
              regime: z.string().optional(),
              product: z.string().optional(),
              vulnerable: z.boolean().optional(),
            })
            .strict(),
          team: z.string().optional(),
          ownerId: UserId.optional(),
        })
        .refine((r) => Boolean(r.team) !== Boolean(r.ownerId), 'a rule names exactly one of team or ownerId'),
      )
      .default([]),
    /** Internal service targets in hours from receipt, by customer tier then impact (severity); the regulatory deadline still wins when sooner. */
    serviceTargets: z.partialRecord(z.enum(['standard', 'priority', 'premier']), z.partialRecord(z.enum(['low', 'medium', 'high', 'critical']), z.number().int().min(1).max(8760))).optional(),
  })
  .refine((r) => r.defaultTeam in r.teams, 'defaultTeam must be one of teams')
  .refine((r) => r.rules.every((x) => !x.team || x.team in r.teams), 'every rule team must be one of teams');
export type AssignmentRules = z.infer<typeof AssignmentRules>;

export const DEFAULT_ASSIGNMENT_RULES: AssignmentRules = {
  teams: { complaints: ['handler-1', 'handler-2', 'handler-3'] },
  defaultTeam: 'complaints',
  rules: [],
};

export interface AssignmentFacts {
  category: string;
  channel: string;
  regime: string;
  product: string;
  vulnerable: boolean;
}

export type AssignmentPlan = { kind: 'explicit'; ownerId: string; rule: string } | { kind: 'team'; team: string; rule: string };

/** Decides how a new case gets its owner; a team plan needs the team's round-robin counter to finish. */
export const planAssignment = (rules: AssignmentRules, facts: AssignmentFacts, explicitOwner?: string): AssignmentPlan => {
  if (explicitOwner) return { kind: 'explicit', ownerId: explicitOwner, rule: 'explicit' };
  const index = rules.rules.findIndex((r) =>
    Object.entries(r.match).every(([k, v]) => facts[k as keyof AssignmentFacts] === v),
  );
  const rule = rules.rules[index];
  if (rule?.ownerId) return { kind: 'explicit', ownerId: rule.ownerId, rule: `rule[${index}]` };
  if (rule?.team) return { kind: 'team', team: rule.team, rule: `rule[${index}]` };
  return { kind: 'team', team: rules.defaultTeam, rule: 'defaultTeam' };
};

/** Round-robin: the n-th case routed to a team (1-based) goes to member (n-1) mod size. */
export const pickMember = (rules: AssignmentRules, team: string, n: number): string => {
  const members = own(rules.teams, team);
  if (!members?.length) throw new Error(`team ${team} has no members`);
  return members[(n - 1) % members.length] as string;
};
