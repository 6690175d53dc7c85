// Property-test run counts: each file's default, or PROPERTY_RUNS for every file at once (`npm run test:unit` runs
// few for a fast inner loop; PROPERTY_RUNS=1000 hunts).
export const propertyRuns = (fallback: number): number => {
  const wanted = Number(process.env.PROPERTY_RUNS);
  return Number.isInteger(wanted) && wanted > 0 ? wanted : fallback;
};
