// Bench phase `console`: builds the staff console and measures its first-load JavaScript (gzip) from the Vite manifest, and that the reports screen is a lazily loaded chunk of its own.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONSOLE_DIST, ensureConsoleBuilt } from '../infra/local/console';

/** Issue 31: first-load JavaScript at most 450 KB gzip. */
export const FIRST_LOAD_BUDGET_BYTES = 450 * 1024;
/** The reports route's module (console/src/routes.tsx loads it with React.lazy). */
export const REPORTS_MODULE = 'src/pages/reports/ReportsPage.tsx';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

export interface ConsoleBenchResult {
  buildMs: number;
  rebuilt: boolean;
  /** The JavaScript files the browser loads before the first screen: the entry and its static imports. */
  firstLoad: { file: string; bytes: number; gzipBytes: number }[];
  firstLoadGzipBytes: number;
  firstLoadBytes: number;
  budgetGzipBytes: number;
  /** Every other JavaScript chunk (loaded on demand), gzip bytes. */
  lazyGzipBytes: number;
  reportsChunk?: { file: string; gzipBytes: number; lazy: boolean; inFirstLoad: boolean };
}

/** The entry chunk and every chunk it imports statically, transitively (what index.html's script and modulepreloads fetch). */
export const firstLoadChunks = (manifest: Record<string, ManifestChunk>): string[] => {
  const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
  if (!entry) throw new Error('the console manifest has no entry chunk');
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]?.imports ?? []) visit(dep);
  };
  visit(entry);
  return [...seen];
};

export const runConsoleBench = async (log: (line: string) => void): Promise<ConsoleBenchResult> => {
  const { built, ms } = await ensureConsoleBuilt(log);
  const manifestPath = join(CONSOLE_DIST, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`no ${manifestPath}: console/vite.config.ts must set build.manifest`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
  const sizeOf = (file: string) => {
    const bytes = readFileSync(join(CONSOLE_DIST, file));
    // gzip level 9, as CloudFront's and most servers' compressed responses come close to it.
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  };
  const first = firstLoadChunks(manifest);
  const firstLoad = first.map((k) => sizeOf(manifest[k]!.file)).filter((f) => f.file.endsWith('.js'));
  const firstFiles = new Set(firstLoad.map((f) => f.file));
  const lazy = [...new Set(Object.values(manifest).map((c) => c.file))].filter((f) => f.endsWith('.js') && !firstFiles.has(f)).map(sizeOf);
  const reports = Object.prototype.hasOwnProperty.call(manifest, REPORTS_MODULE) ? manifest[REPORTS_MODULE] : undefined;
  return {
    buildMs: ms,
    rebuilt: built,
    firstLoad,
    firstLoadGzipBytes: firstLoad.reduce((n, f) => n + f.gzipBytes, 0),
    firstLoadBytes: firstLoad.reduce((n, f) => n + f.bytes, 0),
    budgetGzipBytes: FIRST_LOAD_BUDGET_BYTES,
    lazyGzipBytes: lazy.reduce((n, f) => n + f.gzipBytes, 0),
    ...(reports
      ? {
          reportsChunk: {
            file: reports.file,
            gzipBytes: sizeOf(reports.file).gzipBytes,
            lazy: reports.isDynamicEntry === true,
            inFirstLoad: firstFiles.has(reports.file),
          },
        }
      : {}),
  };
};
