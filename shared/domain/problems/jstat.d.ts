// Types for the parts of jstat (no bundled types) the problem analytics call: the beta quantile and the Poisson CDF.
declare module 'jstat' {
  export const jStat: {
    beta: { inv(p: number, alpha: number, beta: number): number; cdf(x: number, alpha: number, beta: number): number };
    poisson: { cdf(k: number, lambda: number): number; pdf(k: number, lambda: number): number };
  };
}
