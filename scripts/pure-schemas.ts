// Marks every schema construction at the top level of the schema modules `/* @__PURE__ */`, so esbuild drops the ones
// a function never reaches (issue 28: a route's bundle builds only the zod schemas it uses at load, not every schema of
// each module it imports). Without the mark esbuild must keep `z.object(…).meta(…)`: for all it knows, the call has
// side effects. The only one a schema construction has is `.meta({ id })` entering the global registry, which only
// the OpenAPI document reads, and the OpenAPI function reaches every route's schemas anyway.
//
// A mark covers the chain it stands before (`z.object({…}).strict().meta({…})`), not the calls in its arguments:
// esbuild keeps an unused `/* @__PURE__ */ z.object({ a: z.string() })` for its argument's sake. So every call a
// top-level initializer makes at load is marked, the fields' chains too (never inside a function: a refinement runs
// when it is called). Measured side by side (2026-12-07, medians of 9 fresh processes): marking the fields as well
// took addNote 58.3 → 53.9 ms, getComplaint 49.1 → 45.7, dismissProblemSuggestion 60.3 → 56.6 and markSpam 59.8 → 56.6
// of require, and 5–11 KB off every route's bundle (the problem extensions' 50 fields alone, 2 ms, were in every
// route and read by none). An earlier count (1–4 ms) had left them out.
//
// `npm run schemas:pure` adds the missing marks; test/bundles/pure-schemas.test.ts fails when one is missing.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..');

/** The modules whose top-level constants are all side-effect-free constructions (zod schemas, tables of them). */
export const PURE_MODULES = [
  ...readdirSync(join(ROOT, 'shared/schemas'))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => `shared/schemas/${f}`),
  'shared/domain/problems/pipeline-events.ts',
];

const MARK = '/* @__PURE__ */';

export interface Unmarked {
  file: string;
  line: number;
  name: string;
  /** Offset where the mark goes (the start of the call). */
  at: number;
}

/** Function bodies run when called, not at load: their calls need no mark. */
const deferred = (n: ts.Node) =>
  ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isAccessor(n) || ts.isClassLike(n);

/**
 * The calls the top-level `const X = …` declarations of `file` (relative to the root) make at load without the mark:
 * each chain once, at its start (`z.string().min(1)` is one), and each call in their arguments (the fields of an object).
 */
export const unmarked = (file: string, text = readFileSync(join(ROOT, file), 'utf8')): Unmarked[] => {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out = new Map<number, Unmarked>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!d.initializer) continue;
      const name = d.name.getText(sf);
      const visit = (n: ts.Node): void => {
        if (deferred(n)) return;
        if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
          const at = n.getStart(sf);
          // The mark of the chain this call starts (the comment before its first token), if any.
          const leading = text.slice(n.getFullStart(), at);
          if (!leading.includes('@__PURE__') && !out.has(at)) out.set(at, { file, line: sf.getLineAndCharacterOfPosition(at).line + 1, name, at });
        }
        ts.forEachChild(n, visit);
      };
      visit(d.initializer);
    }
  }
  return [...out.values()];
};

/** The text of `file` with every missing mark added. */
export const marked = (file: string, text: string): string => {
  let out = text;
  for (const u of unmarked(file, text).sort((a, b) => b.at - a.at)) out = `${out.slice(0, u.at)}${MARK} ${out.slice(u.at)}`;
  return out;
};

if (require.main === module) {
  let changed = 0;
  for (const file of PURE_MODULES) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const next = marked(file, text);
    if (next !== text) {
      writeFileSync(join(ROOT, file), next);
      changed += unmarked(file, text).length;
    }
  }
  process.stdout.write(`${changed} schema constructions marked pure in ${PURE_MODULES.length} modules\n`);
}
