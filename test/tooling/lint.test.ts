// `npm run lint` is two linters: ESLint (the recommended syntax rules and the repository's own) and oxlint's
// type-aware rules (.oxlintrc.json, tsgolint on TypeScript 7's checker), the split that took the lint from about 100 s
// of CPU to about 35. These tests hold the split to what the single ESLint config enforced before: every type-aware rule
// of typescript-eslint's recommendedTypeChecked runs in oxlint, and each linter still refuses the abuse cases it owns.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import tseslint from 'typescript-eslint';
import { REPO_ROOT } from '../../bench/bundle';

const run = promisify(execFile);

/** A linter's JSON report: on stdout whether it exits 0 or, having found something, 1. */
const reportOf = async (child: Promise<{ stdout: string }>): Promise<unknown> => {
  const out = await child.catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  return JSON.parse(out.stdout) as unknown;
};

interface OxlintConfig {
  rules: Record<string, string>;
  overrides: { files: string[]; rules: Record<string, string> }[];
}
const oxlintConfig = JSON.parse(readFileSync(join(REPO_ROOT, '.oxlintrc.json'), 'utf8')) as OxlintConfig;

type RuleEntry = string | number | unknown[];
const rulesOf = (configs: readonly { rules?: object }[]): Map<string, RuleEntry> =>
  new Map(configs.flatMap((c) => Object.entries(c.rules ?? {}) as [string, RuleEntry][]));
const isOn = (entry: RuleEntry | undefined) => {
  const level = Array.isArray(entry) ? entry[0] : entry;
  return level !== undefined && level !== 'off' && level !== 0;
};

/** typescript-eslint's type-aware rules: in recommendedTypeChecked and not in recommended. */
const typedRules = (): string[] => {
  const all = rulesOf(tseslint.configs.recommendedTypeChecked);
  const syntax = rulesOf(tseslint.configs.recommended);
  return [...all]
    .filter(([name, entry]) => name.startsWith('@typescript-eslint/') && !syntax.has(name) && isOn(entry))
    .map(([name]) => name.slice('@typescript-eslint/'.length));
};

/** Rules the repository switches off (eslint.config.mjs before the split: require-await, for async handlers without awaits). */
const OFF_IN_REPOSITORY = new Set(['require-await']);

const lintTypes = async (files: Record<string, string>): Promise<string[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'lint-probe-'));
  try {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [], lib: ['ES2022'], target: 'ES2022', module: 'preserve' }, include: ['*.ts'] }));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const oxlint = join(REPO_ROOT, 'node_modules', 'oxlint', 'bin', 'oxlint');
    // oxlint finds tsgolint on PATH or under the working directory's node_modules/.bin.
    const env = { ...process.env, PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };
    const report = (await reportOf(run(process.execPath, [oxlint, '--type-aware', '-c', join(REPO_ROOT, '.oxlintrc.json'), '--format', 'json', '.'], { cwd: dir, env }))) as { diagnostics: { code: string }[] };
    return report.diagnostics.map((d) => d.code).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** A probe source the linters are given (test/fixtures/lint: text, never compiled or run). */
const probe = (name: string): string => readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'lint', name), 'utf8');

const lintSyntax = async (filePath: string, text: string): Promise<string[]> => {
  const eslint = join(REPO_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const child = run(process.execPath, [eslint, '--stdin', '--stdin-filename', filePath, '--format', 'json'], { cwd: REPO_ROOT });
  child.child.stdin?.end(text);
  const [report] = (await reportOf(child)) as { messages: { ruleId: string | null }[] }[];
  return (report?.messages ?? []).map((m) => m.ruleId ?? '(fatal)').sort();
};

describe('the lint split', () => {
  it('runs every type-aware rule of recommendedTypeChecked in oxlint, at error, and no other rule', () => {
    const expected = typedRules()
      .filter((r) => !OFF_IN_REPOSITORY.has(r))
      .map((r) => `typescript/${r}`)
      .sort();
    expect(expected.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(oxlintConfig.rules).sort()).toEqual(expected);
    expect(new Set(Object.values(oxlintConfig.rules))).toEqual(new Set(['error']));
  });

  it('relaxes in tests and benches only the type-aware rules the ESLint config relaxed there', () => {
    expect(oxlintConfig.overrides).toEqual([
      {
        files: ['test/**/*.ts', 'bench/**/*.ts'],
        rules: Object.fromEntries(
          ['no-unsafe-assignment', 'no-unsafe-member-access', 'no-unsafe-argument', 'no-unsafe-call', 'no-unsafe-return', 'unbound-method'].map((r) => [`typescript/${r}`, 'off']),
        ),
      },
    ]);
  });

  it('refuses, with types, a dropped promise, a promise where a value belongs, an any spread through, a thrown string', async () => {
    const codes = await lintTypes({
      'probe.ts': [
        'const save = (): Promise<number> => Promise.resolve(1);',
        'export function handler(raw: string): string {',
        '  save();',
        '  const parsed: any = JSON.parse(raw);',
        '  const id: string = parsed.id;',
        '  if (save()) return id;',
        "  ['a'].forEach(async () => { await save(); });",
        "  throw 'failed';",
        '}',
        '',
      ].join('\n'),
      'clean.ts': 'export const total = async (xs: Promise<number>[]): Promise<number> => (await Promise.all(xs)).reduce((a, b) => a + b, 0);\n',
    });
    expect(codes).toEqual(
      [
        'typescript(no-floating-promises)',
        'typescript(no-unsafe-assignment)',
        'typescript(no-unsafe-assignment)',
        'typescript(no-unsafe-member-access)',
        'typescript(no-misused-promises)',
        'typescript(no-misused-promises)',
        'typescript(only-throw-error)',
      ].sort(),
    );
  });

  it("keeps ESLint's repository rules: the machine's date in a test, AWS in the pure domain, explicit any", async () => {
    const [clock, domain, anyType] = await Promise.all([
      lintSyntax('test/unit/probe.test.ts', probe('machine-clock.ts.txt')),
      lintSyntax('shared/domain/probe.ts', probe('domain-aws-import.ts.txt')),
      lintSyntax('shared/probe.ts', probe('explicit-any.ts.txt')),
    ]);
    expect(clock).toEqual(['no-restricted-syntax', 'no-restricted-syntax']);
    expect(domain).toEqual(['no-restricted-imports']);
    expect(anyType).toEqual(['@typescript-eslint/no-explicit-any']);
  });
});
