// Staff availability for routing (issue 32 item 5): out-of-office periods, a capacity cap and skills per handler.
import * as z from 'zod';
import { IsoTimestamp, Text, UserId } from './common';
import { Category } from './classification';

const RegimeRef = /* @__PURE__ */ z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be a regime id such as UK_FCA_DISP');

export const Absence = /* @__PURE__ */ z
  .object({ from: IsoTimestamp, to: IsoTimestamp, reason: /* @__PURE__ */ Text(200).optional() })
  .strict()
  .refine((a) => Date.parse(a.from) < Date.parse(a.to), { message: 'from must be before to', path: ['to'] })
  .meta({ id: 'Absence' });
export type Absence = z.infer<typeof Absence>;

export const Skills = /* @__PURE__ */ z
  .object({
    categories: /* @__PURE__ */ z.array(Category).max(20).optional().meta({ description: 'Categories this person handles; absent: any' }),
    regimes: /* @__PURE__ */ z.array(RegimeRef).max(40).optional().meta({ description: 'Regimes this person is trained for; absent: any' }),
  })
  .strict()
  .meta({ id: 'Skills' });
export type Skills = z.infer<typeof Skills>;

export const AvailabilityBody = /* @__PURE__ */ z
  .object({
    outOfOffice: /* @__PURE__ */ z.array(Absence).max(50).meta({ description: 'Every out-of-office period (replaces the stored list)' }),
    capacity: /* @__PURE__ */ z.number().int().min(1).max(1000).optional().meta({ description: 'Most open cases this person may own; assignment skips them at the cap' }),
    skills: /* @__PURE__ */ Skills.optional(),
  })
  .strict()
  .meta({ id: 'Availability' });
export type AvailabilityBody = z.infer<typeof AvailabilityBody>;

export const StaffParams = /* @__PURE__ */ z.object({ id: UserId }).strict();

export const StaffProfile = /* @__PURE__ */ z
  .object({
    staffId: /* @__PURE__ */ z.string(),
    outOfOffice: /* @__PURE__ */ z.array(Absence),
    capacity: /* @__PURE__ */ z.number().int().optional(),
    skills: /* @__PURE__ */ Skills.optional(),
    version: /* @__PURE__ */ z.number().int(),
    updatedAt: IsoTimestamp,
    updatedBy: /* @__PURE__ */ z.string(),
  })
  .meta({ id: 'StaffProfile' });
export type StaffProfile = z.infer<typeof StaffProfile>;

export const AbsenceFlag = /* @__PURE__ */ z
  .object({
    caseId: /* @__PURE__ */ z.string(),
    reference: /* @__PURE__ */ z.string(),
    finalResponseDueAt: IsoTimestamp,
    absence: /* @__PURE__ */ z.object({ from: IsoTimestamp, to: IsoTimestamp }),
    suggestedOwnerId: /* @__PURE__ */ z.string().nullable().meta({ description: 'An available colleague with capacity and the skills; null when nobody fits (the supervisor decides)' }),
  })
  .meta({ id: 'AbsenceFlag' });
export type AbsenceFlag = z.infer<typeof AbsenceFlag>;

export const AvailabilityResult = /* @__PURE__ */ StaffProfile.extend({
  flagged: /* @__PURE__ */ z.array(AbsenceFlag).meta({ description: 'Cases this person owns whose deadline falls inside an absence: flagged to the supervisors with a suggested owner; the owner stays until a supervisor reassigns' }),
}).meta({ id: 'AvailabilityResult' });
