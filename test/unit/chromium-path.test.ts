// Which browser the console's tests drive (test/support/chromium.ts): CHROMIUM_PATH, else the headless shell before a
// full chromium wherever each sits on PATH, else a clear error naming the package to install.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { CHROMIUM_NAMES, chromiumPath } from '../support/chromium';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chromium-path-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A directory holding empty files with these names (the lookup only asks whether they exist). */
const dirWith = (name: string, ...files: string[]): string => {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f), '');
  return dir;
};

describe('chromiumPath', () => {
  it('takes CHROMIUM_PATH as given, whatever is on PATH', () => {
    const dir = dirWith('both', 'chromium', 'chromium-headless-shell');
    expect(chromiumPath({ CHROMIUM_PATH: '/opt/my/chrome', PATH: dir })).toBe('/opt/my/chrome');
  });

  it('prefers the headless shell to a full chromium that comes earlier on PATH', () => {
    const full = dirWith('full', 'chromium');
    const shell = dirWith('shell', 'chromium-headless-shell');
    expect(chromiumPath({ PATH: [full, shell].join(delimiter) })).toBe(join(shell, 'chromium-headless-shell'));
  });

  it('falls back to a full chromium, then to Chrome, in the listed order', () => {
    expect(CHROMIUM_NAMES[0]).toBe('chromium-headless-shell');
    const full = dirWith('only-full', 'chromium', 'google-chrome');
    expect(chromiumPath({ PATH: `${delimiter}${full}` })).toBe(join(full, 'chromium'));
    const chrome = dirWith('only-chrome', 'google-chrome-stable');
    expect(chromiumPath({ PATH: chrome })).toBe(join(chrome, 'google-chrome-stable'));
  });

  it('names the package to install when there is none (an empty PATH entry is not the working directory)', () => {
    const empty = dirWith('empty');
    expect(() => chromiumPath({ PATH: `${empty}${delimiter}` })).toThrow(/apt-get install chromium-headless-shell/);
    expect(() => chromiumPath({})).toThrow(/no chromium on PATH/);
  });
});
