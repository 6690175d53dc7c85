// An illustrative taxonomy for the FCA consolidated return (PS25/19) in tests whose stacks report 2027 periods: the
// real category names are configuration the organisation copies from the FCA's return, so tests name their own.
export const ILLUSTRATIVE_CONSOLIDATED_RETURN = {
  taxonomy: { products: ['Home delivery', 'Cards', 'Not yet classified'], causes: ['Capacity', 'Refunds'] },
  products: { home_delivery: 'Home delivery', card: 'Cards', unspecified: 'Not yet classified' },
  causes: { capacity: 'Capacity', carrier_capacity: 'Capacity', refund_process: 'Refunds' },
};

/** The REPORTING setting that configures it, for startTestApi's environment. */
export const illustrativeReportingEnv = (): Record<string, string> => ({ REPORTING: JSON.stringify({ consolidatedReturn: ILLUSTRATIVE_CONSOLIDATED_RETURN }) });
