// Redress as the complaints return counts it: the components a resolution records separately, so the return can sum
// what DISP 1.10 treats as redress (an amount paid, or a cost borne, where a cash value can be readily identified).
import * as z from 'zod';
import { Money, Text } from './common';

const Amount = Money.shape.amount;

/** The cash components, in the order the return lists them. */
export const REDRESS_COMPONENTS = ['financialLoss', 'goodwill', 'distressAndInconvenience', 'waived', 'nonCash'] as const;
export type RedressComponent = (typeof REDRESS_COMPONENTS)[number];

export const NonCashRemedy = /* @__PURE__ */ z
  .object({
    description: /* @__PURE__ */ Text(500).meta({ example: 'free transfer out to another provider' }),
    value: /* @__PURE__ */ Amount.optional().meta({ description: 'The cost borne, where a cash value can be readily identified; without one the remedy is counted but adds nothing to the redress amount' }),
  })
  .strict()
  .meta({ id: 'NonCashRemedy' });
export type NonCashRemedy = z.infer<typeof NonCashRemedy>;

export const Redress = /* @__PURE__ */ z
  .object({
    currency: Money.shape.currency,
    financialLoss: /* @__PURE__ */ Amount.optional().meta({ description: 'Compensation for financial loss, including interest on a delayed settlement' }),
    goodwill: /* @__PURE__ */ Amount.optional().meta({ description: 'Goodwill payments and gestures' }),
    distressAndInconvenience: /* @__PURE__ */ Amount.optional().meta({ description: 'Paid for distress and inconvenience' }),
    waived: /* @__PURE__ */ Amount.optional().meta({ description: 'Amounts waived: fees, charges, interest, an insurance excess, debt written off' }),
    nonCash: /* @__PURE__ */ z.array(NonCashRemedy).max(20).optional().meta({ description: 'Other non-cash remedies' }),
  })
  .strict()
  .meta({
    id: 'Redress',
    description:
      'The redress of a resolution by component, in one currency (DISP 1.10 guidance: redress is an amount paid, or cost borne, by the firm where a cash value can be readily identified). Part of the proposal, so approved with it.',
  });
export type Redress = z.infer<typeof Redress>;

/** Ten-thousandths (Money allows four decimals): exact sums of decimal strings. */
const SCALE = 10_000n;
export const amountUnits = (amount: string): bigint => {
  const [whole, frac = ''] = amount.split('.');
  return BigInt(whole ?? '0') * SCALE + BigInt(frac.padEnd(4, '0'));
};
const decimal = (n: bigint): string => {
  const frac = String(n % SCALE).padStart(4, '0').replace(/0{1,2}$/, '');
  return `${n / SCALE}.${frac.length < 2 ? frac.padEnd(2, '0') : frac}`;
};

/** Each component's cash value in ten-thousandths (zero when absent; non-cash remedies summed over their values). */
export const redressUnits = (r: Redress): Record<RedressComponent, bigint> => ({
  financialLoss: amountUnits(r.financialLoss ?? '0'),
  goodwill: amountUnits(r.goodwill ?? '0'),
  distressAndInconvenience: amountUnits(r.distressAndInconvenience ?? '0'),
  waived: amountUnits(r.waived ?? '0'),
  nonCash: (r.nonCash ?? []).reduce((s, n) => s + amountUnits(n.value ?? '0'), 0n),
});

/** Money paid to the customer: financial loss, goodwill, distress and inconvenience. */
export const redressPaid = (r: Redress): Money => {
  const u = redressUnits(r);
  return { amount: decimal(u.financialLoss + u.goodwill + u.distressAndInconvenience), currency: r.currency };
};

/** The whole redress: what is paid plus the costs borne (waived amounts, non-cash remedies with a value). */
export const redressTotal = (r: Redress): Money => {
  const u = redressUnits(r);
  return { amount: decimal(Object.values(u).reduce((s, n) => s + n, 0n)), currency: r.currency };
};
