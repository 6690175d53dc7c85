// Every schema construction at the top level of the schema modules is marked `/* @__PURE__ */` (scripts/pure-schemas.ts), so
// a function's bundle keeps only the schemas it reaches: esbuild drops the rest instead of building them at load.
import { build } from 'esbuild';
import { ESBUILD_SETTINGS, REPO_ROOT } from '../../bench/bundle';
import { PURE_MODULES, marked, unmarked } from '../../scripts/pure-schemas';

describe('schema modules marked pure', () => {
  it('every top-level construction carries the mark (run `npm run schemas:pure` to add missing ones)', () => {
    const missing = PURE_MODULES.flatMap((f) => unmarked(f)).map((u) => `${u.file}:${u.line} ${u.name}`);
    expect(missing).toEqual([]);
  });

  it('the marker finds every call a top-level initializer makes at load, each chain once, and leaves function bodies and marked calls alone', () => {
    const text = [
      "import * as z from 'zod';",
      'export const A = z.string();',
      'const B = (z.number()) as z.ZodNumber;',
      "export const C = z.object({ a: A }).meta({ id: 'C' }) satisfies z.ZodType;",
      "export const LIST = ['x', 'y'] as const;",
      'export const D = /* @__PURE__ */ z.enum(LIST);',
      'export const make = () => z.boolean();',
      'let E = z.never();',
      'function f() { const inner = z.string(); return inner; }',
      "export const F = /* @__PURE__ */ z.object({ b: z.string().optional(), c: z.array(z.number()), d: z.string().refine((s) => s.trim() !== '') });",
      'export const TABLE = { x: z.string() };',
    ].join('\n');
    expect(unmarked('x.ts', text).map((u) => u.name)).toEqual(['A', 'B', 'C', 'E', 'F', 'F', 'F', 'F', 'TABLE']);
    const once = marked('x.ts', text);
    expect(once).toContain('export const A = /* @__PURE__ */ z.string();');
    expect(once).toContain('const B = (/* @__PURE__ */ z.number()) as z.ZodNumber;');
    expect(once).toContain('function f() { const inner = z.string(); return inner; }');
    expect(once).toContain('export const make = () => z.boolean();');
    expect(once).toContain(
      "z.object({ b: /* @__PURE__ */ z.string().optional(), c: /* @__PURE__ */ z.array(/* @__PURE__ */ z.number()), d: /* @__PURE__ */ z.string().refine((s) => s.trim() !== '') })",
    );
    expect(once).toContain('export const TABLE = { x: /* @__PURE__ */ z.string() };');
    expect(unmarked('x.ts', once)).toEqual([]);
    expect(marked('x.ts', once)).toBe(once);
  });

  it('a bundle that imports one schema of a module builds only that schema and what it refers to', async () => {
    const out = await build({
      ...ESBUILD_SETTINGS,
      sourcemap: false,
      absWorkingDir: REPO_ROOT,
      stdin: { contents: "import { ComplaintIdParams } from '#schemas/complaint';\nexport const handler = (x: unknown) => ComplaintIdParams.parse(x);\n", loader: 'ts', resolveDir: REPO_ROOT },
      write: false,
    });
    const js = out.outputFiles[0]!.text;
    // The case, the creation body and their parts (their OpenAPI ids) are not in it; without the marks they all are.
    for (const id of ['Case', 'CreateComplaint', 'Customer', 'Resolution', 'CaseTriage']) expect([id, js.includes(`id:"${id}"`)]).toEqual([id, false]);
    // Nor a schema no export it uses refers to, fields and all: the problem extensions (#schemas/common), whose fields
    // kept the unused object in every bundle while only the outer call was marked.
    expect(js).not.toContain('The refused action (e.g. close');
    expect(js).toContain('.parse(');
  });
});
