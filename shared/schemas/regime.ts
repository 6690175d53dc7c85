// Deadline regime: the published shape of a regulatory (or internal) complaint-handling clock policy.
import * as z from 'zod';
import { pageOf } from './common';

/** `weeks` and `calendar_days` count wall-clock days in the regime's time zone; `business_days` skip weekends, holidays and closures. */
export const CLOCK_UNITS = ['calendar_days', 'business_days', 'weeks'] as const;
export const ClockUnit = /* @__PURE__ */ z.enum(CLOCK_UNITS);
export type ClockUnit = z.infer<typeof ClockUnit>;

export const CLOCK_IDS = [
  'acknowledgement',
  'summary_resolution',
  'final_response',
  'extended_final_response',
  'customer_update',
  'outcome_notification',
] as const;
export const ClockId = /* @__PURE__ */ z.enum(CLOCK_IDS);
export type ClockId = z.infer<typeof ClockId>;

/** Where a clock is counted from: receipt of the complaint, or the end of the investigation (an outcome letter). */
export const ClockFrom = /* @__PURE__ */ z.enum(['receipt', 'investigation_concluded']);

/** How binding the figure is: an enforceable rule, regulator guidance/expectation, or the organisation's own policy. */
export const ClockBasis = /* @__PURE__ */ z.enum(['rule', 'guidance', 'policy']);

/** ISO calendar date (YYYY-MM-DD) in the regime's time zone. */
export const IsoDate = /* @__PURE__ */ z.iso.date().meta({ description: 'ISO-8601 calendar date', example: '2026-12-24' });

/** Local wall-clock time HH:mm (24 h). */
export const LocalTime = /* @__PURE__ */ z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:mm');

/** A stable id of one rule the product applies, listed in docs/regulatory/register.md (e.g. `UK.DISP.1.6.2R`). */
export const RuleId = /* @__PURE__ */ z.string().regex(/^[A-Z]{2,8}(\.[A-Za-z0-9-]+)+$/, 'must be a rule id such as UK.DISP.1.6.2R');

/**
 * The version of a cited text: `version` is the date of the text it was checked against (the version in force, or the
 * point-in-time view read where the source carries no version date) and `checkedAt` the day it was last checked.
 */
export const CitationVersion = /* @__PURE__ */ z
  .object({
    version: /* @__PURE__ */ IsoDate.meta({ description: 'Date of the version of the rule text this citation was checked against' }),
    checkedAt: /* @__PURE__ */ IsoDate.meta({ description: 'When the citation was last checked against that text' }),
  })
  .meta({ id: 'CitationVersion' });
export type CitationVersion = z.infer<typeof CitationVersion>;

export const RegimeClock = /* @__PURE__ */ z
  .object({
    ruleId: RuleId,
    id: ClockId,
    amount: /* @__PURE__ */ z.number().int().positive(),
    unit: ClockUnit,
    from: /* @__PURE__ */ ClockFrom.optional().meta({ description: 'Counted from receipt unless stated' }),
    recurring: /* @__PURE__ */ z.boolean().optional().meta({ description: 'Repeats every `amount` while the case is open (periodic customer updates)' }),
    basis: /* @__PURE__ */ ClockBasis.optional(),
    citation: /* @__PURE__ */ z.string(),
    citationVersion: CitationVersion,
    description: /* @__PURE__ */ z.string(),
  })
  .meta({ id: 'RegimeClock' });

export const RegimeCalendar = /* @__PURE__ */ z
  .object({
    region: /* @__PURE__ */ z
      .string()
      .nullable()
      .meta({ description: 'Public-holiday calendar (date-holidays country[-state] code such as GB-ENG, GB-SCT, IE, AU-NSW, US); null = weekends and closures only' }),
    timeZone: /* @__PURE__ */ z.string().meta({ description: 'IANA time zone the clock counts in' }),
    weekend: /* @__PURE__ */ z.array(/* @__PURE__ */ z.number().int().min(1).max(7)).meta({ description: 'ISO weekdays that are never business days (6 = Saturday, 7 = Sunday)' }),
    businessHours: /* @__PURE__ */ z.object({ open: LocalTime, close: LocalTime }).meta({ description: 'Working hours on a business day; business time is counted only inside them' }),
    holidayTypes: /* @__PURE__ */ z.array(/* @__PURE__ */ z.enum(['public', 'bank'])).meta({ description: 'Which date-holidays types close the organisation' }),
    closures: /* @__PURE__ */ z.array(IsoDate).meta({ description: 'Organisation-level extra closure days' }),
  })
  .meta({ id: 'RegimeCalendar' });
