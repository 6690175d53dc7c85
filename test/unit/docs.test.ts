// The front page and docs/: every relative link (and #anchor) resolves, the README stays a front page (≤ 250 lines,
// the two commands verbatim), and its taste of the API is lines of the tour that test/api/readme-tour.test.ts runs.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const README = join(ROOT, 'README.md');

const markdownUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? markdownUnder(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []));

/** Links outside code: fenced blocks and inline code may show link-like text that is not a link. */
const linksIn = (text: string): string[] =>
  [...text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchorsOf = (file: string): Set<string> =>
  new Set(
    readFileSync(file, 'utf8')
      .replace(/```[\s\S]*?```/g, '')
      .split('\n')
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) =>
        l
          .replace(/^#+ /, '')
          .trim()
          .toLowerCase()
          .replace(/[^\p{L}\p{N} _-]/gu, '')
          .replace(/ /g, '-'),
      ),
  );

const files = [README, ...markdownUnder(join(ROOT, 'docs'))];

describe('links in README.md and docs/', () => {
  it.each(files.map((f) => [relative(ROOT, f), f]))('%s: every relative link resolves', (_name, file) => {
    const broken = linksIn(readFileSync(file, 'utf8'))
      .filter((href) => !/^[a-z][a-z0-9+.-]*:/i.test(href))
      .filter((href) => {
        const [path, anchor] = href.split('#') as [string, string | undefined];
        const target = path ? resolve(dirname(file), decodeURIComponent(path)) : file;
        if (!existsSync(target)) return true;
        return Boolean(anchor) && statSync(target).isFile() && target.endsWith('.md') && !anchorsOf(target).has(anchor!);
      });
    expect(broken).toEqual([]);
  });
});

describe('the front page', () => {
  const readme = readFileSync(README, 'utf8');

  it('is at most 250 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  });

  it('gives the two commands verbatim, and the Java prerequisite', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
    expect(readme).toMatch(/Java 17 or newer/);
  });

  it('shows a taste of the API made only of lines of the tour (which a test runs)', () => {
    const section = readme.slice(readme.indexOf('## A taste of the API'));
    const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBeDefined();
    const tour = readFileSync(join(ROOT, 'docs', 'tour.md'), 'utf8');
    const lines = block!.split('\n').filter((l) => l.trim());
    expect(lines.length).toBeLessThanOrEqual(15);
    expect(lines.filter((l) => !tour.includes(l))).toEqual([]);
  });

  it('is what .ci/run tests with', () => {
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm ci --no-audit --no-fund\nnpm test$/m);
  });
});
