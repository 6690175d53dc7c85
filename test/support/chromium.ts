// Browser helpers shared by the console's tests and `npm run console:screenshots`: find chromium, sign in locally.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Page } from 'playwright-core';

type Role = 'intake' | 'handler' | 'supervisor' | 'compliance' | 'legal' | 'admin';

/**
 * The browsers the tests drive, in the order they are looked for on PATH. First the headless shell (Debian's
 * `chromium-headless-shell`, the same build Playwright itself runs for headless chromium): the full browser's
 * headless mode also runs its top-chrome WebUI renderer and costs about a third more CPU on the console files
 * (docs/suite-speed.md, seventh pass). Then the full browsers, which work as well.
 */
export const CHROMIUM_NAMES = ['chromium-headless-shell', 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

/** CHROMIUM_PATH, else the first of CHROMIUM_NAMES on PATH (scripts/ensure-chromium.sh installs the headless shell with apt). */
export const chromiumPath = (env: Record<string, string | undefined> = process.env): string => {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  for (const name of CHROMIUM_NAMES) {
    for (const dir of (env.PATH ?? '').split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error('no chromium on PATH: install it (Debian/Ubuntu: apt-get install chromium-headless-shell) or set CHROMIUM_PATH');
};

/** Signs in on the local sign-in page: user id, exactly these roles, submit; resolves when the shell is shown. */
export const signInOn = async (page: Page, base: string, sub: string, roles: readonly Role[]): Promise<void> => {
  await page.goto(`${base}/`);
  await page.getByLabel('User id').fill(sub);
  for (const role of ['intake', 'handler', 'supervisor', 'compliance', 'legal', 'admin'] as const) {
    await page.getByRole('checkbox', { name: new RegExp(`^${role}\\b`) }).setChecked(roles.includes(role));
  }
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Work queue' }).waitFor();
};

/** Opens a case page on a tab, as following a link would (the session stays: no reload). */
export const openCase = async (page: Page, caseId: string, tab = 'overview'): Promise<void> => {
  // The state react-router's browser history writes (usr, key, idx): a new key makes it a new navigation. A string
  // expression, as it runs in the page (this file is type-checked without the DOM library).
  const path = JSON.stringify(`/console/cases/${caseId}?tab=${tab}`);
  await page.evaluate(
    `window.history.pushState({ usr: null, key: Math.random().toString(36).slice(2, 10), idx: window.history.length }, '', ${path}); window.dispatchEvent(new PopStateEvent('popstate'));`,
  );
  await page.getByTestId('case-reference').waitFor();
};