export type RegimeCalendar = z.infer<typeof RegimeCalendar>;

export const CutOffRule = /* @__PURE__ */ z
  .object({
    ruleId: RuleId,
    time: /* @__PURE__ */ LocalTime.meta({ description: 'Local close of business: for a policy clock, a complaint received at or after it counts as received on the next business day' }),
    nonBusinessDays: /* @__PURE__ */ z.boolean().meta({ description: 'For a policy clock, a complaint received on a non-business day counts as received on the next business day' }),
    appliesTo: /* @__PURE__ */ z.literal('policy_clocks').meta({ description: 'Only business-day clocks with basis `policy` (the organisation’s own standards); every rule clock counts from the day of receipt' }),
    basis: /* @__PURE__ */ z.literal('policy'),
    citation: /* @__PURE__ */ z.string(),
    citationVersion: CitationVersion,
    assumption: /* @__PURE__ */ z.string(),
  })
  .meta({ id: 'CutOffRule' });
export type CutOffRule = z.infer<typeof CutOffRule>;

export const ExtensionRule = /* @__PURE__ */ z
  .object({
    allowed: /* @__PURE__ */ z.boolean(),
    ruleId: RuleId,
    clock: /* @__PURE__ */ ClockId.optional().meta({ description: 'The clock that replaces final_response once extended (absent: no fixed limit)' }),
    condition: /* @__PURE__ */ z.string(),
    citation: /* @__PURE__ */ z.string(),
    citationVersion: CitationVersion,
  })
  .meta({ id: 'ExtensionRule' });

export const Regime = /* @__PURE__ */ z
  .object({
    id: /* @__PURE__ */ z.string(),
    name: /* @__PURE__ */ z.string(),
    jurisdiction: /* @__PURE__ */ z.string(),
    ruleId: RuleId,
    citation: /* @__PURE__ */ z.string(),
    citationVersion: CitationVersion,
    variantOf: /* @__PURE__ */ z.string().optional().meta({ description: 'The regime family this variant belongs to' }),
    timeZone: /* @__PURE__ */ z.string().meta({ description: 'Same as calendar.timeZone' }),
    calendar: RegimeCalendar,
    locations: /* @__PURE__ */ z
      .array(/* @__PURE__ */ z.object({ region: /* @__PURE__ */ z.string().nullable(), timeZone: /* @__PURE__ */ z.string() }))
      .meta({ description: 'Holiday calendars a case may choose by its business location (branch or servicing office); the first is `calendar`, the default' }),
    cutOff: /* @__PURE__ */ CutOffRule.nullable().meta({ description: 'null: no cut-off. A cut-off moves only the organisation’s policy clocks; rule clocks count from the day of receipt' }),
    clocks: /* @__PURE__ */ z.array(RegimeClock),
    mayPause: /* @__PURE__ */ z.boolean(),
    pauseRule: /* @__PURE__ */ z.string().optional(),
    extension: ExtensionRule,
    informalResolution: /* @__PURE__ */ z
      .object({ ruleId: RuleId, businessDays: /* @__PURE__ */ z.number().int().positive(), citation: /* @__PURE__ */ z.string(), citationVersion: CitationVersion })
      .optional()
      .meta({ description: 'A complaint resolved to the complainant’s satisfaction within this many business days after the day of receipt may close without a written response, unless the complainant asks for one (ASIC RG 271)' }),
    notes: /* @__PURE__ */ z.string().optional(),
  })
  .meta({ id: 'Regime' });
export type Regime = z.infer<typeof Regime>;
export type RegimeClock = z.infer<typeof RegimeClock>;
export const RegimeList = /* @__PURE__ */ pageOf(Regime, 'RegimeList');
