// Worked examples of the problem analytics (pure, no I/O): the exact Poisson rate ratio, the weekday-seasonal spike
// test, and the precision of complaint similarity on a generated labelled set.
import { jStat } from 'jstat';
import { centroidCosine, rateRatio, similarGroups, testSpike, tfidf, cosine, type SimilarItem } from '#domain/problems/analytics';
import { featureTokens } from '#adapters/local/triage/text-model';

/** P(X ≥ k) and P(X ≤ k) for X ~ Binomial(n, p), summed term by term: an independent check of the beta quantiles. */
const binomTail = (n: number, p: number, k: number, upper: boolean): number => {
  let s = 0;
  let logC = 0;
  for (let i = 0; i <= n; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    const term = Math.exp(logC + i * Math.log(p) + (n - i) * Math.log(1 - p));
    if (upper ? i >= k : i <= k) s += term;
  }
  return s;
};

describe('rateRatio (exact Poisson, conditional binomial)', () => {
  it('40 complaints in 8 weeks before a fix and 10 in 8 weeks after: ratio 0.25, 95 % CI 0.1115–0.5088, reduced', () => {
    const r = rateRatio({ count: 40, weeks: 8 }, { count: 10, weeks: 8 });
    expect(r.beforePerWeek).toBe(5);
    expect(r.afterPerWeek).toBe(1.25);
    expect(r.ratio).toBe(0.25);
    // The values R's poisson.test(c(10, 40), c(8, 8)) prints.
    expect(r.lower).toBeCloseTo(0.1115, 4);
    expect(r.upper).toBeCloseTo(0.5088, 3);
    expect(r.verdict).toBe('reduced');
    // The bounds are where the binomial tails are 2.5 % (Clopper-Pearson's definition), checked by summing the pmf.
    const p = (rr: number) => rr / (rr + 1);
    expect(binomTail(50, p(r.lower!), 10, true)).toBeCloseTo(0.025, 6);
    expect(binomTail(50, p(r.upper!), 10, false)).toBeCloseTo(0.025, 6);
  });

  it('12 before and 9 after over 6 weeks each: the interval spans 1, no evidence of change', () => {
    const r = rateRatio({ count: 12, weeks: 6 }, { count: 9, weeks: 6 });
    expect(r.ratio).toBe(0.75);
    expect(r.lower!).toBeLessThan(1);
    expect(r.upper!).toBeGreaterThan(1);
    expect(r.verdict).toBe('no_evidence_of_change');
  });

  it('unequal windows: 8 in 4 weeks before, 30 in 6 weeks after is an increase (ratio 2.5)', () => {
    const r = rateRatio({ count: 8, weeks: 4 }, { count: 30, weeks: 6 });
    expect(r.ratio).toBe(2.5);
    expect(r.lower!).toBeGreaterThan(1);
    expect(r.verdict).toBe('increased');
  });

  it('none after a fix: the lower bound is 0 and the upper bound still says whether that is evidence', () => {
    const strong = rateRatio({ count: 20, weeks: 8 }, { count: 0, weeks: 8 });
    expect(strong.lower).toBe(0);
    expect(strong.upper!).toBeLessThan(1);
    expect(strong.verdict).toBe('reduced');
    const weak = rateRatio({ count: 2, weeks: 8 }, { count: 0, weeks: 8 });
    expect(weak.verdict).toBe('no_evidence_of_change');
  });

  it('nothing before and nothing after: no ratio and no evidence; nothing before only: no ratio, an open upper bound', () => {
    expect(rateRatio({ count: 0, weeks: 8 }, { count: 0, weeks: 8 })).toMatchObject({ ratio: null, lower: null, upper: null, verdict: 'no_evidence_of_change' });
    const fromZero = rateRatio({ count: 0, weeks: 8 }, { count: 6, weeks: 8 });
    expect(fromZero.ratio).toBeNull();
    expect(fromZero.upper).toBeNull();
    expect(fromZero.verdict).toBe('increased');
  });

  it('refuses an empty window', () => {
    expect(() => rateRatio({ count: 1, weeks: 0 }, { count: 1, weeks: 1 })).toThrow(RangeError);
  });
});

describe('testSpike (weekday-seasonal baseline)', () => {
  // Eight previous Mondays: Monday is the busy day of this product (about 30 complaints; other days about 10).
  const mondays = [28, 31, 30, 27, 33, 29, 32, 30];

  it('a normal Monday peak (34 against Mondays averaging 30) is not a spike', () => {
    const t = testSpike(34, mondays);
    expect(t.baselineMean).toBe(30);
    expect(t.spike).toBe(false);
  });

  it('the same 34 on a Wednesday, whose baseline is about 10, is a spike', () => {
    const t = testSpike(34, [9, 11, 10, 12, 8, 10, 9, 11]);
    expect(t.pValue).toBeLessThan(1e-6);
    expect(t.spike).toBe(true);
  });

  it('a doubling on a Monday (60 against 30) is a spike, with P(X ≥ 60 | Poisson 30) as its p-value', () => {
    const t = testSpike(60, mondays);
    expect(t.pValue).toBeCloseTo(1 - jStat.poisson.cdf(59, 30), 12);
    expect(t.spike).toBe(true);
  });

  it('a handful from a silent series is below the minimum count, and an erratic series needs a larger jump', () => {
    expect(testSpike(3, [0, 0, 0, 0, 0, 0, 0, 0]).spike).toBe(false);
    // Mean 10 but a deviation of about 8: 30 is about 2.5 deviations out, under the z guard though the Poisson p is tiny.
    const erratic = testSpike(30, [2, 20, 4, 18, 3, 21, 5, 7]);
    expect(erratic.pValue).toBeLessThan(0.001);
    expect(erratic.spike).toBe(false);
  });

  it('no history, no spike', () => {
    expect(testSpike(50, []).spike).toBe(false);
  });
});

