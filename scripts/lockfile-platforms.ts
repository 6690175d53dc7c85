// Restores lock entries for optional platform binaries the registry mirror does not serve.
// Without them `npm ci` refuses the lock as "out of sync"; with os/cpu set, npm skips them on other platforms.
// Run after any `npm install`: `npx tsx scripts/lockfile-platforms.ts` (a test fails if it is needed).
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface LockEntry {
  version?: string;
  optional?: boolean;
  dev?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}
interface Lock {
  packages: Record<string, LockEntry>;
}

const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'openbsd', 'netbsd'];
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'ppc64', 's390x', 'loong64', 'riscv64', 'mips64el', 'wasm32'];

/** Platform of a binary package from its name, e.g. `@swc/core-linux-arm-gnueabihf` → linux/arm/glibc. */
export const platformOf = (name: string): Pick<LockEntry, 'os' | 'cpu' | 'libc'> | undefined => {
  const parts = name.split('/').pop()!.split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p));
  if (!os || !cpu) return undefined;
  const libc = parts.some((p) => p.startsWith('musl')) ? ['musl'] : os === 'linux' && parts.some((p) => p.startsWith('gnu')) ? ['glibc'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
};

/** Adds the missing optional platform entries; returns their names. */
export const restorePlatformEntries = (lock: Lock): string[] => {
  const added: string[] = [];
  for (const entry of Object.values(lock.packages)) {
    for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const depKey = `node_modules/${dep}`;
      const platform = platformOf(dep);
      if (lock.packages[depKey] || !platform) continue;
      lock.packages[depKey] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
      added.push(dep);
    }
  }
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  return added;
};

if (require.main === module) {
  const file = resolve(__dirname, '..', 'package-lock.json');
  const lock = JSON.parse(readFileSync(file, 'utf8')) as Lock;
  const added = restorePlatformEntries(lock);
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(added.length ? `restored ${added.length} platform entries: ${added.join(', ')}\n` : 'lock file already complete\n');
}
