// The staff console in local mode: built with Vite when its sources changed (cached by a source hash), served at /console/.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { consoleContentSecurityPolicy } from '#http/console-headers';

const REPO_ROOT = resolve(__dirname, '..', '..');
export const CONSOLE_DIR = join(REPO_ROOT, 'console');
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');
const STAMP = join(CONSOLE_DIST, '.source-hash');
/** What the built console depends on: its sources and the typed client it imports. */
const SOURCES = [join(CONSOLE_DIR, 'src'), join(CONSOLE_DIR, 'index.html'), join(CONSOLE_DIR, 'vite.config.ts'), join(CONSOLE_DIR, 'package.json'), join(REPO_ROOT, 'clients', 'typescript', 'src')];

const filesUnder = (path: string): string[] => {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => filesUnder(join(path, e.name)));
};

/** sha256 over the relative path and bytes of every source file: equal hash, equal build. */
export const consoleSourceHash = (): string => {
  const h = createHash('sha256');
  for (const file of SOURCES.flatMap(filesUnder)) h.update(relative(REPO_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return h.digest('hex');
};

export const consoleBuildIsCurrent = (): boolean => existsSync(STAMP) && existsSync(join(CONSOLE_DIST, 'index.html')) && readFileSync(STAMP, 'utf8').trim() === consoleSourceHash();

let building: Promise<{ built: boolean; ms: number }> | undefined;

const LOCK = join(CONSOLE_DIR, '.build.lock');
/** A lock older than this was left by a build that died: take it over. */
const STALE_LOCK_MS = 5 * 60_000;

/** One build at a time across processes (test workers, npm start): an exclusive lock file next to the sources. */
const withBuildLock = async <T>(work: () => Promise<T>): Promise<T> => {
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { force: true });
      } catch {
        // Released between the two calls: try again.
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { force: true });
  }
};

/**
 * Builds the console unless the last build is of the same sources. Vite runs in a child process: it is ESM-only and the
 * local stack is CommonJS. Callers in one process share one build; other processes wait on the lock, then find it current.
 */
export const ensureConsoleBuilt = (log: (line: string) => void = () => undefined): Promise<{ built: boolean; ms: number }> =>
  (building ??= (async () => {
    const t0 = performance.now();
    const hash = consoleSourceHash();
    const current = () => existsSync(STAMP) && existsSync(join(CONSOLE_DIST, 'index.html')) && readFileSync(STAMP, 'utf8').trim() === hash;
    if (current()) return { built: false, ms: performance.now() - t0 };
    return withBuildLock(async () => {
      if (current()) return { built: false, ms: performance.now() - t0 };
      await buildConsole(log);
      writeFileSync(STAMP, hash);
      return { built: true, ms: performance.now() - t0 };
    });
  })().finally(() => {
    building = undefined;
  }));

const buildConsole = async (log: (line: string) => void): Promise<void> => {
  log('▸ building the console (sources changed since the last build) …');
  await new Promise<void>((res, rej) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: CONSOLE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Always the production build (what the deploy uploads): under jest NODE_ENV is `test`, which Vite would honour and bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', rej);
    child.on('exit', (code) => (code === 0 ? res() : rej(new Error(`the console build failed (vite exit ${code}):\n${out}`))));
  });
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export interface ConsoleServing {
  /** The built console (default console/dist). */
  dir?: string;
  /** Served as /console/config.json: the runtime config the deploy writes; locally { mode: "local" }. */
  config: unknown;
  /** Origins the console's scripts may also connect to (the local S3 for presigned uploads). */
  connectSrc?: string[];
}

/**
 * The security headers the deployed distribution sets, so local mode catches an inline script or a framed page too.
 * Cloudscape sets element styles at run time, hence style-src 'unsafe-inline' (styles only, never scripts).
 */
const securityHeaders = (connectSrc: string[]): Record<string, string> => ({
  'content-security-policy': consoleContentSecurityPolicy(connectSrc),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
});

/** Answers GET /console/… : a file of the build, config.json, or index.html for client-side routes (the SPA fallback). */
export const serveConsole = async (opts: ConsoleServing, method: string, path: string, res: ServerResponse): Promise<void> => {
  const dir = resolve(opts.dir ?? CONSOLE_DIST);
  const headers = securityHeaders(opts.connectSrc ?? []);
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
    return void res.end('method not allowed');
  }
  if (path === '/console') {
    res.writeHead(308, { location: '/console/' });
    return void res.end();
  }
  const rel = path.slice('/console/'.length);
  if (rel === 'config.json') {
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' });
    return void res.end(method === 'HEAD' ? undefined : JSON.stringify(opts.config));
  }
  let file = resolve(dir, decodeURIComponentSafe(rel));
  // A path that climbs out of the build (../) or names a directory gets the app shell, never a file outside it.
  const inside = file === dir || file.startsWith(dir + sep);
  if (!inside || !existsSync(file) || statSync(file).isDirectory()) {
    if (inside && rel.startsWith('assets/')) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('not found');
    }
    file = join(dir, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('The console is not built: run `npm -w console run build` (npm start builds it).');
    }
  }
  const body = await readFile(file);
  const immutable = relative(dir, file).startsWith(`assets${sep}`);
  res.writeHead(200, {
    ...headers,
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  res.end(method === 'HEAD' ? undefined : body);
};

const decodeURIComponentSafe = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