describe('complaint similarity (TF-IDF cosine over the triage tokeniser)', () => {
  it('tokens such as constructor and __proto__ are ordinary terms', () => {
    const [a, b] = tfidf([featureTokens('constructor __proto__ toString broke'), featureTokens('constructor __proto__ toString broke')]);
    expect(cosine(a!, b!)).toBeCloseTo(1, 6);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  /**
   * A labelled set: six root causes, each worded in several ways with noise, across three products and categories,
   * plus unrelated one-off complaints. Deterministic (a seeded generator), so the figures are reproducible.
   */
  const generate = () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const causes = [
      { product: 'mobile-app', category: 'product_issue', phrases: ['app crashes when I open the payments screen', 'the mobile app crashed on payments', 'payments screen crash in the app after update'] },
      { product: 'current-account', category: 'billing', phrases: ['charged an overdraft fee twice this month', 'double overdraft fee charged', 'overdraft fee taken twice from my account'] },
      { product: 'card', category: 'service_delay', phrases: ['replacement card never arrived after three weeks', 'still waiting for my replacement card delivery', 'replacement card delivery delayed for weeks'] },
      { product: 'mortgage', category: 'agent_interaction', phrases: ['advisor was rude on the phone about my remortgage', 'rude advisor on remortgage call', 'the mortgage advisor was rude and dismissive on the phone'] },
      { product: 'savings', category: 'policy', phrases: ['interest rate cut without notice on my savings', 'savings interest rate lowered without any notice', 'no notice given before savings rate cut'] },
      { product: 'mobile-app', category: 'product_issue', phrases: ['login code text message never received', 'never get the login verification text code', 'verification code sms not received at login'] },
    ];
    const noise = ['please help', 'I am very unhappy', 'this is the second time', 'sort this out', 'I have been a customer for years', 'urgent'];
    const items: (SimilarItem & { label: string })[] = [];
    causes.forEach((c, k) => {
      for (let i = 0; i < 8; i++) items.push({ id: `c${k}-${i}`, label: `cause${k}`, product: c.product, category: c.category, tokens: featureTokens(`${pick(c.phrases)}. ${pick(noise)}. ${pick(noise)}`) });
    });
    const oneOffs = ['branch closed early on saturday', 'statement shows wrong address', 'cheque deposit went missing', 'chatbot could not understand me', 'ISA transfer form lost', 'cash machine kept my card', 'pension letter confusing', 'currency exchange rate poor'];
    oneOffs.forEach((t, i) => items.push({ id: `o${i}`, label: `one-off${i}`, product: pick(['card', 'mortgage', 'savings', 'current-account']), category: pick(['other', 'service_delay', 'billing']), tokens: featureTokens(`${t}. ${pick(noise)}`) }));
    return items;
  };

  it('on the generated set, pairs put in one group share a label at least 90 % of the time, and most true pairs are found', () => {
    const items = generate();
    const label = new Map(items.map((i) => [i.id, i.label]));
    const groups = similarGroups(items, { threshold: 0.3, minSize: 3 });
    let together = 0;
    let correct = 0;
    for (const g of groups) {
      for (let i = 0; i < g.ids.length; i++) {
        for (let j = i + 1; j < g.ids.length; j++) {
          together++;
          if (label.get(g.ids[i]!) === label.get(g.ids[j]!)) correct++;
        }
      }
    }
    const truePairs = 6 * ((8 * 7) / 2);
    const precision = correct / together;
    const recall = correct / truePairs;
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.6);
    // No one-off complaint is suggested as part of a problem.
    expect(groups.flatMap((g) => g.ids).filter((id) => id.startsWith('o'))).toEqual([]);
  });

  it('a group carries its evidence: the joining pairs (same product/category, cosine) and the shared wording', () => {
    const items: SimilarItem[] = [
      { id: 'a', product: 'card', category: 'service_delay', tokens: featureTokens('replacement card never arrived') },
      { id: 'b', product: 'card', category: 'service_delay', tokens: featureTokens('my replacement card has not arrived') },
      { id: 'c', product: 'card', category: 'billing', tokens: featureTokens('replacement card not arrived yet') },
      { id: 'd', product: 'savings', category: 'policy', tokens: featureTokens('replacement card never arrived') },
    ];
    const [g] = similarGroups(items, { threshold: 0.4, minSize: 3 });
    expect(g!.ids).toEqual(['a', 'b', 'c']);
    // d has the same words but shares neither product nor category with any of them.
    expect(g!.pairs.every((p) => p.sameProduct || p.sameCategory)).toBe(true);
    expect(g!.topTerms).toEqual(expect.arrayContaining(['replac', 'arriv']));
    expect(centroidCosine([items[0]!.tokens], [items[1]!.tokens])).toBeGreaterThan(0.4);
  });
});
