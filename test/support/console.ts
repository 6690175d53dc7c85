// Browser tests of the staff console: the local API serving the built console, Debian's chromium driven by playwright-core.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureConsoleBuilt } from '../../infra/local/console';
import type { Role } from '#schemas/common';
import { startTestApi, type TestApi, type TestApiOptions } from './api';
import { chromiumPath, openCase, signInOn } from './chromium';

export { chromiumPath, openCase, signInOn };

export interface ConsoleHarness {
  api: TestApi;
  browser: Browser;
  /** http://127.0.0.1:<port>/console */
  base: string;
  /** A signed-in user in their own browser context (tokens live in page memory, so each user is one page). Local mode only. */
  signIn(sub: string, roles: Role[], opts?: { viewport?: { width: number; height: number } }): Promise<Page>;
  /** A page in a new browser context of its own (its own storage), signed out and not yet navigated anywhere. */
  newPage(opts?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

export interface ConsoleHarnessOptions extends Omit<TestApiOptions, 'console'> {
  /**
   * Deployed mode: the console's config.json says `mode: "cognito"` with this authority and client (a test's OpenID
   * provider standing in for the user pool), the API's URL and the console URL as the callback. The authority's origin
   * (and the Hosted UI domain's) are added to the console's CSP connect-src, exactly.
   */
  cognito?: { authority: string; clientId: string; hostedUiDomain?: string };
}

export const startConsoleHarness = async (opts: ConsoleHarnessOptions = {}): Promise<ConsoleHarness> => {
  const { cognito, ...apiOpts } = opts;
  const serving: TestApiOptions['console'] = cognito
    ? {
        configFor: (apiUrl) => ({ mode: 'cognito', apiUrl, authority: cognito.authority, clientId: cognito.clientId, ...(cognito.hostedUiDomain ? { hostedUiDomain: cognito.hostedUiDomain } : {}) }),
        connectSrc: [...new Set([cognito.authority, cognito.hostedUiDomain].flatMap((u) => (u ? [new URL(u).origin] : [])))],
      }
    : true;
  // The browser starts while the stack does (neither needs the other until the first page loads). Finding the browser
  // is inside the async launch, so a machine without one gets a rejection here and the stack is closed, instead of a
  // throw before the stack's promise is awaited (that left a running stack behind and crashed the worker).
  const [started, built, launched] = await Promise.allSettled([
    startTestApi({}, { ...apiOpts, console: serving }),
    ensureConsoleBuilt(),
    (async () => chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] }))(),
  ]);
  if (started.status === 'rejected' || built.status === 'rejected' || launched.status === 'rejected') {
    await Promise.all([started.status === 'fulfilled' && started.value.close(), launched.status === 'fulfilled' && launched.value.close()]);
    throw [started, built, launched].find((s): s is PromiseRejectedResult => s.status === 'rejected')!.reason;
  }
  const api = started.value;
  const browser = launched.value;
  const contexts: BrowserContext[] = [];
  const base = `${api.url}/console`;
  const newPage: ConsoleHarness['newPage'] = async (o = {}) => {
    // Reduced motion: Cloudscape then skips its fade-ins, so axe measures colours as they end up, not mid-animation.
    const context = await browser.newContext({ viewport: o.viewport ?? { width: 1400, height: 1000 }, acceptDownloads: true, reducedMotion: 'reduce' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  };
  return {
    api,
    browser,
    base,
    newPage,
    signIn: async (sub, roles, o = {}) => {
      const page = await newPage(o);
      await signInOn(page, base, sub, roles);
      return page;
    },
    close: async () => {
      // CONSOLE_TEST_SHOTS=<dir>: what each user's page showed at the end (debugging a failed scenario).
      const shots = process.env.CONSOLE_TEST_SHOTS;
      if (shots) {
        let n = 0;
        for (const c of contexts) for (const p of c.pages()) await p.screenshot({ path: join(shots, `page-${++n}.png`), fullPage: true });
      }
      await Promise.all(contexts.map((c) => c.close()));
      await browser.close();
      await api.close();
    },
  };
};

/** Clicks "Reload case" and resolves once the case has been read again (the next change then carries its new version). */
export const reloadCase = async (page: Page, caseId: string): Promise<void> => {
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'GET' && new URL(r.url()).pathname === `/v1/complaints/${caseId}`),
    page.getByRole('button', { name: 'Reload case', exact: true }).first().click(),
  ]);
  await page.getByRole('button', { name: 'Reload case', exact: true }).first().and(page.locator(':not([aria-disabled="true"])')).waitFor();
};

/** A pattern matching exactly this text (for Playwright's hasText, which otherwise matches a substring). */
export const exactly = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** Selects a tab of the case page by its label (the start of it: counts follow some labels). */
export const openTab = async (page: Page, label: string): Promise<void> => {
  await page.getByRole('tab', { name: new RegExp(`^${label}\\b`) }).click();
};

/**
 * axe-core's source as @axe-core/playwright injects it (its own copy of axe-core, so the same version), loaded once per
 * worker process by Node itself rather than by each test file's module registry (1.3 MB of script).
 */
let axeSourceText: string | undefined;
const axeSource = (): string => (axeSourceText ??= (createRequire(require.resolve('@axe-core/playwright'))('axe-core') as { source: string }).source);

/** What `axe.run` is asked, as AxeBuilder's `withTags(...)` and its empty include/exclude context ask it. */
const AXE_RUN = {
  context: { include: [], exclude: [] },
  options: {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    // Violations are reported in full; passes, incomplete and inapplicable keep one node each. axe otherwise builds a
    // unique selector for every node of every passing rule (thousands on a Cloudscape page), then they crossed the
    // protocol only to be dropped here: measured, a third of each check's CPU.
    resultTypes: ['violations'],
  },
};

// Runs in the page; typed structurally, as the tests are type-checked without the DOM library.
type AxeViolation = { id: string; impact?: string | null; nodes: { target: unknown[] }[] };
type AxeWindow = { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } };

/** The serious and critical WCAG 2.1 A/AA violations axe finds on the page, one line per node (empty when clean). */
export const axeProblems = async (page: Page): Promise<string[]> => {
  // As AxeBuilder's legacy mode: axe.run in the page itself, axe injected into every frame and configured as AxeBuilder
  // configures it. The default mode (runPartial, then finishRun) opens a blank page in the context, injects axe there a
  // second time and ships every pass and inapplicable result over to it: about twice the time, for the same violations
  // (compared on a case page with five planted violations: equal ids, impacts and targets). The console has no
  // cross-origin frames, the one thing only the default mode reaches. Unlike AxeBuilder, which evaluates the 1.3 MB
  // source twice on every call, axe is injected once per document (a client-side route change keeps it; a reload does
  // not), and only the lines below come back from the page.
  for (const frame of page.frames()) {
    if (await frame.evaluate('typeof window.axe === "object" && typeof window.axe.run === "function"')) continue;
    try {
      await frame.evaluate(axeSource());
      await frame.evaluate("axe.configure({ allowedOrigins: ['<same_origin>'], branding: { application: 'playwright' } })");
    } catch (err) {
      // As AxeBuilder: a frame that cannot take axe (gone, or not scriptable) is skipped; the page itself must.
      if (frame === page.mainFrame()) throw err;
    }
  }
  const outcome = await page.evaluate(async ({ context, options }) => {
    try {
      const { violations } = await (globalThis as unknown as AxeWindow).axe.run(context, options);
      return { problems: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`)) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  }, AXE_RUN);
  if ('error' in outcome) throw new Error(outcome.error);
  return outcome.problems;
};
