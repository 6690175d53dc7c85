// Marks every top-level schema construction in the schema modules `/* @__PURE__ */`, so esbuild drops the ones a
// function never reaches (issue 28: a route's bundle builds only the zod schemas it uses at load, not every schema of
// each module it imports). Without the mark esbuild must keep `z.object(…).meta(…)`: for all it knows, the call has
// side effects. The only one a schema construction has is `.meta({ id })` entering the global registry, which only
// the OpenAPI document reads, and the OpenAPI function reaches every route's schemas anyway.
//
// The mark covers the whole chain it stands before (`z.object({…}).strict().meta({…})`), not calls in the arguments of
// its last call: esbuild keeps an unused `/* @__PURE__ */ z.object({ a: z.string() })` for its argument's sake, so such a
// schema stays. Marking every argument's calls as well was measured (2026-12-07: 1–4 ms of require and 6–9 KB on
// getComplaint, addNote and exportPublicKey) and left: 1,300 more marks in the schema sources for that.
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

/** `X`, `X as T`, `X satisfies T`, `(X)`: the call itself, if the initializer is one. */
const callOf = (e: ts.Expression): ts.CallExpression | ts.NewExpression | undefined => {
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) return e;
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) return callOf(e.expression);
  return undefined;
};

export interface Unmarked {
  file: string;
  line: number;
  name: string;
  /** Offset where the mark goes (the start of the call). */
  at: number;
}

/** Top-level `const X = call(…)` declarations of `file` (relative to the root) without the mark. */
export const unmarked = (file: string, text = readFileSync(join(ROOT, file), 'utf8')): Unmarked[] => {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Unmarked[] = [];
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const call = d.initializer && callOf(d.initializer);
      if (!call) continue;
      const leading = text.slice(d.initializer.pos, call.getStart(sf));
      if (leading.includes('@__PURE__')) continue;
      out.push({ file, line: sf.getLineAndCharacterOfPosition(call.getStart(sf)).line + 1, name: d.name.getText(sf), at: call.getStart(sf) });
    }
  }
  return out;
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
