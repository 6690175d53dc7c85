// Which complaints read alike: TF-IDF cosine over token lists. Pure arithmetic, no statistics library.

// ---------- similarity ----------

/** A sparse term vector; a Map, so a token such as `constructor` is a key like any other. */
export type TermVector = Map<string, number>;

/** TF-IDF vectors (sub-linear tf, smoothed idf), L2-normalised, of token lists. */
export const tfidf = (docs: readonly (readonly string[])[]): TermVector[] => {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = docs.length;
  return docs.map((d) => {
    const tf = new Map<string, number>();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v: TermVector = new Map();
    let norm = 0;
    for (const [t, f] of tf) {
      const w = (1 + Math.log(f)) * (Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1);
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });
};

export const cosine = (a: TermVector, b: TermVector): number => {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) dot += w * (large.get(t) ?? 0);
  return dot;
};

export interface SimilarItem {
  id: string;
  product: string;
  category: string;
  tokens: readonly string[];
}

export interface SimilarGroup {
  ids: string[];
  /** Per member: its cosine with the group's centroid. */
  similarity: Record<string, number>;
  /** The pairs that joined the group: same product or category and text cosine at or above the threshold. */
  pairs: { a: string; b: string; cosine: number; sameProduct: boolean; sameCategory: boolean }[];
  /** The terms that weigh most in the group's centroid (the shared wording). */
  topTerms: string[];
}

/**
 * Groups of at least `minSize` complaints linked by pairs that share a product or a category and whose texts have a
 * TF-IDF cosine of at least `threshold` (single linkage through union-find). Deterministic: members and groups sorted.
 */
export const similarGroups = (items: readonly SimilarItem[], opts: { threshold: number; minSize: number }): SimilarGroup[] => {
  const vectors = tfidf(items.map((i) => i.tokens));
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const pairs: SimilarGroup['pairs'] = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i]!;
      const b = items[j]!;
      const sameProduct = a.product === b.product;
      const sameCategory = a.category === b.category;
      if (!sameProduct && !sameCategory) continue;
      const c = cosine(vectors[i]!, vectors[j]!);
      if (c < opts.threshold) continue;
      pairs.push({ a: a.id, b: b.id, cosine: round(c), sameProduct, sameCategory });
      parent[find(i)] = find(j);
    }
  }
  const members = new Map<number, number[]>();
  items.forEach((_, i) => {
    const r = find(i);
    members.set(r, [...(members.get(r) ?? []), i]);
  });
  const groups: SimilarGroup[] = [];
  for (const idx of members.values()) {
    if (idx.length < opts.minSize) continue;
    const centroid: TermVector = new Map();
    for (const i of idx) for (const [t, w] of vectors[i]!) centroid.set(t, (centroid.get(t) ?? 0) + w / idx.length);
    const norm = Math.sqrt([...centroid.values()].reduce((x, w) => x + w * w, 0)) || 1;
    const ids = idx.map((i) => items[i]!.id);
    const inGroup = new Set(ids);
    const similarity: Record<string, number> = Object.create(null) as Record<string, number>;
    for (const i of idx) similarity[items[i]!.id] = round(cosine(vectors[i]!, centroid) / norm);
    const topTerms = [...centroid]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, 8)
      .map(([t]) => t);
    groups.push({ ids: [...ids].sort(), similarity, pairs: pairs.filter((p) => inGroup.has(p.a)), topTerms });
  }
  return groups.sort((x, y) => y.ids.length - x.ids.length || (x.ids[0]! < y.ids[0]! ? -1 : 1));
};

/** The cosine between a group and a reference text set (an open problem's linked complaints), both as centroids. */
export const centroidCosine = (a: readonly (readonly string[])[], b: readonly (readonly string[])[]): number => {
  if (!a.length || !b.length) return 0;
  const v = tfidf([...a, ...b]);
  const centroid = (vs: TermVector[]) => {
    const c: TermVector = new Map();
    for (const x of vs) for (const [t, w] of x) c.set(t, (c.get(t) ?? 0) + w);
    const norm = Math.sqrt([...c.values()].reduce((s, w) => s + w * w, 0)) || 1;
    for (const [t, w] of c) c.set(t, w / norm);
    return c;
  };
  return round(cosine(centroid(v.slice(0, a.length)), centroid(v.slice(a.length))));
};

const round = (x: number) => Math.round(x * 1e4) / 1e4;
